# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""The customer portal: who sees what, through every way in, and what a customer may do.

Two customers (A and B) and four website users: a contact of A, a Portal User of B, a contact
of both, and a website user of no customer. Each user tries every page, portal method and
standard API on every record of both customers; nothing of the other customer (and no
review that is not approved and shared) may come back, and nothing may change.
"""

import io
import json
import os
from contextlib import contextmanager
from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import get_datetime, today
from frappe.website.serve import get_response
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from brm_app.api import portal as api
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import make_template
from brm_app.tests.utils import (
	BRM_ROLE,
	BRMTestCase,
	make_complaint,
	make_customer,
	make_outgoing_email_account,
	make_portal_user,
	make_portfolio,
	make_service_item,
	make_user,
)
from brm_app.utils import now

CUSTOMER_A = "_Test Portal Customer Alpha"
CUSTOMER_B = "_Test Portal Customer Bravo"
SERVICE_A = "_Test Portal Service Alpha"
SERVICE_B = "_Test Portal Service Bravo"
USER_A = "contact.alpha@portal-alpha.example.com"  # a Contact of A
USER_B = "portal.bravo@portal-bravo.example.com"  # a Portal User of B (Customer.portal_users)
USER_AB = "contact.both@portal-both.example.com"  # a Contact of A and of B
USER_NONE = "nobody@portal-none.example.com"  # a website user of no customer
OWNER = "portal.owner@example.com"  # the relationship manager: owns the complaints
USERS = (USER_A, USER_B, USER_AB, USER_NONE)
CUSTOMERS_OF = {
	USER_A: {CUSTOMER_A},
	USER_B: {CUSTOMER_B},
	USER_AB: {CUSTOMER_A, CUSTOMER_B},
	USER_NONE: set(),
}
TAGS = {CUSTOMER_A: "Alpha", CUSTOMER_B: "Bravo"}
SERVICES = {CUSTOMER_A: SERVICE_A, CUSTOMER_B: SERVICE_B}

COMPLAINT = "Complaint"
COMPLIMENT = "Compliment"
REQUIREMENT = "Customer Requirement"
REVIEW = "Service Performance Review"
CHANGE = "Request for Change"
INVITATION = "Survey Invitation"
RECORD_DOCTYPES = (COMPLAINT, COMPLIMENT, REQUIREMENT, REVIEW, CHANGE)
ROUTES = {
	COMPLAINT: "complaints",
	COMPLIMENT: "compliments",
	REQUIREMENT: "requirements",
	REVIEW: "service-reviews",
	CHANGE: "changes",
}
#: Tables whose row counts must not move while customers only look (or are refused).
COUNTED = (
	COMPLAINT,
	COMPLIMENT,
	REQUIREMENT,
	REVIEW,
	CHANGE,
	INVITATION,
	"File",
	"Communication",
	"Comment",
	"Version",
	"Notification Log",
	"ToDo",
)
NOT_LINKED = "not linked to a customer"
#: Tries of one user's run of the matrix, at least (a door silently skipped lowers the count).
MINIMUM_TRIES = 340
#: Uploads made by these tests carry this prefix, so their files are removed from disk afterwards.
FILE_PREFIX = "brm-portal-test-"


def internal_marker(customer: str) -> str:
	return f"INTERNAL-ROOT-CAUSE-{TAGS[customer]}"


def comment_marker(customer: str) -> str:
	return f"INTERNAL-COMMENT-{TAGS[customer]}"


# ----------------------------------------------------------------------------- the world


def make_world() -> frappe._dict:
	"""Customers, users, portfolios and records of both customers (as Administrator)."""
	frappe.set_user("Administrator")
	make_outgoing_email_account()
	make_user(OWNER, [BRM_ROLE])
	for customer in (CUSTOMER_A, CUSTOMER_B):
		make_customer(customer)
	make_service_item(SERVICE_A)
	make_service_item(SERVICE_B)
	make_user(USER_NONE, ["Customer"], user_type="Website User")
	make_portal_user(USER_A, [CUSTOMER_A])
	make_portal_user(USER_B, [CUSTOMER_B], via="portal_user")
	make_portal_user(USER_AB, [CUSTOMER_A, CUSTOMER_B])
	contact_a = contact_of_user(USER_A, CUSTOMER_A)
	contact_ab = contact_of_user(USER_AB, CUSTOMER_B)
	make_portfolio(
		CUSTOMER_A,
		relationship_manager=OWNER,
		authorised_representative=contact_a,
		services=[{"service": SERVICE_A}],
	)
	make_portfolio(
		CUSTOMER_B,
		relationship_manager=OWNER,
		authorised_representative=contact_ab,
		services=[{"service": SERVICE_B}],
	)
	if frappe.db.get_single_value("BRM Settings", "appeal_period_days") != 30:
		frappe.db.set_single_value("BRM Settings", "appeal_period_days", 30)
		clear_settings_cache()

	world = frappe._dict(records=[], files=[], invitations=[])
	uploader = {CUSTOMER_A: USER_A, CUSTOMER_B: USER_B}
	for index, customer in enumerate((CUSTOMER_A, CUSTOMER_B)):
		tag = TAGS[customer]
		complaint = make_complaint(
			customer, subject=f"{tag} network backup failure", service=SERVICES[customer]
		)
		# staff's investigation, recorded in the complaint's history (tests skip versions unless asked)
		complaint.root_cause = internal_marker(customer)
		complaint.root_cause_category = "Process"
		complaint.save(ignore_version=False)
		complaint.add_comment("Comment", comment_marker(customer))
		add_message(complaint, f"Staff message to {tag}", sent=True, to=uploader[customer])
		proposed = make_complaint(customer, subject=f"{tag} invoice backup delay")
		proposed = apply_workflow(proposed, "Acknowledge")
		proposed.proposed_resolution = f"Credit note for {tag}"
		proposed.save()
		proposed = apply_workflow(proposed, "Propose Resolution")
		compliment = frappe.get_doc(
			{"doctype": COMPLIMENT, "customer": customer, "subject": f"{tag} thanks", "compliment": "Great"}
		).insert()
		requirement = frappe.get_doc(
			{
				"doctype": REQUIREMENT,
				"customer": customer,
				"title": f"{tag} needs reporting",
				"desired_outcomes": "Monthly report",
			}
		).insert()
		year = 2020 + index
		shared = make_review(customer, f"{year}-01-01", f"{year}-03-31", share=1, approve=True)
		unshared = make_review(customer, f"{year}-04-01", f"{year}-06-30", share=0, approve=True)
		draft = make_review(customer, f"{year}-07-01", f"{year}-09-30", share=1, approve=False)
		change = make_change(customer, f"{tag} single sign-on")
		prepared = make_change(customer, f"{tag} staging environment", submit=False)
		for doc, extra in (
			(complaint, {}),
			(proposed, {}),
			(compliment, {}),
			(requirement, {}),
			(shared, {"shared": True}),
			(unshared, {"shared": False}),
			(draft, {"shared": False}),
			(change, {}),
			(prepared, {"shared": False}),  # a draft staff are preparing is not the customer's yet
		):
			world.records.append(
				frappe._dict(
					doctype=doc.doctype,
					name=doc.name,
					customer=customer,
					subject=doc.get("subject") or doc.get("title") or review_minutes(doc),
					shared=extra.get("shared", True),
					open=doc.doctype == COMPLAINT and doc.status not in ("Closed", "Rejected"),
				)
			)
		# A file the customer's user attached, and a working file of staff, both private.
		frappe.set_user(uploader[customer])
		world.files.append(
			frappe._dict(
				name=attach(complaint, f"{FILE_PREFIX}{tag}-evidence.txt", f"evidence {tag}"),
				customer=customer,
				owner=uploader[customer],
			)
		)
		frappe.set_user("Administrator")
		world.files.append(
			frappe._dict(
				name=attach(complaint, f"{FILE_PREFIX}{tag}-staff-notes.txt", f"staff notes {tag}"),
				customer=customer,
				owner="Administrator",
			)
		)
		world[tag] = frappe._dict(complaint=complaint.name, proposed=proposed.name, shared_review=shared.name)

	# A relationship survey: A's invitation goes to the contact of USER_A, B's to USER_AB's.
	survey = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"title": "_Test portal relationship survey",
			"template": make_template().name,
			"kind": "Relationship",
			"audience": "Chosen Customers",
			"customers": [{"customer": CUSTOMER_A}, {"customer": CUSTOMER_B}],
			"sampling_percent": 100,
			"min_days_between_surveys": 0,
			"expires_after_days": 14,
			"remind_after_days": 7,
		}
	).insert()
	survey.send_now()
	for row in frappe.get_all(
		INVITATION, filters={"survey": survey.name}, fields=["name", "customer", "contact"]
	):
		world.invitations.append(
			frappe._dict(
				name=row.name,
				customer=row.customer,
				contact_user=frappe.db.get_value("Contact", row.contact, "user"),
				token=frappe.get_doc(INVITATION, row.name).get_password("token"),
			)
		)
	return world


def contact_of_user(user: str, customer: str) -> str | None:
	contacts = frappe.get_all("Contact", filters={"user": user}, pluck="name")
	return frappe.db.get_value(
		"Dynamic Link",
		{
			"parenttype": "Contact",
			"parent": ("in", contacts),
			"link_doctype": "Customer",
			"link_name": customer,
		},
		"parent",
	)


def review_minutes(doc) -> str:
	"""The minutes of a test review: what identifies it on its page."""
	return f"Minutes of {TAGS[doc.customer]} from {doc.period_start}"


def make_review(customer: str, start: str, end: str, share: int, approve: bool):
	doc = frappe.get_doc(
		{
			"doctype": REVIEW,
			"customer": customer,
			"review_kind": "Quarterly",
			"period_start": start,
			"period_end": end,
			"share_with_customer": share,
			"minutes": f"<p>{review_minutes(frappe._dict(customer=customer, period_start=start))}</p>",
		}
	).insert()
	if approve:
		doc = apply_workflow(apply_workflow(doc, "Mark as Held"), "Approve Minutes")
	return doc


def attach(doc, file_name: str, content: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
				"is_private": 1,
				"content": content.encode(),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_change(customer: str, title: str, submit: bool = True):
	"""A request for change of ``customer`` (submitted unless ``submit`` is False)."""
	doc = frappe.get_doc(
		{
			"doctype": CHANGE,
			"title": title,
			"customer": customer,
			"description": f"<p>{title}</p>",
			"business_justification": "Staff log in twice a day",
		}
	).insert()
	if submit:
		from brm_app.workflow import move_to_status

		move_to_status(doc, "Submitted")
	return frappe.get_doc(CHANGE, doc.name)


def add_message(doc, content: str, sent: bool, to: str | None = None) -> str:
	"""An e-mail on the record: sent by staff to ``to`` (else the record's contact), or received
	from the record's contact."""
	return (
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent" if sent else "Received",
				"subject": f"Re: {doc.subject}",
				"content": f"<p>{content}</p>",
				"sender": OWNER if sent else doc.contact_email,
				"recipients": (to or doc.contact_email) if sent else OWNER,
				"reference_doctype": doc.doctype,
				"reference_name": doc.name,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def remove_test_files() -> None:
	"""Files written to disk by these tests (a rollback removes the rows, not the files)."""
	for folder in (frappe.get_site_path("private", "files"), frappe.get_site_path("public", "files")):
		if not os.path.isdir(folder):
			continue
		for name in os.listdir(folder):
			if name.startswith(FILE_PREFIX):
				os.remove(os.path.join(folder, name))


def clear_settings_cache() -> None:
	"""BRM Settings are cached in Redis, which a rollback does not reach."""
	frappe.clear_document_cache("BRM Settings", "BRM Settings")


def row_counts() -> dict[str, int]:
	return {doctype: frappe.db.count(doctype) for doctype in COUNTED}


def clear_rate_limits() -> None:
	"""The portal methods count calls per user in Redis when a request is present."""
	cmd = frappe.form_dict.get("cmd")
	frappe.cache.delete_value([f"rl:{cmd}:{user}" for user in {*USERS, frappe.session.user}])


# ----------------------------------------------------------------------------- requests


@contextmanager
def posted(*files, method: str = "POST", path: str = "/api/method/brm_app.api.portal"):
	"""Run the block as if in an HTTP request with multipart ``files`` ((name, bytes) pairs)."""
	had_request = hasattr(frappe.local, "request")
	previous = getattr(frappe.local, "request", None)
	data = {"files": [(io.BytesIO(content), name) for name, content in files]} if files else None
	frappe.local.request = Request(EnvironBuilder(path=path, method=method, data=data).get_environ())
	clear_rate_limits()  # counts an earlier run left in Redis
	try:
		yield
	finally:
		if had_request:
			frappe.local.request = previous
		else:
			del frappe.local.request
		clear_rate_limits()


@contextmanager
def form_dict(**values):
	"""Run the block with these request parameters (``frappe.form_dict``)."""
	previous = frappe.local.form_dict
	frappe.local.form_dict = frappe._dict(values)
	try:
		yield frappe.local.form_dict
	finally:
		frappe.local.form_dict = previous


def api_call(cmd: str, http: str | None = "GET", files=(), **params):
	"""``/api/method/<cmd>`` as the session user: overrides (hooks), the whitelist and the HTTP
	method are checked as in a request, with multipart ``files`` ((name, bytes) pairs). What
	the method put in frappe.response stays readable.

	``http=None`` calls it the same way but outside a request: Frappe's print view commits an
	Access Log when it renders inside a request (frappe/www/printview.py), which would keep
	the test's records on the site, so the PDF methods are called like this."""
	from frappe.handler import execute_cmd, is_whitelisted

	frappe.local.response = frappe._dict({"docs": []})
	with form_dict(cmd=cmd, **params):
		if http is None:
			method = frappe.get_attr(frappe.override_whitelisted_method(cmd))
			is_whitelisted(method)
			return frappe.call(method, **frappe.form_dict)
		with posted(*files, method=http):
			return execute_cmd(cmd)


def refuse_commit() -> None:
	"""A commit during these tests would keep their records on the site: make it an error."""
	raise AssertionError("Something committed during a portal test; its test data would stay on the site.")


def render(route: str, **args) -> tuple[int, str]:
	"""A portal page as the session user sees it: (HTTP status, HTML)."""
	try:
		with form_dict(**args), posted(method="GET", path=f"/{route}"):
			response = get_response(route)
		return response.status_code, response.get_data(as_text=True)
	finally:
		frappe.local.response = frappe._dict({"docs": []})


# ----------------------------------------------------------------------------- base


class PortalTestCase(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		cls.addClassCleanup(clear_settings_cache)  # registered first, so it runs after the rollback
		super().setUpClass()
		for attempt in range(3):
			frappe.db.before_commit.add(refuse_commit)  # a rollback clears it
			try:
				cls.world = make_world()
				break
			except frappe.QueryDeadlockError:
				# another process on the site (a browser test, a worker) took the same locks
				frappe.db.rollback()
				if attempt == 2:
					raise

	@classmethod
	def tearDownClass(cls):
		remove_test_files()
		super().tearDownClass()

	def setUp(self):
		super().setUp()
		frappe.db.before_commit.add(refuse_commit)  # runs once, at the first commit, if any
		frappe.local.response = frappe._dict({"docs": []})

	def tearDown(self):
		frappe.local.response = frappe._dict({"docs": []})
		super().tearDown()

	def assertAbsent(self, needle: str, haystack: str, message: str) -> None:
		"""assertNotIn without a page of HTML in the failure message."""
		self.assertFalse(needle in (haystack or ""), f"{message}: {needle!r} found")

	def record(self, doctype: str, customer: str, **match):
		return next(
			r
			for r in self.world.records
			if r.doctype == doctype and r.customer == customer and all(r[k] == v for k, v in match.items())
		)


def visible(user: str, record) -> bool:
	"""Should ``user`` see ``record``? Their own customers' records; reviews once approved and shared."""
	return record.customer in CUSTOMERS_OF[user] and record.shared


# ----------------------------------------------------------------------------- the probe

#: Whitelisted controller methods (staff actions), reachable through frappe.handler.run_doc_method.
DOC_METHODS = {
	COMPLAINT: (
		("escalate_manually", {"reason": "Escalate it"}),
		("respond_to_resolution", {"accepted": 1}),
		("send_feedback", {}),
	),
	COMPLIMENT: (("send_thanks", {}),),
	REQUIREMENT: (),
	REVIEW: (("get_metrics", {}), ("raise_requirement", {"title": "More", "desired_outcomes": "More"})),
	CHANGE: (
		("ask_the_customer", {"question": "Why?"}),
		("answer_for_the_customer", {"answer": "Because"}),
		("confirm_for_the_customer", {"delivered": 1}),
		("mark_sla_done", {}),
	),
}


class Probe:
	"""Tries every way in for one user, and notes each try, leak, miss and unclean refusal.

	Whitelisted methods are called as ``/api/method/<cmd>`` would call them (``api_call``)."""

	REFUSALS = (frappe.PermissionError, frappe.DoesNotExistError)

	def __init__(self, world, user: str):
		self.world = world
		self.user = user
		self.tries = 0
		self.leaks = []  # something of another customer (or an unshared review) came back
		self.misses = []  # one of the user's own records did not
		self.errors = []  # a refusal that was not a clean "not permitted" / "not found"

	def note(self, door: str, record, seen: bool, leak_only: bool = False) -> None:
		self.tries += 1
		allowed = visible(self.user, record)
		if seen and not allowed:
			self.leaks.append((door, record.doctype, record.name))
		elif allowed and not seen and not leak_only:
			self.misses.append((door, record.doctype, record.name))

	def attempt(self, record, cmd: str, http: str | None = "GET", **params):
		"""``api(cmd)``: (True, result), or (False, None) when refused as not permitted / not found."""
		try:
			return True, api_call(cmd, http, **params)
		except self.REFUSALS:
			return False, None
		except OSError as e:
			if "network error" in str(e) and not site_served():
				# The permission check passed; wkhtmltopdf then could not fetch the site's assets
				# because nothing serves the site (see site_served).
				frappe.local.response.filecontent = UNRENDERED
				return True, None
			self.errors.append((cmd, record.doctype, record.name, repr(e)))
			return False, None
		except Exception as e:
			self.errors.append((cmd, record.doctype, record.name, repr(e)))
			return False, None
		finally:
			frappe.local.message_log = []

	def records(self, doctype: str | None = None):
		return [r for r in self.world.records if doctype is None or r.doctype == doctype]

	# ------------------------------------------------------------------ lists

	def lists(self) -> None:
		from frappe.api.v1 import document_list

		for doctype in RECORD_DOCTYPES:
			names = set(frappe.get_list(doctype, limit_page_length=0, pluck="name"))
			for record in self.records(doctype):
				self.note("frappe.get_list", record, record.name in names)

			rows = api_call("frappe.client.get_list", doctype=doctype, fields=["name"], limit_page_length=0)
			for record in self.records(doctype):
				self.note("frappe.client.get_list", record, record.name in {r.name for r in rows})

			# a filter naming both customers does not widen what the user sees
			rows = api_call(
				"frappe.client.get_list",
				doctype=doctype,
				fields=["name"],
				filters=json.dumps({"customer": ["in", list(TAGS)]}),
				limit_page_length=0,
			)
			for record in self.records(doctype):
				self.note("frappe.client.get_list filtered", record, record.name in {r.name for r in rows})

			with form_dict(fields=json.dumps(["name"]), limit_page_length=0):
				rows = document_list(doctype)
			for record in self.records(doctype):
				self.note("/api/resource list", record, record.name in {r.name for r in rows})

			result = api_call(
				"frappe.desk.reportview.get",
				doctype=doctype,
				fields=json.dumps(["name", "customer"]),
				limit_page_length=0,
			)
			keys = (result or {}).get("keys") or []
			names = {row[keys.index("name")] for row in (result or {}).get("values") or []} if keys else set()
			for record in self.records(doctype):
				self.note("frappe.desk.reportview.get", record, record.name in names)

	# ------------------------------------------------------------------ one record

	def single_records(self) -> None:
		from frappe.api.v1 import read_doc
		from frappe.www.printview import validate_print_permission

		for record in self.records():
			doctype, name = record.doctype, record.name

			seen, _ = self.attempt(record, "frappe.client.get", doctype=doctype, name=name)
			self.note("frappe.client.get", record, seen)

			try:
				seen = bool(read_doc(doctype, name))
			except self.REFUSALS:
				seen = False
			self.note("/api/resource read", record, seen)

			seen, result = self.attempt(
				record, "frappe.client.get_value", doctype=doctype, fieldname="name", filters=name
			)
			self.note("frappe.client.get_value", record, bool(seen and result))

			seen, _ = self.attempt(record, "frappe.desk.form.load.getdoc", doctype=doctype, name=name)
			docs = frappe.local.response.get("docs") or []
			self.note("frappe.desk.form.load.getdoc", record, seen and any(d.name == name for d in docs))

			doc = frappe.get_doc(doctype, name)
			self.note("frappe.has_permission", record, frappe.has_permission(doctype, "read", doc))
			self.note("Document.has_permission", record, doc.has_permission("read"))
			self.note("frappe.has_website_permission", record, frappe.has_website_permission(doc))

			try:
				validate_print_permission(doc)
				seen = True
			except self.REFUSALS:
				seen = False
			self.note("printview.validate_print_permission", record, seen)

			seen, result = self.attempt(
				record, "frappe.www.printview.get_html_and_style", doc=doctype, name=name
			)
			self.note("printview.get_html_and_style", record, bool(seen and result and result["html"]))

			seen, _ = self.attempt(
				record, "frappe.utils.print_format.download_pdf", None, doctype=doctype, name=name
			)
			self.note("download_pdf", record, seen and is_pdf(frappe.local.response.get("filecontent")))

			if doctype == REVIEW:
				seen, _ = self.attempt(record, "brm_app.api.portal.service_review_pdf", None, name=name)
				self.note(
					"api.service_review_pdf",
					record,
					seen and is_pdf(frappe.local.response.get("filecontent")),
				)

			# staff actions on the record: refused to every customer, their own records included
			for method, args in DOC_METHODS[doctype]:
				done, _ = self.attempt(
					record,
					"run_doc_method",
					"POST",
					method=method,
					dt=doctype,
					dn=name,
					args=json.dumps(args),
				)
				self.tries += 1
				if done:
					self.leaks.append((f"run_doc_method {method}", doctype, name, "staff action allowed"))

	# ------------------------------------------------------------------ pages

	def pages(self) -> None:
		for doctype, route in ROUTES.items():
			status, html = render(route, show="all")
			self.tries += 1
			if status != 200:
				self.errors.append((f"/{route}", status))
			if not CUSTOMERS_OF[self.user]:
				self.tries += 1
				if NOT_LINKED not in html:
					self.misses.append((f"/{route}", "no 'not linked to a customer' explanation"))
			for record in self.records(doctype):
				self.note(f"/{route}", record, f"/{route}/{record.name}" in html)

			# a customer filter naming another customer shows the user's own records only
			for customer in TAGS:
				status, html = render(route, show="all", customer=customer)
				for record in self.records(doctype):
					self.note(
						f"/{route}?customer=", record, f"/{route}/{record.name}" in html, leak_only=True
					)

			for record in self.records(doctype):
				status, html = render(f"{route}/{record.name}")
				seen = status == 200 and record.name in html and record.subject in html
				self.note(f"/{route}/<name>", record, seen)
				if not seen:
					self.tries += 1
					if status != 404:
						self.errors.append((f"/{route}/<name>", record.name, status))
					if record.subject in html:
						self.leaks.append((f"/{route}/<name>", "subject on the error page", record.name))

		# forms offer the user's own customers' services only
		for route in ("complaints/new", "compliments/new", "requirements/new"):
			status, html = render(route)
			self.tries += 1
			if status != 200:
				self.errors.append((f"/{route}", status))
			if not CUSTOMERS_OF[self.user] and NOT_LINKED not in html:
				self.misses.append((f"/{route}", "no 'not linked to a customer' explanation"))
			for customer, service in SERVICES.items():
				record = frappe._dict(
					doctype="Portfolio Service", name=service, customer=customer, shared=True
				)
				self.note(f"/{route} services", record, service in html, leak_only=route != "complaints/new")

		# open survey invitations: only those addressed to the user's own contact
		status, html = render("survey")
		self.tries += 1
		if status != 200:
			self.errors.append(("/survey", status))
		for invitation in self.world.invitations:
			self.tries += 1
			if (invitation.token in html) != (invitation.contact_user == self.user):
				(self.leaks if invitation.token in html else self.misses).append(("/survey", invitation.name))

	# ------------------------------------------------------------------ portal methods

	def portal_methods(self) -> None:
		words = "network invoice backup failure delay"
		cmd = "brm_app.api.portal.similar_complaints"
		seen = {r["name"] for r in api_call(cmd, subject=words)}
		# FULLTEXT sees committed rows only, and these tests commit nothing: here only that
		# nothing of another customer comes back (finding one's own: test_similar_complaints).
		for record in self.records(COMPLAINT):
			self.note("api.similar_complaints", record, record.name in seen, leak_only=True)
		for customer in TAGS:
			seen = {r["name"] for r in api_call(cmd, subject=words, customer=customer)}
			for record in self.records(COMPLAINT):
				self.note("api.similar_complaints(customer)", record, record.name in seen, leak_only=True)

		# acting on another customer's complaint is refused as "not found"
		for record in self.records(COMPLAINT):
			if visible(self.user, record):
				continue
			for method, params in (
				("respond_to_resolution", {"accepted": 1}),
				("respond_to_resolution", {"accepted": 0, "reason": "Not good enough"}),
				("reply_to_complaint", {"message": "Let me in"}),
				("answer_complaint_question", {"answer": "Let me in"}),
			):
				seen, _ = self.attempt(
					record, f"brm_app.api.portal.{method}", "POST", name=record.name, **params
				)
				self.note(f"api.{method}", record, seen)
		# and on another customer's request for change
		for record in self.records(CHANGE):
			if visible(self.user, record):
				continue
			for method, params in (
				("answer_change_question", {"answer": "Let me in"}),
				("confirm_change", {"delivered": "1"}),
			):
				seen, _ = self.attempt(
					record, f"brm_app.api.portal.{method}", "POST", name=record.name, **params
				)
				self.note(f"api.{method}", record, seen)

		# a user of no customer is told why nothing can be filed
		if not CUSTOMERS_OF[self.user]:
			for method, params in (
				("lodge_complaint", {"subject": "Down", "description": "Down"}),
				("give_compliment", {"subject": "Thanks", "compliment": "Great"}),
				("raise_requirement", {"title": "More", "desired_outcomes": "More"}),
			):
				self.tries += 1
				try:
					api_call(f"brm_app.api.portal.{method}", "POST", customer=CUSTOMER_A, **params)
					self.leaks.append((method, "filed without a customer"))
				except frappe.PermissionError as e:
					if NOT_LINKED not in str(e):
						self.errors.append((method, "no 'not linked to a customer' explanation", str(e)))
				finally:
					frappe.local.message_log = []

	# ------------------------------------------------------------------ files

	def files(self) -> None:
		listed = set(frappe.get_list("File", filters={"is_private": 1}, pluck="name", limit_page_length=0))
		for file in self.world.files:
			# staff's working files are never the customer's, not even on their own records
			record = frappe._dict(
				doctype="File", name=file.name, customer=file.customer, shared=file.owner != "Administrator"
			)
			doc = frappe.get_doc("File", file.name)
			self.note("File.has_permission", record, doc.has_permission("read"))
			self.note("frappe.has_permission(File)", record, frappe.has_permission("File", "read", doc))
			self.note("frappe.get_list(File)", record, file.name in listed, leak_only=True)
			seen, _ = self.attempt(record, "frappe.client.get", doctype="File", name=file.name)
			self.note("frappe.client.get(File)", record, seen)

	def run(self) -> "Probe":
		frappe.set_user(self.user)
		try:
			self.lists()
			self.single_records()
			self.pages()
			self.portal_methods()
			self.files()
		finally:
			frappe.set_user("Administrator")
		return self


UNRENDERED = object()  # a PDF door passed the permission check but could not render (site_served)


def is_pdf(content) -> bool:
	return content is UNRENDERED or (isinstance(content, bytes) and content.startswith(b"%PDF"))


def site_served() -> bool:
	"""Whether the site answers at its own URL. Frappe renders PDFs with wkhtmltopdf, which fetches
	the print view's assets from that URL, as on any running site; ``.ci/run`` serves the site
	during the integration suite. Without it the PDF doors check permission only, and say so."""
	if not hasattr(site_served, "answer"):
		from urllib.request import urlopen

		url = frappe.utils.get_url()
		try:
			with urlopen(f"{url}/api/method/ping", timeout=3):
				site_served.answer = True
		except OSError:
			site_served.answer = False
			print(
				f"\nPDFs not rendered: nothing serves {url} (wkhtmltopdf fetches the assets from it); permission checked only."
			)
	return site_served.answer


# ----------------------------------------------------------------------------- tests


class TestIsolationMatrix(PortalTestCase):
	def check_user(self, user: str) -> Probe:
		before = row_counts()
		modified = self.modified()
		probe = Probe(self.world, user).run()
		self.assertEqual(probe.leaks, [], f"{user}: leaks")
		self.assertEqual(probe.misses, [], f"{user}: own records not shown")
		self.assertEqual(probe.errors, [], f"{user}: refusals that were not clean")
		# every way in was tried on every record (a door silently skipped would lower this)
		self.assertGreaterEqual(probe.tries, MINIMUM_TRIES)
		self.assertEqual(row_counts(), before, f"{user}: rows were added or removed")
		self.assertEqual(self.modified(), modified, f"{user}: records were changed")
		return probe

	def modified(self) -> dict:
		return {
			(r.doctype, r.name): str(frappe.db.get_value(r.doctype, r.name, "modified"))
			for r in self.world.records
		}

	def test_contact_of_a(self):
		self.check_user(USER_A)

	def test_portal_user_of_b(self):
		self.check_user(USER_B)

	def test_contact_of_both(self):
		self.check_user(USER_AB)

	def test_user_of_no_customer(self):
		self.check_user(USER_NONE)

	def test_the_probe_notices_leaks_and_misses(self):
		"""The probe itself: Administrator (who reads everything) shows up as leaking to USER_A,
		and a user of no customer as missing USER_A's records."""
		probe = Probe(self.world, USER_A)
		probe.lists()
		self.assertEqual(
			{leak[2] for leak in probe.leaks}, {r.name for r in self.world.records if not visible(USER_A, r)}
		)
		frappe.set_user(USER_NONE)
		probe = Probe(self.world, USER_A)
		probe.lists()
		self.assertEqual(
			{miss[2] for miss in probe.misses}, {r.name for r in self.world.records if visible(USER_A, r)}
		)

	def test_count_api_counts_own_records_only(self):
		"""/api/method/frappe.client.get_count takes any filter: another customer's records are
		not counted (else it answers "does B have a complaint about ...?")."""
		frappe.set_user(USER_A)
		for doctype in RECORD_DOCTYPES:
			own = sum(visible(USER_A, r) for r in self.world.records if r.doctype == doctype)
			for filters, expected in (({"customer": ["in", list(TAGS)]}, own), ({"customer": CUSTOMER_B}, 0)):
				count = api_call("frappe.client.get_count", doctype=doctype, filters=json.dumps(filters))
				self.assertEqual(count, expected, f"{doctype} {filters}")


# ----------------------------------------------------------------------------- internal fields


class TestInternalFieldsStayInternal(PortalTestCase):
	"""A customer reads neither the internal (permission level 1) fields nor the internal
	comments of their own records, whichever way they ask (docs/portal.md)."""

	def setUp(self):
		super().setUp()
		self.name = self.world.Alpha.complaint
		self.secret = internal_marker(CUSTOMER_A)
		self.comment = comment_marker(CUSTOMER_A)
		self.assertTrue(
			frappe.db.exists(
				"Version",
				{"ref_doctype": COMPLAINT, "docname": self.name, "data": ("like", f"%{self.secret}%")},
			),
			"the investigation is in the complaint's history",
		)
		frappe.set_user(USER_A)

	def test_rest_client_and_report_view_return_them_empty(self):
		from frappe.api.v1 import read_doc

		for door, doc in (
			("frappe.client.get", api_call("frappe.client.get", doctype=COMPLAINT, name=self.name)),
			("/api/resource", read_doc(COMPLAINT, self.name)),
		):
			self.assertEqual(doc.get("subject"), "Alpha network backup failure", door)
			for fieldname in ("root_cause", "root_cause_category", "complaint_owner", "customer_portfolio"):
				self.assertFalse(doc.get(fieldname), f"{door}: {fieldname}")
		fields = json.dumps(["name", "root_cause", "complaint_owner"])
		filters = json.dumps({"name": self.name})
		for cmd in ("frappe.client.get_list", "frappe.desk.reportview.get"):
			result = frappe.as_json(api_call(cmd, doctype=COMPLAINT, fields=fields, filters=filters))
			self.assertIn(self.name, result, cmd)
			self.assertAbsent(self.secret, result, cmd)
			self.assertAbsent(OWNER, result, cmd)

	def test_portal_page_shows_neither(self):
		status, html = render(f"complaints/{self.name}")
		self.assertEqual(status, 200)
		self.assertIn("Alpha network backup failure", html)
		self.assertAbsent(self.secret, html, "root cause on the page")
		self.assertAbsent(self.comment, html, "internal comment on the page")
		self.assertAbsent(OWNER, html, "complaint owner on the page")

	def printed(self, doctype: str, name: str, print_format: str | None) -> str:
		"""/printview?doctype=...&name=...&format=...: the HTML, as the print view and its PDF get it."""
		return api_call(
			"frappe.www.printview.get_html_and_style", doc=doctype, name=name, print_format=print_format
		)["html"]

	def test_print_view_shows_no_internal_field(self):
		for print_format in (None, "Standard", "Customer Complaint Report"):  # None: the default
			html = self.printed(COMPLAINT, self.name, print_format)
			self.assertIn("Alpha network backup failure", html, print_format)
			self.assertAbsent(self.secret, html, f"root cause printed with format {print_format}")
			self.assertAbsent(OWNER, html, f"complaint owner printed with format {print_format}")

	def test_compliment_print_shows_no_evaluation(self):
		name = self.record(COMPLIMENT, CUSTOMER_A).name
		notes = "INTERNAL-EVALUATION-Alpha"
		frappe.db.set_value(COMPLIMENT, name, {"evaluation": "Routine", "evaluation_notes": notes})
		for print_format in (None, "Standard", "Customer Compliment Report"):
			html = self.printed(COMPLIMENT, name, print_format)
			self.assertIn("Alpha thanks", html, print_format)
			self.assertAbsent(notes, html, f"evaluation notes printed with format {print_format}")

	def form_load(self) -> str:
		"""/api/method/frappe.desk.form.load.getdoc, which any logged-in user may call: the
		document and its form timeline (docinfo: comments, change history with values, ...)."""
		api_call("frappe.desk.form.load.getdoc", doctype=COMPLAINT, name=self.name)
		response = frappe.as_json(frappe.local.response)
		self.assertIn("Alpha network backup failure", response)
		return response

	def test_form_loader_returns_no_internal_comment(self):
		self.assertAbsent(self.comment, self.form_load(), "internal comment in getdoc's docinfo.comments")

	def test_form_loader_returns_no_internal_history(self):
		self.assertAbsent(self.secret, self.form_load(), "root cause in getdoc's docinfo.versions")


# ----------------------------------------------------------------------------- filing


class TestFiling(PortalTestCase):
	def call(self, user: str, method: str, **kwargs):
		frappe.set_user(user)
		try:
			return frappe.call(f"brm_app.api.portal.{method}", **kwargs)
		finally:
			frappe.set_user("Administrator")

	def test_complaint_naming_another_customer_is_refused_and_process_fields_ignored(self):
		b_before = frappe.db.count(COMPLAINT, {"customer": CUSTOMER_B})
		stranger = contact_of_user(USER_AB, CUSTOMER_B)
		with self.assertRaises(frappe.PermissionError):
			self.call(USER_A, "lodge_complaint", subject="S", description="D", customer=CUSTOMER_B)
		result = self.call(
			USER_A,
			"lodge_complaint",
			subject="Portal down again",
			description="Cannot log in since Monday",
			# fields the process owns: not parameters, ignored
			status="Closed",
			severity="Critical",
			complaint_owner="Administrator",
			contact=stranger,
			channel="Phone",
			received_on="2020-01-01 00:00:00",
			acknowledge_by="2030-01-01 00:00:00",
			workflow_state="Closed",
		)
		doc = frappe.get_doc(COMPLAINT, result["name"])
		self.assertEqual(doc.customer, CUSTOMER_A)
		self.assertEqual(doc.contact, contact_of_user(USER_A, CUSTOMER_A))
		self.assertEqual(doc.contact_email, USER_A)
		self.assertEqual(doc.channel, "Portal")
		self.assertEqual((doc.status, doc.workflow_state), ("Open", "Open"))
		self.assertEqual(doc.severity, "Medium")
		self.assertEqual(doc.complaint_owner, OWNER)
		self.assertLess(abs((get_datetime(doc.received_on) - now()).total_seconds()), 600)
		self.assertTrue(doc.acknowledge_by and doc.resolve_by)
		self.assertGreater(get_datetime(doc.acknowledge_by), get_datetime(doc.received_on))
		self.assertLess(get_datetime(doc.acknowledge_by), get_datetime("2030-01-01"))
		self.assertEqual(result["url"], f"/complaints/{doc.name}")
		self.assertEqual(frappe.db.count(COMPLAINT, {"customer": CUSTOMER_B}), b_before)

	def test_process_fields_are_not_parameters(self):
		frappe.set_user(USER_A)
		before = frappe.db.count(COMPLAINT)
		for extra in ({"status": "Closed"}, {"severity": "Critical"}, {"complaint_owner": OWNER}):
			with self.assertRaises(TypeError):
				api.lodge_complaint(subject="Down", description="Down", **extra)
		self.assertEqual(frappe.db.count(COMPLAINT), before)

	def test_user_of_both_files_for_the_customer_chosen(self):
		result = self.call(
			USER_AB, "lodge_complaint", subject="Bravo desk slow", description="Slow", customer=CUSTOMER_B
		)
		doc = frappe.get_doc(COMPLAINT, result["name"])
		self.assertEqual(doc.customer, CUSTOMER_B)
		self.assertEqual(doc.contact, contact_of_user(USER_AB, CUSTOMER_B))

	def test_portal_user_files_for_own_customer_without_contact(self):
		result = self.call(USER_B, "lodge_complaint", subject="Bravo outage", description="Outage")
		doc = frappe.get_doc(COMPLAINT, result["name"])
		self.assertEqual(doc.customer, CUSTOMER_B)
		self.assertFalse(doc.contact)
		self.assertEqual(doc.contact_email, USER_B)

	def test_service_of_own_portfolio_is_accepted(self):
		result = self.call(
			USER_A, "lodge_complaint", subject="Hosting down", description="Down", service=SERVICE_A
		)
		self.assertEqual(frappe.db.get_value(COMPLAINT, result["name"], "service"), SERVICE_A)

	def test_compliment_and_requirement_naming_another_customer(self):
		b_compliments = frappe.db.count(COMPLIMENT, {"customer": CUSTOMER_B})
		b_requirements = frappe.db.count(REQUIREMENT, {"customer": CUSTOMER_B})
		for method, values in (
			("give_compliment", {"subject": "S", "compliment": "C"}),
			("raise_requirement", {"title": "T", "desired_outcomes": "D"}),
		):
			with self.assertRaises(frappe.PermissionError):
				self.call(USER_A, method, customer=CUSTOMER_B, **values)
		result = self.call(
			USER_A,
			"give_compliment",
			subject="Great support",
			compliment="Thank you",
			status="Acknowledged",
			channel="Phone",
		)
		doc = frappe.get_doc(COMPLIMENT, result["name"])
		self.assertEqual((doc.customer, doc.channel, doc.status), (CUSTOMER_A, "Portal", "New"))
		self.assertEqual(doc.contact, contact_of_user(USER_A, CUSTOMER_A))

		result = self.call(
			USER_A,
			"raise_requirement",
			title="A dashboard",
			desired_outcomes="See my figures",
			status="Fulfilled",
			decision="Declined",
		)
		doc = frappe.get_doc(REQUIREMENT, result["name"])
		self.assertEqual((doc.customer, doc.status), (CUSTOMER_A, "New"))
		self.assertFalse(doc.decision)
		self.assertEqual(doc.raised_on and str(doc.raised_on), today())
		self.assertEqual(frappe.db.count(COMPLIMENT, {"customer": CUSTOMER_B}), b_compliments)
		self.assertEqual(frappe.db.count(REQUIREMENT, {"customer": CUSTOMER_B}), b_requirements)

	def test_uploads_are_private_files_of_the_new_complaint(self):
		frappe.set_user(USER_A)
		with posted((f"{FILE_PREFIX}screenshot.png", b"\x89PNG fake"), (f"{FILE_PREFIX}log.txt", b"log")):
			result = api.lodge_complaint(subject="Screens frozen", description="See attached")
		frappe.set_user("Administrator")
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": COMPLAINT, "attached_to_name": result["name"]},
			fields=["file_name", "is_private", "owner"],
			order_by="file_name asc",
		)
		self.assertEqual(
			[(f.file_name, f.is_private, f.owner) for f in files],
			[(f"{FILE_PREFIX}log.txt", 1, USER_A), (f"{FILE_PREFIX}screenshot.png", 1, USER_A)],
		)
		frappe.set_user(USER_A)
		status, html = render(f"complaints/{result['name']}")
		self.assertEqual(status, 200)
		self.assertIn(f"{FILE_PREFIX}screenshot.png", html)

	def test_guest_is_refused(self):
		frappe.set_user("Guest")
		before = frappe.db.count(COMPLAINT)
		with self.assertRaises(frappe.PermissionError):
			api.lodge_complaint(subject="Down", description="Down")
		self.assertEqual(frappe.db.count(COMPLAINT), before)
		status, _html = render("complaints")
		self.assertIn(status, (301, 302, 303, 307, 308))


# ----------------------------------------------------------------------------- responding


class TestResponding(PortalTestCase):
	def proposed(self, customer=CUSTOMER_A):
		return self.world[TAGS[customer]].proposed

	def close(self, name: str) -> None:
		apply_workflow(frappe.get_doc(COMPLAINT, name), "Accept Resolution")

	def notifications(self, name: str) -> list:
		return frappe.get_all(
			"Notification Log",
			filters={"document_type": COMPLAINT, "document_name": name, "for_user": OWNER, "type": "Alert"},
			pluck="subject",
			order_by="creation asc",
		)

	def test_accept_closes(self):
		frappe.set_user(USER_A)
		self.assertEqual(api.respond_to_resolution(self.proposed(), accepted="1"), "Closed")
		frappe.set_user("Administrator")
		doc = frappe.get_doc(COMPLAINT, self.proposed())
		self.assertEqual((doc.status, doc.workflow_state), ("Closed", "Closed"))
		self.assertTrue(doc.closed_on)

	def test_closed_page_shows_the_outcome_and_the_final_response(self):
		frappe.set_user(USER_A)
		api.respond_to_resolution(self.proposed(), accepted="1")
		status, html = render(f"complaints/{self.proposed()}")
		self.assertEqual(status, 200)
		self.assertIn("<b>Outcome:</b> Upheld", html)
		self.assertAbsent("Our final response was sent", html, "a final response not sent")
		frappe.set_user("Administrator")
		frappe.db.set_value(COMPLAINT, self.proposed(), "final_response_sent_on", now())
		frappe.set_user(USER_A)
		_status, html = render(f"complaints/{self.proposed()}")
		self.assertIn("Our final response was sent on", html)

	def test_reject_needs_a_reason_and_saves_nothing_without_it(self):
		name = self.proposed()
		modified = frappe.db.get_value(COMPLAINT, name, "modified")
		frappe.set_user(USER_A)
		for reason in (None, "", "   "):
			with self.assertRaises(frappe.ValidationError) as ctx:
				api.respond_to_resolution(name, accepted=0, reason=reason)
			self.assertIn("reason", str(ctx.exception).lower())
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value(COMPLAINT, name, ["status", "modified"]), ("Resolution Proposed", modified)
		)
		self.assertEqual(self.notifications(name), [])

	def test_reject_with_reason_reopens_and_tells_the_owner(self):
		name = self.proposed()
		frappe.set_user(USER_A)
		self.assertEqual(
			api.respond_to_resolution(name, accepted="0", reason="The credit note is too small"),
			"Investigating",
		)
		frappe.set_user("Administrator")
		doc = frappe.get_doc(COMPLAINT, name)
		self.assertEqual((doc.status, doc.workflow_state), ("Investigating", "Under Investigation"))
		self.assertEqual(doc.customer_rejection_reason, "The credit note is too small")
		self.assertEqual(doc.reopen_count, 1)
		notes = self.notifications(name)
		self.assertEqual(len(notes), 1)
		self.assertIn("rejected the proposed resolution", notes[0])

	def test_appeal_within_the_period_reopens(self):
		name = self.proposed()
		self.close(name)
		communications = frappe.db.count("Communication", {"reference_name": name})
		frappe.set_user(USER_A)
		result = api.reply_to_complaint(name, "The problem is back")
		frappe.set_user("Administrator")
		self.assertEqual(result, {"appeal": True, "status": "Investigating"})
		doc = frappe.get_doc(COMPLAINT, name)
		self.assertEqual((doc.status, doc.workflow_state), ("Investigating", "Under Investigation"))
		self.assertEqual(doc.reopen_count, 1)
		self.assertFalse(doc.closed_on)
		self.assertEqual(frappe.db.count("Communication", {"reference_name": name}), communications + 1)
		self.assertTrue(any("appealed" in s for s in self.notifications(name)))

	def test_reply_after_the_appeal_period_is_refused(self):
		name = self.proposed()
		self.close(name)
		frappe.db.set_value(COMPLAINT, name, "closed_on", now() - timedelta(days=31), update_modified=False)
		communications = frappe.db.count("Communication", {"reference_name": name})
		frappe.set_user(USER_A)
		with self.assertRaises(frappe.ValidationError) as ctx:
			api.reply_to_complaint(name, "The problem is back")
		self.assertIn("can no longer be appealed", str(ctx.exception))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(COMPLAINT, name, "status"), "Closed")
		self.assertEqual(frappe.db.count("Communication", {"reference_name": name}), communications)

	def test_appeal_period_follows_settings(self):
		name = self.proposed()
		self.close(name)
		frappe.db.set_value(COMPLAINT, name, "closed_on", now() - timedelta(days=31), update_modified=False)
		frappe.db.set_single_value("BRM Settings", "appeal_period_days", 40)
		clear_settings_cache()
		self.addCleanup(clear_settings_cache)  # runs after tearDown's rollback
		frappe.set_user(USER_A)
		self.assertTrue(api.reply_to_complaint(name, "Still broken")["appeal"])

	def test_reply_to_rejected_complaint_is_refused(self):
		doc = make_complaint(CUSTOMER_A, subject="Not really a complaint")
		doc.rejection_reason = "A change request"
		doc.save()
		doc = apply_workflow(doc, "Reject as Not a Complaint")
		frappe.set_user(USER_A)
		with self.assertRaises(frappe.ValidationError) as ctx:
			api.reply_to_complaint(doc.name, "Please reconsider")
		self.assertIn("lodge a new complaint", str(ctx.exception))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(COMPLAINT, doc.name, "status"), "Rejected")
		self.assertEqual(frappe.db.count("Communication", {"reference_name": doc.name}), 0)

	def test_reply_is_a_received_communication_and_tells_the_owner(self):
		name = self.world.Alpha.complaint
		frappe.set_user(USER_A)
		result = api.reply_to_complaint(name, "Any news?\nWe are still down.")
		frappe.set_user("Administrator")
		self.assertEqual(result, {"appeal": False, "status": "Open"})
		received = frappe.get_all(
			"Communication",
			filters={"reference_doctype": COMPLAINT, "reference_name": name, "sent_or_received": "Received"},
			fields=["sender", "content", "communication_type"],
		)
		self.assertEqual(len(received), 1)
		self.assertEqual((received[0].sender, received[0].communication_type), (USER_A, "Communication"))
		self.assertIn("We are still down.", received[0].content)
		notes = self.notifications(name)
		self.assertEqual(len(notes), 1)
		self.assertIn("replied on complaint", notes[0])

	def test_cannot_respond_to_another_customers_complaint(self):
		name = self.proposed(CUSTOMER_A)
		modified = frappe.db.get_value(COMPLAINT, name, "modified")
		frappe.set_user(USER_B)
		with self.assertRaises(frappe.DoesNotExistError):
			api.respond_to_resolution(name, accepted=1)
		with self.assertRaises(frappe.DoesNotExistError):
			api.respond_to_resolution(name, accepted=0, reason="No")
		with self.assertRaises(frappe.DoesNotExistError):
			api.reply_to_complaint(name, "Hello")
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value(COMPLAINT, name, ["status", "modified"]), ("Resolution Proposed", modified)
		)
		self.assertEqual(self.notifications(name), [])

	def test_contact_of_both_can_respond_for_either(self):
		frappe.set_user(USER_AB)
		self.assertEqual(api.respond_to_resolution(self.proposed(CUSTOMER_B), accepted=True), "Closed")

	def test_nothing_to_respond_to(self):
		frappe.set_user(USER_A)
		with self.assertRaises(frappe.ValidationError) as ctx:
			api.respond_to_resolution(self.world.Alpha.complaint, accepted=1)
		self.assertIn("no proposed resolution", str(ctx.exception))


