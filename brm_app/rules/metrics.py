"""BRM metrics rules: periods, monthly rows with quarter and year subtotals (docs/features.md "BRM Metrics"),
review periods, and the customer health score with its reasons. Pure Python: no ``frappe``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from brm_app.rules.portfolio import REVIEW_FREQUENCY_MONTHS, add_months

# ---------------------------------------------------------------------- periods


def month_key(day: date) -> str:
	return f"{day.year:04d}-{day.month:02d}"


def quarter_key(day_or_month: date | str) -> str:
	year, month = _year_month(day_or_month)
	return f"{year:04d}-Q{(month - 1) // 3 + 1}"


def year_key(day_or_month: date | str) -> str:
	return f"{_year_month(day_or_month)[0]:04d}"


def _year_month(value: date | str) -> tuple[int, int]:
	if isinstance(value, str):
		year, month = value.split("-")[:2]
		return int(year), int(month)
	return value.year, value.month


def with_subtotals(monthly: Mapping[str, Mapping[str, float]], measures: Iterable[str]) -> list[dict]:
	"""Monthly rows ('YYYY-MM' -> values) in order, each quarter and year followed by its
	subtotal row. Every row has ``period``, ``level`` (month, quarter, year) and the measures."""
	measures = list(measures)
	rows: list[dict] = []
	months = sorted(monthly)

	def total(keys):
		return {m: sum(monthly[k].get(m) or 0 for k in keys) for m in measures}

	for index, month in enumerate(months):
		rows.append({"period": month, "level": "month", **{m: monthly[month].get(m) or 0 for m in measures}})
		next_month = months[index + 1] if index + 1 < len(months) else None
		if next_month is None or quarter_key(next_month) != quarter_key(month):
			quarter = quarter_key(month)
			rows.append(
				{
					"period": quarter,
					"level": "quarter",
					**total([k for k in months if quarter_key(k) == quarter]),
				}
			)
		if next_month is None or year_key(next_month) != year_key(month):
			year = year_key(month)
			rows.append(
				{"period": year, "level": "year", **total([k for k in months if year_key(k) == year])}
			)
	return rows


REVIEW_KIND_MONTHS = {"Monthly": 1, "Quarterly": 3, "Annual": 12}


def review_period(kind: str, anchor: date) -> tuple[date, date]:
	"""The calendar period a periodic review covers, for a day inside it (ad hoc: that month)."""
	months = REVIEW_KIND_MONTHS.get(kind, 1)
	start_month = ((anchor.month - 1) // months) * months + 1
	start = date(anchor.year, start_month, 1)
	end_anchor = add_months(start, months - 1)
	end = date(end_anchor.year, end_anchor.month, calendar.monthrange(end_anchor.year, end_anchor.month)[1])
	return start, end


def period_before(kind: str, day: date) -> tuple[date, date]:
	"""The last complete period before ``day``: what a review held on ``day`` looks back on."""
	months = REVIEW_KIND_MONTHS.get(kind, 1)
	start, _end = review_period(kind, day)
	return review_period(kind, add_months(start, -months))


def review_due(next_review: date | None, today: date, lead_days: int) -> bool:
	"""A review is prepared ``lead_days`` before its date (or at once when overdue)."""
	return bool(next_review) and (next_review - today).days <= lead_days


def review_kind_for_frequency(frequency: str | None) -> str:
	"""The review kind that matches a portfolio's agreement review frequency."""
	months = REVIEW_FREQUENCY_MONTHS.get(frequency or "", 3)
	return "Monthly" if months == 1 else "Annual" if months >= 12 else "Quarterly"


# ---------------------------------------------------------------------- health score


@dataclass
class HealthInputs:
	csat: float | None = None  # current CSAT %
	previous_csat: float | None = None  # the survey before, for the trend
	nps: float | None = None
	minimum_csat: float = 80.0
	complaints_12m: int = 0
	open_serious_complaints: int = 0  # High or Critical, not closed
	open_escalated_complaints: int = 0
	sla_met: int = 0  # Issues in 12 months that met / failed their SLA
	sla_failed: int = 0
	overdue_actions: int = 0  # review action items past due
	days_since_review: int | None = None
	review_every_days: int = 91
	changes_rejected: int = 0  # requests for change the CAB rejected recently
	changes_waiting: int = 0  # requests open with the change process for long
	incidents_90d: int = 0  # service incidents that hit the customer in the last 90 days


