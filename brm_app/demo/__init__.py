"""Demo data: ``bench --site <site> brm-demo`` (``--clear`` removes it; see brm_app/commands.py).

Makes four customers with contacts, portal logins and portfolios, and a year of their history:
complaints handled from receipt to closure (each step recorded at the moment it happened),
after-care survey answers, a relationship survey, compliments, quarterly reviews with their
metrics packs, requirements; then the last three weeks' complaints in every open status (one
escalated by the escalation job) and every portfolio's health score. Safe to run twice:
records that already exist are left as they are (the logins get new passwords). ``clear``
removes exactly what the demo made. Scaffolding, not part of the app's runtime.
"""

import secrets
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.utils import add_months, get_url, getdate, now_datetime, today

from brm_app.brm_app.doctype.complaint.escalation import escalate_overdue_complaints
from brm_app.demo.activities import (
	make_reviews,
	open_after_care_survey,
	relationship_survey_moment,
	run_relationship_survey,
)
from brm_app.demo.records import (
	CUSTOMERS,
	MANAGER,
	MARK,
	REGISTRY_KEY,
	SERVICES,
	SUPPORT,
	make_contact,
	make_customer,
	make_portal_user,
	make_service_item,
	make_user,
	note,
	registered,
)

BRM_ROLE = "Business Relationship Manager"
BRM_USER_ROLE = "BRM User"
DEFAULT_COMPANY = "BRM Demo Services"


def run(
	company: str | None = None,
	country: str = "United Kingdom",
	currency: str = "GBP",
	timezone: str = "Europe/London",
	echo=print,
) -> dict:
	"""What ``bench brm-demo`` does: the setup wizard when it has not run, the demo records,
	passwords for the demo logins. Returns what was made, logins included."""
	frappe.set_user("Administrator")
	if not frappe.db.a_row_exists("Company"):
		echo(
			_("Completing the ERPNext setup wizard ({0}, {1}, {2})...").format(
				company or DEFAULT_COMPANY, country, currency
			)
		)
		complete_setup_wizard(company or DEFAULT_COMPANY, country, currency, timezone)
	elif company and not frappe.db.exists("Company", company):
		echo(
			_("The setup wizard has already run on this site; the demo uses its company, not {0}.").format(
				company
			)
		)
	from brm_app.utils import has_outgoing_email

	no_mail = not has_outgoing_email()
	queued_before = frappe.db.count("Email Queue")
	echo(_("Loading the demo (a year of history; this takes a minute or two)..."))
	frappe.flags.brm_demo = True
	try:
		with mail_queued_not_sent():
			made = _make()
			made["logins"] = set_logins()
	finally:
		frappe.flags.brm_demo = False
	made["emails_queued"] = frappe.db.count("Email Queue") - queued_before
	made["no_outgoing_email"] = no_mail
	frappe.db.commit()
	return made


