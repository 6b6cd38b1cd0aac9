# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from brm_app.demo import clear
from brm_app.demo.records import note, registered
from brm_app.tests.utils import BRM_ROLE, BRMTestCase, make_user


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


class TestDemoHistory(BRMTestCase):
	"""The demo's year: believable figures need complaints in every month, handled in order."""

	def test_the_complaints_fill_the_year_before_the_last_three_weeks(self):
		from datetime import date, timedelta

		from brm_app.demo.history import plan_complaints

		today = date(2026, 11, 23)
		plans = plan_complaints(today)
		months = {(p["received_on"].year, p["received_on"].month) for p in plans}
		self.assertGreaterEqual(len(months), 11)
		self.assertGreaterEqual(len(plans), 30)
		self.assertEqual(plan_complaints(today), plans, "the same demo every time")
		for plan in plans:
			moments = [plan["received_on"], *(moment for _action, moment in plan["steps"])]
			self.assertEqual(moments, sorted(moments), plan["subject"])
			self.assertLess(moments[-1].date(), today - timedelta(days=14), plan["subject"])
			self.assertIn(plan["steps"][-1][0], ("Accept Resolution", "Reject as Not a Complaint"))
			self.assertLess(plan["received_on"].weekday(), 5, "received on a working day")
			if plan["rating"]:
				self.assertGreater(plan["rating"][1], moments[-1], "answered after the closure")

	def test_an_error_of_the_command_is_one_readable_line(self):
		from brm_app.commands import one_line

		error = frappe.ValidationError("<p>Unknown country <b>Atlantis</b>:\n use its name</p>")
		self.assertEqual(one_line(error), "Unknown country Atlantis: use its name")
		line = one_line(KeyError("company"))
		self.assertNotIn("\n", line)
		self.assertTrue(line.startswith("KeyError: 'company' (details in Error Log "), line)


class TestDemoChanges(FrappeTestCase):
	def test_the_year_of_requests_for_change_covers_every_state(self):
		"""Every status a request can be in, followed to the end where the plan says so."""
		from brm_app.demo.history import CHANGES
		from brm_app.rules import change as rules

		reached = set()
		for _customer, _title, _service, _days, steps in CHANGES:
			status = rules.DRAFT
			for _offset, step in steps:
				if not isinstance(step, str):
					if step[0] == "ask":
						status = rules.INFORMATION_NEEDED
					elif step[0] == "confirm":
						status = rules.CLOSED if step[1] else rules.SCHEDULED
					continue
				status = {
					"Submit Request": rules.SUBMITTED,
					"Start Assessment": rules.UNDER_ASSESSMENT,
					"Send to CAB": rules.AWAITING_CAB,
					"Record CAB Approval": rules.APPROVED,
					"Record CAB Rejection": rules.REJECTED,
					"Record CAB Deferral": rules.DEFERRED,
					"Schedule": rules.SCHEDULED,
					"Mark Implemented": rules.IMPLEMENTED,
					"Withdraw": rules.WITHDRAWN,
				}[step]
			reached.add(status)
		self.assertEqual(reached, set(rules.STATUSES))
