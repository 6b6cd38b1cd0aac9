# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import hashlib
from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime

from brm_app.api.survey import submit_response
from brm_app.brm_app.doctype.survey_invitation import survey_invitation
from brm_app.tests.utils import (
	BRM_ROLE,
	BRMTestCase,
	make_contact,
	make_customer,
	make_outgoing_email_account,
	make_portfolio,
	make_service_item,
	make_user,
)

RM = "brm.survey.manager@example.com"


def run_daily_jobs() -> None:
	"""The survey jobs of hooks.scheduler_events["daily_long"], in their order."""
	for path in frappe.get_hooks("scheduler_events")["daily_long"]:
		if ".survey" in path or "satisfaction_survey" in path:
			frappe.get_attr(path)()


CUSTOMERS = ["_Test BRM Survey Alpha", "_Test BRM Survey Beta", "_Test BRM Survey Gamma"]
DORMANT = "_Test BRM Survey Dormant"


def make_template(name="_Test BRM Relationship Survey", questions=None):
	if frappe.db.exists("Survey Template", name):
		return frappe.get_doc("Survey Template", name)
	return frappe.get_doc(
		{
			"doctype": "Survey Template",
			"template_name": name,
			"introduction": "Tell us how we are doing.",
			"questions": questions
			or [
				{
					"question": "How satisfied are you with our service?",
					"kind": "Rating 1-5",
					"dimension": "Service quality",
					"weight": 2,
					"mandatory": 1,
					"comment_required_at_or_below": 2,
				},
				{
					"question": "How likely are you to recommend us?",
					"kind": "NPS 0-10",
					"dimension": "Loyalty",
					"weight": 1,
					"mandatory": 1,
				},
				{
					"question": "How easy was it to get help?",
					"kind": "CES 1-7",
					"dimension": "Effort",
					"weight": 1,
				},
				{"question": "Which channel do you prefer?", "kind": "Choice", "options": "Phone\nE-mail"},
				{"question": "Anything else?", "kind": "Free Text"},
			],
		}
	).insert()


