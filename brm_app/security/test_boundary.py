"""The customer boundary, tried as an attacker would: over HTTP, as a customer's website user,
through the generic doors Frappe and ERPNext open to every logged-in user (issue 22,
docs/security.md).

Three kinds of website user: a contact of customer A (a Contact staff linked), a portal user
of customer B (the Customer's Portal Users table), and a user of no customer. The records
are committed (the site's web server runs in another process) and removed afterwards; the
tests need the site served at its own URL, as ``.ci/run`` does while the suite runs.
"""

import json
import re
import unittest

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import update_password

from brm_app.customers import get_customers_for_user
from brm_app.demo.records import make_customer, make_portal_user, make_user
from brm_app.security.doctypes import SATELLITES, brm_child_doctypes, brm_doctypes
from brm_app.security.gate import PORTAL_METHODS
from brm_app.tests.battery.http import Client, message_of
from brm_app.tests.utils import make_outgoing_email_account

PASSWORD = "Boundary-Test-4821!"
SCRIPT = '["<img src=x onerror=alert(1)>"]'
COMPLAINT = "Complaint"
#: An element that would run script (not the same text shown escaped).
TAG_WITH_SCRIPT = re.compile(r"<[a-z][^>]*\bonerror\s*=", re.IGNORECASE)


def site_answers(url: str) -> bool:
	try:
		status, _ = Client(url, timeout=5).call("GET", "/api/method/ping")
	except OSError:
		return False
	return status == 200


class Session(Client):
	"""A logged-in browser: cookies, and the CSRF token of the last page it rendered."""

	csrf: str | None = None

	def request(self, method, path, body=None, accept="text/html", as_json=False):
		status, content = self._send(method, path, body, accept, as_json)
		token = re.search(rb'csrf_token\s*=\s*"([0-9a-f]+)"', content or b"")
		if token:
			self.csrf = token.group(1).decode()
		return status, content

	def _send(self, method, path, body, accept, as_json):
		import http.client
		from http.cookies import SimpleCookie
		from urllib.parse import quote, urlencode

		conn = http.client.HTTPConnection(self.netloc, timeout=self.timeout)
		headers = {"Host": self.host, "Accept": accept, "Connection": "close"}
		if self.cookies:
			headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
		if self.csrf and method != "GET":
			headers["X-Frappe-CSRF-Token"] = self.csrf
		data = None
		if body is not None and method != "GET":
			if as_json:
				data = json.dumps(body).encode()
				headers["Content-Type"] = "application/json"
			else:
				data = urlencode(body).encode()
				headers["Content-Type"] = "application/x-www-form-urlencoded"
		elif body:
			path = f"{path}?{urlencode(body, quote_via=quote)}"
		try:
			conn.request(method, quote(path, safe="/?=&%:"), body=data, headers=headers)
			response = conn.getresponse()
			content = response.read()
			for header in response.headers.get_all("Set-Cookie") or []:
				cookie = SimpleCookie()
				cookie.load(header)
				for key, morsel in cookie.items():
					self.cookies[key] = morsel.value
			return response.status, content
		finally:
			conn.close()

	def method(self, cmd: str, http: str = "POST", **params) -> tuple[int, str]:
		body = {k: (json.dumps(v) if isinstance(v, dict | list) else v) for k, v in params.items()}
		return self.call(http, f"/api/method/{cmd}", body)


