# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe

from brm_app.brm_app.report.brm_metrics.mailing import send_metrics_reports
from brm_app.tests.utils import BRMTestCase, make_complaint, make_customer, make_outgoing_email_account


class TestMetricsMail(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		make_customer("_Test BRM Mail Customer")

	def test_monthly_with_quarter_and_year_summaries(self):
		frappe.db.set_single_value(
			"BRM Settings", "report_recipients", "slm@example.com\nnot-an-email, cio@example.com"
		)
		make_complaint("_Test BRM Mail Customer", received_on="2024-12-05 10:00:00")
		self.assertEqual(send_metrics_reports("2025-01-01"), ["2024-12", "2024-Q4", "2024"])
		queued = frappe.get_all(
			"Email Queue", filters={"message": ("like", "%BRM Metrics for 2024%")}, pluck="name"
		)
		self.assertEqual(len(queued), 3)
		recipients = set(
			frappe.get_all("Email Queue Recipient", {"parent": ("in", queued)}, pluck="recipient")
		)
		self.assertEqual(recipients, {"slm@example.com", "cio@example.com"}, "invalid addresses are skipped")
		self.assertEqual(send_metrics_reports("2025-02-01"), ["2025-01"])

	def test_nobody_to_tell(self):
		frappe.db.set_single_value("BRM Settings", "report_recipients", "")
		self.assertEqual(send_metrics_reports("2025-01-01"), [])


class TestFailedMailRetried(BRMTestCase):
	def queued(self, reference_doctype: str, created, status: str = "Error") -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Email Queue",
				"status": status,
				"retry": 3,
				"reference_doctype": reference_doctype,
				"reference_name": "X",
				"message": "hello",
			}
		)
		doc.set_new_name()
		doc.creation = doc.modified = created
		doc.db_insert()
		return doc.name

	def test_mail_about_our_records_goes_back_into_the_queue(self):
		from frappe.utils import add_days, now_datetime

		from brm_app.utils import RETRY_MAIL_FOR_DAYS, retry_failed_mail

		frappe.db.delete("Email Queue", {"reference_name": "X"})
		ours = self.queued("Survey Invitation", now_datetime())
		complaint = self.queued("Complaint", add_days(now_datetime(), -2))
		too_old = self.queued("Complaint", add_days(now_datetime(), -RETRY_MAIL_FOR_DAYS - 1))
		not_ours = self.queued("Sales Invoice", now_datetime())
		sent = self.queued("Complaint", now_datetime(), status="Sent")
		self.assertEqual(retry_failed_mail(), 2)
		state = lambda name: frappe.db.get_value("Email Queue", name, ["status", "retry"])  # noqa: E731
		self.assertEqual(state(ours), ("Not Sent", 0), "Frappe's queue tries it again, with its retries")
		self.assertEqual(state(complaint), ("Not Sent", 0))
		self.assertEqual(state(too_old)[0], "Error")
		self.assertEqual(state(not_ours)[0], "Error", "other apps' mail is theirs to retry")
		self.assertEqual(state(sent)[0], "Sent")
		self.assertEqual(retry_failed_mail(), 0)
