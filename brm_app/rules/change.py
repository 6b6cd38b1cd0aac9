"""Requests for change on the customer's behalf (ITIL 4 relationship management and change
enablement; ISO/IEC 20000-1 8.3.2 business relationship management, 8.5.1 change management):
the Business Relationship Manager helps the customer raise the request, represents them at the
Change Advisory Board, follows the change to its implementation and the customer's
confirmation (docs/changes.md).

Pure Python: no ``frappe`` import. Errors are returned as codes; the caller turns each into a
translated message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DRAFT = "Draft"
SUBMITTED = "Submitted"
UNDER_ASSESSMENT = "Under Assessment"
AWAITING_CAB = "Awaiting CAB"
INFORMATION_NEEDED = "Information Needed"
APPROVED = "Approved"
REJECTED = "Rejected"
DEFERRED = "Deferred"
SCHEDULED = "Scheduled"
IMPLEMENTED = "Implemented"
CLOSED = "Closed"
WITHDRAWN = "Withdrawn"

#: The canonical statuses code and reports key off; Workflow states map onto them.
STATUSES = (
	DRAFT,
	SUBMITTED,
	UNDER_ASSESSMENT,
	AWAITING_CAB,
	INFORMATION_NEEDED,
	APPROVED,
	REJECTED,
	DEFERRED,
	SCHEDULED,
	IMPLEMENTED,
	CLOSED,
	WITHDRAWN,
)
FINAL_STATUSES = frozenset({REJECTED, CLOSED, WITHDRAWN})
OPEN_STATUSES = tuple(s for s in STATUSES if s not in FINAL_STATUSES)
#: The Change Advisory Board's decisions (a CAB sitting records one).
CAB_DECISIONS = (APPROVED, REJECTED, DEFERRED, INFORMATION_NEEDED)
#: Where the request waits on the change process, not on the customer or the BRM.
WITH_CHANGE_MANAGEMENT = frozenset({UNDER_ASSESSMENT, AWAITING_CAB, APPROVED, DEFERRED, SCHEDULED})

#: Statuses from which the change process may ask the customer for more information; the
#: request returns there when they answer.
ASKS_FROM = frozenset({SUBMITTED, UNDER_ASSESSMENT, AWAITING_CAB, APPROVED, DEFERRED, SCHEDULED})

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
	DRAFT: frozenset({SUBMITTED, WITHDRAWN}),
	SUBMITTED: frozenset({UNDER_ASSESSMENT, INFORMATION_NEEDED, WITHDRAWN}),
	UNDER_ASSESSMENT: frozenset({AWAITING_CAB, INFORMATION_NEEDED, WITHDRAWN}),
	AWAITING_CAB: frozenset({APPROVED, REJECTED, DEFERRED, INFORMATION_NEEDED, WITHDRAWN}),
	# back to the status it was asked from (``after_answer``)
	INFORMATION_NEEDED: frozenset(ASKS_FROM | {WITHDRAWN}),
	APPROVED: frozenset({SCHEDULED, INFORMATION_NEEDED, WITHDRAWN}),
	DEFERRED: frozenset({AWAITING_CAB, INFORMATION_NEEDED, WITHDRAWN}),
	SCHEDULED: frozenset({IMPLEMENTED, INFORMATION_NEEDED, WITHDRAWN}),
	# the customer confirms (Closed); a change that did not deliver opens a complaint and goes
	# back to be scheduled again
	IMPLEMENTED: frozenset({CLOSED, SCHEDULED}),
	REJECTED: frozenset(),
	CLOSED: frozenset(),
	WITHDRAWN: frozenset(),
}

# Error codes of transition_errors().
NOT_ALLOWED = "not_allowed"
DESCRIPTION_REQUIRED = "description_required"
JUSTIFICATION_REQUIRED = "justification_required"
CAB_DECISION_REQUIRED = "cab_decision_required"
CAB_DECISION_DIFFERS = "cab_decision_differs"
WINDOW_REQUIRED = "window_required"
WINDOW_BACKWARDS = "window_backwards"
IMPLEMENTED_ON_REQUIRED = "implemented_on_required"
CONFIRMATION_REQUIRED = "confirmation_required"
NOT_DELIVERED_REQUIRED = "not_delivered_required"
QUESTION_REQUIRED = "question_required"
ANSWER_NOT_RETURN = "answer_not_return"
SLA_DETAILS_REQUIRED = "sla_details_required"
SLA_NOT_DONE = "sla_not_done"

CONFIRMED = "Confirmed"
NOT_DELIVERED = "Not Delivered"


@dataclass(frozen=True)
class ChangeFacts:
	"""What the transition preconditions look at. ``last_cab_decision``: the decision of the
	last sitting recorded since the request (last) went to the CAB."""

	description: str | None = None
	business_justification: str | None = None
	last_cab_decision: str | None = None
	planned_start: datetime | None = None
	planned_end: datetime | None = None
	implemented_on: datetime | None = None
	customer_confirmation: str | None = None
	information_request: str | None = None
	asked_from: str | None = None
	sla_change: bool = False
	service_level_agreement: str | None = None
	service_level_manager: str | None = None
	sla_done: bool = False


def _filled(value) -> bool:
	return bool(value and str(value).strip())


def is_final(status: str | None) -> bool:
	return status in FINAL_STATUSES


def transition_errors(old: str | None, new: str, facts: ChangeFacts) -> list[str]:
	"""Why the move from ``old`` to ``new`` may not happen (empty: it may). ``old`` None: a new
	request."""
	errors: list[str] = []
	if old is not None and old != new and new not in ALLOWED_TRANSITIONS.get(old, frozenset()):
		return [NOT_ALLOWED]
	if old is None and new not in (DRAFT, SUBMITTED):
		return [NOT_ALLOWED]
	if new == old:
		return errors
	if new == SUBMITTED:
		if not _filled(facts.description):
			errors.append(DESCRIPTION_REQUIRED)
		if not _filled(facts.business_justification):
			errors.append(JUSTIFICATION_REQUIRED)
		if facts.sla_change and not (facts.service_level_agreement and facts.service_level_manager):
			errors.append(SLA_DETAILS_REQUIRED)
	if new in (APPROVED, REJECTED, DEFERRED) and old == AWAITING_CAB:
		if not facts.last_cab_decision:
			errors.append(CAB_DECISION_REQUIRED)
		elif facts.last_cab_decision != new:
			errors.append(CAB_DECISION_DIFFERS)
	if new == INFORMATION_NEEDED and not _filled(facts.information_request):
		errors.append(QUESTION_REQUIRED)
	if old == INFORMATION_NEEDED and new != WITHDRAWN and new != facts.asked_from:
		errors.append(ANSWER_NOT_RETURN)
	if new == SCHEDULED:
		if not (facts.planned_start and facts.planned_end):
			errors.append(WINDOW_REQUIRED)
		elif facts.planned_end < facts.planned_start:
			errors.append(WINDOW_BACKWARDS)
	if new == IMPLEMENTED and not facts.implemented_on:
		errors.append(IMPLEMENTED_ON_REQUIRED)
	if new == IMPLEMENTED and facts.sla_change and not facts.sla_done:
		errors.append(SLA_NOT_DONE)
	if new == CLOSED and facts.customer_confirmation != CONFIRMED:
		errors.append(CONFIRMATION_REQUIRED)
	if old == IMPLEMENTED and new == SCHEDULED and facts.customer_confirmation != NOT_DELIVERED:
		errors.append(NOT_DELIVERED_REQUIRED)
	return errors


def after_answer(asked_from: str | None) -> str:
	"""Where a request goes when the customer answers the question asked in ``asked_from``."""
	return asked_from if asked_from in ASKS_FROM else SUBMITTED


def after_confirmation(confirmation: str) -> str:
	"""The customer confirms the implemented change (Closed), or says it did not deliver: it
	goes back to be scheduled again and a complaint is opened (ISO 10002)."""
	return CLOSED if confirmation == CONFIRMED else SCHEDULED


# ---------------------------------------------------------------------- what the customer sees

#: What the customer reads for each status (the change process's words stay inside).
CUSTOMER_STATUS = {
	DRAFT: "Being prepared",
	SUBMITTED: "Received",
	UNDER_ASSESSMENT: "Being assessed",
	AWAITING_CAB: "Awaiting the change board",
	INFORMATION_NEEDED: "We need your answer",
	APPROVED: "Approved",
	REJECTED: "Not approved",
	DEFERRED: "Deferred",
	SCHEDULED: "Scheduled",
	IMPLEMENTED: "Implemented: please confirm",
	CLOSED: "Done",
	WITHDRAWN: "Withdrawn",
}

#: The steps the portal's timeline shows, in order.
TIMELINE = (SUBMITTED, UNDER_ASSESSMENT, AWAITING_CAB, APPROVED, SCHEDULED, IMPLEMENTED, CLOSED)


def timeline(status: str, asked_from: str | None = None) -> list[tuple[str, str]]:
	"""(step, state) for the portal: done, current or pending. Statuses off the main line show
	the step they wait at as current: a question at the step it was asked from, a deferral at
	the change board."""
	waits_at = {INFORMATION_NEEDED: after_answer(asked_from), DEFERRED: AWAITING_CAB, DRAFT: SUBMITTED}
	at = waits_at.get(status, status)
	at = {DEFERRED: AWAITING_CAB}.get(at, at)
	if status in (REJECTED, WITHDRAWN):
		return [(step, "done" if i == 0 else "pending") for i, step in enumerate(TIMELINE)]
	index = TIMELINE.index(at) if at in TIMELINE else 0
	return [
		(step, "done" if i < index or status == CLOSED else "current" if i == index else "pending")
		for i, step in enumerate(TIMELINE)
	]


def returns_from_question(old: str | None, new: str) -> bool:
	"""The request goes back where it was after the customer's answer (no news for them)."""
	return old == INFORMATION_NEEDED and new != WITHDRAWN


