# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Monthly survey answer rollups agree with the live answers (issue 29): on randomised
responses over many months, customers, surveys, services and reference types — answered,
changed, moved between customers, anonymised and deleted by retention — every grouping of the
answer figures, Customer Satisfaction and BRM Metrics read from rollups equal the live query,
for an unrestricted user and a restricted one."""

import random
from datetime import timedelta
from decimal import Decimal

import frappe

from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import make_template
from brm_app.brm_app.doctype.survey_rollup.survey_rollup import ROLLUP, rebuild_all, reconcile
from brm_app.reporting import GROUPINGS, answer_aggregates
from brm_app.rules import survey as rules
from brm_app.tests.utils import BRMTestCase, make_customer, make_portfolio

CUSTOMERS = ["_Test BRM SRollup A", "_Test BRM SRollup B", "_Test BRM SRollup C"]
SERVICES = [None, "_Test BRM SRollup Service"]
REFERENCES = [None, "Issue", "Complaint"]


def figures(group, live, **filters):
	period = {"from_date": "2025-06-10", "to_date": frappe.utils.today()}
	rows = answer_aggregates(group, {**period, **filters, "live": live})
	return {str(r.get("grp")): {k: round(float(v or 0), 6) for k, v in r.items() if k != "grp"} for r in rows}


def report_rows(execute, live, **filters):
	period = {"from_date": "2025-06-10", "to_date": frappe.utils.today()}
	_columns, rows, *_ = execute({**period, **filters, "live": int(live)})
	keyed = {}
	for row in rows:
		key = str(row.get("grp") or row.get("period"))
		keyed[key] = {
			k: round(float(v), 6) if isinstance(v, (int, float, Decimal)) else v for k, v in row.items()
		}
	return keyed


class TestSurveyRollups(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for c in CUSTOMERS:
			make_customer(c)
			make_portfolio(c)
		if not frappe.db.exists("Item", SERVICES[1]):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": SERVICES[1],
					"item_group": "Services",
					"stock_uom": "Nos",
					"is_stock_item": 0,
				}
			).insert(ignore_permissions=True)
		template = make_template()
		cls.questions = list(template.questions)
		cls.surveys = []
		for title in ("_Test rollup survey one", "_Test rollup survey two"):
			name = frappe.db.get_value("Satisfaction Survey", {"title": title})
			if not name:
				name = (
					frappe.get_doc(
						{
							"doctype": "Satisfaction Survey",
							"title": title,
							"template": template.name,
							"audience": "Chosen Customers",
							"customers": [{"customer": c} for c in CUSTOMERS],
						}
					)
					.insert()
					.name
				)
			cls.surveys.append(name)

	def setUp(self):
		super().setUp()
		rebuild_all()  # this site's rollups as of now (the test's changes then keep them current)

	def answers(self, rng):
		rows = []
		for q in self.questions:
			if rng.random() < 0.2:
				continue  # not answered (an optional question), or another dimension only
			scored = q.kind in rules.RANGES
			row = {"question_key": q.name, "question": q.question, "kind": q.kind, "dimension": q.dimension}
			if scored:
				row.update(weight=q.weight, has_score=1, score=rng.randint(*rules.RANGES[q.kind]))
			else:
				row.update(choice="Phone", comment="_Test")
			rows.append(row)
		return rows or self.answers(rng)

	def respond(self, rng, n=30):
		made = []
		now = frappe.utils.now_datetime()
		for i in range(n):
			doc = frappe.get_doc(
				{
					"doctype": "Survey Invitation",
					"survey": rng.choice(self.surveys),
					"customer": rng.choice(CUSTOMERS),
					"email": f"rollup{i}@example.com",
					"service": rng.choice(SERVICES),
					"reference_doctype": rng.choice(REFERENCES),
					"status": rules.PENDING,
				}
			)
			doc.flags.process_update = True
			doc.insert(ignore_permissions=True)
			when = now - timedelta(days=rng.randint(0, 400), hours=rng.randint(0, 23))
			doc.set_status(
				rules.RESPONDED, answers=self.answers(rng), responded_on=when.replace(microsecond=0)
			)
			made.append(doc)
		return made

	def assert_agree(self, **filters):
		for group in (None, *GROUPINGS):
			self.assertEqual(figures(group, False, **filters), figures(group, True, **filters), group)
		for group in ("dimension", "month", None):
			narrowed = {**filters, "dimension": self.questions[0].dimension}
			self.assertEqual(figures(group, False, **narrowed), figures(group, True, **narrowed), group)
			incidents = {**filters, "reference_doctypes": ["Issue"]}
			self.assertEqual(figures(group, False, **incidents), figures(group, True, **incidents), group)
		from brm_app.brm_app.report.brm_metrics.brm_metrics import execute as metrics
		from brm_app.brm_app.report.customer_satisfaction.customer_satisfaction import execute as satisfaction

		self.assertEqual(report_rows(metrics, False, **filters), report_rows(metrics, True, **filters))
		for group in ("Customer", "Dimension", "Month"):
			self.assertEqual(
				report_rows(satisfaction, False, group_by=group, **filters),
				report_rows(satisfaction, True, group_by=group, **filters),
				group,
			)

	def test_rollups_equal_the_live_answers(self):
		from brm_app.retention import anonymise, delete

		rng = random.Random(29)
		docs = self.respond(rng)
		self.assertTrue(frappe.db.count(ROLLUP))
		self.assert_agree()
		changed = docs[1]  # an answer corrected
		changed.reload()
		changed.answers[0].score = 1
		changed.flags.process_update = True
		changed.save(ignore_permissions=True)
		moved = docs[0]  # moved to another customer
		moved.reload()
		moved.customer = CUSTOMERS[(CUSTOMERS.index(moved.customer) + 1) % 3]
		moved.flags.process_update = True
		moved.save(ignore_permissions=True)
		anonymise("Survey Invitation", docs[2].name)
		for doc in docs[-3:]:  # deleted at the end of their period (figures kept)
			delete("Survey Invitation", doc.name)
		self.assert_agree()
		self.assert_agree(customer=CUSTOMERS[1])

	def test_a_restricted_user_gets_what_the_live_query_gives(self):
		from frappe.permissions import add_user_permission

		from brm_app.tests.utils import BRM_ROLE, make_user

		self.respond(random.Random(7), 15)
		user = make_user("brm.srollup.restricted@example.com", [BRM_ROLE])
		add_user_permission("Customer", CUSTOMERS[0], user)
		frappe.set_user(user)
		try:
			self.assert_agree()
			from brm_app.brm_app.report.customer_satisfaction.customer_satisfaction import execute

			self.assertEqual(set(report_rows(execute, False, group_by="Customer")), {CUSTOMERS[0]})
		finally:
			frappe.set_user("Administrator")

	def test_a_response_rebuilds_its_own_keys_only_and_reconcile_writes_nothing_when_right(self):
		doc = self.respond(random.Random(3), 1)[0]
		statements = []
		real = frappe.db.sql

		def counting(query, *args, **kwargs):
			statements.append(str(query))
			return real(query, *args, **kwargs)

		frappe.db.sql = counting
		try:
			doc.reload()
			doc.answers[0].score = 2 if doc.answers[0].score != 2 else 3
			doc.flags.process_update = True
			doc.save(ignore_permissions=True)
		finally:
			frappe.db.sql = real
		rollup = [q for q in statements if "tabSurvey Rollup" in q]
		self.assertLessEqual(len(rollup), 2, rollup)  # one delete, one insert for its key
		self.assertEqual(reconcile(months=14), [], "nothing wrong, nothing written")
		frappe.db.sql("delete from `tabSurvey Rollup` where customer = %s", doc.customer)
		self.assertTrue(reconcile(months=14), "a missing key is found and repaired")
		self.assertEqual(reconcile(months=14), [])

	def test_only_a_system_manager_reads_the_table(self):
		from brm_app.tests.utils import BRM_ROLE, BRM_USER_ROLE, make_user

		# its customer is plain text, which User Permissions do not narrow: staff read the
		# figures through the reports, with their scope
		for doctype in (ROLLUP, "Complaint Rollup"):
			for role in (BRM_ROLE, BRM_USER_ROLE):
				user = make_user(f"rollup.{role.split()[-1].lower()}@example.com", [role])
				self.assertFalse(frappe.has_permission(doctype, "read", user=user), (doctype, role))
				frappe.set_user(user)
				self.assertRaises(frappe.PermissionError, frappe.get_list, doctype)
				frappe.set_user("Administrator")
