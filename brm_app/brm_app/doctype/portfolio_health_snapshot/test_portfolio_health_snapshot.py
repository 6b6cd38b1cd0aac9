# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Customer health over time (issue 26): weekly snapshots, the backfill, what moved it, the
projection, the alerts and who may see them."""

import json

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from brm_app.brm_app.doctype.customer_portfolio import health
from brm_app.rules import health as history
from brm_app.tests.utils import (
	BRM_ROLE,
	BRM_USER_ROLE,
	BRMTestCase,
	make_complaint,
	make_customer,
	make_portal_user,
	make_portfolio,
	make_user,
)

SLIDING = "_Test BRM Health Sliding"
STEADY = "_Test BRM Health Steady"
RM = "brm.health.manager@example.com"
STAFF = "brm.health.staff@example.com"
CUSTOMER_USER = "cio@health-sliding.example.com"


def snapshots(portfolio: str) -> list:
	return frappe.get_all(
		"Portfolio Health Snapshot",
		filters={"portfolio": portfolio},
		fields=["week_ending", "score", "band", "factors", "top_factor"],
		order_by="week_ending",
	)


class TestHealthHistory(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(RM, [BRM_ROLE])
		make_user(STAFF, [BRM_USER_ROLE])
		for name in (SLIDING, STEADY):
			make_customer(name)
			make_portfolio(name, relationship_manager=RM)
		make_portal_user(CUSTOMER_USER, [SLIDING])

	def setUp(self):
		super().setUp()
		frappe.db.delete("Portfolio Health Snapshot", {"portfolio": ("in", [SLIDING, STEADY])})
		frappe.db.delete("Health Alert", {"portfolio": ("in", [SLIDING, STEADY])})

	def complaint(self, weeks_ago: int, severity="High"):
		doc = make_complaint(SLIDING, severity=severity)
		frappe.db.set_value(
			"Complaint",
			doc.name,
			"received_on",
			add_days(now_datetime(), -7 * weeks_ago),
			update_modified=False,
		)
		return doc

	def test_backfill_recomputes_each_week_from_the_records_dated_then(self):
		self.complaint(weeks_ago=3)
		self.assertEqual(health.backfill_history(customers=[SLIDING, STEADY]), 24)
		rows = snapshots(SLIDING)
		self.assertEqual(len(rows), 12)
		this_week = history.week_ending(getdate(today()))
		self.assertEqual(getdate(rows[-1].week_ending), add_days(this_week, -7))
		self.assertEqual(getdate(rows[0].week_ending), add_days(this_week, -84))
		for row in rows:  # the parts add up to the score
			self.assertEqual(history.score_of(json.loads(row.factors)), row.score)
		before = [r for r in rows if getdate(r.week_ending) < getdate(add_days(today(), -21))]
		after = [r for r in rows if getdate(r.week_ending) >= getdate(add_days(today(), -14))]
		self.assertTrue(before and after)
		self.assertNotIn("serious_complaints_open", json.loads(before[-1].factors))
		self.assertIn("serious_complaints_open", json.loads(after[-1].factors))
		self.assertLess(after[-1].score, before[-1].score)
		# the steady customer had nothing happen: the same score every week
		self.assertEqual(len({r.score for r in snapshots(STEADY)}), 1)
		# a second backfill writes nothing (weeks already there are kept)
		self.assertEqual(health.backfill_history(customers=[SLIDING, STEADY]), 0)

	def test_daily_job_keeps_one_snapshot_a_week_and_explains_the_move(self):
		health.backfill_history(customers=[SLIDING])
		health.refresh_health([SLIDING])
		health.refresh_health([SLIDING])  # the job again in the same week: replaced, not added
		rows = snapshots(SLIDING)
		self.assertEqual(len(rows), 13)  # the 12 past weeks and this one
		self.assertEqual(getdate(rows[-1].week_ending), history.week_ending(getdate(today())))
		self.complaint(weeks_ago=0, severity="Critical")
		health.refresh_health([SLIDING])
		portfolio = frappe.get_doc("Customer Portfolio", SLIDING)
		self.assertLess(portfolio.health_trend, 0)
		self.assertIn(health.factor_label("serious_complaints_open"), portfolio.health_moved)
		self.assertIsNotNone(portfolio.health_projection)  # 12 weeks: enough for a projection
		self.assertEqual(portfolio.health_tier_percentile is None, False)
		shown = health.get_health_history(SLIDING)
		self.assertEqual(len(shown["scores"]), 12)  # the chart: the last 12 weeks
		self.assertLess(shown["since_last_week"]["change"], 0)
		self.assertTrue(shown["projection"])

	def test_a_new_portfolio_raises_no_alert_before_it_has_a_history(self):
		frappe.db.delete("Portfolio Health Snapshot", {"portfolio": SLIDING})
		for severity in ("Critical", "Critical", "High"):
			doc = self.complaint(weeks_ago=0, severity=severity)
			frappe.db.set_value("Complaint", doc.name, "escalation_level", 1, update_modified=False)
		health.refresh_health([SLIDING])
		self.assertEqual(frappe.db.get_value("Customer Portfolio", SLIDING, "health_band"), "At Risk")
		self.assertFalse(frappe.db.exists("Health Alert", {"portfolio": SLIDING}))

	def test_backfill_counts_only_what_was_true_then(self):
		"""A complaint closed last week counted as open in the weeks before, not after."""
		doc = self.complaint(weeks_ago=6, severity="Critical")
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{"status": "Closed", "closed_on": add_days(now_datetime(), -10)},
			update_modified=False,
		)
		health.backfill_history(customers=[SLIDING])
		rows = {getdate(r.week_ending): json.loads(r.factors) for r in snapshots(SLIDING)}
		this_week = history.week_ending(getdate(today()))
		three_weeks_ago = add_days(this_week, -21)
		last_week = add_days(this_week, -7)
		self.assertIn("serious_complaints_open", rows[getdate(three_weeks_ago)])
		if getdate(add_days(now_datetime(), -10)) <= getdate(last_week):
			self.assertNotIn("serious_complaints_open", rows[getdate(last_week)])

	def test_too_little_history_says_no_projection(self):
		health.refresh_health([STEADY])
		portfolio = frappe.get_doc("Customer Portfolio", STEADY)
		self.assertFalse(portfolio.health_projected_band)
		self.assertIsNone(health.get_health_history(STEADY)["projection"])

	def seed_scores(self, portfolio: str, scores: list[int]):
		week = history.week_ending(getdate(today()))
		n = len(scores)
		rows = [
			health.snapshot_row(
				portfolio, add_days(week, -7 * (n - k)), score, {"complaints": score - 100}, now_datetime()
			)
			for k, score in enumerate(scores)
		]
		frappe.db.bulk_insert("Portfolio Health Snapshot", health.SNAPSHOT_FIELDS, rows)

	def test_a_drop_opens_one_alert_for_the_relationship_manager(self):
		self.seed_scores(SLIDING, [100, 100, 100, 100])
		frappe.db.set_value("Customer Portfolio", SLIDING, "health_band", "Healthy", update_modified=False)
		self.complaint(weeks_ago=0, severity="Critical")
		self.complaint(weeks_ago=0, severity="High")
		health.refresh_health([SLIDING])
		alerts = frappe.get_all(
			"Health Alert",
			filters={"portfolio": SLIDING},
			fields=["name", "kind", "relationship_manager", "status"],
		)
		self.assertIn("Drops", [a.kind for a in alerts])
		drop = next(a for a in alerts if a.kind == "Drops")
		self.assertEqual(drop.relationship_manager, RM)
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{
					"reference_type": "Health Alert",
					"reference_name": drop.name,
					"allocated_to": RM,
					"status": "Open",
				},
			)
		)
		health.refresh_health([SLIDING])  # the next day: still one open alert
		self.assertEqual(frappe.db.count("Health Alert", {"portfolio": SLIDING, "kind": "Drops"}), 1)

		frappe.set_user(RM)
		alert = frappe.get_doc("Health Alert", drop.name)
		alert.action = "No Action"
		with self.assertRaises(frappe.MandatoryError):
			alert.save()
		self.assertEqual(frappe.db.get_value("Health Alert", drop.name, "status"), "Open")
		alert = frappe.get_doc("Health Alert", drop.name)
		alert.action = "No Action"
		alert.action_note = "Spoke to the CIO at the steering meeting; outage already credited."
		alert.save()
		self.assertEqual(frappe.db.get_value("Health Alert", drop.name, "status"), "Closed")
		self.assertFalse(
			frappe.db.exists(
				"ToDo", {"reference_type": "Health Alert", "reference_name": drop.name, "status": "Open"}
			),
			"closing the alert closes the relationship manager's ToDo",
		)
		# what raised it cannot be rewritten
		alert = frappe.get_doc("Health Alert", drop.name)
		alert.score = 99
		with self.assertRaises(frappe.PermissionError):
			alert.save()
		frappe.set_user("Administrator")
		# the drop still shows in the 4-week window: the closed alert is not raised again
		health.refresh_health([SLIDING])
		self.assertEqual(frappe.db.count("Health Alert", {"portfolio": SLIDING, "kind": "Drops"}), 1)

	def current_score(self, portfolio: str) -> int:
		from brm_app.rules.metrics import health_score

		return health_score(health.gather([portfolio])[portfolio]).score

	def test_a_steady_portfolio_raises_nothing(self):
		score = self.current_score(STEADY)
		self.seed_scores(STEADY, [score] * 4)
		health.refresh_health([STEADY])
		self.assertFalse(frappe.db.exists("Health Alert", {"portfolio": STEADY}))

	def test_staff_read_the_history_customers_never_do(self):
		health.refresh_health([SLIDING])
		frappe.set_user(STAFF)
		self.assertTrue(health.get_health_history(SLIDING)["scores"])
		self.assertTrue(frappe.get_list("Portfolio Health Snapshot", filters={"portfolio": SLIDING}))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "Portfolio Health Snapshot", "portfolio": SLIDING}).insert()
		frappe.set_user(CUSTOMER_USER)
		with self.assertRaises(frappe.PermissionError):
			health.get_health_history(SLIDING)
		for doctype in ("Portfolio Health Snapshot", "Health Alert"):
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list(doctype, filters={"portfolio": SLIDING})
		frappe.set_user("Administrator")

	def test_the_review_shows_the_alert_and_the_scores_of_its_period(self):
		self.seed_scores(SLIDING, [100, 100, 100, 100])
		self.complaint(weeks_ago=0, severity="Critical")
		self.complaint(weeks_ago=0, severity="High")
		health.refresh_health([SLIDING])
		now_score = frappe.db.get_value("Customer Portfolio", SLIDING, "health_score")
		week = history.week_ending(getdate(today()))
		review = frappe.get_doc(
			{
				"doctype": "Service Performance Review",
				"customer": SLIDING,
				"review_kind": "Quarterly",
				"period_start": add_days(week, -30),
				"period_end": today(),
			}
		).insert()
		alerts = [row for row in review.agenda if row.reference_doctype == "Health Alert"]
		self.assertTrue(alerts)
		self.assertEqual(alerts[0].source, "Health Alert")
		review.collect_metrics()
		self.assertEqual((review.health_at_start, review.health_at_end), (100, now_score))
		# the report the customer receives never shows health
		review.save()
		printed = frappe.get_print(
			"Service Performance Review", review.name, "Service Performance Review Report"
		)
		self.assertIn(review.agenda[0].topic, printed)
		self.assertNotIn(alerts[0].topic, printed)

	def test_retention_deletes_old_history_but_not_under_legal_hold(self):
		from brm_app import retention

		self.seed_scores(SLIDING, [80] * 110)  # more than two years of weeks
		self.seed_scores(STEADY, [80] * 110)
		frappe.db.set_value("Customer Portfolio", STEADY, {"legal_hold": 1, "legal_hold_reason": "Dispute"})
		retention.prune_health_history()
		self.assertEqual(len(snapshots(SLIDING)), 104)
		self.assertEqual(len(snapshots(STEADY)), 110)

	def test_only_a_system_manager_shortens_the_history(self):
		frappe.set_user(RM)
		settings = frappe.get_doc("BRM Settings")
		settings.health_history_weeks = 20
		with self.assertRaises(frappe.PermissionError):
			settings.save()
		frappe.set_user("Administrator")
		settings = frappe.get_doc("BRM Settings")
		settings.health_history_weeks = 5
		with self.assertRaises(frappe.ValidationError):
			settings.save()
		self.assertNotEqual(frappe.db.get_single_value("BRM Settings", "health_history_weeks"), 5)
