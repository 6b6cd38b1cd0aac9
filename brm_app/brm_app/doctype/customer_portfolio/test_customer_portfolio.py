# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import getdate, now_datetime

from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_all_stats
from brm_app.tests.utils import (
	BRM_ROLE,
	BRM_USER_ROLE,
	BRMTestCase,
	make_complaint,
	make_contact,
	make_customer,
	make_portfolio,
	make_service_item,
	make_user,
)

CUSTOMER = "_Test BRM Portfolio Customer"
OTHER = "_Test BRM Portfolio Other"
BRM = "brm.portfolio.manager@example.com"
STAFF = "brm.portfolio.staff@example.com"


class TestCustomerPortfolio(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(BRM, [BRM_ROLE])
		make_user(STAFF, [BRM_USER_ROLE])
		make_customer(CUSTOMER)
		make_customer(OTHER)
		cls.cio = make_contact(CUSTOMER, "cio@portfolio-customer.example.com")
		cls.cfo = make_contact(CUSTOMER, "cfo@portfolio-customer.example.com")
		cls.stranger = make_contact(OTHER, "someone@portfolio-other.example.com")
		cls.service = make_service_item("_Test BRM Managed Hosting")

	def portfolio(self, customer=CUSTOMER, **values):
		return frappe.get_doc({"doctype": "Customer Portfolio", "customer": customer, **values})

	def test_brm_user_cannot_create_a_portfolio(self):
		frappe.set_user(STAFF)
		with self.assertRaises(frappe.PermissionError):
			self.portfolio().insert()
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Customer Portfolio", CUSTOMER))

	def test_brm_creates_and_changes_brm_user_only_reads(self):
		frappe.set_user(BRM)
		doc = self.portfolio(
			relationship_manager=BRM,
			tier="Strategic",
			authorised_representative=self.cio,
			decision_makers=[{"contact": self.cfo, "authority": "Budget Holder"}],
			services=[
				{
					"service": self.service,
					"vital_business_function": 1,
					"customer_requirements": "24x7 support",
				}
			],
			revenue=[
				{
					"period_start": "2025-01-01",
					"period": "FY 2025",
					"revenue_type": "Actual",
					"amount": 120000,
				},
				{
					"period_start": "2026-01-01",
					"period": "FY 2026",
					"revenue_type": "Projected",
					"amount": 150000,
				},
			],
		).insert()
		self.assertEqual(doc.name, CUSTOMER, "one portfolio per customer, named after it")
		self.assertEqual(doc.services[0].service_name, self.service)
		doc.relationship_status = "At Risk"
		doc.save()

		frappe.set_user(STAFF)
		self.assertTrue(frappe.has_permission("Customer Portfolio", "read", doc.name))
		staff_doc = frappe.get_doc("Customer Portfolio", doc.name)
		staff_doc.tier = "Standard"
		with self.assertRaises(frappe.PermissionError):
			staff_doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Customer Portfolio", doc.name, "tier"), "Strategic")

	def test_one_portfolio_per_customer(self):
		self.portfolio(customer=OTHER).insert()
		with self.assertRaises(frappe.DuplicateEntryError):
			self.portfolio(customer=OTHER).insert()

	def test_decision_makers_must_be_contacts_of_the_customer(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.portfolio(decision_makers=[{"contact": self.stranger}]).insert()
		self.assertIn("is not a contact of customer", str(ctx.exception))
		self.assertFalse(frappe.db.exists("Customer Portfolio", CUSTOMER))

	def test_unknown_customer_rejected(self):
		with self.assertRaises(frappe.LinkValidationError):
			self.portfolio(customer="_Test No Such Customer").insert()

	def test_next_review_follows_last_review_and_frequency(self):
		doc = self.portfolio(review_frequency="Quarterly", last_review_date="2026-01-31").insert()
		self.assertEqual(getdate(doc.next_review_date), getdate("2026-04-30"))
		doc.review_frequency = "Monthly"
		doc.save()
		self.assertEqual(getdate(doc.next_review_date), getdate("2026-02-28"))

	def test_feedback_figures_kept_current(self):
		doc = self.portfolio().insert()
		self.assertEqual(doc.open_complaints, 0)

		open_one = make_complaint(CUSTOMER)
		old = make_complaint(CUSTOMER, received_on=now_datetime() - timedelta(days=400))
		old.rejection_reason = "Duplicate"
		old.save()
		apply_workflow(old, "Reject as Not a Complaint")
		frappe.get_doc(
			{
				"doctype": "Compliment",
				"customer": CUSTOMER,
				"subject": "Great migration weekend",
				"compliment": "The team was superb",
				"praised": [{"praised_doctype": "User", "praised_name": BRM}],
			}
		).insert()

		doc.reload()
		self.assertEqual(doc.open_complaints, 1)
		self.assertEqual(doc.complaints_last_12_months, 1, "the 400-day-old complaint is outside the window")
		self.assertEqual(doc.compliments_last_12_months, 1)
		self.assertEqual(doc.last_complaint_date, open_one.received_on)

		frappe.delete_doc("Complaint", open_one.name)
		doc.reload()
		self.assertEqual(doc.open_complaints, 0)
		self.assertEqual(doc.complaints_last_12_months, 0)

	def test_daily_refresh_slides_the_window(self):
		doc = self.portfolio().insert()
		complaint = make_complaint(CUSTOMER)
		doc.reload()
		self.assertEqual(doc.complaints_last_12_months, 1)
		# A year passes: move the complaint back in time, as the calendar would.
		frappe.db.set_value("Complaint", complaint.name, "received_on", now_datetime() - timedelta(days=370))
		refresh_all_stats()
		doc.reload()
		self.assertEqual(doc.complaints_last_12_months, 0)
		self.assertEqual(doc.open_complaints, 1)

	def test_connections_show_the_whole_relationship(self):
		data = frappe.get_meta("Customer Portfolio").get_dashboard_data()
		self.assertEqual(data.fieldname, "customer")
		linked = {item for group in data.transactions for item in group["items"]}
		self.assertTrue({"Complaint", "Compliment", "Issue"} <= linked)

	def test_customer_form_shows_the_relationship(self):
		data = frappe.get_meta("Customer").get_dashboard_data()
		linked = {item for group in data.transactions for item in group["items"]}
		self.assertTrue({"Customer Portfolio", "Complaint", "Compliment"} <= linked)
		self.assertIn("Sales Order", linked, "ERPNext's own connections stay")

	def test_issue_form_shows_its_complaints(self):
		data = frappe.get_meta("Issue").get_dashboard_data()
		linked = {item for group in data.transactions for item in group["items"]}
		self.assertIn("Complaint", linked)
		self.assertIn("Task", linked, "ERPNext's own connections stay")


class TestPortfolioFigures(BRMTestCase):
	def test_refresh_is_grouped_whatever_the_number_of_portfolios(self):
		"""Two grouped reads, the list of portfolios, one UPDATE per 500 portfolios: the same
		statements for 5 more portfolios (10,000 take 2 + 1 + 20; battery scale figures)."""
		from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_stats

		with self.assertQueryCount(4):
			refresh_stats(None)
		for n in range(5):
			make_portfolio(make_customer(f"_Test BRM Refresh Count {n}"))
		with self.assertQueryCount(4):
			refresh_stats(None)

	def test_health_refresh_is_grouped_whatever_the_number_of_portfolios(self):
		"""Grouped reads and one UPDATE per 500 portfolios: adding portfolios adds no statement
		(it was one UPDATE per portfolio: 10,000 statements for 10,000 portfolios)."""
		from unittest.mock import patch

		from brm_app.brm_app.doctype.customer_portfolio.health import refresh_health

		def statements() -> int:
			original, seen = frappe.db.sql, []

			def counting(*args, **kwargs):
				seen.append(1)
				return original(*args, **kwargs)

			with patch.object(frappe.db, "sql", counting):
				refresh_health(None)
			return len(seen)

		statements()  # caches warm
		first = statements()
		for n in range(5):
			make_portfolio(make_customer(f"_Test BRM Health Count {n}"))
		statements()
		self.assertEqual(statements(), first)
		self.assertLess(first, 20)

	def test_figures_cannot_be_set_by_a_request(self):
		portfolio = make_portfolio(make_customer("_Test BRM Forged Figures"))
		portfolio.open_complaints = 99
		portfolio.health_score = 100
		portfolio.save()
		stored = frappe.get_doc("Customer Portfolio", portfolio.name)
		self.assertEqual(stored.open_complaints, 0)
		self.assertNotEqual(stored.health_score, 100)