# ----------------------------------------------------------------------------- a question to answer

QUESTION = "Which of your sites lost the backup?"
ANSWER = "Leeds and York, both since Monday."
ANSWER_METHOD = "brm_app.api.portal.answer_complaint_question"


class TestAnsweringAQuestion(PortalTestCase):
	"""Staff ask the customer something (Waiting for Customer); the customer answers on the
	portal, through the HTTP method as a browser calls it."""

	def waiting(self, customer=CUSTOMER_A) -> str:
		frappe.set_user("Administrator")
		doc = make_complaint(customer, subject=f"{TAGS[customer]} backup gaps")
		doc = apply_workflow(doc, "Acknowledge")
		doc.waiting_question = QUESTION
		doc.save()
		doc = apply_workflow(doc, "Ask the Customer")
		self.assertEqual(doc.status, "Waiting for Customer")
		return doc.name

	def state(self, name: str) -> tuple:
		"""What an answer would change: status, workflow state, the pause, messages, the
		owner's notifications, modified."""
		doc = frappe.get_doc(COMPLAINT, name)
		pause = doc.pauses[-1]
		return (
			doc.status,
			doc.workflow_state,
			doc.modified,
			(pause.answer, pause.resumed_on, pause.resumed_by),
			frappe.db.count("Communication", {"reference_doctype": COMPLAINT, "reference_name": name}),
			frappe.db.count("Notification Log", {"document_type": COMPLAINT, "document_name": name}),
		)

	def answer_as(self, user: str, name: str, answer, http: str = "POST"):
		frappe.set_user(user)
		try:
			return api_call(ANSWER_METHOD, http, name=name, answer=answer)
		finally:
			frappe.local.message_log = []
			frappe.set_user("Administrator")

	def test_page_shows_the_question_and_the_form(self):
		name = self.waiting()
		frappe.set_user(USER_A)
		status, html = render(f"complaints/{name}")
		self.assertEqual(status, 200)
		self.assertIn(QUESTION, html)
		self.assertIn('id="brm-question-form"', html)
		self.assertIn('<label class="control-label" for="brm-question-answer">', html)
		self.assertIn('<span class="brm-badge action">Waiting for your answer</span>', html)

	def test_another_customers_user_cannot_answer(self):
		name = self.waiting(CUSTOMER_A)
		before = self.state(name)
		for user in (USER_B, USER_NONE):
			for answer in (ANSWER, "<script>alert(1)</script>"):
				with self.assertRaises(frappe.DoesNotExistError):
					self.answer_as(user, name, answer)
		self.assertEqual(self.state(name), before)
		self.assertIsNone(self.state(name)[3][0])
		frappe.set_user(USER_B)
		status, html = render(f"complaints/{name}")
		self.assertEqual(status, 404)
		self.assertAbsent(QUESTION, html, "another customer's question on the page")

	def test_a_get_is_refused(self):
		name = self.waiting()
		before = self.state(name)
		with self.assertRaises(frappe.PermissionError):
			self.answer_as(USER_A, name, ANSWER, http="GET")
		self.assertEqual(self.state(name), before)

	def test_an_empty_answer_is_refused(self):
		name = self.waiting()
		before = self.state(name)
		for answer in (None, "", "   ", "\n\t"):
			with self.assertRaises(frappe.ValidationError) as ctx:
				self.answer_as(USER_A, name, answer)
			self.assertIn("write your answer", str(ctx.exception))
		self.assertEqual(self.state(name), before)

	def test_no_answer_when_nothing_was_asked(self):
		for name in (self.world.Alpha.complaint, self.world.Alpha.proposed):
			status = frappe.db.get_value(COMPLAINT, name, "status")
			communications = frappe.db.count("Communication", {"reference_name": name})
			with self.assertRaises(frappe.ValidationError) as ctx:
				self.answer_as(USER_A, name, ANSWER)
			self.assertIn("not waiting for an answer", str(ctx.exception))
			self.assertEqual(frappe.db.get_value(COMPLAINT, name, "status"), status)
			self.assertEqual(frappe.db.count("Communication", {"reference_name": name}), communications)

	def test_the_answer_resumes_the_investigation(self):
		name = self.waiting()
		self.assertEqual(self.answer_as(USER_A, name, ANSWER), "Investigating")
		doc = frappe.get_doc(COMPLAINT, name)
		self.assertEqual((doc.status, doc.workflow_state), ("Investigating", "Under Investigation"))
		self.assertEqual(len(doc.pauses), 1)
		pause = doc.pauses[0]
		self.assertEqual((pause.question, pause.answer, pause.resumed_by), (QUESTION, ANSWER, "Customer"))
		self.assertTrue(pause.resumed_on)
		self.assertFalse(doc.clock_paused)
		received = frappe.get_all(
			"Communication",
			filters={"reference_doctype": COMPLAINT, "reference_name": name, "sent_or_received": "Received"},
			fields=["sender", "content"],
		)
		self.assertEqual(len(received), 1)
		self.assertEqual(received[0].sender, USER_A)
		self.assertIn(f"My answer to your question: {ANSWER}", received[0].content)
		notes = frappe.get_all(
			"Notification Log",
			filters={"document_type": COMPLAINT, "document_name": name, "for_user": OWNER},
			pluck="subject",
		)
		self.assertTrue(any("answered the question" in s for s in notes), notes)
		# answered once: a second answer is refused, and the page no longer asks
		with self.assertRaises(frappe.ValidationError):
			self.answer_as(USER_A, name, "Once more")
		frappe.set_user(USER_A)
		status, html = render(f"complaints/{name}")
		self.assertEqual(status, 200)
		self.assertAbsent('id="brm-question-form"', html, "the answered question's form")
		self.assertIn(ANSWER, html)
		self.assertIn("Being investigated", html)


