# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from brm_app.rules import escalation as esc_rules


def chain_message(code: str) -> str:
	return {
		esc_rules.DUPLICATE_LEVEL: _("Escalation level {0} appears more than once."),
		esc_rules.LEVEL_NOT_POSITIVE: _("Escalation level {0}: levels start at 1."),
		esc_rules.NO_RECIPIENT: _("Escalation level {0} needs a role or a user to escalate to."),
		esc_rules.HOURS_NOT_INCREASING: _(
			"Escalation level {0} must not come sooner than the level below it (hours overdue must not decrease)."
		),
		esc_rules.NEGATIVE_HOURS: _("Escalation level {0}: hours overdue cannot be negative."),
	}[code]


class BRMSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.brm_complaint_target.brm_complaint_target import BRMComplaintTarget
		from brm_app.brm_app.doctype.brm_escalation_level.brm_escalation_level import BRMEscalationLevel

		complaint_definition: DF.TextEditor | None
		complaint_feedback_template: DF.Link | None
		complaint_targets: DF.Table[BRMComplaintTarget]
		compliment_thanks_template: DF.Link | None
		default_complaint_owner: DF.Link | None
		escalation_chain: DF.Table[BRMEscalationLevel]
		kpi_max_reopened: DF.Percent
		kpi_min_ack_on_time: DF.Percent
		kpi_min_resolved_on_time: DF.Percent
		kpi_min_response_rate: DF.Percent
		kpi_min_reviews_held: DF.Percent
		minimum_csat: DF.Percent
		nps_floor: DF.Float
		report_recipients: DF.SmallText | None
		survey_follow_up_severity: DF.Literal["Low", "Medium", "High", "Critical"]
		survey_invitation_template: DF.Link | None
		survey_reminder_template: DF.Link | None
		transactional_survey: DF.Link | None

	# end: auto-generated types
	def validate(self):
		from brm_app.retention import validate_rules

		validate_rules(self)
		seen = set()
		for row in self.complaint_targets:
			if row.severity in seen:
				frappe.throw(_("Severity {0} has more than one target.").format(frappe.bold(row.severity)))
			seen.add(row.severity)
			if row.acknowledge_within_hours <= 0 or row.resolve_within_days <= 0:
				frappe.throw(_("Targets for severity {0} must be greater than zero.").format(row.severity))
		errors = esc_rules.chain_errors(chain_from_rows(self.escalation_chain))
		if errors:
			frappe.throw("<br>".join(chain_message(code).format(level) for code, level in errors))


def chain_from_rows(rows) -> list[esc_rules.EscalationLevel]:
	return [
		esc_rules.EscalationLevel(
			level=row.level or 0,
			after_hours=row.escalate_after_hours or 0.0,
			role=row.escalate_to_role,
			user=row.escalate_to_user,
		)
		for row in rows
	]


def get_settings() -> "BRMSettings":
	return frappe.get_cached_doc("BRM Settings")


def get_complaint_target(severity: str) -> tuple[float | None, float | None]:
	"""(acknowledge within hours, resolve within days) for a severity, or (None, None)."""
	for row in get_settings().complaint_targets:
		if row.severity == severity:
			return row.acknowledge_within_hours, row.resolve_within_days
	return None, None


def get_escalation_chain() -> list[esc_rules.EscalationLevel]:
	return chain_from_rows(get_settings().escalation_chain)
