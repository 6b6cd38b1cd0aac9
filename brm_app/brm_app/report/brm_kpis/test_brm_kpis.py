# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.utils import get_datetime

from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import mark_dirty
from brm_app.brm_app.report.brm_kpis.brm_kpis import execute
from brm_app.tests.utils import BRMTestCase, make_complaint, make_customer, make_portfolio

CUSTOMER = "_Test BRM KPI Customer"


class TestBRMKpis(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER)
		make_portfolio(CUSTOMER)

	def test_levels_values_met_and_trend(self):
		def complaint(received, on_time, reopened=0):
			doc = make_complaint(CUSTOMER, received_on=received)
			r = get_datetime(received)
			frappe.db.set_value(
				"Complaint",
				doc.name,
				{
					"status": "Closed",
					"acknowledged_on": r + timedelta(hours=1),
					"acknowledge_by": r + timedelta(hours=2 if on_time else 0.5),
					"closed_on": r + timedelta(days=1),
					"resolve_by": r + timedelta(days=2 if on_time else 0.5),
					"reopen_count": reopened,
				},
			)
			# written past the controller: its monthly rollup is rebuilt by hand
			mark_dirty(frappe.get_doc("Complaint", doc.name))

		# Previous quarter (2024 Q1): 1 of 2 on time. This quarter (2024 Q2): 3 of 4, 1 reopened.
		complaint("2024-01-10 10:00:00", True)
		complaint("2024-02-10 10:00:00", False)
		for on_time, reopened in ((True, 0), (True, 1), (True, 0), (False, 0)):
			complaint("2024-05-10 10:00:00", on_time, reopened)
		rows = {
			r["kpi"]: r
			for r in execute({"from_date": "2024-04-01", "to_date": "2024-06-30", "customer": CUSTOMER})[1]
		}
		ack = rows["Complaints acknowledged on time %"]
		self.assertEqual((ack["value"], ack["previous"], ack["trend"], ack["met"]), (75.0, 50.0, "▲", "No"))
		reopened = rows["Complaints reopened %"]
		self.assertEqual((reopened["value"], reopened["direction"], reopened["met"]), (25.0, "at most", "No"))
		self.assertEqual(rows["Customer satisfaction (CSAT %)"]["met"], "No data")
		self.assertEqual(reopened["level"], frappe.db.get_single_value("BRM Settings", "kpi_max_reopened"))
