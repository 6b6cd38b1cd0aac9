# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A customer's status e-mail is written in the customer's language, whoever saved the record."""

import frappe
from frappe.model.workflow import apply_workflow

from brm_app.tests.utils import (
	BRMTestCase,
	make_complaint,
	make_contact,
	make_customer,
	make_outgoing_email_account,
)

CUSTOMER = "_Test BRM Kunde GmbH"


class TestCustomerLanguageNotification(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		make_customer(CUSTOMER)
		cls.contact = make_contact(CUSTOMER, "einkauf@kunde.example.com")

	def acknowledged_mail(self) -> str:
		complaint = make_complaint(CUSTOMER, contact=self.contact, subject="Drucker fällt aus")
		frappe.local.lang = "en"  # a relationship manager working in English acknowledges it
		apply_workflow(complaint, "Acknowledge")
		return frappe.get_last_doc(
			"Email Queue", filters={"reference_doctype": "Complaint", "reference_name": complaint.name}
		).message

	def test_a_german_customer_is_told_in_german(self):
		frappe.db.set_value("Customer", CUSTOMER, "language", "de")
		message = self.acknowledged_mail()
		self.assertIn("Wir haben Ihre Beschwerde erhalten", message)
		self.assertNotIn("We have received your complaint", message)
		self.assertEqual(frappe.local.lang, "en", "the language of the request is left as it was")

	def test_an_english_customer_is_told_in_english(self):
		frappe.db.set_value("Customer", CUSTOMER, "language", "en")
		self.assertIn("We have received your complaint", self.acknowledged_mail())
