"""Records kept: how long each record type is kept after its end, what happens then, and
what of each record is personal data, free text or a figure the reports count (no frappe
import). ``brm_app.retention`` acts on these rules."""

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

RECORD_TYPES = (
	"Complaint",
	"Compliment",
	"Survey Invitation",
	"Satisfaction Survey",
	"Service Performance Review",
	"Customer Requirement",
	"Request for Change",
)
DELETE, ANONYMISE = "Delete", "Anonymise"
DAYS, MONTHS, YEARS = "Days", "Months", "Years"


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


@dataclass(frozen=True)
class RecordType:
	"""What retention needs to know of one record type."""

	doctype: str
	#: The record has ended when its status is one of these; its period runs from the first
	#: of ``end_fields`` that is set.
	end_statuses: tuple[str, ...]
	end_fields: tuple[str, ...]
	#: The organisation the record belongs to (legal hold on the whole customer); None: none.
	customer_field: str | None
	#: Names, e-mail addresses, links to a person: emptied when anonymised.
	personal: tuple[str, ...] = ()
	#: What people wrote: emptied (or, where the form requires a value, replaced by a marker).
	free_text: tuple[str, ...] = ()
	#: Child table -> its personal and free-text fields.
	child_text: dict[str, tuple[str, ...]] = field(default_factory=dict)
	#: Columns the reports count, kept (in Retained Figures) when the record is deleted.
	figures: tuple[str, ...] = ()


COMPLAINT_FIGURES = (
	"customer",
	"status",
	"received_on",
	"category",
	"root_cause_category",
	"severity",
	"service",
	"escalation_level",
	"reopen_count",
	"time_to_acknowledge",
	"time_to_resolve",
	"acknowledged_on",
	"acknowledge_by",
	"closed_on",
	"resolve_by",
	# the clock and the decision (issue 28)
	"summary_by",
	"final_response_sent_on",
	"outcome",
	"redress_amount",
	"time_to_resolve_net",
)

SPECS: dict[str, RecordType] = {
	spec.doctype: spec
	for spec in (
		RecordType(
			"Complaint",
			("Closed", "Rejected"),
			("closed_on",),
			"customer",
			personal=("contact", "contact_email", "raised_by", "raised_by_name"),
			free_text=(
				"subject",
				"description",
				"remedy_sought",
				"root_cause",
				"proposed_resolution",
				"customer_rejection_reason",
				"closing_reason",
				"rejection_reason",
				"escalation_reason",
				"waiting_question",
				"redress",
				"clock_explanation",
			),
			child_text={
				"escalations": ("reason",),
				"corrective_actions": ("action",),
				"pauses": ("question", "answer"),
			},
			figures=COMPLAINT_FIGURES,
		),
		RecordType(
			"Compliment",
			("Acknowledged",),
			("closed_on",),
			"customer",
			personal=("contact", "contact_email", "notified_users"),
			free_text=("subject", "compliment", "praised_text", "evaluation_notes"),
			figures=("customer", "status", "received_on", "service", "closed_on"),
		),
		RecordType(
			"Survey Invitation",
			# held back by the contact policy (an opt-out too): never sent, kept no longer
			("Responded", "Expired", "Held Back"),
			("responded_on", "expires_on"),
			"customer",
			personal=("contact", "email", "token_hash"),
			child_text={"answers": ("comment", "respondent")},
			figures=(
				"customer",
				"status",
				"survey",
				"service",
				"reference_doctype",
				"sent_on",
				"responded_on",
			),
		),
		# A survey's own record holds no personal data: its invitations (answers) do, and they
		# go with it.
		RecordType("Satisfaction Survey", ("Evaluated",), ("evaluated_on",), None),
		RecordType(
			"Service Performance Review",
			("Minutes Approved",),
			("approved_on",),
			"customer",
			free_text=("minutes", "decisions", "opportunities"),
			child_text={
				"attendees": ("contact", "email", "attendee_name"),
				"agenda": ("notes",),
				"action_items": ("description",),
			},
			figures=("customer", "status", "scheduled_on", "held_on"),
		),
		RecordType(
			"Customer Requirement",
			("Fulfilled", "Declined"),
			("closed_on",),
			"customer",
			personal=("contact", "contact_email"),
			free_text=(
				"title",
				"desired_outcomes",
				"utility_requirements",
				"warranty_requirements",
				"decision_rationale",
			),
			figures=("customer", "status", "raised_on", "closed_on"),
		),
		RecordType(
			"Request for Change",
			("Rejected", "Closed", "Withdrawn"),
			("closed_on",),
			"customer",
			personal=("contact", "contact_email", "implementer", "service_level_manager"),
			free_text=(
				"title",
				"description",
				"business_justification",
				"information_request",
				"information_answer",
				"confirmation_note",
				"internal_notes",
			),
			child_text={
				"cab_sittings": (
					"customer_position",
					"questions_raised",
					"conditions",
					"note_for_customer",
					"internal_note",
				)
			},
			figures=("customer", "status", "raised_on", "submitted_on", "closed_on"),
		),
	)
}
#: The scores of a deleted survey response that the reports count.
ANSWER_FIGURES = ("dimension", "kind", "weight", "has_score", "score")

#: Defaults shipped in BRM Settings (record type, keep for, unit, action).
DEFAULT_RULES = (
	("Complaint", 6, YEARS, ANONYMISE),
	("Compliment", 3, YEARS, ANONYMISE),
	("Survey Invitation", 3, YEARS, ANONYMISE),
	("Satisfaction Survey", 6, YEARS, ANONYMISE),
	("Service Performance Review", 6, YEARS, ANONYMISE),
	("Customer Requirement", 6, YEARS, ANONYMISE),
	("Request for Change", 6, YEARS, ANONYMISE),
)


#: The shortest period a rule may keep each record type (no rule goes below it): a year of
#: the process's evidence (complaints, reviews, surveys, requirements) for audits, three
#: months of invitations and compliments.
MINIMUM_KEEP = {
	"Complaint": (1, YEARS),
	"Compliment": (3, MONTHS),
	"Survey Invitation": (3, MONTHS),
	"Satisfaction Survey": (1, YEARS),
	"Service Performance Review": (1, YEARS),
	"Customer Requirement": (1, YEARS),
	"Request for Change": (1, YEARS),
}

#: What a rule is compared with the minimum from (any date does; months and years vary).
_REFERENCE = datetime(2001, 1, 31)


def below_minimum(record_type: str, keep_for: int, unit: str) -> bool:
	"""Whether a rule keeps ``record_type`` shorter than ``MINIMUM_KEEP`` allows."""
	minimum = MINIMUM_KEEP.get(record_type)
	if not minimum or keep_for is None or keep_for < 1:
		return keep_for is None or keep_for < 1
	return shift(_REFERENCE, keep_for, unit) < shift(_REFERENCE, *minimum)


def ended_on(values: dict, spec: RecordType) -> datetime | None:
	"""When the record ended (None: it has not)."""
	if values.get("status") not in spec.end_statuses:
		return None
	return next((values[f] for f in spec.end_fields if values.get(f)), None)
