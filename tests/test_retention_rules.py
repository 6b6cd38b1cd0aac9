"""Records kept: periods and decisions (brm_app/rules/retention.py)."""

from datetime import datetime

import pytest

from brm_app.rules.retention import ANONYMISE, DELETE, HOLD, cutoff, decide, shift

NOW = datetime(2026, 11, 23, 12, 0)


def test_shift_by_days_months_years():
	assert shift(NOW, -30, "Days") == datetime(2026, 10, 24, 12, 0)
	assert shift(datetime(2026, 3, 31), -1, "Months") == datetime(2026, 2, 28)
	assert shift(datetime(2024, 2, 29), 1, "Years") == datetime(2025, 2, 28)
	assert shift(NOW, -6, "Years") == datetime(2020, 11, 23, 12, 0)
	with pytest.raises(ValueError):
		shift(NOW, 1, "Weeks")


def test_one_day_inside_is_kept_one_day_past_is_acted_on():
	edge = cutoff(NOW, 6, "Years")
	inside = datetime(2020, 11, 24, 12, 0)
	past = datetime(2020, 11, 22, 12, 0)
	assert decide(inside, NOW, 6, "Years", DELETE) is None
	assert decide(past, NOW, 6, "Years", DELETE) == DELETE
	assert decide(past, NOW, 6, "Years", ANONYMISE) == ANONYMISE
	assert decide(edge, NOW, 6, "Years", DELETE) is None  # exactly at the end: not yet past


def test_records_not_ended_are_kept_and_holds_block():
	assert decide(None, NOW, 1, "Days", DELETE) is None
	assert decide(datetime(2000, 1, 1), NOW, 1, "Days", DELETE, held=True) == HOLD


def test_bad_rules_are_refused():
	with pytest.raises(ValueError):
		cutoff(NOW, 0, "Years")
	with pytest.raises(ValueError):
		decide(datetime(2000, 1, 1), NOW, 1, "Years", "Archive")
