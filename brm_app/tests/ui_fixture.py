"""Data for the customer portal's browser test (tests/browser/portal_browser.py).

Run through bench, as the site's Administrator::

	bench --site SITE execute brm_app.tests.ui_fixture.setup --kwargs '{"password": "..."}'
	bench --site SITE execute brm_app.tests.ui_fixture.propose --kwargs '{"complaint": "..."}'
	bench --site SITE execute brm_app.tests.ui_fixture.ask --kwargs '{"complaint": "...", "question": "..."}'
	bench --site SITE execute brm_app.tests.ui_fixture.open_survey
	bench --site SITE execute brm_app.tests.ui_fixture.remove

Each function commits and returns a dict, which ``bench execute`` prints as one JSON line.
Everything made here is named with PREFIX (customers, the service, users' e-mails), so
``remove`` finds it again; all three are idempotent. Not for production sites: ``remove``
deletes records outright.
"""

import frappe
from frappe.model.delete_doc import delete_dynamic_links
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_months, get_first_day, getdate, today

from brm_app.tests.utils import make_customer, make_portal_user, make_portfolio, make_service_item
from brm_app.workflow import move_to_status

PREFIX = "_Browser Test"
CUSTOMER = f"{PREFIX} Customer"
SERVICE = f"{PREFIX} Service"
USER_PREFIX = "brm-browser-test"
USER = f"{USER_PREFIX}.customer@example.com"
NONE_USER = f"{USER_PREFIX}.none@example.com"
DEFAULT_PASSWORD = "Browser-Test-2026!"
#: What the portal shows of the test's people and service (the screenshots in docs/).
USER_NAME = ("Dana", "Fischer")
NONE_USER_NAME = ("Sam", "Keller")
SERVICE_NAME = "Managed Hosting"
REVIEW = "Service Performance Review"
#: Records with a ``customer`` field that the test (or the portal during the test) makes.
CUSTOMER_RECORDS = ("Complaint", "Compliment", "Customer Requirement", "Request for Change", REVIEW)


def _as_admin() -> None:
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True


def setup(password: str = DEFAULT_PASSWORD) -> dict:
	"""The test's customer, portfolio with a service, two website users (one of the customer,
	one of no customer) and a shared, approved service review with minutes and action items."""
	_as_admin()
	customer = make_customer(CUSTOMER)
	service = make_service_item(SERVICE)
	frappe.db.set_value("Item", service, "item_name", SERVICE_NAME)
	portfolio = make_portfolio(customer)
	if not any(row.service == service for row in portfolio.services):
		portfolio.append("services", {"service": service, "service_name": SERVICE_NAME})
		portfolio.save()
	make_portal_user(USER, [customer], password=password)
	make_portal_user(NONE_USER, [], password=password)
	_name(USER, *USER_NAME)
	_name(NONE_USER, *NONE_USER_NAME)
	review = _shared_review(customer)
	frappe.db.commit()
	return {
		"customer": customer,
		"service": service,
		"portfolio": portfolio.name,
		"user": USER,
		"none_user": NONE_USER,
		"review": review.name,
		"review_status": review.status,
	}


def _name(email: str, first_name: str, last_name: str) -> None:
	user = frappe.get_doc("User", email)
	if (user.first_name, user.last_name) != (first_name, last_name):
		user.first_name, user.last_name = first_name, last_name
		user.save(ignore_permissions=True)