@dataclass
class Health:
	score: int
	band: str
	reasons: list[tuple[str, int, dict]] = field(default_factory=list)  # (code, points lost, facts)


HEALTHY, WATCH, AT_RISK = "Healthy", "Watch", "At Risk"


def health_score(i: HealthInputs) -> Health:
	"""100 minus penalties, each with its reason; 75+ Healthy, 50-74 Watch, below 50 At Risk."""
	reasons: list[tuple[str, int, dict]] = []

	def lose(code, points, **facts):
		if points > 0:
			reasons.append((code, points, facts))

	if i.csat is None:
		lose("no_satisfaction_data", 10)
	elif i.csat < i.minimum_csat:
		lose("csat_below_minimum", 25, csat=round(i.csat, 1), minimum=i.minimum_csat)
	if i.csat is not None and i.previous_csat is not None and i.csat - i.previous_csat <= -10:
		lose("csat_falling", 10, csat=round(i.csat, 1), previous=round(i.previous_csat, 1))
	if i.nps is not None and i.nps < 0:
		lose("nps_negative", 10, nps=round(i.nps, 1))
	lose("complaints", min(15, 3 * i.complaints_12m), count=i.complaints_12m)
	lose("serious_complaints_open", min(20, 10 * i.open_serious_complaints), count=i.open_serious_complaints)
	lose(
		"escalated_complaints_open",
		min(10, 5 * i.open_escalated_complaints),
		count=i.open_escalated_complaints,
	)
	issues = i.sla_met + i.sla_failed
	if issues:
		rate = 100.0 * i.sla_failed / issues
		lose(
			"sla_failures",
			20 if rate > 25 else 10 if rate > 10 else 0,
			rate=round(rate, 1),
			failed=i.sla_failed,
		)
	lose("overdue_actions", min(15, 5 * i.overdue_actions), count=i.overdue_actions)
	lose("incidents", min(15, 5 * i.incidents_90d), count=i.incidents_90d)
	lose("changes_rejected", min(10, 5 * i.changes_rejected), count=i.changes_rejected)
	lose("changes_waiting", min(10, 5 * i.changes_waiting), count=i.changes_waiting)
	if i.days_since_review is None:
		lose("never_reviewed", 10)
	elif i.days_since_review > i.review_every_days:
		lose("review_overdue", 10, days=i.days_since_review)

	score = max(0, 100 - sum(points for _, points, _ in reasons))
	band = HEALTHY if score >= 75 else WATCH if score >= 50 else AT_RISK
	return Health(score=score, band=band, reasons=reasons)


# ---------------------------------------------------------------------- CSF / KPI


def kpi_met(value: float | None, target: float | None, higher_is_better: bool = True) -> bool | None:
	"""Whether a KPI meets its defined level; None when there is no value or no target."""
	if value is None or target is None:
		return None
	return value >= target if higher_is_better else value <= target


def trend(
	value: float | None, previous: float | None, higher_is_better: bool = True, tolerance: float = 0.5
) -> str:
	"""'better', 'worse', 'same' against the previous period, or '' when either is missing."""
	if value is None or previous is None:
		return ""
	if abs(value - previous) <= tolerance:
		return "same"
	return "better" if (value > previous) == higher_is_better else "worse"


def previous_period(start: date, end: date) -> tuple[date, date]:
	"""The period just before [start, end]: as many whole months when it spans whole months
	(a quarter before a quarter), else the same number of days."""
	from datetime import timedelta

	before = start - timedelta(days=1)
	whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
	if whole_months:
		months = (end.year - start.year) * 12 + end.month - start.month + 1
		return add_months(start, -months), before
	return start - timedelta(days=(end - start).days + 1), before


def percent(part: float, whole: float) -> float | None:
	return 100.0 * part / whole if whole else None


def due_summaries(day: date) -> list[tuple[str, str, date, date]]:
	"""The BRM Metrics summaries due on ``day`` (run on the 1st of each month): the month just
	ended, plus its quarter when that month closes a quarter, plus the year when it closes one.
	Each is (kind, label, start, end)."""
	from datetime import timedelta

	last = date(day.year, day.month, 1) - timedelta(days=1)
	month_start = date(last.year, last.month, 1)
	due = [("month", month_key(last), month_start, last)]
	if last.month % 3 == 0:
		due.append(("quarter", quarter_key(last), add_months(month_start, -2), last))
	if last.month == 12:
		due.append(("year", year_key(last), date(last.year, 1, 1), last))
	return due
