# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Complaint: record, acknowledge, investigate, resolve with the customer's agreement, escalate.

The rules (targets, transitions, milestones, escalation) live in ``brm_app.rules``; this
controller gathers the data, calls them and saves.
"""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from brm_app.brm_app.doctype.brm_settings.brm_settings import (
	get_complaint_target,
	get_escalation_chain,
	get_settings,
)
from brm_app.customers import portfolio_of, validate_contact_of_customer
from brm_app.rules import complaint as rules
from brm_app.rules import escalation as esc_rules
from brm_app.validation import validate_links_with_fetches
from brm_app.workflow import move_to_status, sync_status_from_workflow

HELPDESK_TICKET = "HD Ticket"


def transition_message(code: str) -> str:
	return {
		rules.NOT_ALLOWED: _("A complaint cannot go from {0} to {1}."),
		rules.RESOLUTION_REQUIRED: _("Describe the proposed resolution before proposing it to the customer."),
		rules.CLOSING_REASON_REQUIRED: _(
			"The customer has not accepted a resolution: give a closing reason to close this complaint formally."
		),
		rules.OPEN_ACTIONS_NEED_REASON: _(
			"Corrective actions are still open: complete or cancel them, or give a closing reason."
		),
		rules.REJECTION_REASON_REQUIRED: _(
			"Give the reason why this is not a complaint before rejecting it."
		),
		rules.CUSTOMER_REASON_REQUIRED: _(
			"Give the customer's reason for rejecting the proposed resolution."
		),
	}[code]


class Complaint(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.complaint_corrective_action.complaint_corrective_action import (
			ComplaintCorrectiveAction,
		)
		from brm_app.brm_app.doctype.complaint_escalation.complaint_escalation import ComplaintEscalation

		acknowledge_by: DF.Datetime | None
		acknowledged_on: DF.Datetime | None
		category: DF.Link | None
		channel: DF.Literal["Portal", "E-mail", "Phone", "Meeting", "Survey", "Desk"]
		closed_on: DF.Datetime | None
		closing_reason: DF.SmallText | None
		complaint_owner: DF.Link | None
		contact: DF.Link | None
		contact_email: DF.Data | None
		corrective_actions: DF.Table[ComplaintCorrectiveAction]
		customer: DF.Link
		customer_name: DF.Data | None
		customer_portfolio: DF.Link | None
		customer_rejection_reason: DF.SmallText | None
		description: DF.TextEditor | None
		escalated_on: DF.Datetime | None
		escalated_to: DF.Link | None
		escalation_level: DF.Int
		escalation_reason: DF.SmallText | None
		escalations: DF.Table[ComplaintEscalation]
		feedback_sent_on: DF.Datetime | None
		hd_ticket: DF.DynamicLink | None
		issue: DF.Link | None
		naming_series: DF.Literal["CMP-.YYYY.-"]
		proposed_resolution: DF.SmallText | None
		received_on: DF.Datetime
		rejection_reason: DF.SmallText | None
		remedy_sought: DF.SmallText | None
		reopen_count: DF.Int
		resolution_proposed_on: DF.Datetime | None
		resolve_by: DF.Datetime | None
		root_cause: DF.SmallText | None
		root_cause_category: DF.Literal[
			"",
			"People",
			"Process",
			"Technology",
			"Supplier / Third Party",
			"Communication",
			"Customer Expectation",
			"Other",
		]
		service: DF.Link | None
		severity: DF.Literal["", "Low", "Medium", "High", "Critical"]
		status: DF.Literal[
			"Open", "Acknowledged", "Investigating", "Resolution Proposed", "Closed", "Rejected"
		]
		subject: DF.Data
		survey_invitation: DF.Link | None
		ticket_doctype: DF.Link | None
		time_to_acknowledge: DF.Duration | None
		time_to_resolve: DF.Duration | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def validate(self):
		validate_links_with_fetches(self)
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		if self.is_new():
			self.status = rules.OPEN
		sync_status_from_workflow(self)
		self.set_customer_context()
		self.set_defaults()
		self.validate_ticket()
		self.set_targets(before)
		self.validate_transition(old_status)
		self.record_transition(old_status)
		self.update_corrective_actions()

	def on_update(self):
		if reason := self.flags.pop("reopened_because", None):
			self.add_comment("Info", _("The customer rejected the proposed resolution: {0}").format(reason))
		refresh_portfolios_of(self)
		if self.has_value_changed("status") and self.status == rules.CLOSED and self.channel != "Survey":
			from brm_app.surveys import invite_after

			# How did we handle it? (Not asked about follow-ups of surveys themselves.)
			invite_after(self, self.customer, self.contact, self.contact_email, service=self.service)

	def after_insert(self):
		if self.complaint_owner:
			assign_to.add(
				{
					"assign_to": [self.complaint_owner],
					"doctype": self.doctype,
					"name": self.name,
					"description": self.subject,
				},
				ignore_permissions=True,
			)

	def after_delete(self):
		refresh_portfolios_of(self)

	# ------------------------------------------------------------------ validate steps

	def set_customer_context(self):
		validate_contact_of_customer(self.contact, self.customer)
		self.customer_portfolio = portfolio_of(self.customer)

	def set_defaults(self):
		category = (
			frappe.get_cached_value(
				"Complaint Category", self.category, ["default_severity", "default_owner"], as_dict=True
			)
			if self.category
			else None
		) or frappe._dict()
		if not self.severity:
			self.severity = category.default_severity or rules.DEFAULT_SEVERITY
		if not self.complaint_owner:
			self.complaint_owner = (
				category.default_owner
				or (
					self.customer_portfolio
					and frappe.db.get_value(
						"Customer Portfolio", self.customer_portfolio, "relationship_manager"
					)
				)
				or get_settings().default_complaint_owner
			)
		if not self.received_on:
			self.received_on = now_datetime()

	def validate_ticket(self):
		if not self.hd_ticket:
			self.ticket_doctype = None
			return
		if "helpdesk" not in frappe.get_installed_apps():
			frappe.throw(
				_("Frappe Helpdesk is not installed on this site, so no Helpdesk ticket can be linked.")
			)
		self.ticket_doctype = HELPDESK_TICKET

	def set_targets(self, before):
		if (
			before
			and before.severity == self.severity
			and get_datetime(before.received_on) == get_datetime(self.received_on)
		):
			return  # targets are fixed when received; later changes to BRM Settings do not move them
		ack_hours, resolve_days = get_complaint_target(self.severity)
		self.acknowledge_by, self.resolve_by = rules.compute_targets(
			get_datetime(self.received_on), ack_hours, resolve_days
		)

	def validate_transition(self, old_status):
		facts = rules.ComplaintFacts(
			proposed_resolution=self.proposed_resolution,
			closing_reason=self.closing_reason,
			rejection_reason=self.rejection_reason,
			customer_rejection_reason=self.customer_rejection_reason,
			open_actions=rules.open_action_count(a.status for a in self.corrective_actions),
		)
		errors = rules.transition_errors(old_status, self.status, facts)
		if errors:
			frappe.throw(
				"<br>".join(
					transition_message(code).format(_(old_status or ""), _(self.status)) for code in errors
				),
				frappe.ValidationError,
				title=_("Cannot Change Status"),
			)

	def record_transition(self, old_status):
		if old_status == self.status:
			return
		stamps = rules.milestone_stamps(
			old_status,
			self.status,
			now_datetime(),
			acknowledged_on=self.acknowledged_on,
			resolution_proposed_on=self.resolution_proposed_on,
			closed_on=self.closed_on,
		)
		self.update(stamps)
		received = get_datetime(self.received_on)
		if self.acknowledged_on:
			self.time_to_acknowledge = rules.elapsed_seconds(received, get_datetime(self.acknowledged_on))
		if self.status == rules.CLOSED:
			self.time_to_resolve = rules.elapsed_seconds(received, get_datetime(self.closed_on))
		if rules.is_reopen(old_status, self.status):
			self.reopen_count = (self.reopen_count or 0) + 1
			self.flags.reopened_because = self.customer_rejection_reason
		if self.status == rules.RESOLUTION_PROPOSED:
			# A new proposal: the customer's next rejection needs a reason of its own.
			self.customer_rejection_reason = None

	def update_corrective_actions(self):
		today = frappe.utils.today()
		for action in self.corrective_actions:
			if action.status == "Done" and not action.completed_on:
				action.completed_on = today

	# ------------------------------------------------------------------ actions

	def escalate(self, level: esc_rules.EscalationLevel, reason: str, automatic: bool) -> list[str]:
		"""Move this complaint to an escalation level: record it, assign and notify."""
		users = [level.user] if level.user else users_with_role(level.role)
		now = now_datetime()
		self.escalation_level = level.level
		self.escalated_to = users[0] if users else None
		self.escalated_on = now
		self.escalation_reason = reason
		self.append(
			"escalations",
			{
				"level": level.level,
				"escalated_to": self.escalated_to,
				"escalated_to_role": level.role,
				"escalated_on": now,
				"automatic": int(automatic),
				"reason": reason,
			},
		)
		self.save(ignore_permissions=automatic)
		if not users:
			self.add_comment(
				"Info",
				_(
					"Escalated to level {0}, but no enabled user holds the role {1}: check BRM Settings."
				).format(level.level, level.role),
			)
		if users:
			assign_to.add(
				{
					"assign_to": users,
					"doctype": self.doctype,
					"name": self.name,
					"description": _("Escalated (level {0}): {1}").format(level.level, reason),
					"priority": "High",
				},
				ignore_permissions=True,
			)
		return users

	@frappe.whitelist()
	def escalate_manually(self, reason: str) -> dict:
		"""Escalate to the next level of the chain, with a reason."""
		self.check_permission("write")
		if not (reason or "").strip():
			frappe.throw(_("Give a reason for the escalation."))
		if rules.is_final(self.status):
			frappe.throw(_("A closed or rejected complaint cannot be escalated."))
		level = esc_rules.next_manual_level(self.escalation_level, get_escalation_chain())
		if not level:
			frappe.throw(_("This complaint is already at the highest escalation level in BRM Settings."))
		users = self.escalate(level, reason.strip(), automatic=False)
		return {"level": level.level, "users": users}

	@frappe.whitelist()
	def respond_to_resolution(self, accepted: bool, reason: str | None = None) -> str:
		"""The customer (or staff on their behalf) accepts or rejects the proposed resolution."""
		self.check_permission("write")
		if self.status != rules.RESOLUTION_PROPOSED:
			frappe.throw(_("No resolution has been proposed for this complaint yet."))
		if frappe.utils.cint(accepted):
			move_to_status(self, rules.CLOSED)
		else:
			if not (reason or "").strip():
				frappe.throw(transition_message(rules.CUSTOMER_REASON_REQUIRED))
			move_to_status(self, rules.INVESTIGATING, customer_rejection_reason=reason.strip())
		return self.status

	@frappe.whitelist()
	def send_feedback(self) -> str:
		"""Send the written feedback (thank, apologise, summarise, actions taken) by e-mail."""
		send_template_email(self, get_settings().complaint_feedback_template or "Complaint Feedback")
		self.db_set("feedback_sent_on", now_datetime())
		return self.contact_email


# ---------------------------------------------------------------------- helpers


def send_template_email(doc, template: str) -> None:
	"""Render an Email Template for ``doc`` and send it to its contact, on the document's timeline."""
	from frappe.core.doctype.communication.email import make
	from frappe.email.doctype.email_template.email_template import get_email_template

	doc.check_permission("email")
	if not doc.contact_email:
		frappe.throw(_("Set the contact's e-mail address first."), title=_("No Recipient"))
	if not frappe.db.exists("Email Template", template):
		frappe.throw(_("Email Template {0} does not exist. Choose one in BRM Settings.").format(template))
	email = get_email_template(template, doc.as_dict())
	make(
		doctype=doc.doctype,
		name=doc.name,
		subject=email["subject"],
		content=email["message"],
		recipients=doc.contact_email,
		communication_medium="Email",
		sent_or_received="Sent",
		send_email=True,
	)


