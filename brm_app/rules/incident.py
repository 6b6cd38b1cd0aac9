"""Service incidents and the customers they hit (ITIL 4 relationship management: keep the
customer informed; ISO 10002 complaints prevented where possible; docs/incidents.md).

Pure Python: no ``frappe`` import. Who is affected, which notices are due, whether a contact
is in an incident's quiet period for surveys, and the figures of an incident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

OPEN = "Open"
RESOLVED = "Resolved"
CLOSED = "Closed"
STATUSES = (OPEN, RESOLVED, CLOSED)
IMPACTS = ("Low", "Medium", "High", "Critical")
DEFAULT_QUIET_DAYS = 7

ALLOWED_TRANSITIONS = {
	OPEN: frozenset({RESOLVED}),
	RESOLVED: frozenset({OPEN, CLOSED}),  # back to Open: it failed again
	CLOSED: frozenset(),
}

# error codes of transition_errors()
NOT_ALLOWED = "not_allowed"
END_REQUIRED = "end_required"
END_BEFORE_START = "end_before_start"
ROOT_CAUSE_REQUIRED = "root_cause_required"
SUMMARY_REQUIRED = "summary_required"


@dataclass(frozen=True)
class IncidentFacts:
	started_on: datetime | None = None
	ended_on: datetime | None = None
	root_cause: str | None = None
	post_incident_summary: str | None = None


def transition_errors(old: str | None, new: str, facts: IncidentFacts) -> list[str]:
	"""Why an incident may not move from ``old`` to ``new`` (empty: it may)."""
	if old is None and new != OPEN:
		return [NOT_ALLOWED]
	if old is not None and old != new and new not in ALLOWED_TRANSITIONS.get(old, frozenset()):
		return [NOT_ALLOWED]
	errors = []
	if facts.ended_on and facts.started_on and facts.ended_on < facts.started_on:
		errors.append(END_BEFORE_START)
	if new in (RESOLVED, CLOSED) and not facts.ended_on:
		errors.append(END_REQUIRED)
	if new == CLOSED:
		if not (facts.root_cause or "").strip():
			errors.append(ROOT_CAUSE_REQUIRED)
		if not (facts.post_incident_summary or "").strip():
			errors.append(SUMMARY_REQUIRED)
	return errors


@dataclass(frozen=True)
class ServiceRow:
	"""One service one customer's portfolio lists."""

	customer: str
	service: str
	ended_on: date | None = None


def affected_customers(
	rows: list[ServiceRow], services: set[str], started_on: datetime, added: set[str] = frozenset()
) -> list[str]:
	"""Customers whose portfolio lists an affected service still provided when the incident
	started, and any customer added by hand; sorted, once each."""
	day = started_on.date()
	hit = {
		row.customer
		for row in rows
		if row.service in services and (row.ended_on is None or row.ended_on >= day)
	}
	return sorted(hit | set(added))


def due_notices(
	updates: list[int], sent: set[tuple[int, str]], recipients: list[str]
) -> list[tuple[int, str]]:
	"""(update number, recipient) pairs still to send: update 0 is the start, ``updates`` the
	numbers of the public updates (each keeps its number, even when another is deleted); each
	recipient gets each one once (``sent`` holds what went)."""
	return [
		(number, who) for number in [0, *sorted(updates)] for who in recipients if (number, who) not in sent
	]


def next_update_no(numbers: list[int]) -> int:
	"""The number a new update gets: one more than any given so far (never reused)."""
	return max([0, *numbers]) + 1


def quiet_until(windows: list[tuple[datetime, datetime | None]], quiet_days: int) -> datetime | None:
	"""Until when no survey may go to an affected contact: the latest end of the incidents
	plus the quiet period. ``datetime.max`` while one is still open; None without incidents."""
	if not windows:
		return None
	if any(end is None for _start, end in windows):
		return datetime.max
	return max(end for _start, end in windows) + timedelta(days=quiet_days)


def in_quiet_period(windows: list[tuple[datetime, datetime | None]], now: datetime, quiet_days: int) -> bool:
	"""Whether ``now`` falls in an incident (started, not ended) or its quiet period after."""
	relevant = [(start, end) for start, end in windows if start <= now]
	until = quiet_until(relevant, quiet_days)
	return until is not None and now <= until


def minutes_between(start: datetime | None, end: datetime | None) -> int | None:
	if not (start and end):
		return None
	return max(0, int((end - start).total_seconds() // 60))


def notified_first_share(
	first_notice: dict[str, datetime], first_complaint: dict[str, datetime]
) -> float | None:
	"""Of the affected customers who complained, the share (%) told before their first
	complaint; None when nobody complained."""
	complained = list(first_complaint)
	if not complained:
		return None
	before = sum(1 for c in complained if first_notice.get(c) and first_notice[c] <= first_complaint[c])
	return 100.0 * before / len(complained)
