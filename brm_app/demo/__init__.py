"""Demo data: `bench --site <site> execute brm_app.demo.make` (and `brm_app.demo.clear`).

Makes a handful of customers with contacts and portfolios, complaints in every status (some
overdue, one escalated by the escalation job), compliments, surveys and reviews. Safe to run
twice: records that already exist are left as they are. ``clear`` removes exactly what the
demo made. Scaffolding, not part of the app's runtime: nothing imports it.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.utils import add_months, now_datetime, today

from brm_app.brm_app.doctype.complaint.escalation import escalate_overdue_complaints
from brm_app.demo.activities import make_reviews, make_surveys
from brm_app.demo.records import (
	CUSTOMERS,
	MANAGER,
	MARK,
	REGISTRY_KEY,
	SERVICES,
	SUPPORT,
	make_contact,
	make_customer,
	make_service_item,
	make_user,
	registered,
)

BRM_ROLE = "Business Relationship Manager"
BRM_USER_ROLE = "BRM User"


def make() -> dict:
	"""Create the demo records; returns what was made."""
	frappe.set_user("Administrator")
	if not frappe.db.a_row_exists("Company"):
		frappe.throw(_("Complete the ERPNext setup wizard on this site before making the demo data."))
	frappe.flags.brm_demo = True
	try:
		return _make()
	finally:
		frappe.flags.brm_demo = False


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

	made = {"complaints": 0, "compliments": 0}
	made["surveys"] = make_surveys()
	made["reviews"] = make_reviews()
	if frappe.db.exists("Complaint", {"subject": ("like", f"%{MARK}")}):
		return made  # complaints and compliments were made by an earlier run

	now = now_datetime()
	plans = [
		# customer, subject, severity, hours ago, actions (workflow), extra values
		("Northwind Logistics", "Tracking portal down during peak", "Critical", 30, [], {}),
		("Northwind Logistics", "Invoice lists services not received", "Medium", 3, [], {}),
		("Contoso Health", "Nobody called back about the outage", "High", 50, ["Acknowledge"], {}),
		(
			"Contoso Health",
			"Password resets take days",
			"Medium",
			24 * 11,
			["Acknowledge", "Start Investigation"],
			{"root_cause_category": "Process", "root_cause": "Resets wait for a weekly batch"},
		),
		(
			"Fabrikam Retail",
			"Payroll run late twice",
			"High",
			120,
			["Acknowledge", "Start Investigation", "Propose Resolution"],
			{"proposed_resolution": "Move the payroll run one day earlier and add a check"},
		),
		(
			"Fabrikam Retail",
			"Engineer was rude on site",
			"Low",
			400,
			["Acknowledge", "Start Investigation", "Propose Resolution", "Accept Resolution"],
			{"proposed_resolution": "Apology and coaching for the engineer"},
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
		made["complaints"] += 1
		if number == 0:
			# The first, long overdue, climbs the chain as the hourly job does; the later overdue
			# one ("Password resets") waits for the job's next run.
			made["escalated"] = escalate_overdue_complaints()

	praise = [
		(
			"Northwind Logistics",
			"Migration weekend went flawlessly",
			"Exceptional",
			["Evaluate", "Acknowledge"],
		),
		("Contoso Health", "Service desk was patient and clear", "Notable", ["Evaluate"]),
		("Fabrikam Retail", "Quick fix of the till outage", None, []),
	]
	for customer, subject, evaluation, actions in praise:
		doc = frappe.get_doc(
			{
				"doctype": "Compliment",
				"customer": customer,
				"contact": contacts[customer],
				"subject": f"{subject} {MARK}",
				"compliment": f"<p>{subject}. Thank you!</p>",
				"evaluation": evaluation,
				"praised": [{"praised_doctype": "User", "praised_name": SUPPORT}],
			}
		).insert()
		for action in actions:
			doc = apply_workflow(doc, action)
		made["compliments"] += 1

	frappe.db.commit()
	return made


# ---------------------------------------------------------------------- clear

#: Records of the demo customers, children before parents.
CUSTOMER_RECORDS = (
	"Survey Invitation",
	"Complaint",
	"Compliment",
	"Customer Requirement",
	"Service Performance Review",
	"Customer Portfolio",
)


@frappe.whitelist()
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
	surveys = frappe.get_all("Satisfaction Survey", filters={"title": ("like", f"%{MARK}%")}, pluck="name")
	for name in surveys:
		_delete("Satisfaction Survey", name)
	removed["Satisfaction Survey"] = len(surveys)
	for doctype in ("Survey Template", "Contact", "Customer", "Item", "User"):
		for name in made.get(doctype, []):
			_delete(doctype, name)
		removed[doctype] = len(made.get(doctype, []))
	frappe.db.set_default(REGISTRY_KEY, None)
	frappe.db.commit()
	return removed


def _delete(doctype: str, name: str) -> None:
	if not frappe.db.exists(doctype, name):
		return
	if frappe.db.get_value(doctype, name, "docstatus") == 1:
		doc = frappe.get_doc(doctype, name)
		doc.flags.ignore_permissions = True
		doc.cancel()
	frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
