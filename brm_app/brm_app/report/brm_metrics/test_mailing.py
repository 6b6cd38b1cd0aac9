# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe

from brm_app.mailing import send_metrics_reports
from brm_app.testing import BRMTestCase, make_complaint, make_customer, make_outgoing_email_account


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
