"""Complaint handling policies (issue 28): which policy a complaint runs under, its targets for
a severity, and the due dates in working time. ISO 10002 asks for a response within a set
time; regulators fix the times (UK FCA DISP, ASIC RG 271, CFPB) and the provider must prove it
met them. The policies themselves are data (Complaint Handling Policy records); these rules
only read them.

Pure Python: no ``frappe`` import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from brm_app.rules import working_time as wt

ACKNOWLEDGEMENT = "Acknowledgement"
SUMMARY_RESOLUTION = "Summary Resolution"
FINAL_RESPONSE = "Final Response"
TARGETS = (ACKNOWLEDGEMENT, SUMMARY_RESOLUTION, FINAL_RESPONSE)
#: The complaint's stored due date for each target.
DUE_FIELDS = {
	ACKNOWLEDGEMENT: "acknowledge_by",
	SUMMARY_RESOLUTION: "summary_by",
	FINAL_RESPONSE: "resolve_by",
}

CUSTOMER, CUSTOMER_GROUP, COMPANY = "Customer", "Customer Group", "Company"
#: Which scope wins when several policies could apply: the most specific.
SCOPE_ORDER = (CUSTOMER, CUSTOMER_GROUP, COMPANY)


@dataclass(frozen=True)
class Target:
	target: str
	amount: float
	unit: str
	#: None: every severity without a row of its own
	severity: str | None = None


@dataclass(frozen=True)
class Scope:
	policy: str
	applies_to: str
	value: str


def choose_policy(
	scopes: list[Scope], customer: str | None, group: str | None, company: str | None, default: str | None
) -> str | None:
	"""The policy naming the customer, else its customer group, else its company, else the
	default. Two policies naming the same customer: the first by name (the form refuses it)."""
	wanted = {CUSTOMER: customer, CUSTOMER_GROUP: group, COMPANY: company}
	for kind in SCOPE_ORDER:
		matches = sorted(
			s.policy for s in scopes if s.applies_to == kind and wanted[kind] and s.value == wanted[kind]
		)
		if matches:
			return matches[0]
	return default


def targets_for(targets: list[Target], severity: str | None) -> dict[str, Target]:
	"""The policy's target of each kind for a severity: the row for that severity, else the
	row for every severity (empty severity)."""
	chosen: dict[str, Target] = {}
	for t in targets:
		if t.severity is None and t.target not in chosen:
			chosen[t.target] = t
	for t in targets:
		if t.severity and t.severity == severity:
			chosen[t.target] = t
	return chosen


def due_dates(
	received: datetime,
	targets: dict[str, Target],
	calendar: wt.Calendar,
	site_timezone: str,
	pauses: list[wt.Pause] | None = None,
	now: datetime | None = None,
	pause_stops_clock: bool = True,
) -> dict[str, datetime | None]:
	"""Each target's due date: in working time from receipt, moved by the pauses while the
	policy lets waiting for the customer stop the clock."""
	pauses = list(pauses or []) if pause_stops_clock else []
	due = {}
	for kind in TARGETS:
		t = targets.get(kind)
		if not t:
			due[kind] = None
			continue
		due[kind] = wt.due_with_pauses(
			received, t.amount, t.unit, calendar, pauses, now or received, site_timezone
		)
	return due


def on_time(met_on: datetime | None, due: datetime | None) -> bool | None:
	"""Whether a target was met by its due date (None: no target, or not met yet)."""
	if due is None or met_on is None:
		return None
	return met_on <= due


def scope_conflicts(scopes: list[Scope]) -> list[tuple[str, str, list[str]]]:
	"""(applies to, value, policies) named by more than one policy: a customer must run under one."""
	seen: dict[tuple[str, str], set[str]] = {}
	for s in scopes:
		seen.setdefault((s.applies_to, s.value), set()).add(s.policy)
	return sorted((k[0], k[1], sorted(v)) for k, v in seen.items() if len(v) > 1)
