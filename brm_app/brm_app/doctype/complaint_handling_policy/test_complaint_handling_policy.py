# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Complaint handling policies: which policy a complaint runs under, due dates in working time,
bad policies refused with nothing saved."""

from datetime import datetime

import frappe
from frappe.utils.data import get_system_timezone

from brm_app.tests.utils import BRMTestCase, make_customer

POLICY = "Complaint Handling Policy"
CUSTOMER = "_Test BRM Policy Customer"
OTHER = "_Test BRM Policy Other"
FRIDAY_EVENING = datetime(2026, 12, 4, 17, 55)


def make_policy(name, targets=None, scope=None, holiday_list=None, **values):
	if frappe.db.exists(POLICY, name):
		frappe.delete_doc(POLICY, name, force=True)
	return frappe.get_doc(
		{
			"doctype": POLICY,
			"policy_name": name,
			"timezone": get_system_timezone(),
			"holiday_list": holiday_list,
			"targets": targets
			or [
				{"target": "Acknowledgement", "amount": 4, "unit": "Business Hours"},
				{"target": "Summary Resolution", "amount": 3, "unit": "Business Days", "severity": "High"},
				{"target": "Final Response", "amount": 8, "unit": "Calendar Days"},
			],
			"working_hours": [
				{"weekday": day, "start_time": "09:00:00", "end_time": "17:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
			"scope": scope or [],
			**values,
		}
	).insert()


def complaint(customer=CUSTOMER, severity="High", received_on=FRIDAY_EVENING):
	return frappe.get_doc(
		{
			"doctype": "Complaint",
			"customer": customer,
			"subject": "_Test clock",
			"severity": severity,
			"received_on": received_on,
		}
	).insert()


class TestHandlingPolicy(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER)
		make_customer(OTHER)

	def test_policy_by_customer_then_group_then_default(self):
		make_policy("_Test Policy Default")
		frappe.db.set_single_value("BRM Settings", "default_handling_policy", "_Test Policy Default")
		group = frappe.db.get_value("Customer", CUSTOMER, "customer_group")
		make_policy("_Test Policy Group", scope=[{"applies_to": "Customer Group", "value": group}])
		make_policy("_Test Policy Customer", scope=[{"applies_to": "Customer", "value": CUSTOMER}])
		self.assertEqual(complaint().handling_policy, "_Test Policy Customer")
		frappe.db.set_value("Customer", OTHER, "customer_group", group)
		self.assertEqual(complaint(OTHER).handling_policy, "_Test Policy Group")
		frappe.delete_doc(POLICY, "_Test Policy Group", force=True)
		self.assertEqual(complaint(OTHER).handling_policy, "_Test Policy Default")

	def test_due_dates_in_working_time(self):
		make_policy("_Test Policy Clock", scope=[{"applies_to": "Customer", "value": CUSTOMER}])
		doc = complaint()
		self.assertEqual(doc.handling_policy, "_Test Policy Clock")
		self.assertEqual(doc.acknowledge_by, datetime(2026, 12, 7, 13, 0), "Friday 17:55 + 4 business hours")
		self.assertEqual(doc.summary_by, datetime(2026, 12, 9, 17, 0), "close of business, 3rd business day")
		self.assertEqual(doc.resolve_by, datetime(2026, 12, 12, 17, 55), "8 calendar days")
		self.assertIn("_Test Policy Clock", doc.clock_explanation)
		self.assertIsNone(complaint(severity="Low").summary_by, "no summary target for Low")

	def test_holidays_are_skipped(self):
		holidays = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "_Test BRM Holidays",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
				"holidays": [{"holiday_date": "2026-12-07", "description": "A Monday off"}],
			}
		).insert()
		make_policy(
			"_Test Policy Holidays",
			scope=[{"applies_to": "Customer", "value": CUSTOMER}],
			holiday_list=holidays.name,
		)
		doc = complaint()
		self.assertEqual(doc.acknowledge_by, datetime(2026, 12, 8, 13, 0), "Monday is a holiday")
		self.assertEqual(doc.resolve_by, datetime(2026, 12, 12, 17, 55), "calendar days ignore holidays")

	def test_a_changed_policy_does_not_move_existing_complaints(self):
		policy = make_policy("_Test Policy Fixed", scope=[{"applies_to": "Customer", "value": CUSTOMER}])
		doc = complaint()
		before = doc.acknowledge_by
		policy.targets[0].amount = 1
		policy.save()
		doc.reload()
		doc.subject = "_Test clock, edited"
		doc.save()
		self.assertEqual(doc.acknowledge_by, before)

	def test_bad_policies_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_policy(
				"_Test Policy No Final",
				targets=[{"target": "Acknowledgement", "amount": 1, "unit": "Business Days"}],
			)
		with self.assertRaises(frappe.ValidationError):
			make_policy(
				"_Test Policy Zero",
				targets=[{"target": "Final Response", "amount": 0, "unit": "Business Days"}],
			)
		with self.assertRaises(frappe.ValidationError):
			make_policy("_Test Policy Bad Zone", timezone="Mars/Olympus")
		make_policy("_Test Policy A", scope=[{"applies_to": "Customer", "value": CUSTOMER}])
		with self.assertRaises(frappe.ValidationError):
			make_policy("_Test Policy B", scope=[{"applies_to": "Customer", "value": CUSTOMER}])
		self.assertFalse(
			frappe.db.exists(
				POLICY, {"name": ("in", ["_Test Policy No Final", "_Test Policy Zero", "_Test Policy B"])}
			)
		)


class TestWaitingAndFinalResponse(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from brm_app.tests.utils import make_contact, make_outgoing_email_account

		make_outgoing_email_account()
		make_customer(CUSTOMER)
		cls.contact = make_contact(CUSTOMER, "buyer@policy-customer.example.com")

	def setUp(self):
		super().setUp()
		make_policy(
			"_Test Policy Waiting",
			scope=[{"applies_to": "Customer", "value": CUSTOMER}],
			pause_while_waiting=1,
			referral_body="_Test Ombudsman",
			referral_within_months=6,
			rights_text="<p>_Test rights: free of charge.</p>",
		)

	def waiting(self):
		from frappe.model.workflow import apply_workflow

		doc = frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": CUSTOMER,
				"contact": self.contact,
				"subject": "_Test waiting",
				"severity": "High",
				"received_on": FRIDAY_EVENING,
			}
		).insert()
		doc = apply_workflow(doc, "Acknowledge")
		with self.assertRaises(frappe.ValidationError):  # a question is needed
			apply_workflow(doc, "Ask the Customer")
		doc.reload()
		doc.waiting_question = "Which of your sites is affected?"
		doc.save()
		return apply_workflow(doc, "Ask the Customer")

	def test_waiting_stops_the_clock_and_moves_the_due_dates(self):
		from unittest.mock import patch

		from brm_app.brm_app.doctype.complaint import escalation

		doc = self.waiting()
		self.assertEqual(doc.status, "Waiting for Customer")
		self.assertTrue(doc.clock_paused)
		self.assertEqual(len(doc.pauses), 1)
		self.assertEqual(doc.pauses[0].question, "Which of your sites is affected?")
		self.assertTrue(
			frappe.db.exists(
				"Email Queue",
				{"reference_name": doc.name, "message": ("like", "%Which of your sites is affected?%")},
			),
			"the customer is e-mailed the question",
		)
		summary_before = doc.summary_by
		# long past every target, the sweep leaves a paused clock alone
		frappe.db.set_value("Complaint", doc.name, "resolve_by", datetime(2026, 1, 1))
		self.assertEqual(escalation.mark_overdue_complaints(), 0)
		frappe.db.set_value("Complaint", doc.name, "resolve_by", doc.resolve_by)
		# the customer answers two working days later (Monday 09:00 to Wednesday 09:00)
		pause = frappe.get_doc("Complaint Pause", doc.pauses[0].name)
		pause.db_set("paused_on", datetime(2026, 12, 7, 9, 0))
		with patch(
			"brm_app.brm_app.doctype.complaint.complaint.now", return_value=datetime(2026, 12, 9, 9, 0)
		):
			from brm_app.portal.complaints import _act

			doc = frappe.get_doc("Complaint", doc.name)
			doc.flags.answered_by_customer = True
			_act(doc, "Investigating")
		doc.reload()
		self.assertEqual(doc.status, "Investigating")
		self.assertFalse(doc.clock_paused)
		self.assertEqual(doc.pauses[0].resumed_by, "Customer")
		self.assertEqual(doc.pauses[0].working_hours_paused, 16.0)
		self.assertEqual(summary_before, datetime(2026, 12, 9, 17, 0))
		self.assertEqual(doc.summary_by, datetime(2026, 12, 11, 17, 0), "moved by two working days")
		self.assertIn("stopped the clock", doc.clock_explanation)

	def test_outcome_and_final_response(self):
		from frappe.model.workflow import apply_workflow

		doc = self.waiting()
		doc.reload()
		doc.closing_reason = "The customer withdrew it."
		doc.save()
		with self.assertRaises(frappe.ValidationError):  # no outcome recorded
			apply_workflow(doc, "Close Formally")
		doc.reload()
		self.assertEqual(doc.status, "Waiting for Customer")
		doc.outcome = "Withdrawn"
		doc.redress = "An apology"
		doc.save()
		doc = apply_workflow(doc, "Close Formally")
		self.assertEqual(doc.status, "Closed")
		self.assertIsNotNone(doc.pauses[0].resumed_on, "closing ends the wait")

		doc.send_final_response()
		mail = frappe.get_last_doc(
			"Communication", filters={"reference_name": doc.name, "sent_or_received": "Sent"}
		)
		self.assertIn("final response", mail.subject.lower())
		self.assertIn("_Test Ombudsman", mail.content)
		self.assertIn("within 6 months", mail.content)
		self.assertIn("_Test rights", mail.content)
		self.assertIn("Withdrawn", mail.content)
		self.assertTrue(frappe.db.get_value("Complaint", doc.name, "final_response_sent_on"))
		html = frappe.get_print("Complaint", doc.name, "Complaint Final Response")
		self.assertIn("_Test Ombudsman", html)
		self.assertIn("An apology", html)
		from brm_app.brm_app.report.complaint_analysis.complaint_analysis import execute as analysis

		# sent (in this story) on Thursday 10 December, before the final response was due (Saturday 12th)
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{"redress_amount": 50, "final_response_sent_on": datetime(2026, 12, 10, 12)},
		)
		_columns, rows, *_ = analysis(
			{"group_by": "Customer", "customer": CUSTOMER, "from_date": "2026-01-01", "to_date": "2027-12-31"}
		)
		row = next(r for r in rows if r.grp == CUSTOMER)
		self.assertEqual((row.final_responses, row.final_on_time_pct), (1, 100.0), "sent before it was due")
		self.assertEqual((row.with_outcome, row.upheld_pct), (1, 0.0), "withdrawn: not upheld")
		self.assertEqual(float(row.redress_total), 50.0)

		from brm_app.portal.test_portal import site_served

		if site_served():  # wkhtmltopdf fetches the print view's assets from the site (.ci/run serves it)
			pdf = frappe.get_print("Complaint", doc.name, "Complaint Final Response", as_pdf=True)
			self.assertTrue(pdf.startswith(b"%PDF"))

	def test_no_final_response_without_an_outcome(self):
		doc = self.waiting()
		with self.assertRaises(frappe.ValidationError):
			doc.send_final_response()
		self.assertFalse(frappe.db.get_value("Complaint", doc.name, "final_response_sent_on"))

	def test_an_emailed_reply_answers_the_question(self):
		doc = self.waiting()
		mail = frappe._dict(
			name="_Test reply",
			communication_type="Communication",
			sent_or_received="Received",
			content="<p>The <b>Leeds</b> site, since Monday.</p>",
			sender="buyer@policy-customer.example.com",
			sender_full_name="Buyer",
			flags=frappe._dict(in_receive=True),
		)
		doc.on_communication_update(mail)
		doc.reload()
		self.assertEqual(doc.status, "Investigating")
		self.assertEqual(doc.pauses[0].answer, "The Leeds site, since Monday.")
		self.assertEqual(doc.pauses[0].resumed_by, "Customer")
		self.assertFalse(doc.clock_paused)


class TestRecompute(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER)

	def test_open_complaints_move_only_when_asked(self):
		doc = complaint()  # no policy: BRM Settings' calendar-time targets
		self.assertFalse(doc.handling_policy)
		before = doc.acknowledge_by
		policy = make_policy("_Test Policy Later", scope=[{"applies_to": "Customer", "value": CUSTOMER}])
		doc.reload()
		doc.save()
		self.assertEqual(
			(doc.handling_policy or None, doc.acknowledge_by), (None, before), "nothing moves silently"
		)
		policy.recompute_open_complaints()
		doc.reload()
		self.assertEqual(doc.handling_policy, "_Test Policy Later")
		self.assertEqual(doc.acknowledge_by, datetime(2026, 12, 7, 13, 0))
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": doc.name, "content": ("like", "%recomputed under%")}
			)
		)
