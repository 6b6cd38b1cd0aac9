"""A year of the demo's history: complaints, compliments, after-care answers and reviews,
each recorded at the moment it happened (the clock is set for it), so that every date, target,
duration, version and metrics pack is what the process itself would have stamped then."""

import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_months, get_system_timezone, getdate

from brm_app.demo.records import CUSTOMERS, MANAGER, MARK, SERVICES, SUPPORT

#: What went wrong, by service: subject, severity, root-cause category, complaint category.
TROUBLES = {
	"Managed Hosting": [
		("Website down for two hours", "Critical", "Technology", "Availability and Outages"),
		("Backups failed silently for a week", "High", "Process", "Service Quality"),
		("Planned maintenance not announced", "Medium", "Communication", "Communication"),
		("Slow response times every Monday morning", "Medium", "Technology", "Service Quality"),
		("Certificate expired on the customer portal", "High", "Process", "Availability and Outages"),
	],
	"Service Desk": [
		("Ticket closed without asking us", "Medium", "Process", "Service Quality"),
		("No call back after the promised time", "High", "Communication", "Communication"),
		("Had to explain the problem three times", "Low", "People", "Staff Conduct"),
		("Password reset took two days", "Medium", "Process", "Delivery and Timeliness"),
		("Agent was dismissive on the phone", "Low", "People", "Staff Conduct"),
	],
	"Payroll Processing": [
		("Payroll run a day late", "High", "Process", "Delivery and Timeliness"),
		("Wrong tax code applied to new starters", "High", "People", "Service Quality"),
		("Payslips sent to the wrong addresses", "Critical", "Process", "Service Quality"),
		("Year-end report missing two departments", "Medium", "Technology", "Delivery and Timeliness"),
	],
}

#: How each customer tends to feel: (lowest, highest) after-care rating, share of complaints.
MOOD = {
	"Northwind Logistics": ((4, 5), 3),
	"Contoso Health": ((1, 3), 4),
	"Fabrikam Retail": ((3, 5), 3),
	"Adventure Works": ((3, 4), 1),
}

PRAISE = [
	"Migration weekend went flawlessly",
	"Service desk was patient and clear",
	"Payroll team stayed late to get it right",
	"Clear monthly service report",
	"Engineer on site was friendly and quick",
	"Great help with the year-end close",
]


@contextmanager
def clock(moment: datetime):
	"""Everything inside happens at ``moment`` (system time zone), as the process would have
	stamped it then."""
	import pytz
	from freezegun import freeze_time

	zone = pytz.timezone(get_system_timezone())
	# Ticking from a moment with microseconds, as a real clock: Frappe compares a record's
	# `modified` as text, and a time of whole seconds is written without its microseconds.
	start = zone.localize(moment.replace(microsecond=1)).astimezone(pytz.utc)
	with freeze_time(start, tick=True):
		yield


def working_moment(rng: random.Random, day: date) -> datetime:
	"""A time during office hours on ``day`` (moved to Monday when it falls on a weekend)."""
	while day.weekday() >= 5:
		day += timedelta(days=1)
	return datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 10, 20, 30, 40, 50))))


def plan_complaints(today: date, seed: int = 2026) -> list[dict]:
	"""Complaints over the eleven months before the last three weeks, all of them handled to
	the end: how long each step took, and what the customer said afterwards."""
	rng = random.Random(seed)
	customers = [c for c, (_, weight) in MOOD.items() for _ in range(weight)]
	plans = []
	start = add_months(today, -12)
	day = getdate(start)
	last = getdate(add_days(today, -21))
	while day < last:
		day = getdate(add_days(day, rng.randint(5, 12)))
		if day >= last:
			break
		customer = rng.choice(customers)
		service = rng.choice(SERVICES)
		subject, severity, cause, category = rng.choice(TROUBLES[service])
		received = working_moment(rng, day)
		ack = received + timedelta(hours=rng.choice((1, 2, 3, 5, 8, 20, 30)))
		plan = {
			"customer": customer,
			"service": service,
			"subject": subject,
			"severity": severity,
			"category": category,
			"root_cause_category": cause,
			"received_on": received,
			"steps": [("Acknowledge", ack)],
			"rating": None,
		}
		if rng.random() < 0.08:
			plan["steps"] = [("Reject as Not a Complaint", ack)]
			plan["rejection_reason"] = "A request for a new feature, passed to service level management"
			plans.append(plan)
			continue
		investigate = ack + timedelta(hours=rng.randint(2, 30))
		propose = investigate + timedelta(hours=rng.randint(20, 24 * 9))
		plan["steps"] += [("Start Investigation", investigate), ("Propose Resolution", propose)]
		if rng.random() < 0.12:
			# The customer turns the first proposal down; a better one follows.
			again = propose + timedelta(hours=rng.randint(20, 60))
			plan["customer_rejection_reason"] = "This does not stop it from happening again."
			plan["steps"] += [
				("Reject Resolution", again),
				("Propose Resolution", again + timedelta(hours=rng.randint(20, 80))),
			]
			propose = plan["steps"][-1][1]
		closed = propose + timedelta(hours=rng.randint(4, 96))
		plan["steps"].append(("Accept Resolution", closed))
		low, high = MOOD[customer][0]
		if rng.random() < 0.75:
			plan["rating"] = (rng.randint(low, high), closed + timedelta(hours=rng.randint(2, 48)))
		plans.append(plan)
	return plans