class BoundaryTestCase(FrappeTestCase):
	"""Two customers with records of every kind the boundary protects, committed."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.url = frappe.utils.get_url()
		if not site_answers(cls.url):
			raise unittest.SkipTest(
				f"{cls.url} does not answer: serve the site (as .ci/run does) to run these."
			)
		frappe.set_user("Administrator")
		frappe.flags.mute_emails = True
		make_outgoing_email_account()
		suffix = frappe.generate_hash(length=6)
		cls.suffix = suffix
		cls.started = frappe.utils.now_datetime()
		w = cls.w = frappe._dict(suffix=suffix, made=[])
		w.staff = make_user(f"boundary-staff-{suffix}@example.com", ["Business Relationship Manager"])
		w.colleague = make_user(f"boundary-colleague-{suffix}@example.com", ["BRM User"])
		w.customer_a = make_customer(f"Boundary A {suffix}")
		w.customer_b = make_customer(f"Boundary B {suffix}")
		w.user_a = make_portal_user(f"boundary-a-{suffix}@example.com", [w.customer_a], password=PASSWORD)
		w.user_b = make_portal_user(
			f"boundary-b-{suffix}@example.com", [w.customer_b], via="portal_user", password=PASSWORD
		)
		w.user_none = make_user(f"boundary-none-{suffix}@example.com", ["Customer"], user_type="Website User")
		update_password(w.user_none, PASSWORD)
		for user in (w.staff, w.colleague):
			update_password(user, PASSWORD)
		w.complaints = {}
		for customer, user in ((w.customer_a, w.user_a), (w.customer_b, w.user_b)):
			tag = customer.split()[1]
			doc = frappe.get_doc(
				{
					"doctype": COMPLAINT,
					"customer": customer,
					"subject": f"Complaint {tag} {suffix}",
					"description": f"<p>Outage at {tag}</p>",
					"complaint_owner": w.staff,
				}
			).insert()
			doc.add_comment("Comment", f"INTERNAL-COMMENT-{tag}-{suffix}")
			cls.mail(doc, sent=True, sender=w.staff, to=w.colleague, marker=f"STAFF-ONLY-{tag}-{suffix}")
			cls.mail(doc, sent=True, sender=w.staff, to=user, marker=f"TO-CUSTOMER-{tag}-{suffix}")
			cls.mail(doc, sent=False, sender=user, to=w.staff, marker=f"FROM-CUSTOMER-{tag}-{suffix}")
			staff_file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"staff-notes-{tag}-{suffix}.txt",
					"attached_to_doctype": COMPLAINT,
					"attached_to_name": doc.name,
					"is_private": 1,
					"content": f"STAFF NOTES {tag}".encode(),
				}
			).insert()
			frappe.set_user(user)
			customer_file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"customer-photo-{tag}-{suffix}.txt",
					"attached_to_doctype": COMPLAINT,
					"attached_to_name": doc.name,
					"is_private": 1,
					"content": f"CUSTOMER PHOTO {tag}".encode(),
				}
			).insert(ignore_permissions=True)
			frappe.set_user("Administrator")
			w.complaints[customer] = frappe._dict(
				name=doc.name, staff_file=staff_file.file_url, customer_file=customer_file.file_url
			)
		frappe.db.commit()  # nosemgrep: the web server reads these from another process

	@classmethod
	def mail(cls, doc, sent: bool, sender: str, to: str, marker: str) -> None:
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent" if sent else "Received",
				"subject": f"Re: {doc.subject}",
				"content": f"<p>{marker}</p>",
				"sender": sender,
				"recipients": to,
				"reference_doctype": doc.doctype,
				"reference_name": doc.name,
			}
		).insert(ignore_permissions=True)

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		w = cls.w
		users = [w.staff, w.colleague, w.user_a, w.user_b, w.user_none]
		names = frappe.get_all(
			COMPLAINT, filters={"customer": ("in", [w.customer_a, w.customer_b])}, pluck="name"
		)
		names += frappe.get_all(COMPLAINT, filters={"raised_by": ("in", users)}, pluck="name")
		for name in names:
			for doctype, field in (("Communication", "reference_name"), ("Comment", "reference_name")):
				frappe.db.delete(doctype, {field: name})
			for file in frappe.get_all("File", filters={"attached_to_name": name}, pluck="name"):
				frappe.delete_doc("File", file, force=True, ignore_permissions=True)
			frappe.db.delete("ToDo", {"reference_name": name})
			frappe.delete_doc(COMPLAINT, name, force=True, ignore_permissions=True)
		for contact in frappe.get_all("Contact", filters={"user": ("in", users)}, pluck="name"):
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		for contact in frappe.get_all("Contact", filters={"owner": ("in", users)}, pluck="name"):
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		for customer in (w.customer_a, w.customer_b):
			frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True)
		for user in users:
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		# no trace of these records is left (a later test may reuse a complaint's number)
		frappe.db.delete(
			"Deleted Document",
			{
				"creation": (">=", cls.started),
				"deleted_doctype": ("in", [COMPLAINT, "Contact", "Customer", "User", "File"]),
			},
		)
		frappe.db.commit()  # nosemgrep: removes what setUpClass committed
		super().tearDownClass()

	def login(self, user: str) -> Session:
		session = Session(self.url)
		session.login(user, PASSWORD)
		return session

	def website_users(self):
		"""(user, own customer or None, the other customer) for each kind of website user."""
		w = self.w
		return (
			(w.user_a, w.customer_a, w.customer_b),
			(w.user_b, w.customer_b, w.customer_a),
			(w.user_none, None, w.customer_a),
		)

	def assertRefused(self, status: int, text: str, what: str) -> None:
		self.assertIn(status, (403, 404, 417), f"{what}: HTTP {status} {text[:300]}")


class TestMembership(BoundaryTestCase):
	def test_a_website_user_cannot_join_another_customer_through_a_contact(self):
		w = self.w
		for user, own, other in self.website_users():
			session = self.login(user)
			status, text = session.call(
				"JSON",
				"/api/resource/Contact",
				{
					"first_name": "Mallory",
					"email_ids": [{"email_id": user, "is_primary": 1}],
					"user": user,
					"links": [{"link_doctype": "Customer", "link_name": other}],
				},
			)
			self.assertRefused(status, text, f"{user}: Contact linked to {other}")
			self.assertIn("cannot link", message_of(text))
			# its own contact, made without links, then edited to add one
			status, text = session.call(
				"JSON", "/api/resource/Contact", {"first_name": "Mallory", "user": user}
			)
			self.assertEqual(status, 200, text[:300])
			contact = json.loads(text)["data"]["name"]
			status, content = session.request(
				"PUT",
				f"/api/resource/Contact/{contact}",
				{"links": [{"link_doctype": "Customer", "link_name": other}]},
				accept="application/json",
				as_json=True,
			)
			text = content.decode()
			self.assertRefused(status, text, f"{user}: links added to own Contact")
			frappe.db.rollback()
			self.assertEqual(get_customers_for_user(user), [own] if own else [])
			status, page = session.call("GET", "/complaints")
			self.assertNotIn(w.complaints[other].name, page)

	def test_links_a_website_user_made_before_the_fix_make_no_member(self):
		"""A Contact a website user owns, linked to a customer (as an attack before this fix left
		it), makes them no member of it, nor routes that address's e-mails to it."""
		from brm_app.customers import contacts_of_email

		w = self.w
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Legacy",
				"email_ids": [{"email_id": w.user_none, "is_primary": 1}],
				"user": w.user_none,
				"links": [{"link_doctype": "Customer", "link_name": w.customer_a}],
			}
		)
		contact.flags.ignore_permissions = True
		contact.insert()
		frappe.db.set_value("Contact", contact.name, "owner", w.user_none)
		try:
			self.assertEqual(get_customers_for_user(w.user_none), [])
			self.assertNotIn(w.customer_a, contacts_of_email(w.user_none))
			# the same Contact made by staff does make them a member
			frappe.db.set_value("Contact", contact.name, "owner", w.staff)
			self.assertEqual(get_customers_for_user(w.user_none), [w.customer_a])
		finally:
			frappe.db.rollback()


