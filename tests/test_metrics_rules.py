from datetime import date

import pytest

from brm_app.rules import metrics as m


class TestPeriods:
	def test_keys(self):
		assert m.month_key(date(2026, 3, 31)) == "2026-03"
		assert m.quarter_key(date(2026, 3, 31)) == "2026-Q1"
		assert m.quarter_key("2026-04") == "2026-Q2"
		assert m.quarter_key("2026-12") == "2026-Q4"
		assert m.year_key("2026-12") == "2026"

	def test_subtotals_follow_each_quarter_and_year(self):
		monthly = {
			"2025-12": {"complaints": 1},
			"2026-01": {"complaints": 2, "compliments": 1},
			"2026-03": {"complaints": 3},
			"2026-04": {"complaints": 4},
		}
		rows = m.with_subtotals(monthly, ["complaints", "compliments"])
		assert [(r["period"], r["level"], r["complaints"]) for r in rows] == [
			("2025-12", "month", 1),
			("2025-Q4", "quarter", 1),
			("2025", "year", 1),
			("2026-01", "month", 2),
			("2026-03", "month", 3),
			("2026-Q1", "quarter", 5),
			("2026-04", "month", 4),
			("2026-Q2", "quarter", 4),
			("2026", "year", 9),
		]
		assert rows[5]["compliments"] == 1 and rows[0]["compliments"] == 0

	def test_no_months_no_rows(self):
		assert m.with_subtotals({}, ["complaints"]) == []

	@pytest.mark.parametrize(
		"kind, anchor, expected",
		[
			("Monthly", date(2026, 2, 10), (date(2026, 2, 1), date(2026, 2, 28))),
			("Quarterly", date(2026, 5, 10), (date(2026, 4, 1), date(2026, 6, 30))),
			("Annual", date(2026, 5, 10), (date(2026, 1, 1), date(2026, 12, 31))),
			("Ad hoc", date(2028, 2, 3), (date(2028, 2, 1), date(2028, 2, 29))),
		],
	)
	def test_review_period(self, kind, anchor, expected):
		assert m.review_period(kind, anchor) == expected

	def test_period_before(self):
		assert m.period_before("Quarterly", date(2026, 4, 15)) == (date(2026, 1, 1), date(2026, 3, 31))
		assert m.period_before("Monthly", date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
		assert m.period_before("Annual", date(2026, 2, 1)) == (date(2025, 1, 1), date(2025, 12, 31))

	def test_review_due(self):
		assert m.review_due(date(2026, 5, 10), date(2026, 4, 20), 21)
		assert not m.review_due(date(2026, 5, 30), date(2026, 4, 20), 21)
		assert m.review_due(date(2026, 4, 1), date(2026, 4, 20), 21), "overdue"
		assert not m.review_due(None, date(2026, 4, 20), 21)

	def test_review_kind_for_frequency(self):
		assert m.review_kind_for_frequency("Monthly") == "Monthly"
		assert m.review_kind_for_frequency("Half-yearly") == "Quarterly"
		assert m.review_kind_for_frequency("Yearly") == "Annual"
		assert m.review_kind_for_frequency(None) == "Quarterly"


class TestHealthScore:
	def healthy(self, **over):
		values = dict(csat=92, previous_csat=90, nps=40, sla_met=20, sla_failed=1, days_since_review=30)
		values.update(over)
		return m.HealthInputs(**values)

	def test_healthy_customer_scores_100(self):
		health = m.health_score(self.healthy())
		assert (health.score, health.band, health.reasons) == (100, m.HEALTHY, [])

	def test_each_reason_is_reported_with_its_points(self):
		health = m.health_score(
			self.healthy(
				csat=60,
				previous_csat=85,
				nps=-20,
				complaints_12m=2,
				open_serious_complaints=1,
				open_escalated_complaints=1,
				sla_met=7,
				sla_failed=3,
				overdue_actions=1,
				days_since_review=200,
			)
		)
		lost = {code: points for code, points, _ in health.reasons}
		assert lost == {
			"csat_below_minimum": 25,
			"csat_falling": 10,
			"nps_negative": 10,
			"complaints": 6,
			"serious_complaints_open": 10,
			"escalated_complaints_open": 5,
			"sla_failures": 20,
			"overdue_actions": 5,
			"review_overdue": 10,
		}
		assert health.score == 0 and health.band == m.AT_RISK

	def test_penalties_are_capped(self):
		health = m.health_score(self.healthy(complaints_12m=50, open_serious_complaints=9, overdue_actions=9))
		lost = {code: points for code, points, _ in health.reasons}
		assert (lost["complaints"], lost["serious_complaints_open"], lost["overdue_actions"]) == (15, 20, 15)
		assert health.score == 50 and health.band == m.WATCH

	def test_missing_data_counts_against(self):
		health = m.health_score(m.HealthInputs())
		assert {code for code, _, _ in health.reasons} == {"no_satisfaction_data", "never_reviewed"}
		assert health.score == 80

	def test_sla_failure_thresholds(self):
		assert m.health_score(self.healthy(sla_met=90, sla_failed=10)).score == 100  # 10 % is tolerated
		assert m.health_score(self.healthy(sla_met=80, sla_failed=20)).score == 90
		assert m.health_score(self.healthy(sla_met=0, sla_failed=0)).score == 100


class TestKpis:
	def test_met(self):
		assert m.kpi_met(85, 80) is True
		assert m.kpi_met(79.9, 80) is False
		assert m.kpi_met(5, 10, higher_is_better=False) is True
		assert m.kpi_met(None, 80) is None and m.kpi_met(50, None) is None

	def test_trend(self):
		assert m.trend(85, 80) == "better"
		assert m.trend(75, 80) == "worse"
		assert m.trend(80.2, 80) == "same"
		assert m.trend(5, 10, higher_is_better=False) == "better"
		assert m.trend(None, 10) == ""

	def test_previous_period_and_percent(self):
		assert m.previous_period(date(2026, 4, 1), date(2026, 6, 30)) == (date(2026, 1, 1), date(2026, 3, 31))
		assert m.previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
		assert m.previous_period(date(2026, 3, 10), date(2026, 3, 19)) == (
			date(2026, 2, 28),
			date(2026, 3, 9),
		)
		assert m.percent(1, 4) == 25.0 and m.percent(1, 0) is None


class TestDueSummaries:
	def test_month_quarter_year(self):
		assert [k for k, *_ in m.due_summaries(date(2026, 5, 1))] == ["month"]
		assert m.due_summaries(date(2026, 4, 1)) == [
			("month", "2026-03", date(2026, 3, 1), date(2026, 3, 31)),
			("quarter", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
		]
		assert [(k, label) for k, label, *_ in m.due_summaries(date(2027, 1, 1))] == [
			("month", "2026-12"),
			("quarter", "2026-Q4"),
			("year", "2026"),
		]


def test_requests_for_change_weigh_on_health():
	from brm_app.rules.metrics import HealthInputs, health_score

	base = HealthInputs(csat=90, days_since_review=10)
	worse = HealthInputs(csat=90, days_since_review=10, changes_rejected=1, changes_waiting=3)
	codes = [code for code, _points, _facts in health_score(worse).reasons]
	assert "changes_rejected" in codes and "changes_waiting" in codes
	assert health_score(base).score - health_score(worse).score == 5 + 10  # capped at 10
