"""Complaint handling rules (ISO 10002 complaints handling; ISO/IEC 20000-1 8.3.2 complaints).

Pure Python: no ``frappe`` import. Controllers, jobs and reports gather data, call these
functions and save. Errors are returned as codes; the caller turns each into a translated,
user-facing message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

OPEN = "Open"
ACKNOWLEDGED = "Acknowledged"
INVESTIGATING = "Investigating"
#: Waiting for information from the customer: the question is on the complaint and the
#: portal; the clock stops while the handling policy says waiting stops it (issue 28).
WAITING = "Waiting for Customer"
RESOLUTION_PROPOSED = "Resolution Proposed"
CLOSED = "Closed"
REJECTED = "Rejected"

#: The canonical statuses every line of code and every report keys off. Workflow states
#: (which an administrator may rename) map onto these through each state's update field.
STATUSES = (OPEN, ACKNOWLEDGED, INVESTIGATING, WAITING, RESOLUTION_PROPOSED, CLOSED, REJECTED)
FINAL_STATUSES = frozenset({CLOSED, REJECTED})
OPEN_STATUSES = tuple(s for s in STATUSES if s not in FINAL_STATUSES)

SEVERITIES = ("Low", "Medium", "High", "Critical")
DEFAULT_SEVERITY = "Medium"
CHANNELS = ("Portal", "E-mail", "Phone", "Meeting", "Survey", "Desk", "Support Ticket")

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
	OPEN: frozenset({ACKNOWLEDGED, INVESTIGATING, REJECTED, CLOSED}),
	ACKNOWLEDGED: frozenset({INVESTIGATING, WAITING, RESOLUTION_PROPOSED, REJECTED, CLOSED}),
	INVESTIGATING: frozenset({WAITING, RESOLUTION_PROPOSED, REJECTED, CLOSED}),
	# The customer answers (or staff resume without an answer): investigated again.
	WAITING: frozenset({INVESTIGATING, REJECTED, CLOSED}),
	# The customer accepts (Closed) or rejects the proposal (back to Investigating).
	RESOLUTION_PROPOSED: frozenset({CLOSED, INVESTIGATING}),
	# The customer appeals within the appeal period (BRM Settings): investigated again.
	CLOSED: frozenset({INVESTIGATING}),
	REJECTED: frozenset(),
}

# Error codes returned by transition_errors().
NOT_ALLOWED = "not_allowed"
RESOLUTION_REQUIRED = "resolution_required"
CLOSING_REASON_REQUIRED = "closing_reason_required"
OPEN_ACTIONS_NEED_REASON = "open_actions_need_reason"
REJECTION_REASON_REQUIRED = "rejection_reason_required"
CUSTOMER_REASON_REQUIRED = "customer_reason_required"
QUESTION_REQUIRED = "question_required"
OUTCOME_REQUIRED = "outcome_required"

#: The outcome of a closed complaint (ISO 10002: the decision communicated to the complainant).
OUTCOMES = ("Upheld", "Partly Upheld", "Not Upheld", "Withdrawn")
#: A customer who accepts the resolution proposed to them: the complaint was upheld unless
#: staff recorded another outcome with the proposal.
ACCEPTED_OUTCOME = "Upheld"

DONE_ACTION_STATUSES = frozenset({"Done", "Cancelled"})


@dataclass(frozen=True)
class ComplaintFacts:
	"""What the transition preconditions look at."""

	proposed_resolution: str | None = None
	closing_reason: str | None = None
	rejection_reason: str | None = None
	customer_rejection_reason: str | None = None
	open_actions: int = 0
	waiting_question: str | None = None
	outcome: str | None = None


def _filled(value: str | None) -> bool:
	return bool(value and str(value).strip())


def is_final(status: str) -> bool:
	return status in FINAL_STATUSES


def open_action_count(action_statuses) -> int:
	"""Corrective actions that are neither done nor cancelled."""
	return sum(1 for s in action_statuses if (s or "Open") not in DONE_ACTION_STATUSES)


def is_reopen(old: str | None, new: str) -> bool:
	"""The customer rejected the proposed resolution, or appealed against the closure: the
	complaint goes back to investigation."""
	return old in (RESOLUTION_PROPOSED, CLOSED) and new == INVESTIGATING


def is_appeal(old: str | None, new: str) -> bool:
	return old == CLOSED and new == INVESTIGATING


def transition_errors(old: str | None, new: str, facts: ComplaintFacts) -> list[str]:
	"""Error codes that forbid moving a complaint from ``old`` to ``new`` (empty list: allowed).

	``old`` is None for a new complaint, which always starts Open.
	"""
	if new not in STATUSES:
		return [NOT_ALLOWED]
	if old is None:
		return [] if new == OPEN else [NOT_ALLOWED]
	if old == new:
		return []
	if new not in ALLOWED_TRANSITIONS.get(old, frozenset()):
		return [NOT_ALLOWED]

	errors = []
	if new == RESOLUTION_PROPOSED and not _filled(facts.proposed_resolution):
		errors.append(RESOLUTION_REQUIRED)
	if new == REJECTED and not _filled(facts.rejection_reason):
		errors.append(REJECTION_REASON_REQUIRED)
	if is_reopen(old, new) and not _filled(facts.customer_rejection_reason):
		errors.append(CUSTOMER_REASON_REQUIRED)
	if new == WAITING and not _filled(facts.waiting_question):
		errors.append(QUESTION_REQUIRED)
	if new == CLOSED and old != RESOLUTION_PROPOSED and facts.outcome not in OUTCOMES:
		# a formal closure states the decision (the customer's acceptance implies one)
		errors.append(OUTCOME_REQUIRED)
	if new == CLOSED and not _filled(facts.closing_reason):
		if old != RESOLUTION_PROPOSED:
			# Closed without the customer's agreement: a formal closure needs a reason.
			errors.append(CLOSING_REASON_REQUIRED)
		elif facts.open_actions:
			errors.append(OPEN_ACTIONS_NEED_REASON)
	return errors


def compute_targets(
	received_on: datetime, acknowledge_within_hours: float | None, resolve_within_days: float | None
) -> tuple[datetime | None, datetime | None]:
	"""Acknowledge-by and resolve-by, in calendar time from when the complaint was received."""
	ack_by = (
		received_on + timedelta(hours=float(acknowledge_within_hours)) if acknowledge_within_hours else None
	)
	resolve_by = received_on + timedelta(days=float(resolve_within_days)) if resolve_within_days else None
	return ack_by, resolve_by


def milestone_stamps(
	old: str | None,
	new: str,
	now: datetime,
	acknowledged_on: datetime | None = None,
	resolution_proposed_on: datetime | None = None,
	closed_on: datetime | None = None,
	investigation_started_on: datetime | None = None,
) -> dict[str, datetime | None]:
	"""Timestamps to set on this transition. Each is stamped once and never moved, except the
	closure: an appeal reopens the complaint, and its closing time is when it closes again."""
	stamps: dict[str, datetime | None] = {}
	if old == new:
		return stamps
	if new != OPEN and not acknowledged_on:
		# Any first response (acknowledging, investigating, even rejecting) acknowledges.
		stamps["acknowledged_on"] = now
	if new == INVESTIGATING and not investigation_started_on:
		stamps["investigation_started_on"] = now
	if is_appeal(old, new):
		stamps["closed_on"] = None
		return stamps
	if new == RESOLUTION_PROPOSED and not resolution_proposed_on:
		stamps["resolution_proposed_on"] = now
	if new in FINAL_STATUSES and not closed_on:
		stamps["closed_on"] = now
	return stamps


def elapsed_seconds(start: datetime | None, end: datetime | None) -> int | None:
	"""Whole seconds between two moments, or None when either is missing. Never negative."""
	if not start or not end:
		return None
	return max(0, int((end - start).total_seconds()))


#: Fields of a Complaint the process owns: set only by the server (``utils.process_update``),
#: whatever a request sends.
PROCESS_FIELDS = (
	"status",
	"acknowledge_by",
	"resolve_by",
	"is_overdue",
	"acknowledged_on",
	"investigation_started_on",
	"resolution_proposed_on",
	"closed_on",
	"time_to_acknowledge",
	"time_to_resolve",
	"reopen_count",
	"escalation_level",
	"escalated_to",
	"escalated_on",
	"escalation_reason",
	"escalations",
	"feedback_sent_on",
	"survey_invitation",
	"needs_triage",
	"handling_policy",
	"summary_by",
	"clock_explanation",
	"clock_paused",
	"pauses",
	"time_to_resolve_net",
	"final_response_sent_on",
)