class TestGenericDoors(BoundaryTestCase):
	def test_child_tables_answer_nothing(self):
		"""Every brm_app child DocType, enumerated from the app's files, through every door that
		reads child rows."""
		parents = {
			child: parent
			for parent in brm_doctypes()
			for child in [df.options for df in frappe.get_meta(parent).get_table_fields()]
		}
		self.assertTrue(brm_child_doctypes())
		for user, _own, _other in self.website_users():
			session = self.login(user)
			for child in sorted(brm_child_doctypes()):
				parent = parents.get(child, COMPLAINT)
				for what, (status, text) in (
					(
						"REST ?parent=",
						session.call("GET", f"/api/resource/{child}", {"parent": parent, "fields": '["*"]'}),
					),
					(
						"client.get_list",
						session.method("frappe.client.get_list", doctype=child, parent=parent, fields=["*"]),
					),
					(
						"reportview child field",
						session.method(
							"frappe.desk.reportview.get",
							doctype=parent,
							fields=[f"`tab{child}`.`name`", f"`tab{parent}`.`name`"],
						),
					),
				):
					self.assertRefused(status, text, f"{user}: {child} through {what}")

	def test_the_internal_timeline_is_not_read(self):
		w = self.w
		for user, own, _other in self.website_users()[:2]:
			session = self.login(user)
			name = w.complaints[own].name
			tag = own.split()[1]
			for what, (status, text) in (
				(
					"cmd through a file path",
					session.call(
						"GET",
						"/private/files/nothing.txt",
						{
							"cmd": "frappe.desk.form.load.get_communications",
							"doctype": COMPLAINT,
							"name": name,
						},
					),
				),
				(
					"get_communications",
					session.method(
						"frappe.desk.form.load.get_communications", "GET", doctype=COMPLAINT, name=name
					),
				),
				(
					"getdoc",
					session.method("frappe.desk.form.load.getdoc", "GET", doctype=COMPLAINT, name=name),
				),
				(
					"get_docinfo",
					session.method("frappe.desk.form.load.get_docinfo", "GET", doctype=COMPLAINT, name=name),
				),
				(
					"_comments",
					session.method(
						"frappe.client.get_list",
						"GET",
						doctype=COMPLAINT,
						fields=["name", "_comments", "_assign"],
					),
				),
				("REST document", session.call("GET", f"/api/resource/{COMPLAINT}/{name}")),
				("REST v2 document", session.call("GET", f"/api/v2/document/{COMPLAINT}/{name}")),
				(
					"Communication list",
					session.call(
						"GET",
						"/api/resource/Communication",
						{"filters": json.dumps({"reference_name": name}), "fields": '["content"]'},
					),
				),
			):
				self.assertNotIn(f"STAFF-ONLY-{tag}", text, f"{user}: {what}")
				self.assertNotIn(f"INTERNAL-COMMENT-{tag}", text, f"{user}: {what}")
				if what != "Communication list":
					self.assertRefused(status, text, f"{user}: {what}")
			# the portal shows what was said with the customer, nothing among staff
			status, page = session.call("GET", f"/complaints/{name}")
			self.assertEqual(status, 200)
			self.assertIn(f"TO-CUSTOMER-{tag}", page)
			self.assertIn(f"FROM-CUSTOMER-{tag}", page)
			self.assertNotIn(f"STAFF-ONLY-{tag}", page)
			self.assertNotIn(f"INTERNAL-COMMENT-{tag}", page)

	def test_a_website_user_cannot_write_to_the_internal_timeline(self):
		w = self.w
		session = self.login(w.user_a)
		name = w.complaints[w.customer_a].name
		comments = frappe.db.count("Comment", {"reference_name": name})
		todos = frappe.db.count("ToDo", {"reference_name": name})
		communication = frappe.db.get_value("Communication", {"reference_name": name}, "name")
		for what, (status, text) in (
			(
				"add_comment",
				session.method(
					"frappe.desk.form.utils.add_comment",
					reference_doctype=COMPLAINT,
					reference_name=name,
					content="I am staff",
					comment_email=w.staff,
					comment_by="Staff Member",
				),
			),
			(
				"assign_to.add",
				session.method(
					"frappe.desk.form.assign_to.add", doctype=COMPLAINT, name=name, assign_to=[w.staff]
				),
			),
			(
				"share",
				session.method("frappe.share.add", doctype=COMPLAINT, name=name, user=w.user_b, read=1),
			),
			(
				"follow",
				session.method(
					"frappe.desk.form.document_follow.follow_document",
					doctype=COMPLAINT,
					doc_name=name,
					following=1,
				),
			),
			("tag", session.method("frappe.desk.doctype.tag.tag.add_tag", tag="x", dt=COMPLAINT, dn=name)),
			(
				"delete communication",
				session.call("DELETE", f"/api/resource/Communication/{communication}"),
			),
			(
				"run_doc_method",
				session.method(
					"run_doc_method",
					dt=COMPLAINT,
					dn=name,
					method="escalate_manually",
					args=json.dumps({"reason": "x"}),
				),
			),
		):
			self.assertRefused(status, text, what)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Comment", {"reference_name": name}), comments)
		self.assertEqual(frappe.db.count("ToDo", {"reference_name": name}), todos)
		self.assertTrue(frappe.db.exists("Communication", communication))
		self.assertFalse(frappe.db.exists("DocShare", {"share_doctype": COMPLAINT, "share_name": name}))

	def test_counts_tell_nothing(self):
		for user, _own, other in self.website_users():
			session = self.login(user)
			for what, (status, text) in (
				(
					"client.get_count",
					session.method(
						"frappe.client.get_count", "GET", doctype=COMPLAINT, filters={"customer": other}
					),
				),
				(
					"reportview.get_count",
					session.method(
						"frappe.desk.reportview.get_count", doctype=COMPLAINT, filters={"customer": other}
					),
				),
				(
					"get_group_by_count",
					session.method(
						"frappe.desk.listview.get_group_by_count",
						doctype=COMPLAINT,
						current_filters={},
						field="customer",
					),
				),
				(
					"sidebar stats",
					session.method(
						"frappe.desk.reportview.get_sidebar_stats", stats=["customer"], doctype=COMPLAINT
					),
				),
				("v2 count", session.call("GET", f"/api/v2/doctype/{COMPLAINT}/count")),
			):
				self.assertRefused(status, text, f"{user}: {what}")
				self.assertNotIn(other, text)

	def test_print_views_and_search_show_nothing(self):
		w = self.w
		session = self.login(w.user_a)
		name = w.complaints[w.customer_a].name
		other = w.complaints[w.customer_b].name
		for what, (status, text) in (
			(
				"get_html_and_style",
				session.method("frappe.www.printview.get_html_and_style", doc=COMPLAINT, name=name),
			),
			(
				"download_multi_pdf",
				session.method(
					"frappe.utils.print_format.download_multi_pdf",
					"GET",
					doctype={COMPLAINT: [name]},
					name="x",
				),
			),
			(
				"dashboard chart",
				session.method(
					"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
					chart_name="Complaints by Month",
					filters=[["Complaint", "root_cause", "like", "%"]],
				),
			),
			("printview", session.call("GET", "/printview", {"doctype": COMPLAINT, "name": name})),
			(
				"download_pdf",
				session.method("frappe.utils.print_format.download_pdf", "GET", doctype=COMPLAINT, name=name),
			),
			(
				"search_link",
				session.method("frappe.desk.search.search_link", "GET", doctype=COMPLAINT, txt="Boundary"),
			),
		):
			self.assertRefused(status, text, what)
		status, text = session.method("frappe.utils.global_search.search", "GET", text=self.suffix)
		self.assertRefused(status, text, "global search")
		self.assertNotIn(other, text, "global search")

	def test_satellites_of_other_customers_records_are_not_listed(self):
		w = self.w
		session = self.login(w.user_a)
		other = w.complaints[w.customer_b].name
		for doctype in SATELLITES:
			_status, text = session.call("GET", f"/api/resource/{doctype}", {"fields": '["*"]', "limit": 500})
			self.assertNotIn(other, text, doctype)

	def test_brm_app_methods_a_page_does_not_use_are_refused(self):
		"""Deny by default: every whitelisted brm_app method that is not a portal method."""
		from brm_app.security.review import whitelisted_methods

		session = self.login(self.w.user_a)
		ours = [m for m in whitelisted_methods() if m.startswith("brm_app.")]
		self.assertTrue(ours)
		for method in ours:
			if method in PORTAL_METHODS:
				continue
			status, text = session.method(method)
			self.assertRefused(status, text, method)


