"""E-mail threading cannot be hijacked, and the guest survey link cannot be abused
(issue 22, items 7 and 9; docs/security.md)."""

import frappe
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from brm_app.api import survey as survey_api
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import CUSTOMERS, RM, SurveyTestCase
from brm_app.rules import survey as rules
from brm_app.tests.utils import make_complaint

ALPHA, BETA = CUSTOMERS[0], CUSTOMERS[1]


def received(complaint: str, sender: str, subject: str) -> "frappe.model.document.Document":
	"""A mail as Frappe's receiver files it: threaded onto ``complaint`` (by "(#name)" or
	In-Reply-To), flagged as received."""
	doc = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"sender": sender,
			"subject": subject,
			"content": "<p>Please close this, all is fine now.</p>",
			"reference_doctype": "Complaint",
			"reference_name": complaint,
		}
	)
	doc.flags.in_receive = True
	return doc.insert(ignore_permissions=True)


class TestThreading(SurveyTestCase):
	def setUp(self):
		super().setUp()
		self.complaint = make_complaint(ALPHA, contact=self.contacts[ALPHA][0])

	def test_a_stranger_quoting_a_complaint_opens_a_triage_complaint(self):
		subject = f"Re: your complaint (#{self.complaint.name})"
		for sender in ("mallory@evil.example.com", "rep@beta.example.com"):  # unknown; another customer's
			mail = received(self.complaint.name, sender, subject)
			self.assertNotEqual(mail.reference_name, self.complaint.name, sender)
			triage = frappe.get_doc("Complaint", mail.reference_name)
			self.assertEqual((triage.customer, triage.needs_triage, triage.raised_by), (None, 1, sender))
			self.assertFalse(
				frappe.db.exists("Communication", {"reference_name": self.complaint.name, "sender": sender})
			)
			told = frappe.get_all(
				"Comment",
				filters={"reference_name": self.complaint.name, "content": ("like", f"%{sender}%")},
			)
			self.assertTrue(told, "the complaint's people are told")
			self.assertTrue(frappe.db.exists("ToDo", {"reference_name": triage.name}), "triage is assigned")

	def test_the_customers_side_and_staff_thread_as_before(self):
		subject = f"Re: your complaint (#{self.complaint.name})"
		for sender in ("rep@alpha.example.com", "user@alpha.example.com", RM):  # contacts; staff
			mail = received(self.complaint.name, sender, subject)
			self.assertEqual(mail.reference_name, self.complaint.name, sender)

	def test_a_stranger_quoting_another_record_is_not_added_to_it(self):
		compliment = frappe.get_doc(
			{"doctype": "Compliment", "customer": ALPHA, "subject": "Thanks", "compliment": "Great"}
		).insert()
		mail = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": "mallory@evil.example.com",
				"subject": f"Re: (#{compliment.name})",
				"content": "<p>hello</p>",
				"reference_doctype": "Compliment",
				"reference_name": compliment.name,
			}
		)
		mail.flags.in_receive = True
		mail.insert(ignore_permissions=True)
		self.assertFalse(mail.reference_name)
		self.assertTrue(
			frappe.db.exists("Comment", {"reference_name": compliment.name, "content": ("like", "%mallory%")})
		)


class TestGuestSurvey(SurveyTestCase):
	def request(self, remote: str, forwarded: str | None = None):
		headers = {"X-Forwarded-For": forwarded} if forwarded else {}
		frappe.local.request = Request(
			EnvironBuilder(
				path="/api/method/brm_app.api.survey.submit_response",
				method="POST",
				headers=headers,
				environ_base={"REMOTE_ADDR": remote},
			).get_environ()
		)

	def tearDown(self):
		if hasattr(frappe.local, "request"):
			del frappe.local.request
		super().tearDown()

	def test_the_limit_counts_the_real_client_not_a_forwarded_header(self):
		self.request("203.0.113.7", "1.2.3.4")
		self.assertEqual(survey_api.client_address(), "203.0.113.7")
		self.request("127.0.0.1", "1.2.3.4, 198.51.100.9")  # behind nginx: its entry counts
		self.assertEqual(survey_api.client_address(), "198.51.100.9")

	def test_texts_are_capped_and_a_closed_survey_takes_no_answers(self):
		invitation = self.invite()
		token = self.token(invitation.name)
		answers = self.answers(rating=1, comment="x" * (rules.ANSWER_TEXT_MAX + 1))
		with self.assertRaisesRegex(frappe.ValidationError, "shorter"):
			survey_api.submit_response(token, frappe.as_json(answers))
		self.assertFalse(frappe.db.get_value("Survey Invitation", invitation.name, "responded_on"))
		frappe.db.set_value("Satisfaction Survey", invitation.survey, "status", rules.CLOSED)
		frappe.clear_document_cache("Satisfaction Survey", invitation.survey)
		with self.assertRaisesRegex(frappe.ValidationError, "closed"):
			survey_api.submit_response(token, frappe.as_json(self.answers()))
		self.assertFalse(frappe.db.get_value("Survey Invitation", invitation.name, "responded_on"))