def _shared_review(customer: str):
	"""The customer's approved review shared with it (made once: Planned -> Held -> Approved)."""
	existing = frappe.get_all(
		REVIEW,
		filters={"customer": customer, "docstatus": 1, "share_with_customer": 1},
		pluck="name",
		limit=1,
	)
	if existing:
		return frappe.get_doc(REVIEW, existing[0])
	# the last complete quarter
	quarter_start = get_first_day(today())
	while (quarter_start.month - 1) % 3:
		quarter_start = add_months(quarter_start, -1)
	start = getdate(add_months(quarter_start, -3))
	end = getdate(add_days(quarter_start, -1))
	review = frappe.get_doc(
		{
			"doctype": REVIEW,
			"customer": customer,
			"review_kind": "Quarterly",
			"period_start": start,
			"period_end": end,
			"share_with_customer": 1,
			"minutes": (
				"<p>We went through the quarter's service levels. Availability met the target; "
				"two complaints about late notice of maintenance were discussed.</p>"
				"<ul><li>Maintenance windows will be announced a week ahead.</li>"
				"<li>The customer will name a second contact for out-of-hours calls.</li></ul>"
			),
			"decisions": "<p>Publish a status page for planned maintenance.</p>",
			"attendees": [
				{
					"side": "Provider",
					"user": "Administrator",
					"attendee_name": "Service Manager",
					"role": "Chair",
				},
				{"side": "Customer", "user": USER, "attendee_name": " ".join(USER_NAME), "role": "IT Lead"},
			],
			"action_items": [
				{
					"description": "Publish a status page for planned maintenance",
					"action_owner": "Administrator",
					"due_date": add_days(today(), 30),
					"status": "In Progress",
				},
				{
					"description": "Name a second contact for out-of-hours calls",
					"action_owner": USER,
					"due_date": add_days(today(), 14),
					"status": "Open",
				},
			],
		}
	).insert()
	review = apply_workflow(review, "Mark as Held")
	review = apply_workflow(frappe.get_doc(REVIEW, review.name), "Approve Minutes")
	return review


def _staff_move(complaint: str, status: str, **values) -> dict:
	"""Staff (Administrator) move one of the test customer's complaints to ``status`` with
	``values`` (unless it is there already); an Open complaint is acknowledged first."""
	_as_admin()
	doc = frappe.get_doc("Complaint", complaint)
	if not (doc.customer or "").startswith(PREFIX):
		frappe.throw(f"{complaint} is not a complaint of the browser test's customer")
	if doc.status == "Open":
		move_to_status(doc, "Acknowledged")
		doc = frappe.get_doc("Complaint", complaint)
	if doc.status != status:
		move_to_status(doc, status, **values)
	frappe.db.commit()
	return {"complaint": doc.name, "status": frappe.db.get_value("Complaint", complaint, "status")}


def propose(complaint: str, resolution: str | None = None) -> dict:
	"""Staff propose a resolution on one of the test customer's complaints."""
	return _staff_move(
		complaint,
		"Resolution Proposed",
		proposed_resolution=resolution
		or "We will credit one month of the service fee and announce maintenance a week ahead.",
	)


def ask(complaint: str, question: str) -> dict:
	"""Staff ask the test customer a question on one of its complaints: the complaint waits
	for the customer (Waiting for Customer, the question on a pause row)."""
	return _staff_move(complaint, "Waiting for Customer", waiting_question=question)


def advance_change(change: str, to: str) -> dict:
	"""Staff take one of the test customer's requests for change on: ``to`` "question" (the
	change process asks the customer something) or "implemented" (assessed, approved at the
	CAB, scheduled and implemented, waiting for the customer's confirmation)."""
	from frappe.model.workflow import apply_workflow
	from frappe.utils import add_to_date, now_datetime, today

	_as_admin()
	doc = frappe.get_doc("Request for Change", change)
	if not (doc.customer or "").startswith(PREFIX):
		frappe.throw(f"{change} is not a request of the browser test's customer")

	def act(action):
		return apply_workflow(frappe.get_doc("Request for Change", change), action)

	if to == "question":
		doc.ask_the_customer("Which of your sites need it first?")
	elif to == "implemented":
		for action in ("Start Assessment", "Send to CAB"):
			act(action)
		doc = frappe.get_doc("Request for Change", change)
		doc.append(
			"cab_sittings",
			{"sitting_date": today(), "decision": "Approved", "note_for_customer": "Approved for next week."},
		)
		doc.save()
		act("Record CAB Approval")
		doc = frappe.get_doc("Request for Change", change)
		doc.planned_start = add_to_date(now_datetime(), days=1)
		doc.planned_end = add_to_date(now_datetime(), days=1, hours=2)
		doc.save()
		act("Schedule")
		doc = frappe.get_doc("Request for Change", change)
		doc.implemented_on = now_datetime().replace(microsecond=0)
		doc.save()
		act("Mark Implemented")
	frappe.db.commit()
	return {"change": change, "status": frappe.db.get_value("Request for Change", change, "status")}


