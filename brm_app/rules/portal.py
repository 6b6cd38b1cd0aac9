"""What a customer sees of a record in the portal, and what a customer may send.

Pure Python: no ``frappe`` import. The portal pages turn the codes returned here into
translated text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from brm_app.rules import complaint as c

# ----------------------------------------------------------------------------- limits
#: Longest texts a customer may send (characters). Subjects follow the Data field (140).
SUBJECT_MAX = 140
TEXT_MAX = 20_000  # a complaint's description, a compliment, desired outcomes
SHORT_TEXT_MAX = 2_000  # remedy sought, a reason for rejecting a resolution
REPLY_MAX = 10_000
#: Attachments to one submission.
MAX_FILES = 5
#: BRM Settings defaults (an administrator changes them there).
DEFAULT_APPEAL_DAYS = 30
DEFAULT_MAX_ATTACHMENT_MB = 5
DEFAULT_FILE_TYPES = "pdf, png, jpg, jpeg, gif, txt, csv, doc, docx, xls, xlsx, odt, ods, eml, msg"
PAGE_LENGTH = 20

# ----------------------------------------------------------------------------- complaints
#: Customer-facing label codes per canonical status (the page translates them).
CUSTOMER_STATUS = {
	c.OPEN: "Received",
	c.ACKNOWLEDGED: "Acknowledged",
	c.INVESTIGATING: "Being investigated",
	c.WAITING: "Waiting for your answer",
	c.RESOLUTION_PROPOSED: "Awaiting your response",
	c.CLOSED: "Closed",
	c.REJECTED: "Not handled as a complaint",
}

# Next-step codes.
ACKNOWLEDGE_BY = "acknowledge_by"  # we will reply by <date>
RESOLVE_BY = "resolve_by"  # we aim to resolve it by <date>
WORKING_ON_IT = "working_on_it"  # no target date
YOUR_RESPONSE = "your_response"  # accept or reject the proposed resolution
APPEAL_UNTIL = "appeal_until"  # closed; reply by <date> if not satisfied
YOUR_ANSWER = "your_answer"  # we asked a question: answer it and we go on
#: A target date already past: the page never promises a date in the past (issue 28).
REPLY_LATE = "reply_late"  # we are late acknowledging: sorry, we reply as soon as we can
RESOLVE_LATE = "resolve_late"  # we are late resolving: sorry, still working on it
NOTHING = "nothing"


@dataclass(frozen=True)
class NextStep:
	code: str
	by: datetime | None = None


def next_step(
	status: str,
	acknowledge_by: datetime | None,
	resolve_by: datetime | None,
	closed_on: datetime | None,
	appeal_days: int,
	now: datetime | None = None,
) -> NextStep:
	"""What happens next on a complaint, and by when, as the customer reads it. A target
	already past (``now``) is never shown as a promise: it reads as late, with an apology."""
	if status == c.OPEN:
		if acknowledge_by and now and acknowledge_by < now:
			return NextStep(REPLY_LATE, acknowledge_by)
		return NextStep(ACKNOWLEDGE_BY, acknowledge_by) if acknowledge_by else NextStep(WORKING_ON_IT)
	if status in (c.ACKNOWLEDGED, c.INVESTIGATING):
		if resolve_by and now and resolve_by < now:
			return NextStep(RESOLVE_LATE, resolve_by)
		return NextStep(RESOLVE_BY, resolve_by) if resolve_by else NextStep(WORKING_ON_IT)
	if status == c.WAITING:
		return NextStep(YOUR_ANSWER)
	if status == c.RESOLUTION_PROPOSED:
		return NextStep(YOUR_RESPONSE)
	if status == c.CLOSED and closed_on and appeal_days > 0:
		return NextStep(APPEAL_UNTIL, appeal_deadline(closed_on, appeal_days))
	return NextStep(NOTHING)


def appeal_deadline(closed_on: datetime, appeal_days: int) -> datetime:
	return closed_on + timedelta(days=appeal_days)


def can_appeal(status: str, closed_on: datetime | None, now: datetime, appeal_days: int) -> bool:
	"""A reply to a closed complaint within the appeal period reopens it."""
	return (
		status == c.CLOSED
		and closed_on is not None
		and appeal_days > 0
		and now <= appeal_deadline(closed_on, appeal_days)
	)


def can_reply(status: str, closed_on: datetime | None, now: datetime, appeal_days: int) -> bool:
	"""Open complaints take replies; a closed one only within the appeal period; a rejected one
	does not (the customer lodges a new complaint)."""
	if status == c.REJECTED:
		return False
	if status == c.CLOSED:
		return can_appeal(status, closed_on, now, appeal_days)
	return True


# Timeline steps, in order.
RECEIVED = "received"
ACKNOWLEDGED = "acknowledged"
INVESTIGATING = "investigating"
PROPOSED = "proposed"
CLOSED = "closed"
REJECTED = "rejected"

DONE = "done"
CURRENT = "current"
PENDING = "pending"
SKIPPED = "skipped"

_STEP_ORDER = {
	c.OPEN: 0,
	c.ACKNOWLEDGED: 1,
	c.INVESTIGATING: 2,
	c.WAITING: 2,
	c.RESOLUTION_PROPOSED: 3,
	c.CLOSED: 4,
	c.REJECTED: 4,
}


@dataclass(frozen=True)
class Step:
	key: str
	state: str
	on: datetime | None = None


def timeline(
	status: str,
	received_on: datetime | None,
	acknowledged_on: datetime | None,
	investigation_started_on: datetime | None,
	resolution_proposed_on: datetime | None,
	closed_on: datetime | None,
) -> list[Step]:
	"""The steps of a complaint with their dates: done, the current one, or still to come.

	A step the complaint went past without stopping (acknowledged straight to a proposal)
	is "skipped"; a rejected complaint ends at "rejected" instead of "closed"."""
	reached = _STEP_ORDER.get(status, 0)
	last = REJECTED if status == c.REJECTED else CLOSED
	steps = [
		(RECEIVED, received_on),
		(ACKNOWLEDGED, acknowledged_on),
		(INVESTIGATING, investigation_started_on),
		(PROPOSED, resolution_proposed_on),
		(last, closed_on),
	]
	result = []
	for index, (key, on) in enumerate(steps):
		if index < reached:
			state = DONE if on else SKIPPED
		elif index == reached:
			state = DONE if status in c.FINAL_STATUSES else CURRENT
		else:
			state = SKIPPED if status == c.REJECTED else PENDING
		result.append(Step(key, state, on if state in (DONE, CURRENT) else None))
	return result


# ----------------------------------------------------------------------------- input
# Input error codes.
REQUIRED = "required"
TOO_LONG = "too_long"
FILE_TYPE = "file_type"
FILE_SIZE = "file_size"
TOO_MANY_FILES = "too_many_files"


def text_error(value: str | None, limit: int, required: bool = False) -> str | None:
	"""``REQUIRED``, ``TOO_LONG`` or None for a text a customer sent."""
	text = (value or "").strip()
	if required and not text:
		return REQUIRED
	if len(text) > limit:
		return TOO_LONG
	return None


def file_error(filename: str, size: int, allowed_extensions: set[str], max_bytes: int) -> str | None:
	"""``FILE_TYPE``, ``FILE_SIZE`` or None for one attachment."""
	extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
	if not extension or extension not in allowed_extensions:
		return FILE_TYPE
	if size > max_bytes or size <= 0:
		return FILE_SIZE
	return None


def parse_extensions(text: str | None) -> set[str]:
	""" "pdf, .PNG jpg" -> {"pdf", "png", "jpg"}."""
	return {
		part.strip().lstrip(".").lower()
		for part in (text or "").replace(";", ",").replace(" ", ",").split(",")
		if part.strip().lstrip(".")
	}


def choose_customer(requested: str | None, allowed: list[str]) -> str | None:
	"""The customer a submission is for: the one asked for if the user belongs to it,
	otherwise the user's first customer (a request naming another customer files for the
	user's own). None when the user belongs to no customer."""
	if not allowed:
		return None
	return requested if requested in allowed else allowed[0]