class TestFilesAndScript(BoundaryTestCase):
	def test_staff_files_are_not_served_to_the_customer(self):
		w = self.w
		session = self.login(w.user_a)
		own = w.complaints[w.customer_a]
		status, text = session.call("GET", own.staff_file)
		self.assertRefused(status, text, "staff file by URL")
		self.assertNotIn("STAFF NOTES", text)
		status, text = session.call("GET", own.customer_file)
		self.assertEqual(status, 200, "the customer's own file")
		self.assertIn("CUSTOMER PHOTO", text)
		status, text = session.call("GET", w.complaints[w.customer_b].customer_file)
		self.assertRefused(status, text, "another customer's file")

	def test_staff_files_by_any_door(self):
		"""download_file, zip_files, and a File record of one's own pointing at another's file."""
		w = self.w
		session = self.login(w.user_a)
		own, other = w.complaints[w.customer_a], w.complaints[w.customer_b]
		for what, (status, text) in (
			(
				"download_file",
				session.method("frappe.handler.download_file", "GET", file_url=own.staff_file),
			),
			(
				"download_file, another's",
				session.method("frappe.handler.download_file", "GET", file_url=other.customer_file),
			),
			(
				"zip_files",
				session.method("frappe.core.api.file.zip_files", files=[own.staff_file]),
			),
			(
				"a copy of another's file",
				session.method(
					"frappe.client.insert",
					doc={"doctype": "File", "file_url": other.customer_file, "is_private": 1},
				),
			),
			(
				"a copy of a staff file",
				session.method(
					"frappe.client.insert",
					doc={"doctype": "File", "file_url": own.staff_file, "is_private": 1},
				),
			),
		):
			self.assertRefused(status, text, what)
			self.assertNotIn("STAFF NOTES", text, what)
			self.assertNotIn("CUSTOMER PHOTO B", text, what)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("File", {"owner": w.user_a, "file_url": other.customer_file}))

	def test_json_looking_script_is_not_stored(self):
		w = self.w
		session = self.login(w.user_a)
		session.call("GET", "/complaints/new")
		status, text = session.method(
			"brm_app.api.portal.lodge_complaint",
			subject=SCRIPT,
			description=SCRIPT,
			remedy_sought=SCRIPT,
		)
		self.assertEqual(status, 200, text[:500])
		name = json.loads(text)["message"]["name"]
		frappe.db.rollback()
		stored = frappe.db.get_value(
			COMPLAINT, name, ["subject", "description", "remedy_sought"], as_dict=True
		)
		for field, value in stored.items():
			self.assertIsNone(TAG_WITH_SCRIPT.search(value or ""), f"{field}: {value}")
		status, page = session.call("GET", f"/complaints/{name}")
		self.assertIsNone(TAG_WITH_SCRIPT.search(page), "the portal page")