@contextmanager
def mail_queued_not_sent():
	"""While the demo runs, e-mails go to Email Queue and are not sent (Frappe's muted mail).
	Frappe's stand-in account for muted mail has no address, which its queue cannot format
	(Frappe 15.72): give the stand-in one, for the demo only."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	def stand_in(cls):
		return cls.from_record(
			{"email_id": "notifications@example.com", "sender": "notifications@example.com"}
		)

	muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True
	frappe.local.outgoing_email_account = {}
	try:
		with patch.object(EmailAccount, "create_dummy", classmethod(stand_in)):
			yield
	finally:
		frappe.flags.mute_emails = muted
		frappe.local.outgoing_email_account = {}


def complete_setup_wizard(company: str, country: str, currency: str, timezone: str) -> None:
	"""ERPNext's setup wizard with the answers given (as ERPNext's own test setup does)."""
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	if not frappe.db.exists("Country", country):
		frappe.throw(
			_("Unknown country {0}: use its name as in ERPNext, e.g. United Kingdom.").format(country)
		)
	if not frappe.db.exists("Currency", currency):
		frappe.throw(_("Unknown currency {0}: use its code, e.g. GBP.").format(currency))
	year = now_datetime().year
	abbr = "".join(word[0] for word in company.split() if word[:1].isalnum()).upper()[:5] or "BRM"
	result = setup_complete(
		{
			"currency": currency,
			"full_name": "Administrator",
			"company_name": company,
			"company_abbr": abbr,
			"timezone": timezone,
			"industry": "Services",
			"country": country,
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"language": "English",
			"company_tagline": "Business relationship management demo",
			"chart_of_accounts": "Standard",
		}
	)
	if not frappe.db.a_row_exists("Company"):
		detail = (result or {}).get("fail") or _("see the Error Log")
		frappe.throw(_("The ERPNext setup wizard did not complete: {0}").format(detail))
	frappe.db.commit()
	frappe.clear_cache()


def set_logins() -> list[dict]:
	"""A new password for each demo login: the two staff users and one contact per customer."""
	from frappe.utils.password import update_password

	logins = [
		{"user": MANAGER, "role": _("Business Relationship Manager"), "where": "desk"},
		{"user": SUPPORT, "role": _("BRM User"), "where": "desk"},
	]
	for customer, (_tier, _status, email) in CUSTOMERS.items():
		make_portal_user(email, [customer])
		logins.append({"user": email, "role": _("Customer: {0}").format(customer), "where": "portal"})
	for login in logins:
		login["password"] = "Demo-" + secrets.token_urlsafe(9)
		update_password(login["user"], login["password"])
	return logins


def _make() -> dict:
	make_user(MANAGER, [BRM_ROLE, BRM_USER_ROLE])
	make_user(SUPPORT, [BRM_USER_ROLE])
	for service in SERVICES:
		make_service_item(service)

	contacts = {}
	for customer, (tier, status, email) in CUSTOMERS.items():
		make_customer(customer)
		contacts[customer] = make_contact(customer, email)
		if not frappe.db.exists("Customer Portfolio", customer):
			frappe.get_doc(
				{
					"doctype": "Customer Portfolio",
					"customer": customer,
					"relationship_manager": MANAGER,
					"tier": tier,
					"relationship_status": status,
					"authorised_representative": contacts[customer],
					"business_description": f"<p>{customer} runs its operations on our services.</p>",
					"key_business_outcomes": "<ul><li>Orders shipped the same day</li><li>No payroll errors</li></ul>",
					"services": [
						{
							"service": SERVICES[0],
							"vital_business_function": 1,
							"customer_requirements": "99.9% uptime",
						},
						{"service": SERVICES[1], "customer_requirements": "Answer within 2 hours"},
					],
					"revenue": [
						{
							"period_start": "2025-01-01",
							"period": "FY 2025",
							"revenue_type": "Actual",
							"amount": 240000,
						},
						{
							"period_start": "2026-01-01",
							"period": "FY 2026",
							"revenue_type": "Projected",
							"amount": 275000,
						},
					],
					"review_frequency": "Quarterly",
					"last_review_date": add_months(today(), -2),
				}
			).insert()

	from brm_app.demo.history import (
		plan_complaints,
		play_changes,
		play_complaints,
		play_compliments,
		play_incident,
	)

	made = {"customers": len(CUSTOMERS), "complaints": 0, "compliments": 0}
	if frappe.db.exists("Complaint", {"subject": ("like", f"%{MARK}")}):
		made["surveys"] = made["reviews"] = 0
		return made  # the history was made by an earlier run
	# In the order it happened: the after-care survey opens, complaints come and go, the
	# relationship survey goes out in the middle of them.
	plans = plan_complaints(getdate(today()))
	sent = relationship_survey_moment(today())
	made["surveys"] = open_after_care_survey(today())
	made["complaints"] = play_complaints(
		contacts, [p for p in plans if p["received_on"] < sent], getdate(today())
	)
	made["surveys"] += run_relationship_survey(today())
	made["complaints"] += play_complaints(
		contacts, [p for p in plans if p["received_on"] >= sent], getdate(today())
	)
	made["compliments"] = play_compliments(contacts, getdate(today()))
	made["changes"] = play_changes(contacts, getdate(today()))
	made["incidents"] = play_incident(contacts, getdate(today()))
	made["reviews"] = make_reviews(today())

	now = now_datetime()
	plans = [
		# customer, subject, severity, hours ago, actions (workflow), extra values
		(
			"Northwind Logistics",
			"Tracking portal down during peak",
			"Critical",
			30,
			[],
			{"category": "Availability and Outages"},
		),
		(
			"Northwind Logistics",
			"Invoice lists services not received",
			"Medium",
			3,
			[],
			{"category": "Billing and Charges"},
		),
		(
			"Contoso Health",
			"Nobody called back about the outage",
			"High",
			50,
			["Acknowledge"],
			{"category": "Communication"},
		),
		(
			"Contoso Health",
			"Password resets take days",
			"Medium",
			24 * 11,
			["Acknowledge", "Start Investigation", "Ask the Customer"],
			{
				"root_cause_category": "Process",
				"root_cause": "Resets wait for a weekly batch",
				"category": "Delivery and Timeliness",
				# we wait for the customer's answer: the clock stops (ISO 10002 policy)
				"waiting_question": "Which of your teams are affected, and since when?",
			},
		),
		(
			"Fabrikam Retail",
			"Payroll run late twice",
			"High",
			120,
			["Acknowledge", "Start Investigation", "Propose Resolution"],
			{
				"proposed_resolution": "Move the payroll run one day earlier and add a check",
				"category": "Delivery and Timeliness",
			},
		),
		(
			"Fabrikam Retail",
			"Engineer was rude on site",
			"Low",
			400,
			["Acknowledge", "Start Investigation", "Propose Resolution", "Accept Resolution"],
			{
				"proposed_resolution": "Apology and coaching for the engineer",
				"category": "Staff Conduct",
				"redress": "A written apology and a free site visit",
			},
		),
		(
			"Adventure Works",
			"Asked for a new dashboard",
			"Low",
			10,
			["Reject as Not a Complaint"],
			{"rejection_reason": "A request for a new service, passed to service level management"},
		),
	]
	contract_policy(CONTRACT_CUSTOMER)
	for number, (customer, subject, severity, hours_ago, actions, values) in enumerate(plans):
		doc = frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": customer,
				"contact": contacts[customer],
				"subject": f"{subject} {MARK}",
				"severity": severity,
				"channel": "E-mail",
				"received_on": now - timedelta(hours=hours_ago),
				"service": SERVICES[0],
				"description": f"<p>{subject}.</p>",
				"complaint_owner": SUPPORT,
				"corrective_actions": [
					{"action": "Review what happened", "action_owner": SUPPORT, "status": "Done"}
				]
				if actions
				else [],
				**values,
			}
		).insert()
		for action in actions:
			doc = apply_workflow(doc, action)
		if doc.status == "Closed" and doc.contact_email:
			# the decision, the redress and the customer's rights, in a letter (handling policy)
			doc.send_final_response()
		made["complaints"] += 1
		if number == 0:
			# The first, long overdue, climbs the chain as the hourly job does; the later overdue
			# one ("Password resets") waits for the job's next run.
			made["escalated"] = escalate_overdue_complaints()

	# A compliment that has just arrived, waiting to be evaluated.
	frappe.get_doc(
		{
			"doctype": "Compliment",
			"customer": "Fabrikam Retail",
			"contact": contacts["Fabrikam Retail"],
			"subject": f"Quick fix of the till outage {MARK}",
			"compliment": "<p>Quick fix of the till outage. Thank you!</p>",
			"praised_text": "The engineer who came on Saturday",
		}
	).insert()
	made["compliments"] += 1

	frappe.db.commit()
	return made


# ---------------------------------------------------------------------- what to open


def describe(made: dict, site: str) -> str:
	"""What ``bench brm-demo`` prints: what was made, where to go and who to log in as."""
	url = get_url()
	if made.get("complaints"):
		summary = _(
			"BRM demo ready on {0}: {1} customers, {2} complaints, {3} compliments, {4} surveys, {5} reviews, {6} requests for change made."
		).format(
			site,
			made.get("customers", 0),
			made["complaints"],
			made.get("compliments", 0),
			made.get("surveys", 0),
			made.get("reviews", 0),
			made.get("changes", 0),
		)
	else:
		summary = _("BRM demo ready on {0}: it was already loaded; only the passwords below are new.").format(
			site
		)
	lines = ["", summary]
	if made.get("emails_queued") and made.get("no_outgoing_email"):
		lines.append(
			_(
				"No outgoing Email Account: {0} e-mails (invitations, notifications) are queued in Email Queue, not sent. Add one under Email Account to send mail."
			).format(made["emails_queued"])
		)
	elif made.get("emails_queued"):
		lines.append(
			_("{0} e-mails are queued for the demo's example.com addresses.").format(made["emails_queued"])
		)
	lines += [
		"",
		_("Desk:   {0}/app/business-relationship").format(url),
		_("Portal: {0}/complaints").format(url),
		"",
		_("Log in as (passwords shown only now; run brm-demo again for new ones):"),
	]
	width = max(len(login["user"]) for login in made.get("logins", [])) if made.get("logins") else 0
	for login in made.get("logins", []):
		lines.append(f"  {login['user']:<{width}}  {login['password']}  {login['where']:<6}  {login['role']}")
	lines += [
		_("  Administrator: the site's administrator password."),
		"",
		_("What to look at:"),
		_("  brm.demo@example.com: the workspace (health, CSAT, complaints by month), Complaint Analysis"),
		_(
			"    and BRM Metrics (yearly), Contoso Health's portfolio (at risk),\n"
			"    Fabrikam Retail's health history (Feedback tab), the approved Northwind review,\n"
			"    the relationship survey's evaluation (who the contact policy held back, response\n"
			"    rate by channel and language: Fabrikam Retail was asked in German),\n"
			"    the complaint clocks: Northwind's contract policy, Contoso's complaint waiting\n"
			"    for an answer (clock stopped), Fabrikam's closed one with its final response letter."
		),
		_("  support.demo@example.com: the complaints assigned to you, one escalated and overdue."),
		_("  ops@northwind.example.com (portal): Complaints, Service Reviews (shared, with a PDF), Surveys."),
		_("  bench --site {0} brm-demo --clear removes exactly the demo records.").format(site),
	]
	return "\n".join(lines)


def describe_removed(removed: dict) -> str:
	parts = [f"{count} {doctype}" for doctype, count in removed.items() if count]
	return _("Demo records removed: {0}.").format(", ".join(parts) or _("none (no demo on this site)"))


# ---------------------------------------------------------------------- clear

#: Records of the demo customers, children before parents.
CUSTOMER_RECORDS = (
	"Survey Invitation",
	"Complaint",
	"Compliment",
	"Customer Requirement",
	"Request for Change",
	"Service Performance Review",
	"Customer Portfolio",
)
#: Demo incidents are found by their mark (they name no single customer).
MARKED_RECORDS = ("Service Incident",)


@frappe.whitelist(methods=["POST"])
def clear() -> dict:
	"""Remove exactly the demo records: the demo customers' BRM records, the demo surveys and
	the customers, contacts, users, services and template the demo created."""
	frappe.only_for("System Manager")
	made = registered()
	customers = made.get("Customer", [])
	removed = {}
	if customers:
		frappe.db.set_single_value("BRM Settings", "transactional_survey", None)
	for doctype in CUSTOMER_RECORDS:
		names = frappe.get_all(doctype, filters={"customer": ("in", customers or [""])}, pluck="name")
		for name in names:
			_delete(doctype, name)
		removed[doctype] = len(names)
	for doctype in MARKED_RECORDS:
		names = frappe.get_all(doctype, filters={"title": ("like", f"%{MARK}%")}, pluck="name")
		for name in names:
			frappe.db.delete("Service Incident Notice", {"service_incident": name})
			_delete(doctype, name)
		removed[doctype] = len(names)
	surveys = frappe.get_all("Satisfaction Survey", filters={"title": ("like", f"%{MARK}%")}, pluck="name")
	for name in surveys:
		_delete("Satisfaction Survey", name)
	removed["Satisfaction Survey"] = len(surveys)
	for doctype in ("Survey Template", "Complaint Handling Policy", "Contact", "Customer", "Item", "User"):
		for name in made.get(doctype, []):
			_delete(doctype, name)
		removed[doctype] = len(made.get(doctype, []))
	frappe.db.set_default(REGISTRY_KEY, None)
	frappe.db.commit()
	return removed


#: The customer whose contract sets its own complaint targets (a second handling policy).
CONTRACT_CUSTOMER = "Northwind Logistics"


def contract_policy(customer: str) -> str:
	"""Northwind's contract: acknowledge within 4 business hours, respond finally within 5
	business days; every other demo customer runs under the default, ISO 10002."""
	name = f"Northwind contract {MARK}"
	if not frappe.db.exists("Complaint Handling Policy", name):
		frappe.get_doc(
			{
				"doctype": "Complaint Handling Policy",
				"policy_name": name,
				"description": "The complaint targets of Northwind Logistics' service contract.",
				"scope": [{"applies_to": "Customer", "value": customer}],
				"targets": [
					{"target": "Acknowledgement", "amount": 4, "unit": "Business Hours"},
					{"target": "Final Response", "amount": 5, "unit": "Business Days"},
				],
				"working_hours": [
					{"weekday": day, "start_time": "08:00:00", "end_time": "18:00:00"}
					for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
				],
				"pause_while_waiting": 1,
				"final_response_template": "Complaint Final Response"
				if frappe.db.exists("Email Template", "Complaint Final Response")
				else None,
				"referral_body": "the independent adjudicator named in the contract",
				"referral_within_months": 3,
			}
		).insert(ignore_permissions=True)
		note("Complaint Handling Policy", name)
	return name


def _delete(doctype: str, name: str) -> None:
	if not frappe.db.exists(doctype, name):
		return
	if frappe.db.get_value(doctype, name, "docstatus") == 1:
		doc = frappe.get_doc(doctype, name)
		doc.flags.ignore_permissions = True
		doc.cancel()
	frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
