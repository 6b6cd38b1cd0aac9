# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe

from brm_app.tests.utils import (
	BRM_ROLE,
	BRMTestCase,
	make_contact,
	make_customer,
	make_outgoing_email_account,
	make_portfolio,
	make_service_item,
	make_user,
)

CUSTOMER = "_Test BRM Requirement Customer"
RM = "brm.requirement.manager@example.com"


class TestCustomerRequirement(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		make_user(RM, [BRM_ROLE])
		make_customer(CUSTOMER)
		cls.contact = make_contact(CUSTOMER, "owner@requirement-customer.example.com")
		make_portfolio(CUSTOMER, relationship_manager=RM)
		cls.service = make_service_item("_Test BRM Standard Backup")

	def requirement(self, **values):
		return frappe.get_doc(
			{
				"doctype": "Customer Requirement",
				"title": "Nightly backups for the new site",
				"customer": CUSTOMER,
				"contact": self.contact,
				"desired_outcomes": "<p>We never lose more than a day of work.</p>",
				"utility_requirements": "Backups of all file shares",
				"warranty_requirements": "Restore within 4 hours",
				**values,
			}
		).insert()

	def test_decision_needs_rationale_and_service(self):
		doc = self.requirement()
		self.assertEqual((doc.status, doc.customer_portfolio), ("New", CUSTOMER))
		attempts = [
			{"decision": "Existing Standard Service Fits"},  # no rationale
			{
				"decision": "Existing Standard Service Fits",
				"decision_rationale": "Standard backup covers it",
			},  # no service
		]
		for values in attempts:
			doc.reload()
			doc.update(values)
			with self.assertRaises(frappe.ValidationError):
				doc.save()
		doc.reload()
		self.assertEqual(doc.status, "New", "nothing saved by the refused attempts")
		doc.update({**attempts[1], "standard_service": self.service})
		doc.save()
		self.assertEqual(doc.status, "Decided")

	def test_routing_follows_the_decision_and_customer_is_told(self):
		doc = self.requirement()
		doc.update(
			{
				"decision": "New or Changed Service Needed",
				"decision_rationale": "No standard service restores this fast",
				"status": "Routed",
			}
		)
		doc.save()
		self.assertEqual(doc.routed_to, "Service Portfolio Management")
		recipients = frappe.get_all(
			"Email Queue Recipient",
			filters={
				"parent": (
					"in",
					frappe.get_all("Email Queue", {"reference_name": doc.name}, pluck="name") or [""],
				)
			},
			pluck="recipient",
		)
		self.assertIn("owner@requirement-customer.example.com", recipients)

	def test_status_needs_a_decision(self):
		with self.assertRaises(frappe.ValidationError):
			self.requirement(status="Routed")

	def test_raised_from_a_review(self):
		review = frappe.get_doc(
			{
				"doctype": "Service Performance Review",
				"customer": CUSTOMER,
				"review_kind": "Ad hoc",
				"period_start": "2026-01-01",
				"period_end": "2026-01-31",
			}
		).insert()
		name = review.raise_requirement("Monitoring for the clinics", "<p>Know before users call.</p>")
		requirement = frappe.get_doc("Customer Requirement", name)
		self.assertEqual((requirement.source_review, requirement.customer), (review.name, CUSTOMER))
		data = frappe.get_meta("Service Performance Review").get_dashboard_data()
		self.assertEqual(data.fieldname, "source_review")
		with self.assertRaises(frappe.ValidationError):
			review.raise_requirement(" ", "x")

	def test_customer_contacts_see_only_their_own_requirements(self):
		mine = self.requirement()
		make_customer("_Test BRM Other Requirement Customer")
		other = frappe.get_doc(
			{
				"doctype": "Customer Requirement",
				"title": "Not yours",
				"customer": "_Test BRM Other Requirement Customer",
				"desired_outcomes": "Secret plans",
			}
		).insert()
		portal = make_user("portal.owner@requirement-customer.example.com", ["Customer"], "Website User")
		make_contact(CUSTOMER, portal, user=portal)
		frappe.set_user(portal)
		visible = frappe.get_list("Customer Requirement", pluck="name", limit_page_length=0)
		self.assertIn(mine.name, visible)
		self.assertNotIn(other.name, visible)
		self.assertFalse(frappe.has_permission("Customer Requirement", "read", other.name))
