"""Demo surveys (with answers) and service reviews, spread so reports have figures."""

import frappe
from frappe.utils import now_datetime, today

from brm_app.demo.records import CUSTOMERS, MANAGER, MARK, SUPPORT, note


def make_surveys() -> int:
	"""A yearly relationship survey with answers (one low: a follow-up opens) and an open
	transactional survey that closed complaints and resolved Issues feed."""
	from brm_app.api.survey import submit_response
	from brm_app.utils import has_outgoing_email

	title = f"Relationship survey {now_datetime().year} {MARK}"
	if frappe.db.exists("Satisfaction Survey", {"title": title}):
		return 0
	if not has_outgoing_email():
		print("Demo surveys skipped: set up an outgoing Email Account first (invitations go by e-mail).")
		return 0
	template_name = "Yearly Relationship Survey"
	if not frappe.db.exists("Survey Template", template_name):
		frappe.get_doc(
			{
				"doctype": "Survey Template",
				"template_name": template_name,
				"introduction": "Five questions, two minutes. Thank you for your time.",
				"questions": [
					{
						"question": "Overall, how satisfied are you with our services?",
						"kind": "Rating 1-5",
						"dimension": "Service quality",
						"weight": 2,
						"mandatory": 1,
						"comment_required_at_or_below": 2,
					},
					{
						"question": "How satisfied are you with how we keep you informed?",
						"kind": "Rating 1-5",
						"dimension": "Communication",
						"weight": 1,
						"mandatory": 1,
					},
					{
						"question": "How likely are you to recommend us to a colleague?",
						"kind": "NPS 0-10",
						"dimension": "Loyalty",
						"weight": 1,
						"mandatory": 1,
					},
					{
						"question": "How easy is it to get an issue resolved?",
						"kind": "CES 1-7",
						"dimension": "Effort",
						"weight": 1,
					},
					{"question": "Anything we should start, stop or continue?", "kind": "Free Text"},
				],
			}
		).insert()
		note("Survey Template", template_name)
	survey = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"title": title,
			"template": template_name,
			"kind": "Relationship",
			"audience": "All Active Portfolios",
			"contacts_to_ask": "Authorised Representatives",
			"period_start": f"{now_datetime().year}-01-01",
			"period_end": f"{now_datetime().year}-12-31",
			"min_days_between_surveys": 0,
			"repeat_yearly": 1,
		}
	).insert()
	survey.send_now()
	survey.reload()
	survey.send_invitations()  # the worker would do this; idempotent if it does too
	keys = [q.name for q in frappe.get_doc("Survey Template", template_name).questions]
	scores = {
		"Northwind Logistics": (5, 4, 10, 6, "Keep the weekend changes coming."),
		"Contoso Health": (2, 2, 4, 2, "Outages are not communicated."),
	}
	for invitation in frappe.get_all(
		"Survey Invitation", filters={"survey": survey.name}, fields=["name", "customer"]
	):
		if invitation.customer in scores:
			overall, info, nps, ces, text = scores[invitation.customer]
			token = frappe.get_doc("Survey Invitation", invitation.name).get_password("token")
			submit_response(
				token,
				{
					keys[0]: {"score": overall, "text": text if overall <= 2 else None},
					keys[1]: {"score": info},
					keys[2]: {"score": nps},
					keys[3]: {"score": ces},
					keys[4]: {"text": text},
				},
			)
	frappe.get_doc("Satisfaction Survey", survey.name).evaluate_results()

	after_care = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"title": f"After-care survey {MARK}",
			"template": template_name,
			"kind": "Transactional",
			"sampling_percent": 100,
			"min_days_between_surveys": 30,
		}
	).insert()
	after_care.send_now()
	frappe.db.set_single_value("BRM Settings", "transactional_survey", after_care.name)
	return 2


def make_reviews() -> int:
	"""An approved quarterly review with minutes and action items (one overdue), a requirement
	raised in it, next reviews planned by the scheduler, and every portfolio's health score."""
	from frappe.model.workflow import apply_workflow
	from frappe.utils import add_days, getdate

	from brm_app.health import refresh_health
	from brm_app.reviews import schedule_next_reviews
	from brm_app.rules.metrics import period_before

	if frappe.db.exists(
		"Service Performance Review", {"customer": "Northwind Logistics", "minutes": ("like", f"%{MARK}%")}
	):
		return 0
	start, end = period_before("Quarterly", getdate(today()))
	review = frappe.get_doc(
		{
			"doctype": "Service Performance Review",
			"customer": "Northwind Logistics",
			"review_kind": "Quarterly",
			"period_start": start,
			"period_end": end,
			"scheduled_on": f"{add_days(end, 10)} 10:00:00",
			"attendees": [
				{
					"side": "Provider",
					"user": MANAGER,
					"attendee_name": "BRM Demo",
					"role": "Relationship manager",
				},
				{
					"side": "Customer",
					"contact": frappe.db.get_value(
						"Contact", {"email_id": CUSTOMERS["Northwind Logistics"][2]}
					),
					"attendee_name": "Operations",
					"role": "Head of operations",
				},
			],
			"minutes": f"<p>Peak-season tracking outage reviewed; migration weekend praised. {MARK}</p>",
			"decisions": "<p>Add capacity before the next peak season.</p>",
			"action_items": [
				{
					"description": "Capacity plan for the tracking portal",
					"action_owner": SUPPORT,
					"due_date": add_days(today(), -5),
				},
				{
					"description": "Share the outage post-mortem",
					"action_owner": MANAGER,
					"due_date": add_days(today(), 14),
				},
			],
		}
	).insert()
	review.raise_requirement(
		"Real-time shipment tracking API", "<p>Our customers want live tracking in our app.</p>"
	)
	review = apply_workflow(review, "Mark as Held")
	apply_workflow(review, "Approve Minutes")
	for customer in ("Contoso Health", "Fabrikam Retail"):
		frappe.db.set_value("Customer Portfolio", customer, "next_review_date", add_days(today(), 7))
	schedule_next_reviews()
	refresh_health(None)
	return 1
