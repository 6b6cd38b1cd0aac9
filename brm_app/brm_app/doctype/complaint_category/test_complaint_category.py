# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe

from brm_app.tests.utils import BRM_ROLE, BRM_USER_ROLE, BRMTestCase, make_user


class TestComplaintCategory(BRMTestCase):
	def test_default_categories_installed(self):
		self.assertTrue(frappe.db.exists("Complaint Category", "Service Quality"))

	def test_only_brm_edits_the_list(self):
		staff = make_user("brm.category.staff@example.com", [BRM_USER_ROLE])
		manager = make_user("brm.category.manager@example.com", [BRM_ROLE])
		frappe.set_user(staff)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "Complaint Category", "category_name": "_Test Staff Category"}
			).insert()
		frappe.set_user(manager)
		doc = frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": "_Test BRM Category",
				"default_severity": "High",
			}
		).insert()
		self.assertEqual(doc.name, "_Test BRM Category")

	def test_default_severity_must_be_a_known_severity(self):
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Complaint Category",
					"category_name": "_Test Bad",
					"default_severity": "Apocalyptic",
				}
			).insert()
