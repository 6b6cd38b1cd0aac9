# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from brm_app.brm_app.report.complaint_analysis.complaint_analysis import execute
from brm_app.testing import BRMTestCase, make_complaint, make_customer, make_portfolio

CUSTOMER = "_Test BRM Analysis Customer"


class TestComplaintAnalysis(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER)
		make_portfolio(CUSTOMER)

	def test_counts_times_and_ageing(self):
		now = now_datetime()
		old = make_complaint(CUSTOMER, category="Service Quality", received_on=now - timedelta(days=40))
		fresh = make_complaint(CUSTOMER, category="Service Quality", received_on=now - timedelta(days=2))
		done = make_complaint(CUSTOMER, category="Billing and Charges", received_on=now - timedelta(days=10))
		received = done.received_on
		frappe.db.set_value(
			"Complaint",
			done.name,
			{
				"status": "Closed",
				"acknowledged_on": received + timedelta(hours=2),
				"acknowledge_by": received + timedelta(hours=24),
				"time_to_acknowledge": 7200,
				"closed_on": received + timedelta(days=3),
				"resolve_by": received + timedelta(days=2),
				"time_to_resolve": 3 * 86400,
			},
		)
		frappe.db.set_value("Complaint", old.name, "escalation_level", 1)
		rows = {r.grp: r for r in execute({"customer": CUSTOMER, "group_by": "Category"})[1]}
		quality, billing = rows["Service Quality"], rows["Billing and Charges"]
		self.assertEqual((quality.received, quality.open, quality.escalated), (2, 2, 1))
		self.assertEqual((quality.age_0_7, quality.age_31_90), (1, 1))
		self.assertEqual(
			(billing.closed, billing.hours_to_acknowledge, billing.days_to_resolve), (1, 2.0, 3.0)
		)
		self.assertEqual((billing.ack_on_time_pct, billing.resolved_on_time_pct), (100.0, 0.0))
		self.assertEqual(fresh.status, "Open")

		by_month = execute({"customer": CUSTOMER, "group_by": "Month"})[1]
		self.assertEqual(sum(r.received for r in by_month), 3)
		with self.assertRaises(frappe.ValidationError):
			execute({"group_by": "Colour"})