# ----------------------------------------------------------------------------- messages


class TestMessages(PortalTestCase):
	def test_page_shows_communications_never_comments(self):
		name = self.world.Alpha.complaint
		doc = frappe.get_doc(COMPLAINT, name)
		doc.add_comment("Comment", "Internal: customer is difficult, offer nothing")
		doc.add_comment("Info", "Internal info comment")
		frappe.set_user(USER_A)
		api.reply_to_complaint(name, "Customer reply visible")
		status, html = render(f"complaints/{name}")
		self.assertEqual(status, 200)
		self.assertIn("Staff message to Alpha", html)
		self.assertIn("Customer reply visible", html)
		self.assertAbsent("customer is difficult", html, "internal comment on the page")
		self.assertAbsent("Internal info comment", html, "info comment on the page")
		self.assertAbsent(comment_marker(CUSTOMER_A), html, "internal comment on the page")

	def test_staff_working_files_not_listed(self):
		frappe.set_user(USER_A)
		status, html = render(f"complaints/{self.world.Alpha.complaint}")
		self.assertEqual(status, 200)
		self.assertIn(f"{FILE_PREFIX}Alpha-evidence.txt", html)
		self.assertAbsent(f"{FILE_PREFIX}Alpha-staff-notes.txt", html, "staff's file on the page")