def play_complaints(contacts: dict[str, str], plans: list[dict], today: date) -> int:
	"""Record the planned complaints (plan_complaints), each step at its moment."""
	from brm_app.api.survey import submit_response

	made = 0
	for plan in plans:
		with clock(plan["received_on"]):
			doc = frappe.get_doc(
				{
					"doctype": "Complaint",
					"customer": plan["customer"],
					"contact": contacts[plan["customer"]],
					"subject": f"{plan['subject']} {MARK}",
					"severity": plan["severity"],
					"category": plan["category"]
					if frappe.db.exists("Complaint Category", plan["category"])
					else None,
					"channel": random.Random(plan["subject"]).choice(("E-mail", "Phone", "Portal")),
					"received_on": plan["received_on"],
					"service": plan["service"],
					"description": f"<p>{plan['subject']}.</p>",
					"complaint_owner": SUPPORT,
				}
			).insert()
		doc = play_steps(doc, plan["steps"], plan)
		made += 1
		if plan["rating"]:
			score, moment = plan["rating"]
			invitation = frappe.db.get_value(
				"Survey Invitation",
				# one the contact policy held back (asked recently) was never sent: no answer
				{
					"reference_doctype": "Complaint",
					"reference_name": doc.name,
					"status": ("in", ["Sent", "Reminded"]),
				},
			)
			if invitation:
				with clock(moment):
					token = frappe.get_doc("Survey Invitation", invitation).get_password("token")
					keys = after_care_questions()
					submit_response(
						token,
						{
							keys[0]: {
								"score": score,
								"text": "Took too long and nobody kept us informed." if score <= 2 else None,
							},
							keys[1]: {"text": "Thanks for sorting it out." if score >= 4 else None},
						},
					)
				follow_up = frappe.db.get_value("Complaint", {"survey_invitation": invitation})
				if follow_up:
					play_follow_up(frappe.get_doc("Complaint", follow_up), moment, today)
	return made


def play_steps(doc, steps: list[tuple[str, datetime]], plan: dict):
	"""Apply the workflow actions of a complaint, each at its moment, with what each needs."""
	for action, moment in steps:
		with clock(moment):
			doc.reload()
			if action == "Start Investigation":
				doc.root_cause_category = plan.get("root_cause_category") or "Process"
				doc.root_cause = "Found in the investigation; see the corrective actions."
				doc.append(
					"corrective_actions",
					{"action": "Fix the cause and check it stays fixed", "action_owner": SUPPORT},
				)
			elif action == "Propose Resolution":
				doc.proposed_resolution = "We fixed the cause and added a check so it does not recur."
			elif action == "Reject Resolution":
				doc.customer_rejection_reason = plan["customer_rejection_reason"]
			elif action == "Reject as Not a Complaint":
				doc.rejection_reason = plan["rejection_reason"]
			elif action == "Accept Resolution":
				for row in doc.corrective_actions:
					row.status = "Done"
			if action != "Acknowledge":
				doc.save()  # what the step needs, saved first: the workflow action reloads it
			doc = apply_workflow(doc, action)
	return doc


def play_follow_up(doc, answered: datetime, today: date) -> None:
	"""A low after-care answer opened a follow-up: the relationship manager calls the customer
	and closes it within days; the last weeks' follow-ups are still being handled."""
	steps = [
		("Acknowledge", answered + timedelta(hours=3)),
		("Start Investigation", answered + timedelta(days=1)),
		("Propose Resolution", answered + timedelta(days=3)),
		("Accept Resolution", answered + timedelta(days=6)),
	]
	play_steps(doc, [step for step in steps if step[1].date() < getdate(add_days(today, -14))], {})


