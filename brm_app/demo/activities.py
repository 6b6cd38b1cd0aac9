"""Demo surveys (with answers) and service reviews, spread so reports have figures."""

import random
from datetime import datetime, timedelta

import frappe

from brm_app.demo.records import MARK, note


def relationship_survey_moment(today) -> datetime:
	"""When the demo's relationship survey went out: five months ago."""
	from frappe.utils import add_months, getdate

	from brm_app.demo.history import working_moment

	return working_moment(random.Random(2), getdate(add_months(today, -5)))


def open_after_care_survey(today) -> int:
	"""The after-care survey, opened a year ago (closed complaints feed it), and the templates."""
	from frappe.utils import add_months, getdate

	from brm_app.demo.history import clock, working_moment

	if frappe.db.exists("Satisfaction Survey", {"title": ("like", f"%{MARK}")}):
		return 0
	year_ago = working_moment(random.Random(1), getdate(add_months(today, -12)))
	with clock(year_ago):
		after_care_template = make_template(
			"After-care Survey",
			"One question about the complaint we just closed.",
			[
				{
					"question": "How satisfied are you with how we handled your complaint?",
					"kind": "Rating 1-5",
					"dimension": "Complaint handling",
					"weight": 1,
					"mandatory": 1,
					"comment_required_at_or_below": 2,
				},
				{"question": "What could we have done better?", "kind": "Free Text"},
			],
		)
		make_template(
			"Yearly Relationship Survey",
			"Five questions, two minutes. Thank you for your time.",
			[
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
			translations=GERMAN_RELATIONSHIP_SURVEY,
		)
		after_care = frappe.get_doc(
			{
				"doctype": "Satisfaction Survey",
				"title": f"After-care survey {MARK}",
				"template": after_care_template,
				"kind": "Transactional",
				"sampling_percent": 100,
				"min_days_between_surveys": 14,
			}
		).insert()
		after_care.send_now()
		frappe.db.set_single_value("BRM Settings", "transactional_survey", after_care.name)
	return 1


def run_relationship_survey(today) -> int:
	"""This year's relationship survey, sent five months ago, answered by three of the four
	customers (one low: a follow-up opens) and evaluated."""
	from brm_app.api.survey import submit_response
	from brm_app.demo.history import clock

	sent = relationship_survey_moment(today)
	relationship_template = "Yearly Relationship Survey"
	# Fabrikam Retail reads German: its contact is asked in German (the template's translation)
	frappe.db.set_value("Customer", "Fabrikam Retail", "language", "de")
	with clock(sent):
		survey = frappe.get_doc(
			{
				"doctype": "Satisfaction Survey",
				"title": f"Relationship survey {sent.year} {MARK}",
				"template": relationship_template,
				"kind": "Relationship",
				"audience": "All Active Portfolios",
				"contacts_to_ask": "Authorised Representatives",
				"period_start": f"{sent.year}-01-01",
				"period_end": f"{sent.year}-12-31",
				"min_days_between_surveys": 0,
			}
		).insert()
		survey.send_now()
		survey.reload()
		survey.invite_chunk(survey.contacts_to_invite())  # what the worker does; nobody twice if it does too
	keys = [q.name for q in frappe.get_doc("Survey Template", relationship_template).questions]
	scores = {
		"Northwind Logistics": (5, 4, 10, 6, "Keep the weekend changes coming.", 2),
		"Fabrikam Retail": (4, 3, 8, 5, "Payroll is better since the spring.", 5),
		"Contoso Health": (2, 2, 4, 2, "Outages are not communicated.", 9),
	}
	for invitation in frappe.get_all(
		"Survey Invitation",
		# those the contact policy held back or postponed were not asked: they cannot answer
		filters={"survey": survey.name, "status": ("in", ["Sent", "Reminded"])},
		fields=["name", "customer"],
	):
		if invitation.customer in scores:
			overall, info, nps, ces, text, after_days = scores[invitation.customer]
			with clock(sent + timedelta(days=after_days, hours=3)):
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
	with clock(sent + timedelta(days=21)):
		survey = frappe.get_doc("Satisfaction Survey", survey.name)
		survey.close()
		survey.evaluate()
	return 1


#: The yearly relationship survey in German: Fabrikam Retail (Customer language de) is asked in it.
GERMAN_RELATIONSHIP_SURVEY = [
	{"language": "de", "part": "Title", "text": "Jährliche Kundenbefragung"},
	{
		"language": "de",
		"part": "Introduction",
		"text": "Fünf Fragen, zwei Minuten. Vielen Dank für Ihre Zeit.",
	},
	{
		"language": "de",
		"part": "Question",
		"question_no": 1,
		"text": "Wie zufrieden sind Sie insgesamt mit unseren Leistungen?",
	},
	{
		"language": "de",
		"part": "Question",
		"question_no": 2,
		"text": "Wie zufrieden sind Sie damit, wie wir Sie auf dem Laufenden halten?",
	},
	{
		"language": "de",
		"part": "Question",
		"question_no": 3,
		"text": "Wie wahrscheinlich ist es, dass Sie uns einem Kollegen empfehlen?",
	},
	{
		"language": "de",
		"part": "Question",
		"question_no": 4,
		"text": "Wie einfach ist es, ein Problem gelöst zu bekommen?",
	},
	{
		"language": "de",
		"part": "Question",
		"question_no": 5,
		"text": "Was sollten wir beginnen, lassen oder beibehalten?",
	},
]


def make_template(name: str, introduction: str, questions: list[dict], translations=None) -> str:
	if not frappe.db.exists("Survey Template", name):
		frappe.get_doc(
			{
				"doctype": "Survey Template",
				"template_name": name,
				"introduction": introduction,
				"questions": questions,
				"translations": translations or [],
			}
		).insert()
		note("Survey Template", name)
	return name


def make_reviews(today) -> int:
	"""Reviews held over the last three quarters (history.play_reviews), the next ones planned
	by the scheduler, and every portfolio's health score."""
	from frappe.utils import add_days, getdate

	from brm_app.brm_app.doctype.customer_portfolio.health import backfill_history, refresh_health
	from brm_app.brm_app.doctype.service_performance_review.scheduling import schedule_next_reviews
	from brm_app.demo.history import play_reviews

	made = play_reviews(getdate(today))
	frappe.db.set_value("Customer Portfolio", "Fabrikam Retail", "next_review_date", add_days(today, 7))
	schedule_next_reviews()
	# A year of weekly health, computed from the year's records as of each week's end; today's
	# figures then raise the alerts the rules call for (Fabrikam slides from Healthy into At Risk).
	backfill_history(weeks=52)
	refresh_health(None)
	handle_health_alert("Fabrikam Retail")
	return made


def handle_health_alert(portfolio: str) -> None:
	"""The alert raised the week the portfolio entered At Risk (the daily job would have raised
	it then; the demo's history is written at once), and what the relationship manager did."""
	from frappe.utils import add_days

	entered = frappe.db.get_value(
		"Portfolio Health Snapshot",
		{"portfolio": portfolio, "band": "At Risk"},
		["week_ending", "score"],
		order_by="week_ending asc",
		as_dict=True,
	)
	if not entered:
		return
	review = frappe.db.get_value("Service Performance Review", {"customer": portfolio}, "name")
	frappe.get_doc(
		{
			"doctype": "Health Alert",
			"portfolio": portfolio,
			"relationship_manager": frappe.db.get_value(
				"Customer Portfolio", portfolio, "relationship_manager"
			),
			"kind": "Enters At Risk",
			"raised_on": entered.week_ending,
			"due_on": add_days(entered.week_ending, 3),
			"score": entered.score,
			"reasons": "Complaints about late deliveries and two escalations in the same month.",
			"action": "Review Planned" if review else "Call Logged",
			"action_note": "Called the store operations director; the quarterly review is planned to go "
			"through the delivery complaints and the escalations.",
			"reference_doctype": "Service Performance Review" if review else None,
			"reference_name": review,
		}
	).insert(ignore_permissions=True)
