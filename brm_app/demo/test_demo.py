# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe

from brm_app.demo import clear
from brm_app.demo.records import note, registered
from brm_app.testing import BRM_ROLE, BRMTestCase, make_user


class TestDemoScaffolding(BRMTestCase):
	def test_only_a_system_manager_may_clear_the_demo(self):
		frappe.set_user(make_user("demo.clearer@example.com", [BRM_ROLE]))
		frappe.flags.in_test = False  # frappe.only_for lets every user through in tests
		try:
			with self.assertRaises(frappe.PermissionError):
				clear()
		finally:
			frappe.flags.in_test = True

	def test_only_records_made_while_the_demo_runs_are_registered(self):
		before = registered()
		note("Customer", "_Test BRM not a demo customer")
		self.assertEqual(registered(), before)
		frappe.flags.brm_demo = True
		try:
			note("Customer", "_Test BRM demo customer")
		finally:
			frappe.flags.brm_demo = False
		self.assertIn("_Test BRM demo customer", registered()["Customer"])