def after_care_questions() -> list[str]:
	survey = frappe.db.get_single_value("BRM Settings", "transactional_survey")
	template = frappe.db.get_value("Satisfaction Survey", survey, "template")
	return [q.name for q in frappe.get_cached_doc("Survey Template", template).questions]


def play_compliments(contacts: dict[str, str], today: date, seed: int = 7) -> int:
	"""Praise across the year, evaluated and passed on within days."""
	rng = random.Random(seed)
	made = 0
	for number, subject in enumerate(PRAISE):
		customer = list(CUSTOMERS)[number % len(CUSTOMERS)]
		received = working_moment(rng, getdate(add_days(today, -rng.randint(10, 350))))
		with clock(received):
			doc = frappe.get_doc(
				{
					"doctype": "Compliment",
					"customer": customer,
					"contact": contacts[customer],
					"subject": f"{subject} {MARK}",
					"compliment": f"<p>{subject}. Thank you!</p>",
					"praised_text": "The support team",
				}
			).insert()
		with clock(received + timedelta(hours=rng.randint(2, 30))):
			doc.reload()
			doc.evaluation = rng.choice(("Notable", "Exceptional"))
			doc.append("praised", {"praised_doctype": "User", "praised_name": SUPPORT})
			doc.save()
			doc = apply_workflow(doc, "Evaluate")
		with clock(received + timedelta(days=rng.randint(2, 6))):
			doc.reload()
			apply_workflow(doc, "Acknowledge")
		made += 1
	return made


def play_reviews(today: date) -> int:
	"""Quarterly reviews of Northwind Logistics for the last three quarters and one of Contoso
	Health: held, minutes approved and shared with the customer, each with the metrics pack of
	its quarter; the latest leaves an action item overdue."""
	from brm_app.rules.metrics import period_before

	made = 0
	quarters = []
	day = getdate(today)
	for _ in range(3):
		start, end = period_before("Quarterly", day)
		quarters.append((start, end))
		day = start
	plans = [("Northwind Logistics", start, end, index == 0) for index, (start, end) in enumerate(quarters)]
	plans.append(("Contoso Health", *quarters[0], True))
	for customer, start, end, latest in reversed(plans):
		if frappe.db.exists("Service Performance Review", {"customer": customer, "period_start": start}):
			continue
		held = datetime.combine(getdate(add_days(end, 12)), time(10))
		with clock(held - timedelta(days=7)):
			review = frappe.get_doc(review_document(customer, start, end, held, latest, today)).insert()
			if latest and customer == "Northwind Logistics":
				review.raise_requirement(
					f"Real-time shipment tracking API {MARK}",
					"<p>Our customers want live tracking in our app.</p>",
				)
		with clock(held + timedelta(hours=2)):
			review.reload()
			review = apply_workflow(review, "Mark as Held")
		with clock(held + timedelta(days=2)):
			review.reload()
			review.share_with_customer = 1
			review.save()
			apply_workflow(review, "Approve Minutes")
		made += 1
	return made


def review_document(customer: str, start: date, end: date, held: datetime, latest: bool, today: date) -> dict:
	contact = frappe.db.get_value("Contact", {"email_id": CUSTOMERS[customer][2]})
	due = getdate(add_days(today, -5)) if latest else getdate(add_days(held, 20))
	return {
		"doctype": "Service Performance Review",
		"customer": customer,
		"review_kind": "Quarterly",
		"period_start": start,
		"period_end": end,
		"scheduled_on": held,
		"attendees": [
			{
				"side": "Provider",
				"user": MANAGER,
				"attendee_name": "BRM Demo",
				"role": "Relationship manager",
			},
			{
				"side": "Customer",
				"contact": contact,
				"attendee_name": "Operations",
				"role": "Head of operations",
			},
		],
		"minutes": f"<p>The quarter's complaints, survey answers and service levels reviewed. {MARK}</p>",
		"decisions": "<p>Add capacity before the next peak season.</p>",
		"action_items": [
			{
				"description": "Capacity plan for the tracking portal",
				"action_owner": SUPPORT,
				"due_date": due,
				"status": "Open" if latest else "Done",
			},
			{
				"description": "Share the outage post-mortem",
				"action_owner": MANAGER,
				"due_date": getdate(add_days(due, 19)),
				"status": "Open" if latest else "Done",
			},
		],
	}


