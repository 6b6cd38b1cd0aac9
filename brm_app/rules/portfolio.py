"""Customer Portfolio rules: review schedule and the window of the feedback statistics.

Pure Python: no ``frappe`` import.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

REVIEW_FREQUENCY_MONTHS = {"Monthly": 1, "Quarterly": 3, "Half-yearly": 6, "Yearly": 12}
STATS_WINDOW_MONTHS = 12


def add_months(day: date | datetime, months: int) -> date | datetime:
	"""Calendar month arithmetic that clamps to the month's last day (31 Jan + 1 = 28/29 Feb)."""
	month_index = day.month - 1 + months
	year = day.year + month_index // 12
	month = month_index % 12 + 1
	last_day = calendar.monthrange(year, month)[1]
	return day.replace(year=year, month=month, day=min(day.day, last_day))


def next_review_date(last_review: date | None, frequency: str | None) -> date | None:
	"""When the next agreement review is due, from the last one and the review frequency."""
	months = REVIEW_FREQUENCY_MONTHS.get(frequency or "")
	if not last_review or not months:
		return None
	return add_months(last_review, months)


def stats_window_start(now: datetime, months: int = STATS_WINDOW_MONTHS) -> datetime:
	"""Start of the rolling window the 'last 12 months' counts use."""
	return add_months(now, -months)


def review_overdue(next_review: date | None, today: date) -> bool:
	return bool(next_review and next_review < today)