class SurveyTestCase(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		make_user(RM, [BRM_ROLE])
		cls.contacts = {}
		for customer in [*CUSTOMERS, DORMANT]:
			make_customer(customer)
			slug = customer.split()[-1].lower()
			rep = make_contact(customer, f"rep@{slug}.example.com")
			other = make_contact(customer, f"user@{slug}.example.com")
			cls.contacts[customer] = (rep, other)
			make_portfolio(
				customer,
				relationship_manager=RM,
				authorised_representative=rep,
				relationship_status="Dormant" if customer == DORMANT else "Active",
			)
		cls.template = make_template()
		settings = frappe.get_single("BRM Settings")
		settings.minimum_csat = 80
		settings.nps_floor = 0
		settings.survey_follow_up_severity = "High"
		settings.save()

	def survey(self, **values):
		return frappe.get_doc(
			{
				"doctype": "Satisfaction Survey",
				"title": "_Test yearly relationship survey",
				"template": self.template.name,
				"kind": "Relationship",
				"audience": "Chosen Customers",
				"customers": [{"customer": c} for c in CUSTOMERS],
				"sampling_percent": 100,
				"min_days_between_surveys": 90,
				"expires_after_days": 14,
				"remind_after_days": 7,
				**values,
			}
		).insert()

	def transactional(self):
		"""The open after-care survey named in BRM Settings."""
		survey = self.survey(title="_Test after-care survey", kind="Transactional", customers=[])
		survey.send_now()
		frappe.db.set_single_value("BRM Settings", "transactional_survey", survey.name)
		frappe.clear_document_cache("BRM Settings", "BRM Settings")
		return survey

	def keys(self):
		return [q.name for q in self.template.questions]

	def answers(self, rating=5, nps=10, ces=7, comment=None, choice="Phone"):
		k = self.keys()
		return {
			k[0]: {"score": rating, "text": comment},
			k[1]: {"score": nps},
			k[2]: {"score": ces},
			k[3]: {"choice": choice},
			k[4]: {"text": "Keep it up"},
		}

	def sent(self, survey):
		survey.send_now()
		return frappe.get_all(
			"Survey Invitation", filters={"survey": survey.name}, fields=["name", "customer", "contact"]
		)

	def token(self, invitation_name):
		return frappe.get_doc("Survey Invitation", invitation_name).get_password("token")

	def invite(self):
		"""One sent invitation of a fresh survey."""
		return frappe.get_doc("Survey Invitation", self.sent(self.survey())[0].name)


class TestSurveyTemplate(SurveyTestCase):
	def test_choice_without_options_and_bad_threshold_refused(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_template(
				"_Test BRM Bad Template",
				[
					{"question": "Pick", "kind": "Choice"},
					{"question": "Rate", "kind": "Rating 1-5", "comment_required_at_or_below": 9},
				],
			)
		self.assertIn("Row 1", str(ctx.exception))
		self.assertIn("Row 2", str(ctx.exception))
		self.assertFalse(frappe.db.exists("Survey Template", "_Test BRM Bad Template"))


class TestSending(SurveyTestCase):
	def test_relationship_survey_invites_authorised_representatives(self):
		survey = self.survey()
		invitations = self.sent(survey)
		self.assertEqual(
			sorted(i.contact for i in invitations), sorted(self.contacts[c][0] for c in CUSTOMERS)
		)
		survey.reload()
		self.assertEqual((survey.status, survey.invited), ("Open", 3))
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Survey Invitation", "reference_name": invitations[0].name},
			pluck="message",
		)
		self.assertTrue(queued and "/survey?token=" in queued[0])

	def test_large_audience_goes_out_in_chunk_jobs_on_the_long_queue(self):
		from unittest.mock import patch

		from brm_app.brm_app.doctype.satisfaction_survey import satisfaction_survey as module

		survey = self.survey(contacts_to_ask="All Contacts", min_days_between_surveys=0)
		survey.send_now()  # runs the planner at once in tests (two contacts per customer)
		jobs = []
		survey.reload()
		frappe.db.delete("Survey Invitation", {"survey": survey.name})
		with (
			patch.object(module, "SEND_CHUNK", 2),
			patch.object(frappe, "enqueue", side_effect=lambda fn, **kw: jobs.append((fn, kw))),
		):
			planned = survey.send_invitations()
		self.assertEqual(planned, 6)
		self.assertEqual(len(jobs), 3, "6 contacts in chunks of 2")
		self.assertTrue(all(kw["queue"] == "long" for _fn, kw in jobs))
		self.assertEqual(
			[kw["job_id"] for _fn, kw in jobs], [f"brm_survey_send::{survey.name}::{i}" for i in (1, 2, 3)]
		)
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "to_invite"), 6)
		# two workers given the same chunk (a re-planned send): nobody is invited twice
		fn, kw = jobs[0]
		fn(**{k: kw[k] for k in ("survey", "contacts", "part", "parts")})
		fn(**{k: kw[k] for k in ("survey", "contacts", "part", "parts")})
		self.assertEqual(frappe.db.count("Survey Invitation", {"survey": survey.name}), 2)
		# the rest never ran (worker killed): the daily resume invites exactly the others
		self.assertEqual(module.resume_sending(), 1)
		invited = frappe.get_all("Survey Invitation", filters={"survey": survey.name}, pluck="contact")
		self.assertEqual(len(invited), 6)
		self.assertEqual(len(set(invited)), 6)
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "invited"), 6)
		self.assertEqual(module.resume_sending(), 0, "nothing left to resume")

	def test_token_is_stored_only_hashed(self):
		invitation = self.sent(self.survey())[0]
		doc = frappe.get_doc("Survey Invitation", invitation.name)
		raw = doc.get_password("token")
		self.assertGreaterEqual(len(raw), 43, "at least 256 bits, URL-safe")
		self.assertEqual(doc.token_hash, hashlib.sha256(raw.encode()).hexdigest())
		row = frappe.db.sql(
			"select * from `tabSurvey Invitation` where name=%s", invitation.name, as_dict=True
		)[0]
		self.assertNotIn(raw, [str(v) for v in row.values()], "the raw token is in no column")

	def test_all_active_portfolios_skip_dormant_and_all_contacts(self):
		survey = self.survey(audience="All Active Portfolios", customers=[], contacts_to_ask="All Contacts")
		customers = {i.customer for i in self.sent(survey)}
		self.assertTrue(set(CUSTOMERS) <= customers)
		self.assertNotIn(DORMANT, customers)
		contacts = {
			i.contact for i in frappe.get_all("Survey Invitation", {"survey": survey.name}, ["contact"])
		}
		self.assertIn(self.contacts[CUSTOMERS[0]][1], contacts, "all contacts, not only representatives")

	def test_interval_between_surveys_to_a_contact(self):
		self.sent(self.survey())
		second = self.survey(title="_Test second survey a week later", min_days_between_surveys=0)
		second.send_now()
		rows = frappe.get_all(
			"Survey Invitation",
			filters={"survey": second.name},
			fields=["name", "status", "held_back_reason", "sent_on"],
		)
		self.assertEqual(
			{(r.status, r.held_back_reason, r.sent_on) for r in rows},
			{("Held Back", "Recently Asked", None)},
			"nobody is asked twice within the policy's gap; each is recorded with the reason",
		)
		self.assertEqual(len(rows), 3)
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", second.name, "invited"), 0)
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": ("in", [r.name for r in rows])}))

	def test_sampling(self):
		survey = self.survey(
			audience="All Active Portfolios",
			customers=[],
			contacts_to_ask="All Contacts",
			sampling_percent=50,
			min_days_between_surveys=0,  # whatever else the site has surveyed lately
		)
		audience = survey.audience_contacts()
		invited = self.sent(survey)
		self.assertEqual(len(invited), round(len(audience) * 0.5))

	def test_audience_needs_its_choice(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.survey(audience="Chosen Customers", customers=[])
		self.assertIn("Choose the customers", str(ctx.exception))


class TestAnswering(SurveyTestCase):
	def setUp(self):
		super().setUp()
		self.survey_doc = self.survey()
		self.invitation = self.sent(self.survey_doc)[0].name
		self.raw = self.token(self.invitation)

	def status(self):
		return frappe.db.get_value("Survey Invitation", self.invitation, ["status", "responded_on"])

	def test_guest_answers_with_the_link(self):
		frappe.set_user("Guest")
		result = submit_response(self.raw, self.answers(rating=4, nps=9, ces=6))
		frappe.set_user("Administrator")
		self.assertEqual(result["status"], "ok")
		doc = frappe.get_doc("Survey Invitation", self.invitation)
		self.assertEqual(doc.status, "Responded")
		self.assertEqual(doc.csat, 100.0)
		self.assertEqual(doc.nps, 100.0)
		self.assertEqual(doc.ces, 6.0)
		# rating 4 -> 75 (weight 2), NPS 9 -> 90, CES 6 -> 83.33
		self.assertAlmostEqual(doc.weighted_score, (2 * 75 + 90 + 100 * 5 / 6) / 4, places=2)
		self.assertEqual(len(doc.answers), 5)
		self.assertFalse(doc.below_minimum)

	def test_answers_that_are_not_json_refused_with_a_message(self):
		for answers in ("{not json", "[1, 2]", "42"):
			with self.subTest(answers=answers), self.assertRaises(frappe.ValidationError) as ctx:
				submit_response(self.raw, answers)
			self.assertIn("could not be read", str(ctx.exception))
		self.assertEqual(self.status(), ("Sent", None))

	def test_answer_saved_again_when_mariadb_picks_it_as_deadlock_victim(self):
		"""Two links answered at the same moment can deadlock on the answers' index (found by
		the battery); MariaDB rolled the victim back, so the answer is simply saved again."""
		from unittest.mock import patch

		from brm_app.brm_app.doctype.survey_invitation.survey_invitation import SurveyInvitation

		original = SurveyInvitation.record_response
		calls = []

		def deadlock_once(doc, *args):
			calls.append(doc.name)
			if len(calls) == 1:
				raise frappe.QueryDeadlockError("Deadlock found when trying to get lock")
			return original(doc, *args)

		with (
			patch.object(SurveyInvitation, "record_response", deadlock_once),
			patch.object(frappe.db, "rollback") as rollback,
		):
			result = submit_response(self.raw, self.answers())
		self.assertEqual(result["status"], "ok")
		self.assertEqual(len(calls), 2)
		rollback.assert_called_once()
		self.assertEqual(self.status()[0], "Responded")

	def test_second_submit_changes_nothing(self):
		submit_response(self.raw, self.answers())
		first = self.status()
		with self.assertRaises(frappe.ValidationError) as ctx:
			submit_response(self.raw, self.answers(rating=1, comment="changed my mind"))
		self.assertIn("already been answered", str(ctx.exception))
		self.assertEqual(self.status(), first)
		self.assertEqual(frappe.db.get_value("Survey Invitation", self.invitation, "csat"), 100.0)

	def test_expired_and_unknown_tokens(self):
		frappe.db.set_value("Survey Invitation", self.invitation, "expires_on", add_days(now_datetime(), -1))
		with self.assertRaises(frappe.ValidationError) as ctx:
			submit_response(self.raw, self.answers())
		self.assertIn("expired", str(ctx.exception))
		with self.assertRaises(frappe.DoesNotExistError):
			submit_response("not-a-real-token", self.answers())
		self.assertFalse(self.status()[1])

	def test_out_of_range_missing_and_comment_rules(self):
		k = self.keys()
		bad = [
			{**self.answers(), k[0]: {"score": 6}},  # out of range
			{**self.answers(), k[1]: {"score": None}},  # mandatory NPS missing
			{**self.answers(), k[0]: {"score": 2}},  # low score without the required comment
			{**self.answers(), k[3]: {"choice": "Pigeon"}},  # not an offered choice
			{**self.answers(), k[0]: {"score": "four"}},  # not a number
		]
		for answers in bad:
			with self.assertRaises(frappe.ValidationError):
				submit_response(self.raw, answers)
		self.assertEqual(self.status(), ("Sent", None))
		self.assertFalse(frappe.get_doc("Survey Invitation", self.invitation).answers)

	def test_low_score_opens_a_follow_up_for_the_relationship_manager(self):
		submit_response(self.raw, self.answers(rating=2, nps=3, comment="Invoices are always wrong"))
		doc = frappe.get_doc("Survey Invitation", self.invitation)
		self.assertTrue(doc.below_minimum)
		self.assertTrue(doc.follow_up)
		complaint = frappe.get_doc("Complaint", doc.follow_up)
		self.assertEqual(complaint.channel, "Survey")
		self.assertEqual(complaint.survey_invitation, doc.name)
		self.assertEqual(complaint.customer, doc.customer)
		self.assertEqual(complaint.complaint_owner, RM, "owned by the relationship manager")
		self.assertEqual(complaint.severity, "High")
		self.assertTrue(complaint.resolve_by, "with a due date")
		self.assertIn("Invoices are always wrong", complaint.description)

	def test_answer_page(self):
		from brm_app.www import survey as page

		frappe.form_dict.token = self.raw
		context = page.get_context(frappe._dict())
		self.assertEqual(context.state, "open")
		self.assertEqual([q["key"] for q in context.questions], self.keys())
		self.assertEqual(context.questions[1]["scale"], list(range(0, 11)))
		frappe.form_dict.token = "nonsense"
		self.assertEqual(page.get_context(frappe._dict()).state, "unknown")
		submit_response(self.raw, self.answers())
		frappe.form_dict.token = self.raw
		self.assertEqual(page.get_context(frappe._dict()).state, "responded")
		frappe.form_dict.pop("token")

	def test_portal_user_sees_open_invitations(self):
		invitation = frappe.get_doc("Survey Invitation", self.invitation)
		user = make_user(
			f"portal.{invitation.contact.lower().replace(' ', '')}@example.com"[:60],
			["Customer"],
			"Website User",
		)
		frappe.db.set_value("Contact", invitation.contact, "user", user)
		links = survey_invitation.open_invitations_for(user)
		self.assertEqual(len(links), 1)
		self.assertIn(self.raw, links[0]["link"])


class TestEvaluation(SurveyTestCase):
	def test_results_match_hand_computed_values(self):
		survey = self.survey()
		invitations = {i.customer: i.name for i in self.sent(survey)}
		alpha, beta = invitations[CUSTOMERS[0]], invitations[CUSTOMERS[1]]
		# Alpha: rating 5, NPS 10 (promoter), CES 7. Beta: rating 3, NPS 8 (passive), CES 4.
		# Gamma does not answer.
		submit_response(self.token(alpha), self.answers(rating=5, nps=10, ces=7))
		submit_response(self.token(beta), self.answers(rating=3, nps=8, ces=4))
		survey.reload()
		survey.evaluate()
		survey.reload()
		self.assertEqual(survey.status, "Evaluated")
		self.assertEqual((survey.invited, survey.responded), (3, 2))
		self.assertAlmostEqual(survey.response_rate, 200 / 3, places=3)
		self.assertEqual(survey.csat, 50.0)  # one 5, one 3
		self.assertEqual(survey.nps, 50.0)  # one promoter, one passive
		self.assertEqual(survey.ces, 5.5)
		# weighted: alpha (2*100 + 100 + 100), beta (2*50 + 80 + 50) over weights 8
		self.assertAlmostEqual(survey.weighted_score, (400 + 230) / 8, places=3)
		self.assertFalse(survey.meets_minimum, "CSAT 50 is below the minimum of 80")

		dims = {r.dimension: r for r in survey.dimension_results}
		self.assertEqual(dims["Service quality"].csat, 50.0)
		self.assertEqual(dims["Loyalty"].nps, 50.0)
		self.assertEqual(dims["Effort"].ces, 5.5)

		by_customer = {r.customer: r for r in survey.customer_results}
		self.assertEqual(by_customer[CUSTOMERS[0]].csat, 100.0)
		self.assertFalse(by_customer[CUSTOMERS[0]].below_minimum)
		self.assertTrue(by_customer[CUSTOMERS[1]].below_minimum)
		self.assertTrue(by_customer[CUSTOMERS[1]].follow_up, "a customer below the minimum gets a follow-up")
		self.assertEqual(by_customer[CUSTOMERS[2]].responded, 0)
		self.assertFalse(by_customer[CUSTOMERS[2]].below_minimum, "no answers, nothing to follow up")

		portfolio = frappe.get_doc("Customer Portfolio", CUSTOMERS[1])
		self.assertEqual((portfolio.current_csat, portfolio.current_nps), (0.0, 0.0))
		self.assertEqual(portfolio.last_survey, survey.name)

		survey.evaluate()  # evaluating again opens no second follow-up
		self.assertEqual(frappe.db.count("Complaint", {"customer": CUSTOMERS[1], "channel": "Survey"}), 1)

	def test_customer_satisfaction_report(self):
		from brm_app.brm_app.report.customer_satisfaction.customer_satisfaction import execute

		survey = self.survey()
		invitations = {i.customer: i.name for i in self.sent(survey)}
		submit_response(self.token(invitations[CUSTOMERS[0]]), self.answers(rating=5, nps=10, ces=7))
		submit_response(
			self.token(invitations[CUSTOMERS[1]]), self.answers(rating=3, nps=6, ces=3, comment=None)
		)
		_columns, data, message, chart, summary = execute({"group_by": "Customer", "survey": survey.name})
		rows = {r["grp"]: r for r in data}
		self.assertEqual(set(rows), set(CUSTOMERS), "the customer asked who did not answer too")
		self.assertEqual(rows[CUSTOMERS[0]]["csat"], 100.0)
		self.assertEqual(rows[CUSTOMERS[1]]["nps"], -100.0)
		self.assertFalse(rows[CUSTOMERS[1]]["meets_minimum"])
		self.assertEqual(
			[(rows[c]["invited"], rows[c]["responses"], rows[c]["response_rate"]) for c in CUSTOMERS],
			[(1, 1, 100.0), (1, 1, 100.0), (1, 0, 0)],
		)
		figures = {card["label"]: card["value"] for card in summary}
		self.assertEqual(figures["Responses"], 2, "two responses")
		self.assertAlmostEqual(figures["Response Rate"], 200 / 3, "two of three asked answered")
		self.assertEqual(figures["NPS"], 0.0, "one promoter and one detractor")
		self.assertEqual(len(chart["data"]["labels"]), 3)
		self.assertIn("CSAT", message)

		_, by_dimension, *_ = execute({"group_by": "Dimension", "survey": survey.name})
		self.assertEqual({r["grp"]: r["answers"] for r in by_dimension}["Effort"], 2)
		_, by_month, *_ = execute({"group_by": "Month", "survey": survey.name})
		self.assertEqual(by_month[0]["grp"], frappe.utils.now_datetime().strftime("%Y-%m"))
		with self.assertRaises(frappe.ValidationError):
			execute({"group_by": "Shoe size"})

	def test_empty_survey(self):
		survey = self.survey(
			audience="Chosen Customers",
			customers=[{"customer": DORMANT}],
			contacts_to_ask="Authorised Representatives",
		)
		survey.send_now()
		survey.evaluate()
		survey.reload()
		self.assertEqual((survey.invited, survey.responded, survey.response_rate), (1, 0, 0))
		self.assertFalse(survey.dimension_results, "no answers, no dimension figures")
		self.assertFalse(survey.customer_results[0].below_minimum)

	def test_report_prints(self):
		survey = self.survey()
		self.sent(survey)
		survey.reload()
		survey.evaluate()
		html = frappe.get_print("Satisfaction Survey", survey.name, print_format="Customer Survey Evaluation")
		self.assertIn("Customer Survey Evaluation", html)
		self.assertIn(CUSTOMERS[0], html)


class TestDailyJobAndTriggers(SurveyTestCase):
	def test_reminder_then_expiry_then_close_and_evaluate(self):
		survey = self.survey(repeat_yearly=1, send_on=frappe.utils.today())
		name = self.sent(survey)[0].name
		frappe.db.set_value("Survey Invitation", name, "sent_on", now_datetime() - timedelta(days=8))
		run_daily_jobs()
		invitation = frappe.get_doc("Survey Invitation", name)
		self.assertEqual(invitation.status, "Reminded")
		self.assertTrue(
			frappe.db.exists("Email Queue", {"reference_name": name, "message": ("like", "%reminder%")})
		)
		run_daily_jobs()
		self.assertEqual(
			frappe.db.count("Email Queue", {"reference_name": name, "message": ("like", "%reminder%")}), 1
		)

		frappe.db.set_value(
			"Survey Invitation", {"survey": survey.name}, "expires_on", now_datetime() - timedelta(minutes=1)
		)
		run_daily_jobs()
		self.assertEqual(frappe.db.get_value("Survey Invitation", name, "status"), "Expired")
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "status"), "Evaluated")
		repeat = frappe.get_doc("Satisfaction Survey", {"title": survey.title, "status": "Scheduled"})
		self.assertEqual(str(repeat.send_on), str(frappe.utils.add_years(frappe.utils.today(), 1)))
		self.assertEqual(
			(repeat.invited, repeat.responded, repeat.customer_results), (0, 0, []), "results start afresh"
		)

	def test_scheduled_survey_opens_on_its_date(self):
		survey = self.survey(send_on=add_days(frappe.utils.today(), 1))
		survey.schedule()
		run_daily_jobs()
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "status"), "Scheduled")
		frappe.db.set_value("Satisfaction Survey", survey.name, "send_on", frappe.utils.today())
		run_daily_jobs()
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "status"), "Open")
		self.assertEqual(frappe.db.count("Survey Invitation", {"survey": survey.name}), 3)

	def test_closing_a_complaint_invites_the_contact(self):
		survey = self.transactional()
		contact = self.contacts[CUSTOMERS[0]][1]
		self.service = make_service_item("_Test BRM Hosting Service")
		complaint = frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": CUSTOMERS[0],
				"contact": contact,
				"subject": "Slow response",
				"service": self.service,
			}
		).insert()
		complaint.proposed_resolution = "Faster routing"
		complaint.save()
		complaint = apply_workflow(complaint, "Acknowledge")
		complaint = apply_workflow(complaint, "Propose Resolution")
		self.assertFalse(frappe.db.exists("Survey Invitation", {"reference_name": complaint.name}))
		complaint.respond_to_resolution(accepted=True)
		invitation = frappe.get_doc("Survey Invitation", {"reference_name": complaint.name})
		self.assertEqual((invitation.survey, invitation.contact), (survey.name, contact))
		self.assertEqual(invitation.reference_doctype, "Complaint")
		self.assertEqual(invitation.service, self.service)

		submit_response(invitation.get_password("token"), self.answers(rating=4, nps=7, ces=5))
		survey.evaluate()
		survey.reload()
		self.assertEqual(
			[(r.service, r.responses, r.csat, r.nps) for r in survey.service_results],
			[(self.service, 1, 100.0, 0.0)],
		)

	def test_no_email_account_never_blocks_closing_a_complaint(self):
		from unittest.mock import patch

		self.transactional()
		complaint = frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": CUSTOMERS[0],
				"contact": self.contacts[CUSTOMERS[0]][1],
				"subject": "No mail",
			}
		).insert()
		complaint.proposed_resolution = "Fixed"
		complaint.save()
		complaint = apply_workflow(apply_workflow(complaint, "Acknowledge"), "Propose Resolution")
		with patch(
			"brm_app.brm_app.doctype.survey_invitation.survey_invitation._deliver",
			side_effect=frappe.OutgoingEmailError("no account"),
		):
			complaint.respond_to_resolution(accepted=True)
		self.assertEqual(frappe.db.get_value("Complaint", complaint.name, "status"), "Closed")
		name, status = frappe.db.get_value(
			"Survey Invitation", {"reference_name": complaint.name}, ["name", "status"]
		)
		self.assertEqual(status, "Pending", "kept, to be sent when e-mail works")

		run_daily_jobs()  # e-mail works again: the daily job sends it
		self.assertEqual(frappe.db.get_value("Survey Invitation", name, "status"), "Sent")

	def test_send_now_needs_an_email_account(self):
		from unittest.mock import patch

		survey = self.survey(title="_Test cannot send")
		with patch(
			"brm_app.brm_app.doctype.satisfaction_survey.satisfaction_survey.has_outgoing_email",
			return_value=False,
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				survey.send_now()
		self.assertIn("outgoing Email Account", str(ctx.exception))
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "status"), "Draft")

	def test_resolving_an_issue_invites_the_customer(self):
		survey = self.transactional()
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "_Test printer on fire",
				"raised_by": "someone@survey-issue.example.com",
				"customer": CUSTOMERS[1],
			}
		).insert(ignore_permissions=True)
		self.assertFalse(frappe.db.exists("Survey Invitation", {"reference_name": issue.name}))
		issue.status = "Resolved"
		issue.save(ignore_permissions=True)
		invitation = frappe.get_doc("Survey Invitation", {"reference_name": issue.name})
		self.assertEqual((invitation.survey, invitation.customer), (survey.name, CUSTOMERS[1]))
		self.assertEqual(invitation.email, "someone@survey-issue.example.com")
		issue.status = "Closed"
		issue.save(ignore_permissions=True)
		self.assertEqual(frappe.db.count("Survey Invitation", {"reference_name": issue.name}), 1)

	def test_interval_applies_to_an_email_without_contact(self):
		self.transactional()

		def resolved_issue(subject):
			issue = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": subject,
					"raised_by": "walk-in@survey-issue.example.com",
					"customer": CUSTOMERS[2],
				}
			).insert(ignore_permissions=True)
			issue.status = "Resolved"
			issue.save(ignore_permissions=True)
			return issue.name

		first, second = resolved_issue("_Test first"), resolved_issue("_Test second")
		self.assertEqual(
			frappe.db.get_value("Survey Invitation", {"reference_name": first}, "status"), "Sent"
		)
		self.assertEqual(
			frappe.db.get_value(
				"Survey Invitation", {"reference_name": second}, ["status", "held_back_reason"]
			),
			("Held Back", "Recently Asked"),
			"the same address is not asked twice within the gap; the second is kept with the reason",
		)

	def test_yearly_repeat_is_made_once(self):
		survey = self.survey(title="_Test repeat once", repeat_yearly=1, send_on=frappe.utils.today())
		self.sent(survey)
		survey.reload()
		survey.evaluate()
		repeat = frappe.get_doc("Satisfaction Survey", {"title": survey.title, "status": "Scheduled"})
		frappe.db.set_value("Satisfaction Survey", repeat.name, "status", "Open")
		survey.reload()
		survey.evaluate()  # evaluated again after the repeat has opened
		self.assertEqual(frappe.db.count("Satisfaction Survey", {"title": survey.title}), 2)

	def test_survey_follow_ups_do_not_trigger_surveys(self):
		self.transactional()
		name = survey_invitation.open_follow_up(CUSTOMERS[2], None, "_Test follow-up", "<p>low</p>")
		complaint = frappe.get_doc("Complaint", name)
		complaint.closing_reason = "Talked it through"
		complaint.outcome = "Not Upheld"
		complaint.save()
		apply_workflow(complaint, "Start Investigation")
		apply_workflow(frappe.get_doc("Complaint", name), "Close Formally")
		self.assertFalse(frappe.db.exists("Survey Invitation", {"reference_name": name}))