#: A year of requests for change in every state: customer, title, service (index into SERVICES,
#: one of the portfolio's: 0 or 1), days ago raised, steps.
#: A step is (days after raising, what happens): a workflow action, ("ask", question),
#: ("answer", text), ("cab", decision, note), ("schedule", days ahead), ("implement",),
#: ("confirm", delivered, note).
CHANGES = [
	(
		"Northwind Logistics",
		"Track parcels by SMS",
		1,
		300,
		[
			(0, "Submit Request"),
			(3, "Start Assessment"),
			(9, "Send to CAB"),
			(14, ("cab", "Approved", "Approved: SMS gateway from the existing contract.")),
			(14, "Record CAB Approval"),
			(16, ("schedule", 20)),
			(16, "Schedule"),
			(36, ("implement",)),
			(36, "Mark Implemented"),
			(40, ("confirm", True, "Drivers and customers get the texts.")),
		],
	),
	(
		"Contoso Health",
		"Single sign-on for clinicians",
		0,
		200,
		[
			(0, "Submit Request"),
			(5, "Start Assessment"),
			(12, "Send to CAB"),
			(19, ("cab", "Rejected", "Not this year: the identity platform is being replaced.")),
			(19, "Record CAB Rejection"),
		],
	),
	(
		"Contoso Health",
		"Faster password resets",
		1,
		70,
		[(0, "Submit Request"), (4, "Start Assessment"), (10, "Send to CAB")],
	),
	(
		"Contoso Health",
		"Remote access for night nurses",
		0,
		35,
		[
			(0, "Submit Request"),
			(2, "Start Assessment"),
			(6, "Send to CAB"),
			(13, ("cab", "Rejected", "The security review found no safe way yet; we will propose one.")),
			(13, "Record CAB Rejection"),
		],
	),
	(
		"Fabrikam Retail",
		"Extra payroll run at month end",
		1,
		40,
		[
			(0, "Submit Request"),
			(2, "Start Assessment"),
			(8, "Send to CAB"),
			(15, ("cab", "Approved", "Approved for the next quarter end.")),
			(15, "Record CAB Approval"),
			(20, ("schedule", 30)),
			(20, "Schedule"),
		],
	),
	(
		"Fabrikam Retail",
		"Store-level sales report",
		1,
		90,
		[
			(0, "Submit Request"),
			(3, "Start Assessment"),
			(9, "Send to CAB"),
			(16, ("cab", "Approved", "Approved.")),
			(16, "Record CAB Approval"),
			(20, ("schedule", 60)),
			(20, "Schedule"),
			(80, ("implement",)),
			(80, "Mark Implemented"),
		],
	),
	(
		"Fabrikam Retail",
		"Loyalty data feed",
		0,
		150,
		[
			(0, "Submit Request"),
			(4, "Start Assessment"),
			(11, "Send to CAB"),
			(18, ("cab", "Approved", "Approved with a test feed first.")),
			(18, "Record CAB Approval"),
			(25, ("schedule", 30)),
			(25, "Schedule"),
			(55, ("implement",)),
			(55, "Mark Implemented"),
			(60, ("confirm", False, "The feed misses the weekend transactions.")),
		],
	),
	(
		"Northwind Logistics",
		"Weekend service desk",
		1,
		20,
		[
			(0, "Submit Request"),
			(2, "Start Assessment"),
			(17, ("ask", "Which hours on Saturday and Sunday, and for how many drivers?")),
		],
	),
	(
		"Northwind Logistics",
		"Move backups to 02:00",
		0,
		60,
		[
			(0, "Submit Request"),
			(1, "Start Assessment"),
			(5, "Send to CAB"),
			(12, ("cab", "Deferred", "Deferred until the storage upgrade is done.")),
			(12, "Record CAB Deferral"),
		],
	),
	(
		"Adventure Works",
		"New dashboard for the board",
		1,
		9,
		[(0, "Submit Request"), (3, "Start Assessment")],
	),
	("Adventure Works", "Archive old projects", 0, 120, [(0, "Submit Request"), (6, "Withdraw")]),
	(
		"Adventure Works",
		"Quarterly business review pack",
		0,
		25,
		[
			(0, "Submit Request"),
			(2, "Start Assessment"),
			(7, "Send to CAB"),
			(14, ("cab", "Approved", "Approved: we will schedule it with you.")),
			(14, "Record CAB Approval"),
		],
	),
	("Northwind Logistics", "A depot feed for Leeds", 0, 3, [(0, "Submit Request")]),
	("Northwind Logistics", "Add a staging environment", 0, 4, []),
]


