# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Monthly complaint rollups agree with the live records (issue 29): on randomised complaints
over many months and customers, changed, closed, deleted by retention and moved between
customers, Complaint Analysis from rollups equals the live query, for every grouping and for
a user restricted to some customers."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

import frappe

from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import ROLLUP, SUMS, rebuild_all, reconcile
from brm_app.brm_app.report.complaint_analysis.complaint_analysis import execute
from brm_app.tests.utils import BRMTestCase, make_customer, make_portfolio

CUSTOMERS = ["_Test BRM Rollup A", "_Test BRM Rollup B", "_Test BRM Rollup C"]
GROUPS = ("Category", "Root Cause", "Service", "Customer", "Severity", "Month")


def report(group, live, **filters):
	period = {"from_date": "2025-06-01", "to_date": frappe.utils.today()}
	columns, rows, *_ = execute({**period, **filters, "group_by": group, "live": int(live)})
	shown = [c["fieldname"] for c in columns if c["fieldname"] != "grp"]
	return {
		str(r.grp): {
			k: (round(float(r.get(k)), 6) if isinstance(r.get(k), (int, float, Decimal)) else r.get(k))
			for k in shown
		}
		for r in rows
	}


class TestRollups(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for c in CUSTOMERS:
			make_customer(c)
			make_portfolio(c)

	def setUp(self):
		super().setUp()
		rebuild_all()  # this site's rollups as of now (the test's changes then keep them current)

	def make(self, rng, n=40):
		made = []
		now = frappe.utils.now_datetime()
		for _ in range(n):
			received = now - timedelta(days=rng.randint(0, 400), hours=rng.randint(0, 23))
			doc = frappe.get_doc(
				{
					"doctype": "Complaint",
					"customer": rng.choice(CUSTOMERS),
					"subject": "_Test rollup",
					"severity": rng.choice(["Low", "Medium", "High", "Critical"]),
					"received_on": received.replace(microsecond=0),
					"redress_amount": rng.choice([0, 10, 25.5]),
				}
			).insert()
			made.append(doc)
		return made

	def assert_agree(self, **filters):
		for group in GROUPS:
			self.assertEqual(report(group, False, **filters), report(group, True, **filters), group)
		# a calendar year and a quarter: read from the customers' year and quarter rows
		for period in (
			("2025-01-01", "2025-12-31"),
			("2026-01-01", "2026-03-31"),
			("2025-11-15", "2026-07-31"),
		):
			dates = dict(zip(("from_date", "to_date"), period, strict=True))
			for group in ("Customer", "Severity"):
				self.assertEqual(
					report(group, False, **dates, **filters),
					report(group, True, **dates, **filters),
					(group, period),
				)
		# BRM KPIs' complaint figures over the same period, from rollups and from the records
		from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import complaint_figures
		from brm_app.reporting import customer_scope

		start = frappe.utils.get_datetime("2025-06-01")
		finish = frappe.utils.get_datetime(frappe.utils.add_days(frappe.utils.today(), 1))
		scope = customer_scope(frappe._dict(filters))
		figures = [
			complaint_figures(None, start, finish, scope, live=live, ages=False)[0] for live in (False, True)
		]
		self.assertEqual(*({k: float(r.get(k) or 0) for k in SUMS} for r in figures))

	def test_rollups_equal_the_live_query(self):
		from frappe.model.workflow import apply_workflow

		rng = random.Random(29)
		docs = self.make(rng)
		self.assertTrue(frappe.db.count(ROLLUP))
		self.assert_agree()
		for doc in rng.sample(docs, 12):  # acknowledged, some closed with an outcome
			doc = apply_workflow(doc, "Acknowledge")
			if rng.random() < 0.5:
				doc = apply_workflow(doc, "Start Investigation")
				doc.closing_reason = "Done"
				doc.outcome = rng.choice(["Upheld", "Not Upheld"])
				doc.save()
				apply_workflow(doc, "Close Formally")
		moved = docs[0]  # moved to another customer and another month
		moved.reload()
		moved.customer = CUSTOMERS[(CUSTOMERS.index(moved.customer) + 1) % 3]
		moved.received_on = datetime(2025, 12, 1, 10)
		moved.save()
		from brm_app.retention import delete

		# deleted at the end of their period (figures kept): retention deletes only ended ones
		ended = [d.name for d in docs if frappe.db.get_value("Complaint", d.name, "status") == "Closed"]
		self.assertGreaterEqual(len(ended), 3)
		for name in ended[-3:]:
			delete("Complaint", name)
		self.assert_agree()
		self.assert_agree(customer=CUSTOMERS[1])

	def test_a_restricted_user_gets_what_the_live_query_gives(self):
		from frappe.permissions import add_user_permission

		from brm_app.tests.utils import BRM_ROLE, make_user

		self.make(random.Random(7), 15)
		user = make_user("brm.rollup.restricted@example.com", [BRM_ROLE])
		add_user_permission("Customer", CUSTOMERS[0], user)
		frappe.set_user(user)
		try:
			self.assert_agree()
			self.assertEqual(set(report("Customer", False)), {CUSTOMERS[0]})
		finally:
			frappe.set_user("Administrator")

	def test_a_save_rebuilds_its_own_keys_only_and_reconcile_writes_nothing_when_right(self):
		rng = random.Random(3)
		doc = self.make(rng, 1)[0]
		before = frappe.db.count(ROLLUP)
		statements = []
		real = frappe.db.sql

		def counting(query, *args, **kwargs):
			statements.append(str(query))
			return real(query, *args, **kwargs)

		frappe.db.sql = counting
		try:
			doc.reload()
			doc.severity = "Critical" if doc.severity != "Critical" else "Low"
			doc.save()
		finally:
			frappe.db.sql = real
		rollup = [q for q in statements if "tabComplaint Rollup" in q]
		# its key: its Detail rows read, deleted and written with its Customer row (3); the
		# month's All Customers rows moved for the split it left (emptied: removed) and the one
		# it joined (new: made) — 2 each
		self.assertLessEqual(len(rollup), 7, rollup)
		self.assertEqual(frappe.db.count(ROLLUP), before)
		self.assertEqual(reconcile(months=14), [], "nothing wrong, nothing written")
		frappe.db.sql("delete from `tabComplaint Rollup` where customer = %s", doc.customer)
		self.assertTrue(reconcile(months=14), "a missing key is found and repaired")
		self.assert_agree()

	def test_a_renamed_customer_and_a_row_counted_twice(self):
		from brm_app.brm_app.doctype.survey_rollup.survey_rollup import ROLLUP as SURVEY_ROLLUP

		rng = random.Random(11)
		docs = self.make(rng, 12)
		# renamed: the rollups (plain text) follow, as the complaints' links do
		old = docs[0].customer
		new = frappe.rename_doc("Customer", old, "_Test BRM Rollup Renamed", force=True)
		self.assertFalse(frappe.db.exists(ROLLUP, {"customer": old}))
		self.assertFalse(frappe.db.exists(SURVEY_ROLLUP, {"customer": old}))
		self.assertTrue(frappe.db.exists(ROLLUP, {"customer": new, "grain": "Customer Year"}))
		self.assert_agree()
		self.assertEqual(reconcile(months=14), [], "nothing wrong after the rename")
		# a Detail row stored twice (a crash between two writers, say): found and repaired
		row = frappe.get_all(ROLLUP, {"grain": "Detail"}, ["*"], order_by="month desc", limit=1)[0]
		row.update(name=frappe.generate_hash(length=12), doctype=ROLLUP)
		frappe.get_doc(row).db_insert()
		self.assertIn(f"{row.month.isoformat()}|{row.customer}", reconcile(months=14))
		self.assert_agree()