class TestStaffDoors(BoundaryTestCase):
	def test_a_brm_who_is_not_system_manager_cannot_switch_retention_to_delete(self):
		session = self.login(self.w.staff)
		settings = frappe.get_single("BRM Settings")
		before = [(r.record_type, r.action) for r in settings.retention_rules]
		rules = [
			{
				"record_type": r.record_type,
				"keep_for": r.keep_for,
				"unit": r.unit,
				"action": "Delete",
				"enabled": 1,
			}
			for r in settings.retention_rules
		]
		status, content = session.request(
			"PUT",
			"/api/resource/BRM Settings/BRM Settings",
			{"retention_rules": rules},
			accept="application/json",
			as_json=True,
		)
		self.assertRefused(status, content.decode(), "retention rules by a BRM")
		frappe.db.rollback()
		after = [(r.record_type, r.action) for r in frappe.get_single("BRM Settings").retention_rules]
		self.assertEqual(after, before)

	def test_state_changing_methods_take_post_only(self):
		from brm_app import demo
		from brm_app.brm_app.doctype.complaint.complaint import Complaint
		from brm_app.brm_app.doctype.compliment.compliment import Compliment
		from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import CustomerPortfolio
		from brm_app.brm_app.doctype.satisfaction_survey.satisfaction_survey import SatisfactionSurvey
		from brm_app.brm_app.doctype.service_performance_review.service_performance_review import (
			ServicePerformanceReview,
		)

		methods = [
			Complaint.escalate_manually,
			Complaint.respond_to_resolution,
			Complaint.send_feedback,
			Compliment.send_thanks,
			CustomerPortfolio.refresh_health,
			SatisfactionSurvey.schedule,
			SatisfactionSurvey.send_now,
			SatisfactionSurvey.close,
			SatisfactionSurvey.evaluate,
			ServicePerformanceReview.get_metrics,
			ServicePerformanceReview.raise_requirement,
			demo.clear,
		]
		for fn in methods:
			self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[fn], ["POST"], fn.__qualname__)
		# and over HTTP: a GET is refused before the method runs
		session = self.login(self.w.staff)
		name = self.w.complaints[self.w.customer_a].name
		status, text = session.method(
			"run_doc_method", "GET", dt=COMPLAINT, dn=name, method="escalate_manually", args='{"reason": "x"}'
		)
		self.assertRefused(status, text, "GET run_doc_method")
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value(COMPLAINT, name, "escalation_level"))