def play_changes(contacts: dict[str, str], today: date, seed: int = 11) -> int:
	"""Requests for change across the year, each step at the moment it happened."""
	rng = random.Random(seed)
	made = 0
	for customer, title, service, days_ago, steps in CHANGES:
		raised = working_moment(rng, getdate(add_days(today, -days_ago)))
		with clock(raised):
			doc = frappe.get_doc(
				{
					"doctype": "Request for Change",
					"title": f"{title} {MARK}",
					"customer": customer,
					"contact": contacts[customer],
					"contact_email": frappe.db.get_value("Contact", contacts[customer], "email_id"),
					"description": f"<p>{title}.</p>",
					"business_justification": "It saves our people time every week.",
					"urgency": rng.choice(("Low", "Medium", "High")),
					"services": [{"service": SERVICES[service]}],
				}
			).insert()
		for offset, step in steps:
			with clock(raised + timedelta(days=offset, minutes=rng.randint(5, 50))):
				doc = play_change_step(frappe.get_doc("Request for Change", doc.name), step)
		made += 1
	return made


def play_change_step(doc, step):
	if isinstance(step, str):
		return apply_workflow(doc, step)
	kind, *args = step
	now = frappe.utils.now_datetime().replace(microsecond=0)
	if kind == "cab":
		decision, note = args
		doc.append(
			"cab_sittings",
			{
				"sitting_date": now.date(),
				"customer_position": "Presented the customer's case and their business justification.",
				"decision": decision,
				"note_for_customer": note,
			},
		)
		doc.save()
	elif kind == "schedule":
		doc.planned_start = now + timedelta(days=args[0])
		doc.planned_end = doc.planned_start + timedelta(hours=3)
		doc.implementer = SUPPORT
		doc.save()
	elif kind == "implement":
		doc.implemented_on = now
		doc.save()
	elif kind == "ask":
		doc.ask_the_customer(args[0])
	elif kind == "confirm":
		doc.confirm_for_the_customer(int(args[0]), args[1])
	return frappe.get_doc("Request for Change", doc.name)


def play_incident(contacts: dict[str, str], today: date) -> int:
	"""A past outage of Managed Hosting: its customers told at the start and on an update, two
	complaints linked to it, the service restored three hours later, the post-incident summary
	answering the complaints."""
	from brm_app.brm_app.doctype.service_incident.service_incident import store_figures

	start = working_moment(random.Random(5), getdate(add_days(today, -45)))
	frappe.flags.brm_jobs_now = True  # notices at the moment they were sent, not by a worker later
	try:
		with clock(start):
			incident = frappe.get_doc(
				{
					"doctype": "Service Incident",
					"title": f"Managed Hosting unavailable {MARK}",
					"impact": "Critical",
					"started_on": start,
					"expected_end": start + timedelta(hours=4),
					"public_summary": "Sites on our hosting platform do not answer. Engineers are working on it.",
					"internal_notes": "Storage array firmware stalled after the scheduled update.",
					"services": [{"service": SERVICES[0]}],
				}
			).insert()
		complaints = []
		for customer, minutes in (("Contoso Health", 25), ("Fabrikam Retail", 70)):
			with clock(start + timedelta(minutes=minutes)):
				complaint = frappe.get_doc(
					{
						"doctype": "Complaint",
						"customer": customer,
						"contact": contacts[customer],
						"subject": f"Our website is down {MARK}",
						"description": "<p>Nobody can reach our site.</p>",
						"service": SERVICES[0],
						"service_incident": incident.name,
						"channel": "Portal",
					}
				).insert()
				complaints.append(apply_workflow(complaint, "Acknowledge"))
		with clock(start + timedelta(minutes=60)):
			incident = frappe.get_doc("Service Incident", incident.name)
			incident.append(
				"updates",
				{
					"public_update": "Failover to the second site has started.",
					"next_update_by": frappe.utils.now_datetime() + timedelta(hours=1),
				},
			)
			incident.save()
		with clock(start + timedelta(hours=3)):
			frappe.get_doc("Service Incident", incident.name).resolve()
		with clock(start + timedelta(days=2)):
			incident = frappe.get_doc("Service Incident", incident.name)
			incident.root_cause = "A firmware update stalled the storage array."
			incident.post_incident_summary = (
				"<p>A storage firmware update stalled the hosting platform for three hours. We have "
				"rolled it back, and updates now run on one site at a time.</p>"
			)
			incident.save()
			incident.answer_linked_complaints()
			frappe.get_doc("Service Incident", incident.name).close()
		store_figures(incident.name)
	finally:
		frappe.flags.brm_jobs_now = False
	return 1
