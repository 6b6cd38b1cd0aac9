"""Complaint escalation rules: which target is breached, which level of the chain applies.

The escalation chain (BRM Settings) is a list of levels; each says after how many hours past
a missed target the complaint goes to that level, and to whom (a role and/or a user).
Escalation only moves up: a level already reached is never escalated again, so the hourly
sweep is idempotent. Pure Python: no ``frappe`` import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from brm_app.rules.complaint import FINAL_STATUSES, RESOLUTION_PROPOSED, WAITING

ACKNOWLEDGE = "acknowledge"
RESOLVE = "resolve"

# Chain validation error codes.
DUPLICATE_LEVEL = "duplicate_level"
LEVEL_NOT_POSITIVE = "level_not_positive"
NO_RECIPIENT = "no_recipient"
HOURS_NOT_INCREASING = "hours_not_increasing"
NEGATIVE_HOURS = "negative_hours"


@dataclass(frozen=True)
class EscalationLevel:
	level: int
	after_hours: float = 0.0
	role: str | None = None
	user: str | None = None


@dataclass(frozen=True)
class Breach:
	target: str  # ACKNOWLEDGE or RESOLVE
	due: datetime
	hours_overdue: float


@dataclass(frozen=True)
class EscalationDecision:
	level: EscalationLevel
	breach: Breach | None  # None for a manual escalation


def breached_target(
	now: datetime,
	status: str,
	acknowledge_by: datetime | None,
	acknowledged_on: datetime | None,
	resolve_by: datetime | None,
	clock_paused: bool = False,
) -> Breach | None:
	"""The longest-overdue missed target of an open complaint, or None. Nothing is missed
	while the clock is paused (waiting for the customer under a policy that stops it).

	The acknowledgement target is missed while the complaint has not been acknowledged past
	its acknowledge-by time. The resolution target is missed while no resolution is on the
	table (the clock stops while the customer considers a proposal) past its resolve-by time.
	"""
	if status in FINAL_STATUSES or (clock_paused and status == WAITING):
		return None
	breaches = []
	if acknowledge_by and not acknowledged_on and now > acknowledge_by:
		breaches.append((acknowledge_by, ACKNOWLEDGE))
	if resolve_by and status != RESOLUTION_PROPOSED and now > resolve_by:
		breaches.append((resolve_by, RESOLVE))
	if not breaches:
		return None
	due, target = min(breaches)
	return Breach(target=target, due=due, hours_overdue=(now - due).total_seconds() / 3600.0)


def is_overdue(
	now: datetime,
	status: str,
	acknowledge_by: datetime | None,
	acknowledged_on: datetime | None,
	resolve_by: datetime | None,
	clock_paused: bool = False,
) -> bool:
	"""An open complaint past a target it has not met (see ``breached_target``)."""
	return breached_target(now, status, acknowledge_by, acknowledged_on, resolve_by, clock_paused) is not None


def decide_escalation(
	now: datetime,
	status: str,
	acknowledge_by: datetime | None,
	acknowledged_on: datetime | None,
	resolve_by: datetime | None,
	current_level: int,
	chain: list[EscalationLevel],
	clock_paused: bool = False,
) -> EscalationDecision | None:
	"""The level an overdue complaint must be escalated to now, or None if nothing to do.

	Picks the highest level whose delay has passed; returns None when that level (or a
	higher one) has already been reached.
	"""
	breach = breached_target(now, status, acknowledge_by, acknowledged_on, resolve_by, clock_paused)
	if not breach:
		return None
	due_levels = [lvl for lvl in chain if lvl.after_hours <= breach.hours_overdue]
	if not due_levels:
		return None
	target = max(due_levels, key=lambda lvl: lvl.level)
	if target.level <= (current_level or 0):
		return None
	return EscalationDecision(level=target, breach=breach)


def next_manual_level(current_level: int, chain: list[EscalationLevel]) -> EscalationLevel | None:
	"""The next level above the current one, for a manual escalation; None at the top."""
	higher = [lvl for lvl in chain if lvl.level > (current_level or 0)]
	return min(higher, key=lambda lvl: lvl.level) if higher else None


def chain_errors(chain: list[EscalationLevel]) -> list[tuple[str, int]]:
	"""(error code, level) pairs that make an escalation chain unusable."""
	errors: list[tuple[str, int]] = []
	seen: set[int] = set()
	for lvl in chain:
		if lvl.level <= 0:
			errors.append((LEVEL_NOT_POSITIVE, lvl.level))
		if lvl.level in seen:
			errors.append((DUPLICATE_LEVEL, lvl.level))
		seen.add(lvl.level)
		if not (lvl.role or lvl.user):
			errors.append((NO_RECIPIENT, lvl.level))
		if lvl.after_hours < 0:
			errors.append((NEGATIVE_HOURS, lvl.level))
	ordered = sorted(chain, key=lambda lvl: lvl.level)
	for lower, higher in pairwise(ordered):
		if higher.after_hours < lower.after_hours:
			errors.append((HOURS_NOT_INCREASING, higher.level))
	return errors