def start_incident() -> dict:
	"""A service incident on the test customer's service (it affects the test customer)."""
	from frappe.utils import add_to_date, now_datetime

	_as_admin()
	service = frappe.db.get_value("Item", {"item_name": SERVICE_NAME}, "name") or SERVICE
	doc = frappe.get_doc(
		{
			"doctype": "Service Incident",
			"title": f"{PREFIX} hosting outage",
			"impact": "High",
			"started_on": add_to_date(now_datetime(), minutes=-20).replace(microsecond=0),
			"public_summary": "Our hosting platform does not answer; engineers are on it.",
			"internal_notes": "INTERNAL: storage firmware",
			"services": [{"service": service}],
			"updates": [
				{
					"public_update": "Failover to the second site has started.",
					"next_update_by": add_to_date(now_datetime(), hours=1),
				}
			],
		}
	).insert()
	frappe.db.commit()
	return {"incident": doc.name, "affected": [r.customer for r in doc.affected]}


SURVEY_TEMPLATE = f"{PREFIX} Survey Template"
SURVEY_TITLE = f"{PREFIX} relationship survey"
#: The questions of the test's survey: one of each kind the answer page shows.
SURVEY_QUESTIONS = (
	{
		"question": "How satisfied are you with our service?",
		"kind": "Rating 1-5",
		"dimension": "Service quality",
		"mandatory": 1,
		"comment_required_at_or_below": 2,
	},
	{"question": "How likely are you to recommend us?", "kind": "NPS 0-10", "dimension": "Loyalty"},
	{"question": "How easy was it to get help?", "kind": "CES 1-7", "dimension": "Effort"},
	{"question": "Would you renew the contract today?", "kind": "Yes/No"},
	{"question": "Which channel do you prefer?", "kind": "Choice", "options": "Phone\nE-mail\nPortal"},
	{"question": "Anything else?", "kind": "Free Text"},
)


def open_survey() -> dict:
	"""An open survey invitation (not yet answered) for the test customer's contact: a
	relationship survey of the test template, the invitation marked sent (no e-mail goes out).
	Returns its token, which opens /survey?token=..."""
	from brm_app.brm_app.doctype.survey_invitation.survey_invitation import create_invitation
	from brm_app.utils import now

	_as_admin()
	customer = CUSTOMER
	contact = frappe.db.get_value("Contact", {"user": USER}, "name")
	if not contact:
		frappe.throw(f"no contact for {USER}: run setup first")
	if not frappe.db.exists("Survey Template", SURVEY_TEMPLATE):
		frappe.get_doc(
			{
				"doctype": "Survey Template",
				"template_name": SURVEY_TEMPLATE,
				"introduction": "Tell us how we are doing. It takes two minutes.",
				"questions": [dict(q) for q in SURVEY_QUESTIONS],
			}
		).insert()
	survey = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"title": SURVEY_TITLE,
			"template": SURVEY_TEMPLATE,
			"kind": "Relationship",
			"audience": "Chosen Customers",
			"customers": [{"customer": customer}],
			"min_days_between_surveys": 0,
		}
	).insert()
	survey.set_status("Open")
	invitation = create_invitation(survey, customer, contact, USER, send=False)
	token = invitation.get_password("token")
	invitation.set_status("Sent", sent_on=now())
	frappe.db.commit()
	return {"survey": survey.name, "invitation": invitation.name, "token": token}


def survey_response(invitation: str) -> dict:
	"""Whether the invitation was answered, and the answers stored (question, kind, score,
	choice, comment)."""
	_as_admin()
	doc = frappe.get_doc("Survey Invitation", invitation)
	if not (doc.customer or "").startswith(PREFIX):
		frappe.throw(f"{invitation} is not an invitation of the browser test's customer")
	return {
		"invitation": invitation,
		"status": doc.status,
		"answered": bool(doc.responded_on),
		"answers": [
			{
				"question": a.question,
				"kind": a.kind,
				"score": a.score if a.has_score else None,
				"choice": a.choice,
				"comment": a.comment,
			}
			for a in doc.answers
		],
	}


def status(complaint: str) -> dict:
	"""A complaint's status as stored, and its last pause's question and answer (for checks
	the page cannot show)."""
	_as_admin()
	pauses = frappe.get_all(
		"Complaint Pause",
		filters={"parenttype": "Complaint", "parent": complaint},
		fields=["question", "answer", "resumed_by"],
		order_by="idx desc",
		limit=1,
	)
	return {
		"complaint": complaint,
		"status": frappe.db.get_value("Complaint", complaint, "status"),
		"pause": pauses[0] if pauses else None,
	}


