"""Customer health over time: contributions that add up, what moved it, the projection, alert
rules, peers (brm_app/rules/health.py)."""

from datetime import date

from brm_app.rules import health as h
from brm_app.rules.metrics import HealthInputs, health_score


def test_contributions_add_up_to_the_score():
	for inputs in (
		HealthInputs(csat=90, days_since_review=10),
		HealthInputs(csat=40, nps=-20, complaints_12m=9, open_serious_complaints=3, overdue_actions=4),
		HealthInputs(),  # no data at all
	):
		health = health_score(inputs)
		parts = h.contributions(health.reasons)
		assert h.score_of(parts) == health.score
		assert all(v <= 0 for k, v in parts.items() if k != h.FLOOR)


def test_the_floor_keeps_the_parts_adding_up_at_zero():
	reasons = [("a", 70, {}), ("b", 60, {})]
	parts = h.contributions(reasons)
	assert parts[h.FLOOR] == 30 and h.score_of(parts) == 0


def test_what_moved_the_score():
	before = {"csat_below_minimum": 0, "complaints": -6}
	now = {"csat_below_minimum": -25, "complaints": -3, "escalated_complaints_open": -5}
	assert h.what_moved(before, now) == [
		("csat_below_minimum", -25),
		("escalated_complaints_open", -5),
		("complaints", 3),
	]
	assert h.what_moved(now, now) == []


def test_weeks_end_on_sunday():
	assert h.week_ending(date(2026, 12, 7)) == date(2026, 12, 13)  # a Monday
	assert h.week_ending(date(2026, 12, 13)) == date(2026, 12, 13)


def test_projection_flat_rising_falling_and_too_little_history():
	assert h.project([80, 82, 81]) is None
	flat = h.project([80] * 8)
	assert (flat.score, flat.low, flat.high, flat.band) == (80, 80, 80, "Healthy")
	rising = h.project([50, 54, 58, 62, 66, 70])
	assert rising.score > 70 and rising.score < 70 + 4 * 8.6  # damped: less than the straight line
	falling = h.project([90, 85, 80, 76, 70, 65, 61, 57])
	assert falling.band == "At Risk" and falling.low <= falling.score <= falling.high
	assert 0 <= h.project([10, 6, 3, 1, 0, 0]).score


def test_alert_rules():
	drop = h.AlertRule(h.DROP, points=10, weeks=4)
	assert h.alert_due(drop, [80, 78, 74, 69], None)
	assert not h.alert_due(drop, [80, 78, 74, 72], None)
	assert not h.alert_due(drop, [90, 80, 80, 80, 80, 79], None), "the drop is older than four weeks"
	enters = h.AlertRule(h.ENTERS_AT_RISK)
	assert h.alert_due(enters, [55, 48], None)
	assert not h.alert_due(enters, [48, 45], None), "already at risk: no new alert"
	assert not h.alert_due(enters, [40], None), "a first score (new portfolio, no history yet) is no entry"
	assert h.alert_window_days(h.DROP, 4) == 28 and h.alert_window_days(h.ENTERS_AT_RISK) == 7
	projected = h.AlertRule(h.PROJECTED_AT_RISK)
	falling = h.project([90, 85, 80, 76, 70, 65, 61, 57])
	assert h.alert_due(projected, [90, 85, 80, 76, 70, 65, 61, 57], falling)
	assert not h.alert_due(projected, [80] * 8, h.project([80] * 8))


def test_percentile_among_peers():
	assert h.percentile(70, [40, 70, 90, 100]) == 50
	assert h.percentile(100, [100]) == 100
	assert h.percentile(50, []) is None


def test_backtest_counts_each_forecast_once_and_scores_a_steady_history_perfectly():
	result = h.backtest([[80] * 20], weeks_ahead=9)
	# weeks 4..11 have 9 weeks after them: 8 forecasts, all right
	assert (result.forecasts, result.band_hits, result.baseline_hits, result.in_range) == (8, 8, 8, 8)
	assert result.share(result.band_hits) == 100.0


def test_backtest_a_steady_slide_is_seen_coming_where_no_change_is_not():
	slide = [90 - 3 * w for w in range(24)]  # 90 down to 21
	result = h.backtest([slide], weeks_ahead=9)
	assert result.forecasts == 12
	assert result.band_hits > result.baseline_hits


def test_backtest_too_short_a_history_makes_no_forecast():
	assert h.backtest([[70, 60, 50]]).forecasts == 0
