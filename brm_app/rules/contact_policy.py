"""One contact policy for every survey source (issue 27, first part): whether a contact may be
asked now, and if not, why and until when. Relationship surveys, transactional surveys after
a complaint or an Issue, and Helpdesk rating requests all ask the same question of the same
rules, so a contact is not asked three times in a week by three sources.

Pure Python: no ``frappe`` import. The wiring (BRM Settings, the sources, the record of each
held-back invitation) is not built yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

RELATIONSHIP = "Relationship"
TRANSACTIONAL = "Transactional"
HELPDESK_RATING = "Helpdesk Rating"
SOURCES = (RELATIONSHIP, TRANSACTIONAL, HELPDESK_RATING)

# Why an invitation was held back (the order is the order the rules are checked in).
OPTED_OUT = "opted_out"
EXCLUDED = "excluded"
QUIET_COMPLAINT_OPEN = "quiet_complaint_open"
QUIET_AFTER_COMPLAINT = "quiet_after_complaint"
RECENTLY_ASKED = "recently_asked"
TOO_MANY = "too_many"
REASONS = (OPTED_OUT, EXCLUDED, QUIET_COMPLAINT_OPEN, QUIET_AFTER_COMPLAINT, RECENTLY_ASKED, TOO_MANY)
#: Reasons that only postpone: the invitation goes out when the quiet period ends.
POSTPONING = frozenset({QUIET_COMPLAINT_OPEN, QUIET_AFTER_COMPLAINT})


@dataclass(frozen=True)
class Policy:
	#: At most this many surveys per contact within ``period_days`` (0: no limit).
	max_surveys: int = 2
	period_days: int = 90
	#: At least this many days between any two surveys to the same contact.
	min_gap_days: int = 30
	#: Reminders per invitation.
	max_reminders: int = 1
	#: No survey while the contact's customer has an open High or Critical complaint.
	quiet_while_serious_complaint: bool = True
	#: After a complaint is closed, for these days only that complaint's own survey is sent.
	quiet_days_after_complaint: int = 14


@dataclass(frozen=True)
class Asked:
	"""A survey a contact was sent (from any source)."""

	on: datetime
	source: str


@dataclass(frozen=True)
class Request:
	"""A source wants to ask a contact now."""

	source: str
	#: the complaint a transactional survey is about (None for other surveys)
	complaint: str | None = None


@dataclass(frozen=True)
class ContactState:
	opted_out: bool = False
	excluded: bool = False
	asked: tuple[Asked, ...] = ()
	#: the customer has an open High or Critical complaint
	serious_complaint_open: bool = False
	#: complaints of the customer closed recently: (name, closed on)
	closed_complaints: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True)
class Decision:
	send: bool
	reason: str | None = None
	#: for a postponing reason: when to try again (None: when the condition ends)
	retry_on: datetime | None = None

	@property
	def postponed(self) -> bool:
		return not self.send and self.reason in POSTPONING


SEND = Decision(True)


def decide(policy: Policy, state: ContactState, request: Request, now: datetime) -> Decision:
	"""Whether the contact may be asked now under ``policy``, and if not, the first reason."""
	if state.opted_out:
		return Decision(False, OPTED_OUT)
	if state.excluded:
		return Decision(False, EXCLUDED)
	if policy.quiet_while_serious_complaint and state.serious_complaint_open:
		return Decision(False, QUIET_COMPLAINT_OPEN)
	if policy.quiet_days_after_complaint > 0:
		quiet = timedelta(days=policy.quiet_days_after_complaint)
		ends = [
			closed + quiet
			for name, closed in state.closed_complaints
			if closed <= now < closed + quiet and name != request.complaint
		]
		if ends:
			return Decision(False, QUIET_AFTER_COMPLAINT, max(ends))
	past = sorted((a for a in state.asked if a.on <= now), key=lambda a: a.on)
	if past and policy.min_gap_days > 0:
		next_allowed = past[-1].on + timedelta(days=policy.min_gap_days)
		if now < next_allowed:
			return Decision(False, RECENTLY_ASKED, next_allowed)
	if policy.max_surveys > 0:
		window = [a for a in past if a.on > now - timedelta(days=policy.period_days)]
		if len(window) >= policy.max_surveys:
			# the oldest in the window leaves it first
			oldest = window[len(window) - policy.max_surveys]
			return Decision(False, TOO_MANY, oldest.on + timedelta(days=policy.period_days))
	return SEND


def may_remind(policy: Policy, reminders_sent: int, state: ContactState) -> bool:
	"""A reminder goes only within the cap, and never to a contact who opted out or is excluded."""
	return not state.opted_out and not state.excluded and reminders_sent < policy.max_reminders


REASON_LABELS = {
	OPTED_OUT: "opted out",
	EXCLUDED: "excluded",
	QUIET_COMPLAINT_OPEN: "serious complaint open",
	QUIET_AFTER_COMPLAINT: "complaint just closed",
	RECENTLY_ASKED: "recently asked",
	TOO_MANY: "asked too often",
}


def held_back_summary(decisions: list[Decision]) -> tuple[int, int, list[tuple[str, int]]]:
	"""(asked, held back, [(reason, count)] biggest first) — for "asked 812, held back 143:
	97 recently asked, 31 opted out, 15 serious complaint open"."""
	asked = sum(1 for d in decisions if d.send)
	counts = Counter(d.reason for d in decisions if not d.send)
	ranked = sorted(counts.items(), key=lambda item: (-item[1], REASONS.index(item[0])))
	return asked, sum(counts.values()), ranked