def users_with_role(role: str | None) -> list[str]:
	"""Enabled desk users holding a role (Administrator excluded), sorted."""
	if not role:
		return []
	holders = frappe.get_all("Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent")
	holders = [u for u in holders if u not in ("Administrator", "Guest")]
	if not holders:
		return []
	return sorted(
		frappe.get_all(
			"User", filters={"name": ("in", holders), "enabled": 1, "user_type": "System User"}, pluck="name"
		)
	)


def refresh_portfolios_of(doc) -> None:
	from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_stats

	customers = {doc.customer}
	before = doc.get_doc_before_save()
	if before and before.customer:
		customers.add(before.customer)
	refresh_stats([c for c in customers if c])


def escalate_overdue_complaints() -> int:
	"""Hourly: move every complaint past a target up the escalation chain. Idempotent.

	Only complaints whose targets are past are read (one query); each escalation runs in its
	own savepoint so one bad record does not stop the sweep.
	"""
	chain = get_escalation_chain()
	if not chain:
		return 0
	now = now_datetime()
	C = frappe.qb.DocType("Complaint")
	candidates = (
		frappe.qb.from_(C)
		.select(C.name, C.status, C.acknowledge_by, C.acknowledged_on, C.resolve_by, C.escalation_level)
		.where(C.status.notin(list(rules.FINAL_STATUSES)))
		.where(
			(C.acknowledge_by.lt(now) & C.acknowledged_on.isnull())
			| (C.resolve_by.lt(now) & (C.status != rules.RESOLUTION_PROPOSED))
		)
		.run(as_dict=True)
	)
	escalated = 0
	for row in candidates:
		decision = esc_rules.decide_escalation(
			now,
			row.status,
			row.acknowledge_by,
			row.acknowledged_on,
			row.resolve_by,
			row.escalation_level,
			chain,
		)
		if not decision:
			continue
		hours = round(decision.breach.hours_overdue, 1)
		if decision.breach.target == esc_rules.ACKNOWLEDGE:
			reason = _("Not acknowledged: the acknowledgement target was missed by {0} hours.").format(hours)
		else:
			reason = _("Not resolved: the resolution target was missed by {0} hours.").format(hours)
		savepoint = "brm_escalation"
		frappe.db.savepoint(savepoint)
		try:
			frappe.get_doc("Complaint", row.name).escalate(decision.level, reason, automatic=True)
			escalated += 1
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(title=_("Complaint escalation failed for {0}").format(row.name))
	return escalated