class TestSurveyStatus(SurveyTestCase):
	def test_set_status_is_the_one_way_and_follows_the_rules(self):
		survey = self.survey()
		self.assertEqual(survey.status, "Draft")
		with self.assertRaises(frappe.ValidationError):
			survey.set_status("Evaluated")  # a draft has nothing to evaluate
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "status"), "Draft")
		survey.reload()
		survey.send_on = add_days(now_datetime(), 3)
		survey.save()
		survey.schedule()
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "status"), "Scheduled")

	def test_results_and_status_cannot_be_set_by_a_request(self):
		from frappe.client import save

		survey = self.survey()
		payload = survey.as_dict()
		payload.update({"status": "Evaluated", "csat": 100, "nps": 100, "responded": 50})
		payload["title"] = "_Test renamed survey"
		save(payload)
		stored = frappe.get_doc("Satisfaction Survey", survey.name)
		self.assertEqual(stored.title, "_Test renamed survey")
		self.assertEqual((stored.status, stored.responded), ("Draft", 0))
		self.assertFalse(stored.csat)

	def test_closing_expires_unanswered_invitations(self):
		survey = self.survey()
		invitations = self.sent(survey)
		survey.reload()
		survey.close()
		statuses = {frappe.db.get_value("Survey Invitation", row.name, "status") for row in invitations}
		self.assertEqual(statuses, {"Expired"})
