# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from brm_app.brm_app.report.complaint_analysis.complaint_analysis import execute
from brm_app.tests.utils import BRMTestCase, make_complaint, make_customer, make_portfolio

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
		# written past the controller (no on_update): their monthly rollups are rebuilt by hand
		from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import mark_dirty

		for doc in (old, done):
			mark_dirty(frappe.get_doc("Complaint", doc.name))
		rows = {r.grp: r for r in execute({"customer": CUSTOMER, "group_by": "Category"})[1]}
		live = {r.grp: r for r in execute({"customer": CUSTOMER, "group_by": "Category", "live": 1})[1]}
		self.assertEqual(rows, live, "rollups and the live query agree")
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


class TestHeavyReportsOnAReplica(BRMTestCase):
	"""The heavy reports only read (a read replica serves them: Frappe runs reports through
	``frappe.read_only``) and run through the Prepared Report path (a background job)."""

	REPORTS = {
		"BRM Metrics": {},
		"BRM KPIs": {},
		"Complaint Analysis": {"group_by": "Customer"},
		"Customer Satisfaction": {},
		"At-risk Customers": {},
		"Recurring Themes": {},
	}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER)
		make_portfolio(CUSTOMER)

	def test_reports_only_read_and_run_as_prepared_reports(self):
		from unittest.mock import patch

		from frappe.desk.query_report import generate_report_result, run

		make_complaint(CUSTOMER)
		original = frappe.db.sql
		for name, extra in self.REPORTS.items():
			if not frappe.db.exists("Report", name):
				self.fail(f"no report {name}")
			filters = {"from_date": "2025-01-01", "to_date": frappe.utils.today(), **extra}
			statements = []

			def recording(query, *args, _statements=statements, **kwargs):
				_statements.append(str(query).strip().split(None, 1)[0].lower())
				return original(query, *args, **kwargs)

			with self.subTest(report=name), patch.object(frappe.db, "sql", recording):
				result = run(name, filters=filters, ignore_prepared_report=True)
				self.assertIn("result", result)
				writes = {s for s in statements if s in ("insert", "update", "delete", "replace", "alter")}
				self.assertFalse(writes, f"{name} writes: a replica would refuse it")
				prepared = generate_report_result(report=frappe.get_doc("Report", name), filters=filters)
				self.assertEqual(len(prepared["result"]), len(result["result"]))