def customer_can_answer(status: str) -> bool:
	return status == INFORMATION_NEEDED


def customer_can_confirm(status: str) -> bool:
	return status == IMPLEMENTED


def customer_can_withdraw(status: str) -> bool:
	return status in (DRAFT, SUBMITTED, UNDER_ASSESSMENT, INFORMATION_NEEDED)


# ---------------------------------------------------------------------- where it counts

#: An open request with the change process longer than this since it was submitted, or one
#: the CAB rejected within ``RECENT_REJECTION_DAYS``, is a relationship risk the portfolio's
#: health shows (``rules.metrics.health_score``).
LONG_WAIT_DAYS = 60
RECENT_REJECTION_DAYS = 90


#: Fields of a Request for Change the process owns: set only by the server (``utils.process_update``).
PROCESS_FIELDS = (
	"status",
	"raised_via",
	"raised_on",
	"submitted_on",
	"decided_on",
	"information_requested_on",
	"asked_from",
	"information_answer",
	"information_answered_on",
	"customer_confirmation",
	"confirmed_on",
	"confirmation_note",
	"follow_up_complaint",
	"sla_done_on",
	"closed_on",
	"cab_rows_at_referral",
	"customer_requirement",
	"source_review",
	"review_action_item",
	"complaint",
	"corrective_action",
)

#: The Email Template each customer-facing status sends to the customer's contact and the
#: requester (shipped as fixtures; an administrator edits them in the UI).
STATUS_TEMPLATES = {
	SUBMITTED: "Change Request Received",
	INFORMATION_NEEDED: "Change Request Information Needed",
	APPROVED: "Change Request Approved",
	REJECTED: "Change Request Not Approved",
	DEFERRED: "Change Request Deferred",
	SCHEDULED: "Change Request Scheduled",
	IMPLEMENTED: "Change Request Implemented",
	CLOSED: "Change Request Closed",
}
