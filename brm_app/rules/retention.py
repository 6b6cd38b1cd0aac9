"""Records kept: how long each record type is kept after its end, and what happens then
(no frappe import). Issue 11; the job that acts on these rules is not built yet."""

import calendar
from datetime import datetime, timedelta

RECORD_TYPES = (
	"Complaint",
	"Compliment",
	"Survey Invitation",
	"Satisfaction Survey",
	"Service Performance Review",
	"Customer Requirement",
)
DELETE, ANONYMISE = "Delete", "Anonymise"
ACTIONS = (ANONYMISE, DELETE)
DAYS, MONTHS, YEARS = "Days", "Months", "Years"
UNITS = (DAYS, MONTHS, YEARS)
HOLD = "Hold"


def _add_months(moment: datetime, months: int) -> datetime:
	month = moment.month - 1 + months
	year = moment.year + month // 12
	month = month % 12 + 1
	day = min(moment.day, calendar.monthrange(year, month)[1])
	return moment.replace(year=year, month=month, day=day)


def shift(moment: datetime, amount: int, unit: str) -> datetime:
	"""``moment`` moved by ``amount`` days, months or years (the 31st becomes the month's last
	day; 29 February the 28th)."""
	if unit == DAYS:
		return moment + timedelta(days=amount)
	if unit == MONTHS:
		return _add_months(moment, amount)
	if unit == YEARS:
		return _add_months(moment, 12 * amount)
	raise ValueError(f"unknown unit {unit!r}")


def cutoff(now: datetime, keep_for: int, unit: str) -> datetime:
	"""Records that ended before this moment are past their retention at ``now``."""
	if keep_for is None or keep_for < 1:
		raise ValueError("a retention period is at least 1")
	return shift(now, -keep_for, unit)


def decide(
	ended: datetime | None, now: datetime, keep_for: int, unit: str, action: str, held: bool = False
) -> str | None:
	"""What happens to a record now: None (kept: not ended, or still within its period), HOLD
	(past its period but under legal hold: nothing may be done) or the rule's action."""
	if action not in ACTIONS:
		raise ValueError(f"unknown action {action!r}")
	if ended is None or ended >= cutoff(now, keep_for, unit):
		return None
	return HOLD if held else action