def trusted_networks(setting) -> list:
	"""The proxies whose X-Forwarded-For is believed: addresses or ranges ("10.0.0.5",
	"172.16.0.0/12"), as a list or one comma-separated text; what is not an address is ignored."""
	import ipaddress

	parts = setting.replace(";", ",").split(",") if isinstance(setting, str) else list(setting or ())
	networks = []
	for part in parts:
		try:
			networks.append(ipaddress.ip_network(str(part).strip(), strict=False))
		except ValueError:
			continue
	return networks


def _is_trusted(address: str, networks: list) -> bool:
	import ipaddress

	try:
		ip = ipaddress.ip_address(address)
	except ValueError:
		return False
	return any(ip in network for network in networks)


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted) -> str:
	"""The address of the client that sent a request. ``X-Forwarded-For`` is believed only as
	far as it was written by a trusted proxy (``trusted``: addresses or ranges, see
	``trusted_networks``): walking from the right (the entry the nearest proxy added), the
	first address that is not a trusted proxy is the client. A client that sends its own
	``X-Forwarded-For`` straight to the site is known by its connection."""
	networks = trusted_networks(trusted)
	remote = (remote_addr or "").strip()
	if not _is_trusted(remote, networks):
		return remote
	hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
	for hop in reversed(hops):
		if not _is_trusted(hop, networks):
			return hop
	return remote
