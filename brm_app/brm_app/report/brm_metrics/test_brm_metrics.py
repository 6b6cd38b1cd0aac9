# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe

from brm_app.api.survey import submit_response
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import make_template
from brm_app.brm_app.report.brm_metrics.brm_metrics import execute
from brm_app.tests.utils import (
	BRM_USER_ROLE,
	BRMTestCase,
	make_complaint,
	make_contact,
	make_customer,
	make_outgoing_email_account,
	make_portfolio,
	make_user,
	set_responded_on,
)

A = "_Test BRM Metrics Alpha"
B = "_Test BRM Metrics Beta"
STAFF = "brm.metrics.staff@example.com"
PERIOD = {"from_date": "2024-02-01", "to_date": "2024-04-30"}


class TestBRMMetrics(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		make_user(STAFF, [BRM_USER_ROLE])
		for customer in (A, B):
			make_customer(customer)
			make_contact(customer, f"second@{customer[-4:].lower()}.example.com")
			make_portfolio(
				customer,
				authorised_representative=make_contact(customer, f"rep@{customer[-4:].lower()}.example.com"),
			)

	def setUp(self):
		super().setUp()
		for customer, received, category in (
			(A, "2024-02-10 10:00:00", "Service Quality"),
			(A, "2024-03-05 10:00:00", "Billing and Charges"),
			(A, "2024-04-20 10:00:00", "Service Quality"),
			(B, "2024-03-15 10:00:00", "Service Quality"),
			(A, "2024-05-01 10:00:00", "Service Quality"),  # outside
		):
			make_complaint(customer, received_on=received, category=category)
		frappe.get_doc(
			{
				"doctype": "Compliment",
				"customer": A,
				"subject": "Thanks",
				"compliment": "Great",
				"received_on": "2024-04-02 10:00:00",
				"praised": [{"praised_doctype": "User", "praised_name": "Administrator"}],
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Customer Requirement",
				"title": "More storage",
				"customer": A,
				"desired_outcomes": "Room to grow",
				"raised_on": "2024-02-20",
			}
		).insert()
		# Two survey answers in March (ratings 5 and 2) and one in April (rating 4).
		template = make_template()
		survey = frappe.get_doc(
			{
				"doctype": "Satisfaction Survey",
				"title": "_Test metrics survey",
				"template": template.name,
				"audience": "Chosen Customers",
				"customers": [{"customer": A}, {"customer": B}],
				"contacts_to_ask": "All Contacts",
				"min_days_between_surveys": 0,
			}
		).insert()
		survey.send_now()
		keys = [q.name for q in template.questions]
		invitations = frappe.get_all(
			"Survey Invitation", {"survey": survey.name}, ["name", "customer"], order_by="customer"
		)
		plan = [("2024-03-10 10:00:00", 5, 10), ("2024-03-11 10:00:00", 2, 3), ("2024-04-11 10:00:00", 4, 8)]
		self.assertGreaterEqual(len(invitations), len(plan))
		for invitation, (when, rating, nps) in zip(invitations, plan, strict=False):
			token = frappe.get_doc("Survey Invitation", invitation.name).get_password("token")
			submit_response(token, {keys[0]: {"score": rating, "text": "why"}, keys[1]: {"score": nps}})
			set_responded_on(invitation.name, when)
		self.responded_customers = [i.customer for i in invitations[: len(plan)]]

	def rows(self, **filters):
		return {r["period"]: r for r in execute({**PERIOD, **filters})[1]}

	def test_months_quarters_and_year_match_hand_counts(self):
		rows = self.rows(customer=A)
		self.assertEqual(
			[
				(p, rows[p]["complaints"])
				for p in ("2024-02", "2024-03", "2024-Q1", "2024-04", "2024-Q2", "2024")
			],
			[("2024-02", 1), ("2024-03", 1), ("2024-Q1", 2), ("2024-04", 1), ("2024-Q2", 1), ("2024", 3)],
		)
		self.assertEqual(rows["2024"]["cat_service_quality"], 2)
		self.assertEqual(rows["2024"]["cat_billing_and_charges"], 1)
		self.assertEqual((rows["2024-04"]["compliments"], rows["2024-02"]["requirements"]), (1, 1))
		self.assertEqual([r["level"] for r in execute({**PERIOD, "customer": A})[1]][-1], "year")

	def test_survey_percentages_are_recomputed_from_counts(self):
		rows = self.rows()
		# March: ratings 5 and 2 -> CSAT 50; April: 4 -> 100; Q1+Q2 year: 2 of 3 -> 66.7
		self.assertEqual(rows["2024-03"]["csat"], 50.0)
		self.assertEqual(rows["2024-Q2"]["csat"], 100.0)
		self.assertAlmostEqual(rows["2024"]["csat"], 200 / 3, places=3)
		# NPS: 10 promoter, 3 detractor, 8 passive over the year -> 0
		self.assertEqual(rows["2024"]["nps"], 0.0)
		self.assertEqual(rows["2024"]["survey_responses"], 3)

	def test_the_report_sums_only_the_survey_counts_it_shows(self):
		from brm_app.brm_app.report.brm_metrics.brm_metrics import SURVEY_COLUMNS
		from brm_app.reporting import ANSWER_COLUMNS, answer_aggregates

		filters = {"from_date": PERIOD["from_date"], "to_date": PERIOD["to_date"]}
		full = {r.grp: r for r in answer_aggregates("month", filters)}
		narrow = {r.grp: r for r in answer_aggregates("month", filters, SURVEY_COLUMNS)}
		self.assertEqual(sorted(full), ["2024-03", "2024-04"])
		self.assertEqual(sorted(narrow), sorted(full))
		for month, row in narrow.items():
			self.assertEqual(set(row), {*SURVEY_COLUMNS, "grp"})
			self.assertEqual({c: row[c] for c in SURVEY_COLUMNS}, {c: full[month][c] for c in SURVEY_COLUMNS})
		self.assertEqual(set(full["2024-03"]), {*ANSWER_COLUMNS, "grp"})
		self.assertEqual((narrow["2024-03"].responses, narrow["2024-03"].rating_n), (2, 2))

	def test_user_permissions_narrow_the_report(self):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": STAFF,
				"allow": "Customer",
				"for_value": B,
				"apply_to_all_doctypes": 1,
			}
		).insert(ignore_permissions=True)
		frappe.set_user(STAFF)
		rows = self.rows()
		self.assertEqual(rows["2024"]["complaints"], 1, "only Beta's complaint")
		self.assertEqual(rows["2024"]["requirements"], 0)
		frappe.set_user("Administrator")
		self.assertEqual(self.rows()["2024"]["complaints"] >= 4, True)

	def test_relationship_manager_filter(self):
		frappe.db.set_value("Customer Portfolio", B, "relationship_manager", STAFF)
		rows = self.rows(relationship_manager=STAFF)
		self.assertEqual(rows["2024"]["complaints"], 1)