def remove(prefix: str = PREFIX, user_prefix: str = USER_PREFIX) -> dict:
	"""Delete everything setup and the test made: the PREFIX customers' records, their files,
	messages and queued e-mails, the portfolios, the customers, the service and the users.
	(The reliability battery, ``brm_app.tests.battery``, removes its own data the same way.)"""
	_as_admin()
	removed: dict[str, int] = {}

	def gone(doctype: str, name: str) -> None:
		frappe.delete_doc(
			doctype, name, force=True, ignore_permissions=True, ignore_missing=True, delete_permanently=True
		)
		# delete_doc leaves this (comments, versions, ...) to a background job: a site without
		# workers would keep them, and show them on the next record that gets the same name
		delete_dynamic_links(doctype, name)
		removed[doctype] = removed.get(doctype, 0) + 1

	customers = [
		c
		for c in frappe.get_all("Customer", filters={"name": ("like", f"%{prefix}%")}, pluck="name")
		if c.startswith(prefix)
	]
	_remove_surveys(prefix, customers, gone)
	if customers:
		for doctype in CUSTOMER_RECORDS:
			for name in frappe.get_all(doctype, filters={"customer": ("in", customers)}, pluck="name"):
				_forget_references(doctype, name)
				if frappe.db.get_value(doctype, name, "docstatus") == 1:
					frappe.db.set_value(doctype, name, "docstatus", 2, update_modified=False)
				gone(doctype, name)
		for name in frappe.get_all(
			"Customer Portfolio", filters={"customer": ("in", customers)}, pluck="name"
		):
			gone("Customer Portfolio", name)
	_remove_surveys(prefix, customers, gone)
	for name in frappe.get_all("Service Incident", filters={"title": ("like", f"{prefix}%")}, pluck="name"):
		frappe.db.delete("Service Incident Notice", {"service_incident": name})
		frappe.db.delete("ToDo", {"reference_type": "Service Incident", "reference_name": name})
		_forget_references("Service Incident", name)
		gone("Service Incident", name)
	users = [
		u
		for u in frappe.get_all("User", filters={"name": ("like", f"{user_prefix}%")}, pluck="name")
		if u.startswith(user_prefix)
	]
	contacts = set(frappe.get_all("Contact", filters={"user": ("in", users)}, pluck="name") if users else [])
	contacts |= set(
		frappe.get_all("Contact Email", filters={"email_id": ("like", f"{user_prefix}%")}, pluck="parent")
	)
	if customers:
		contacts |= set(
			frappe.get_all(
				"Dynamic Link",
				filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": ("in", customers)},
				pluck="parent",
			)
		)
	for name in sorted(contacts):
		gone("Contact", name)
	for name in customers:
		gone("Customer", name)
	for name in users:
		frappe.db.delete("Communication", {"sender": name})
		frappe.db.delete("Activity Log", {"user": name})
		frappe.db.delete("Access Log", {"user": name})
		gone("User", name)
	for name in frappe.get_all("Item", filters={"name": ("like", f"%{prefix}%")}, pluck="name"):
		if name.startswith(prefix):
			gone("Item", name)
	frappe.db.commit()
	return {"removed": removed}


def _remove_surveys(prefix: str, customers: list[str], gone) -> None:
	"""The test's survey and template, and every invitation of its customers (the test's, and
	any the site's after-care survey sent when a test complaint closed)."""
	surveys = frappe.get_all("Satisfaction Survey", filters={"title": ("like", f"{prefix}%")}, pluck="name")
	invitations = set()
	if customers:
		invitations |= set(frappe.get_all("Survey Invitation", {"customer": ("in", customers)}, pluck="name"))
	if surveys:
		invitations |= set(frappe.get_all("Survey Invitation", {"survey": ("in", surveys)}, pluck="name"))
	for name in sorted(invitations):
		_forget_references("Survey Invitation", name)
		gone("Survey Invitation", name)
	for name in surveys:
		gone("Satisfaction Survey", name)
	for name in frappe.get_all("Survey Template", filters={"name": ("like", f"{prefix}%")}, pluck="name"):
		gone("Survey Template", name)


def _forget_references(doctype: str, name: str) -> None:
	"""Messages and queued e-mails about a record (delete_doc would only unlink them)."""
	frappe.db.delete("Communication", {"reference_doctype": doctype, "reference_name": name})
	for queued in frappe.get_all(
		"Email Queue", filters={"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.db.delete("Email Queue Recipient", {"parent": queued})
		frappe.db.delete("Email Queue", {"name": queued})
