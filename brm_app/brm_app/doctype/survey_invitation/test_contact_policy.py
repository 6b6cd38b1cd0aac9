# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""The survey contact policy wired to every source (issue 27): relationship sends, the
transactional survey after a complaint or an Issue, reminders; opt-out by the link and the
portal; held-back invitations recorded with the reason and shown on the evaluation."""

from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import now_datetime

from brm_app.api.survey import set_survey_preference, submit_response
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import (
	CUSTOMERS,
	SurveyTestCase,
	run_daily_jobs,
)
from brm_app.brm_app.doctype.survey_invitation.survey_invitation import (
	send_pending_invitations,
	send_reminders,
)
from brm_app.setup.contact_fields import OPT_OUT, OPT_OUT_ON, OPT_OUT_REASON
from brm_app.tests.utils import set_survey_policy

INV = "Survey Invitation"


class PolicyTestCase(SurveyTestCase):
	def setUp(self):
		super().setUp()
		set_survey_policy()  # the shipped policy: 2 in 90 days, 30 days apart, 1 reminder, quiet periods

	def send(self, survey):
		survey.send_now()
		return self.invitations(survey)

	def invitations(self, survey):
		return {
			row.contact: row
			for row in frappe.get_all(
				INV,
				filters={"survey": survey.name},
				fields=["name", "contact", "status", "held_back_reason", "postponed_until", "sent_on"],
			)
		}

	def complaint(self, customer, severity="Low", contact=None):
		return frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": customer,
				"contact": contact,
				"subject": f"_Test policy {severity}",
				"severity": severity,
			}
		).insert()

	def close(self, complaint):
		complaint.proposed_resolution = "Fixed"
		complaint.save()
		complaint = apply_workflow(apply_workflow(complaint, "Acknowledge"), "Propose Resolution")
		complaint.respond_to_resolution(accepted=True)
		return frappe.get_doc("Complaint", complaint.name)


class TestAcrossSources(PolicyTestCase):
	def test_asked_by_a_relationship_survey_not_asked_by_a_transactional_one(self):
		self.transactional()
		rep = self.contacts[CUSTOMERS[0]][0]
		self.sent(self.survey(min_days_between_surveys=0))
		complaint = self.close(self.complaint(CUSTOMERS[0], contact=rep))
		self.assertEqual(
			frappe.db.get_value(INV, {"reference_name": complaint.name}, ["status", "held_back_reason"]),
			("Held Back", "Recently Asked"),
		)
		self.assertFalse(
			frappe.db.exists(
				"Email Queue",
				{"reference_name": frappe.db.get_value(INV, {"reference_name": complaint.name})},
			)
		)

	def test_the_gap_and_the_limit_apply_across_surveys(self):
		set_survey_policy(min_gap_days=0, max_per_period=2, period_days=90)
		first = self.send(self.survey(title="_Test one", min_days_between_surveys=0))
		second = self.send(self.survey(title="_Test two", min_days_between_surveys=0))
		third = self.send(self.survey(title="_Test three", min_days_between_surveys=0))
		rep = self.contacts[CUSTOMERS[0]][0]
		self.assertEqual((first[rep].status, second[rep].status), ("Sent", "Sent"))
		self.assertEqual((third[rep].status, third[rep].held_back_reason), ("Held Back", "Asked Too Often"))
		set_survey_policy(min_gap_days=0, max_per_period=0)  # 0: no limit
		fourth = self.send(self.survey(title="_Test four", min_days_between_surveys=0))
		self.assertEqual(fourth[rep].status, "Sent")

	def test_a_surveys_own_longer_gap_still_applies(self):
		set_survey_policy(min_gap_days=0, max_per_period=0)
		self.sent(self.survey(title="_Test first"))
		later = self.send(self.survey(title="_Test 90 days", min_days_between_surveys=90))
		self.assertEqual({row.held_back_reason for row in later.values()}, {"Recently Asked"})


class TestQuietPeriods(PolicyTestCase):
	def test_a_serious_complaint_postpones_then_the_invitation_goes(self):
		set_survey_policy(quiet_days_after_complaint=0)
		complaint = self.complaint(CUSTOMERS[0], severity="High")
		rows = self.send(self.survey(contacts_to_ask="All Contacts"))
		rep, other = self.contacts[CUSTOMERS[0]]
		for contact in (rep, other):
			self.assertEqual(
				(rows[contact].status, rows[contact].held_back_reason),
				("Pending", "Serious Complaint Open"),
				"postponed, not lost",
			)
			self.assertTrue(rows[contact].postponed_until)
		self.assertEqual(rows[self.contacts[CUSTOMERS[1]][0]].status, "Sent", "other customers are asked")

		send_pending_invitations()  # not yet: the day has not come
		self.assertEqual(frappe.db.get_value(INV, rows[rep].name, "status"), "Pending")
		frappe.db.set_value(INV, rows[rep].name, "postponed_until", now_datetime() - timedelta(minutes=1))
		send_pending_invitations()  # the day came but the complaint is still open: waits again
		self.assertEqual(frappe.db.get_value(INV, rows[rep].name, "status"), "Pending")
		self.assertGreater(frappe.db.get_value(INV, rows[rep].name, "postponed_until"), now_datetime())

		frappe.db.set_value("Complaint", complaint.name, {"status": "Closed", "closed_on": now_datetime()})
		frappe.db.set_value(INV, rows[rep].name, "postponed_until", now_datetime() - timedelta(minutes=1))
		send_pending_invitations()
		self.assertEqual(frappe.db.get_value(INV, rows[rep].name, "status"), "Sent")
		self.assertTrue(frappe.db.exists("Email Queue", {"reference_name": rows[rep].name}))

	def test_after_a_complaint_closes_only_its_own_survey_goes(self):
		survey = self.transactional()
		rep = self.contacts[CUSTOMERS[0]][0]
		complaint = self.close(self.complaint(CUSTOMERS[0], contact=rep))
		self.assertEqual(
			frappe.db.get_value(INV, {"reference_name": complaint.name}, "status"),
			"Sent",
			"the complaint's own survey is not held back by its own quiet period",
		)
		set_survey_policy(min_gap_days=0, max_per_period=0)
		rows = self.send(self.survey(title="_Test right after", contacts_to_ask="All Contacts"))
		other = self.contacts[CUSTOMERS[0]][1]
		self.assertEqual(
			(rows[other].status, rows[other].held_back_reason), ("Pending", "Complaint Just Closed")
		)
		closed_on = frappe.db.get_value("Complaint", complaint.name, "closed_on")
		self.assertEqual(rows[other].postponed_until, closed_on + timedelta(days=14))
		self.assertTrue(survey.name)


class TestOptOut(PolicyTestCase):
	def opt(self, token, opt_out=1, reason=None):
		frappe.set_user("Guest")
		try:
			return set_survey_preference(token=token, opt_out=opt_out, reason=reason)
		finally:
			frappe.set_user("Administrator")

	def test_the_link_opts_out_of_every_source_and_back_in(self):
		self.transactional()
		first = self.invite()
		rep = first.contact
		result = self.opt(self.token(first.name), reason="Too many e-mails")
		self.assertTrue(result["opted_out"])
		contact = frappe.get_doc("Contact", rep)
		self.assertEqual((contact.get(OPT_OUT), contact.get(OPT_OUT_REASON)), (1, "Too many e-mails"))
		self.assertTrue(contact.get(OPT_OUT_ON))
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_doctype": "Contact", "reference_name": rep, "content": ("like", "%Too many%")},
			)
		)

		# no reminder to someone who opted out
		frappe.db.set_value(INV, first.name, "sent_on", now_datetime() - timedelta(days=8))
		send_reminders()
		self.assertEqual(frappe.db.get_value(INV, first.name, "status"), "Sent")

		set_survey_policy(min_gap_days=0, max_per_period=0)
		rows = self.send(self.survey(title="_Test after opt-out"))
		self.assertEqual((rows[rep].status, rows[rep].held_back_reason), ("Held Back", "Opted Out"))
		complaint = self.close(self.complaint(first.customer, contact=rep))
		self.assertEqual(
			frappe.db.get_value(INV, {"reference_name": complaint.name}, "held_back_reason"), "Opted Out"
		)

		self.assertFalse(self.opt(self.token(first.name), opt_out=0)["opted_out"])
		contact.reload()
		self.assertEqual(
			(contact.get(OPT_OUT), contact.get(OPT_OUT_ON), contact.get(OPT_OUT_REASON)), (0, None, None)
		)
		set_survey_policy(min_gap_days=0, max_per_period=0, quiet_days_after_complaint=0)
		again = self.send(self.survey(title="_Test opted back in", min_days_between_surveys=0))
		self.assertEqual(again[rep].status, "Sent")

	def test_opening_the_page_changes_nothing_and_bad_input_saves_nothing(self):
		from brm_app.www import survey_preferences

		invitation = self.invite()
		frappe.set_user("Guest")
		frappe.form_dict.token = self.token(invitation.name)
		context = survey_preferences.get_context(frappe._dict())
		self.assertEqual(context.state, "receiving")
		frappe.form_dict.token = "not-a-token"
		self.assertEqual(survey_preferences.get_context(frappe._dict()).state, "unknown")
		frappe.form_dict.pop("token")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Contact", invitation.contact, OPT_OUT), 0)

		with self.assertRaises(frappe.ValidationError):
			self.opt(self.token(invitation.name), reason="x" * 2001)
		with self.assertRaises(frappe.DoesNotExistError):
			self.opt("not-a-token")
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			set_survey_preference(opt_out=1)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Contact", invitation.contact, OPT_OUT), 0)

	def test_staff_exclusion_holds_back(self):
		rep = self.contacts[CUSTOMERS[1]][0]
		frappe.db.set_value("Contact", rep, "brm_survey_excluded", 1)
		rows = self.send(self.survey())
		self.assertEqual((rows[rep].status, rows[rep].held_back_reason), ("Held Back", "Excluded"))
		with self.assertRaises(frappe.ValidationError):  # never sent: its link answers nothing
			submit_response(self.token(rows[rep].name), self.answers())
		self.assertFalse(frappe.db.get_value(INV, rows[rep].name, "responded_on"))


class TestRemindersAndEvaluation(PolicyTestCase):
	def test_reminders_up_to_the_cap(self):
		set_survey_policy(max_reminders=2)
		invitation = self.invite()
		eight_days_ago = now_datetime() - timedelta(days=8)
		frappe.db.set_value(INV, invitation.name, "sent_on", eight_days_ago)
		self.assertEqual(send_reminders(), 1)
		send_reminders()  # not again the same day
		self.assertEqual(frappe.db.get_value(INV, invitation.name, "reminders"), 1)
		frappe.db.set_value(INV, invitation.name, "reminded_on", eight_days_ago)
		send_reminders()
		frappe.db.set_value(INV, invitation.name, "reminded_on", eight_days_ago)
		send_reminders()
		self.assertEqual(frappe.db.get_value(INV, invitation.name, "reminders"), 2, "at most the cap")
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": invitation.name}), 3)

	def test_evaluation_shows_who_was_held_back_and_who_answered(self):
		frappe.db.set_value("Contact", self.contacts[CUSTOMERS[2]][0], OPT_OUT, 1)
		frappe.db.set_value("Customer", CUSTOMERS[0], "language", "de")
		survey = self.survey()
		rows = self.send(survey)
		rep = self.contacts[CUSTOMERS[0]][0]
		self.assertEqual(frappe.db.get_value(INV, rows[rep].name, "language"), "de")
		submit_response(self.token(rows[rep].name), self.answers())
		survey.reload()
		survey.close()
		survey.evaluate()
		survey.reload()
		self.assertEqual((survey.invited, survey.held_back), (2, 1))
		self.assertIn("held back 1", survey.held_back_summary)
		self.assertIn("opted out", survey.held_back_summary)
		rates = {(r.breakdown, r.value): (r.invited, r.responded) for r in survey.response_rates}
		self.assertEqual(rates[("Channel", "E-mail Link")], (2, 1))
		self.assertEqual(rates[("Language", "de")], (1, 1))
		run_daily_jobs()  # the daily jobs leave the held-back invitation alone
		self.assertEqual(
			frappe.db.get_value(INV, rows[self.contacts[CUSTOMERS[2]][0]].name, "status"), "Held Back"
		)


GERMAN = [
	("Title", 0, "Kundenzufriedenheit"),
	("Introduction", 0, "Sagen Sie uns, wie wir arbeiten."),
	("Question", 1, "Wie zufrieden sind Sie mit unserem Service?"),
	("Question", 2, "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?"),
	("Question", 3, "Wie einfach war es, Hilfe zu bekommen?"),
	("Question", 4, "Welchen Kanal bevorzugen Sie?"),
	("Choices", 4, "Telefon\nE-Mail"),
	("Question", 5, "Sonst noch etwas?"),
]


class TestLanguage(PolicyTestCase):
	def german_template(self):
		template = frappe.get_doc("Survey Template", self.template.name)
		template.translations = []
		for part, number, text in GERMAN:
			template.append(
				"translations", {"language": "de", "part": part, "question_no": number, "text": text}
			)
		template.save()
		frappe.clear_document_cache("Survey Template", template.name)

	def page(self, token):
		from brm_app.www import survey as survey_page

		frappe.set_user("Guest")
		frappe.form_dict.token = token
		try:
			return survey_page.get_context(frappe._dict())
		finally:
			frappe.form_dict.pop("token", None)
			frappe.local.lang = "en"
			frappe.set_user("Administrator")

	def test_a_german_contact_receives_and_answers_in_german(self):
		self.german_template()
		frappe.db.set_value("Customer", CUSTOMERS[0], "language", "de")
		rep = self.contacts[CUSTOMERS[0]][0]
		invitation = frappe.get_doc(INV, self.send(self.survey())[rep].name)
		self.assertEqual((invitation.language, invitation.translation_missing), ("de", 0))
		mail = frappe.get_last_doc("Email Queue", filters={"reference_name": invitation.name})
		self.assertIn("Kundenzufriedenheit", mail.message)
		self.assertIn("/survey_preferences?token=", mail.message, "the one-click opt-out")

		context = self.page(self.token(invitation.name))
		self.assertEqual(context.survey_title, "Kundenzufriedenheit")
		self.assertEqual(context.introduction, "Sagen Sie uns, wie wir arbeiten.")
		self.assertEqual(context.questions[0]["text"], "Wie zufrieden sind Sie mit unserem Service?")
		self.assertEqual(context.questions[3]["option_labels"], ["Telefon", "E-Mail"])
		self.assertEqual(context.questions[3]["options"], ["Phone", "E-mail"])
		self.assertNotEqual(context.questions[0]["hints"][0], "Very dissatisfied", "Frappe's German strings")

		submit_response(self.token(invitation.name), self.answers(choice="E-mail"))
		answers = frappe.get_doc(INV, invitation.name).answers
		self.assertEqual(
			[a.choice for a in answers if a.choice], ["E-mail"], "stored as written, so reports group it"
		)

	def test_a_missing_translation_falls_back_and_is_recorded(self):
		self.german_template()
		frappe.db.set_value("Customer", CUSTOMERS[1], "language", "fr")
		rep = self.contacts[CUSTOMERS[1]][0]
		invitation = frappe.get_doc(INV, self.send(self.survey())[rep].name)
		self.assertEqual((invitation.language, invitation.translation_missing), ("fr", 1))
		context = self.page(self.token(invitation.name))
		self.assertEqual(context.questions[0]["text"], "How satisfied are you with our service?")

	def test_translations_that_cannot_apply_are_refused(self):
		template = frappe.get_doc("Survey Template", self.template.name)
		template.append(
			"translations", {"language": "de", "part": "Choices", "question_no": 4, "text": "Nur eine"}
		)
		template.append("translations", {"language": "de", "part": "Question", "question_no": 9, "text": "?"})
		with self.assertRaises(frappe.ValidationError) as ctx:
			template.save()
		self.assertIn("row 1", str(ctx.exception))
		self.assertIn("row 2", str(ctx.exception))
		self.assertFalse(frappe.db.exists("Survey Template Translation", {"parent": template.name}))
