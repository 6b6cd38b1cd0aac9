# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow

from brm_app.tests.utils import (
	BRM_ROLE,
	BRM_USER_ROLE,
	BRMTestCase,
	make_contact,
	make_customer,
	make_outgoing_email_account,
	make_user,
)

CUSTOMER = "_Test BRM Compliment Customer"
BRM = "brm.compliment.manager@example.com"
ENGINEER = "engineer.praised@example.com"
TEAMMATE = "teammate.praised@example.com"
CONTACT_EMAIL = "happy@compliment-customer.example.com"


def make_employee(user: str, department: str | None = None) -> str:
	existing = frappe.db.get_value("Employee", {"user_id": user}, "name")
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": user.split("@")[0],
				"gender": frappe.db.get_value("Gender", {}, "name"),
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"company": frappe.db.get_value("Company", {}, "name"),
				"user_id": user,
				"department": department,
				"status": "Active",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestCompliment(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(BRM, [BRM_ROLE])
		make_user(ENGINEER, [BRM_USER_ROLE])
		make_user(TEAMMATE, [BRM_USER_ROLE])
		make_customer(CUSTOMER)
		make_outgoing_email_account()
		cls.contact = make_contact(CUSTOMER, CONTACT_EMAIL)
		company = frappe.db.get_value("Company", {}, "name")
		cls.department = (
			frappe.db.get_value("Department", {"department_name": "_Test BRM Service Desk"}, "name")
			or frappe.get_doc(
				{"doctype": "Department", "department_name": "_Test BRM Service Desk", "company": company}
			)
			.insert(ignore_permissions=True)
			.name
		)
		cls.engineer = make_employee(ENGINEER)
		make_employee(TEAMMATE, cls.department)

	def new(self, praised, **values):
		return frappe.get_doc(
			{
				"doctype": "Compliment",
				"customer": CUSTOMER,
				"contact": self.contact,
				"subject": "Outage handled brilliantly",
				"compliment": "<p>Kept us informed every hour.</p>",
				"praised": praised,
				**values,
			}
		).insert()

	def test_lifecycle_tells_the_praised_people(self):
		doc = self.new(
			[
				{"praised_doctype": "Employee", "praised_name": self.engineer},
				{"praised_doctype": "Department", "praised_name": self.department},
			]
		)
		self.assertEqual((doc.status, doc.workflow_state), ("New", "New"))
		self.assertTrue(doc.praised[0].praised_label)

		with self.assertRaises(frappe.ValidationError):
			apply_workflow(doc, "Evaluate")  # not evaluated yet
		doc.reload()
		doc.evaluation = "Exceptional"
		doc.save()
		doc = apply_workflow(doc, "Evaluate")
		self.assertEqual(doc.status, "Evaluated")
		self.assertFalse(
			frappe.db.exists("Notification Log", {"document_name": doc.name}),
			"nobody is told before acknowledging",
		)

		doc = apply_workflow(doc, "Acknowledge")
		self.assertEqual(doc.status, "Acknowledged")
		told = set(frappe.get_all("Notification Log", filters={"document_name": doc.name}, pluck="for_user"))
		self.assertEqual(told, {ENGINEER, TEAMMATE}, "the employee and the department's people are told")
		doc.reload()
		self.assertTrue(doc.praised_notified_on)
		self.assertIn(ENGINEER, doc.notified_users)

	def test_user_praised_directly(self):
		doc = self.new([{"praised_doctype": "User", "praised_name": ENGINEER}], evaluation="Routine")
		doc = apply_workflow(apply_workflow(doc, "Evaluate"), "Acknowledge")
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": doc.name, "for_user": ENGINEER})
		)

	def test_only_people_and_teams_can_be_praised(self):
		before = frappe.db.count("Compliment")
		with self.assertRaises(frappe.ValidationError):
			self.new([{"praised_doctype": "Customer", "praised_name": CUSTOMER}])
		self.assertEqual(frappe.db.count("Compliment"), before)

	def test_someone_must_be_praised_before_acknowledging(self):
		# A customer names people in their own words (portal); staff map them when evaluating.
		doc = self.new([], praised_text="the night shift")
		doc.evaluation = "Notable"
		doc.save()
		doc = apply_workflow(doc, "Evaluate")
		self.assertEqual(doc.status, "Evaluated")
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(doc, "Acknowledge")
		self.assertEqual(frappe.db.get_value("Compliment", doc.name, "status"), "Evaluated")

	def test_thank_the_customer_from_template(self):
		doc = self.new([{"praised_doctype": "User", "praised_name": ENGINEER}])
		self.assertEqual(doc.send_thanks(), CONTACT_EMAIL)
		communication = frappe.get_last_doc(
			"Communication", filters={"reference_doctype": "Compliment", "reference_name": doc.name}
		)
		self.assertIn("Thank you", communication.subject)
		self.assertTrue(frappe.db.get_value("Compliment", doc.name, "thanked_on"))

	def test_staff_cannot_thank_without_email_permission_on_someone_elses_customer(self):
		portal_user = make_user("portal.happy@compliment-customer.example.com", ["Customer"], "Website User")
		make_contact(CUSTOMER, portal_user, user=portal_user)
		doc = self.new([{"praised_doctype": "User", "praised_name": ENGINEER}])
		frappe.set_user(portal_user)
		self.assertTrue(frappe.has_permission("Compliment", "read", doc.name))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Compliment", doc.name).send_thanks()

	def test_compliment_report_prints(self):
		doc = self.new([{"praised_doctype": "Employee", "praised_name": self.engineer}], evaluation="Notable")
		html = frappe.get_print("Compliment", doc.name, print_format="Customer Compliment Report")
		self.assertIn("Customer Compliment Report", html)
		self.assertIn(doc.praised[0].praised_label, html)
