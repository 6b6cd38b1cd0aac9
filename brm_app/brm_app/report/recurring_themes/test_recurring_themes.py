# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.utils import formatdate, get_datetime

from brm_app.brm_app.report.recurring_themes.recurring_themes import execute
from brm_app.tests.utils import BRMTestCase, make_complaint, make_customer, make_portfolio

A, B, C = "_Test Theme Alpha", "_Test Theme Bravo", "_Test Theme Charlie"
BACKUPS, BILLING = "_Test Theme Backups", "_Test Theme Billing"
#: October 2026 against the 31 days before it (31 Aug to 30 Sep).
PERIOD = {"from_date": "2026-10-01", "to_date": "2026-10-31"}


def make_category(name: str) -> str:
	if not frappe.db.exists("Complaint Category", name):
		frappe.get_doc({"doctype": "Complaint Category", "category_name": name}).insert()
	return name


def complaint(customer, day, subject="Service outage not communicated", category=BACKUPS, status=None):
	doc = make_complaint(customer, subject=subject, category=category, received_on=get_datetime(day))
	if status:
		frappe.db.set_value("Complaint", doc.name, "status", status, update_modified=False)
	return doc


def rows(**filters):
	_columns, data, _message, chart, summary = execute({**PERIOD, **filters})
	return {row.theme: row for row in data}, chart, summary


class TestRecurringThemes(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for customer in (A, B, C):
			make_customer(customer)
			make_portfolio(customer)
		make_category(BACKUPS)
		make_category(BILLING)
		frappe.db.commit()

	def test_category_theme_across_customers_against_the_previous_period(self):
		complaint(A, "2026-10-03 09:00:00")
		complaint(B, "2026-10-20 09:00:00")
		complaint(B, "2026-10-31 18:00:00")  # last day counts
		complaint(A, "2026-09-15 09:00:00")  # previous period
		complaint(C, "2026-10-05 09:00:00", status="Rejected")  # not a complaint after all
		complaint(C, "2026-08-01 09:00:00")  # before both periods
		complaint(C, "2026-10-10 09:00:00", category=BILLING)

		found, chart, summary = rows(group_by="Category")
		backups = found[BACKUPS]
		self.assertEqual((backups.complaints, backups.previous, backups.customers), (3, 1, 2))
		self.assertEqual((backups.change, backups.change_pct, backups.trend_key), (2, 200.0, "Rising"))
		self.assertEqual(backups.open, 3)
		self.assertEqual((found[BILLING].complaints, found[BILLING].trend_key), (1, "New"))
		self.assertIn(BACKUPS, chart["data"]["labels"])
		self.assertIn(formatdate("2026-08-31"), summary[1]["value"], "compared with the 31 days before")

		# Seen at two customers at least: Billing (one customer) drops out.
		found, _chart, _summary = rows(group_by="Category", min_customers=2)
		self.assertIn(BACKUPS, found)
		self.assertNotIn(BILLING, found)

		# One customer's view.
		found, _chart, _summary = rows(group_by="Category", customer=B)
		self.assertEqual((found[BACKUPS].complaints, found[BACKUPS].previous), (2, 0))

	def test_falling_and_gone(self):
		for day in ("2026-09-02", "2026-09-03", "2026-09-04", "2026-09-05"):
			complaint(A, f"{day} 10:00:00", category=BILLING)
		complaint(A, "2026-10-02 10:00:00", category=BILLING)
		complaint(B, "2026-09-10 10:00:00", category=BACKUPS)
		found, _chart, _summary = rows(group_by="Category")
		self.assertEqual((found[BILLING].change_pct, found[BILLING].trend_key), (-75.0, "Falling"))
		self.assertEqual((found[BACKUPS].complaints, found[BACKUPS].trend_key), (0, "Gone"))

	def test_frequent_terms(self):
		complaint(A, "2026-10-03 09:00:00", subject="Zorblax backups failed overnight")
		complaint(B, "2026-10-04 09:00:00", subject="Our zorblax backup was not restored")
		complaint(C, "2026-10-05 09:00:00", subject="Zorblax again, please!")
		complaint(A, "2026-09-20 09:00:00", subject="zorblax slow")
		complaint(A, "2026-10-06 09:00:00", subject="Quuxify invoice wrong")  # once only: no theme
		found, _chart, _summary = rows(group_by="Term")
		zorblax = found["zorblax"]
		self.assertEqual((zorblax.complaints, zorblax.previous, zorblax.customers), (3, 1, 3))
		self.assertNotIn("quuxify", found)
		self.assertNotIn("again", found, "stopwords are no theme")

	def test_service_and_root_cause_group(self):
		doc = complaint(A, "2026-10-03 09:00:00")
		frappe.db.set_value("Complaint", doc.name, "root_cause_category", "Process")
		found, _chart, _summary = rows(group_by="Root Cause")
		self.assertGreaterEqual(found["Process"].complaints, 1)
		found, _chart, _summary = rows(group_by="Service")
		self.assertTrue(found, "complaints without a service are grouped as not set")

	def test_bad_filters_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "starts after it ends"):
			execute({"from_date": "2026-10-31", "to_date": "2026-10-01"})
		with self.assertRaises(frappe.ValidationError):
			execute({**PERIOD, "group_by": "Colour"})
