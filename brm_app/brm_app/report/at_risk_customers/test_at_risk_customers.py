# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, today

from brm_app.brm_app.doctype.customer_portfolio.health import refresh_health
from brm_app.brm_app.report.at_risk_customers.at_risk_customers import execute
from brm_app.tests.utils import (
	BRM_USER_ROLE,
	BRMTestCase,
	make_complaint,
	make_customer,
	make_portfolio,
	make_user,
)

GOOD = "_Test BRM Health Good"
BAD = "_Test BRM Health Bad"
STAFF = "brm.health.staff@example.com"


class TestHealthAndAtRisk(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(STAFF, [BRM_USER_ROLE])
		for customer in (GOOD, BAD):
			make_customer(customer)
			make_portfolio(customer, review_frequency="Quarterly", last_review_date=add_days(today(), -30))

	def test_health_score_with_reasons(self):
		make_complaint(BAD, severity="Critical")
		escalated = make_complaint(BAD, severity="High")
		frappe.db.set_value("Complaint", escalated.name, "escalation_level", 1)
		frappe.db.set_value("Customer Portfolio", BAD, "last_review_date", add_days(today(), -200))
		results = refresh_health([GOOD, BAD])
		good, bad = frappe.get_doc("Customer Portfolio", GOOD), frappe.get_doc("Customer Portfolio", BAD)
		# Good: no survey yet (-10). Bad: no survey (-10), 2 complaints (-6), 2 serious open (-20),
		# 1 escalated open (-5), review 200 days ago (-10).
		self.assertEqual((good.health_score, good.health_band), (90, "Healthy"))
		self.assertEqual((bad.health_score, bad.health_band), (49, "At Risk"))
		self.assertIn("2 high or critical complaint(s) open", bad.health_reasons)
		self.assertIn("200 days ago", bad.health_reasons)
		self.assertEqual(results[BAD].score, 49)

	def test_at_risk_report_lists_only_what_the_user_may_read(self):
		make_complaint(BAD, severity="Critical")
		make_complaint(BAD, severity="Critical")
		frappe.db.set_value("Customer Portfolio", BAD, "last_review_date", add_days(today(), -400))
		refresh_health([GOOD, BAD])
		customers = [r.customer for r in execute({})[1]]
		self.assertIn(BAD, customers)
		self.assertNotIn(GOOD, customers)

		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": STAFF,
				"allow": "Customer",
				"for_value": GOOD,
				"apply_to_all_doctypes": 1,
			}
		).insert(ignore_permissions=True)
		frappe.set_user(STAFF)
		self.assertNotIn(BAD, [r.customer for r in execute({})[1]], "not this user's customer")
