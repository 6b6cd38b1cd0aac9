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
from frappe.utils import add_to_date, cint, get_datetime

from brm_app.brm_app.doctype.brm_settings.brm_settings import (
	get_complaint_target,
	get_escalation_chain,
	get_settings,
)
from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_portfolios_of
from brm_app.customers import contacts_of_email, portfolio_of, validate_contact_of_customer
from brm_app.rules import complaint as rules
from brm_app.rules import escalation as esc_rules
from brm_app.rules import intake as intake_rules
from brm_app.utils import (
	keep_process_fields,
	now,
	process_update,
	send_template_email,
	strip_microseconds,
	users_with_role,
)
from brm_app.validation import validate_links_with_fetches
from brm_app.workflow import move_to_status, sync_status_from_workflow

HELPDESK_TICKET = "HD Ticket"
BRM_ROLE = "Business Relationship Manager"

#: Set by the process (workflow, milestones, targets, escalation, sweeps), never by a request.
#: A complaint cannot be received later than now (a few minutes' leeway for clocks).
CLOCK_LEEWAY_MINUTES = 5


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
		rules.QUESTION_REQUIRED: _("Write the question for the customer before asking them."),
		rules.OUTCOME_REQUIRED: _(
			"Record the outcome (upheld, partly upheld, not upheld or withdrawn) before closing the complaint."
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
		investigation_started_on: DF.Datetime | None
		category: DF.Link | None
		channel: DF.Literal["Portal", "E-mail", "Phone", "Meeting", "Survey", "Desk", "Support Ticket"]
		closed_on: DF.Datetime | None
		closing_reason: DF.SmallText | None
		complaint_owner: DF.Link | None
		contact: DF.Link | None
		contact_email: DF.Data | None
		corrective_actions: DF.Table[ComplaintCorrectiveAction]
		customer: DF.Link | None
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
		needs_triage: DF.Check
		proposed_resolution: DF.SmallText | None
		raised_by: DF.Data | None
		raised_by_name: DF.Data | None
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

	def before_print(self, settings=None):
		"""Print formats read fields directly: blank those the user may not read (a customer
		printing their own record never sees the internal, permission-level-1 fields)."""
		self.apply_fieldlevel_read_permissions()

	def validate(self):
		keep_process_fields(self, rules.PROCESS_FIELDS)
		strip_microseconds(self)
		if self.is_new():
			self.identify_sender()
		validate_links_with_fetches(self)
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		if self.is_new():
			self.status = rules.OPEN
		sync_status_from_workflow(self)
		self.validate_customer()
		self.set_customer_context()
		self.set_defaults()
		self.validate_received_on()
		self.validate_ticket()
		self.validate_incident()
		self.set_targets(before)
		self.validate_transition(old_status)
		self.record_transition(old_status)
		self.update_corrective_actions()
		self.set_overdue()

	def on_update(self):
		if reopened := self.flags.pop("reopened_because", None):
			reason, appeal = reopened
			message = (
				_("The customer appealed against the closure: {0}")
				if appeal
				else _("The customer rejected the proposed resolution: {0}")
			)
			self.add_comment("Info", message.format(frappe.utils.escape_html(reason or "")))
		refresh_portfolios_of(self)
		if self.has_value_changed("status") and self.status == rules.CLOSED and self.channel != "Survey":
			from brm_app.brm_app.doctype.survey_invitation.survey_invitation import invite_after

			# How did we handle it? (Not asked about follow-ups of surveys themselves.)
			invite_after(self, self.customer, self.contact, self.contact_email, service=self.service)

	def after_insert(self):
		# Nobody may miss a complaint: without an owner, one to triage goes to every BRM.
		users = (
			[self.complaint_owner]
			if self.complaint_owner
			else users_with_role(BRM_ROLE)
			if frappe.utils.cint(self.needs_triage)
			else []
		)
		if users:
			assign_to.add(
				{
					"assign_to": users,
					"doctype": self.doctype,
					"name": self.name,
					"description": _("To triage: {0}").format(self.subject)
					if frappe.utils.cint(self.needs_triage)
					else self.subject,
				},
				ignore_permissions=True,
			)

	def after_delete(self):
		refresh_portfolios_of(self)

	# ------------------------------------------------------------------ validate steps

	def identify_sender(self):
		"""A complaint from an e-mail address (the Email Account's "Append To", or recorded by
		hand): its customer and contact from the address; of no known customer → triage."""
		if not self.raised_by:
			return
		if not frappe.utils.validate_email_address(self.raised_by):
			frappe.throw(
				_("{0} is not an e-mail address a complaint can come from.").format(
					frappe.bold(self.raised_by)
				),
				title=_("Unknown Sender"),
			)
		if self.channel in (None, "", "Desk"):
			self.channel = "E-mail"
		if not self.subject or not self.subject.strip():
			self.subject = _("(No subject)")
		if self.flags.force_triage:
			# an e-mail quoting someone else's complaint (brm_app.security.mail): a person decides
			self.customer = self.contact = None
			self.needs_triage = 1
			self.contact_email = self.raised_by
			return
		if self.customer:
			return
		sender = intake_rules.identify(contacts_of_email(self.raised_by))
		self.customer = sender.customer
		if sender.customer:  # links were fetched before validate: fetch this one here
			self.customer_name = frappe.db.get_value("Customer", sender.customer, "customer_name")
		self.contact = self.contact or sender.contact
		self.needs_triage = int(sender.needs_triage)
		if not self.contact_email:
			self.contact_email = self.raised_by

	def validate_customer(self):
		"""Only a complaint from an unknown e-mail sender may wait without a customer, and only
		while Open (or to be rejected as not a complaint)."""
		if self.customer:
			self.needs_triage = 0
			return
		if not frappe.utils.cint(self.needs_triage):
			frappe.throw(_("Choose the customer this complaint comes from."), title=_("Customer Missing"))
		if self.status not in (rules.OPEN, rules.REJECTED):
			frappe.throw(
				_("Choose the customer this e-mail came from before the complaint goes on to {0}.").format(
					_(self.status)
				),
				title=_("Customer Missing"),
			)

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
			self.received_on = now()

	def validate_received_on(self):
		if get_datetime(self.received_on) > add_to_date(now(), minutes=CLOCK_LEEWAY_MINUTES):
			frappe.throw(
				_("Received On cannot be in the future."), frappe.ValidationError, title=_("Check the Date")
			)

	def validate_incident(self):
		"""A complaint is linked only to an incident that affects its customer (checked when the
		link is made: the incident's customers may change later)."""
		if not self.service_incident or not (self.is_new() or self.has_value_changed("service_incident")):
			return
		if not frappe.db.exists(
			"Service Incident Customer",
			{"parenttype": "Service Incident", "parent": self.service_incident, "customer": self.customer},
		):
			frappe.throw(
				_("Service incident {0} does not affect {1}.").format(
					self.service_incident, self.customer_name or self.customer or _("this customer")
				),
				title=_("Wrong Incident"),
			)

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
		from brm_app.brm_app.doctype.complaint_handling_policy.complaint_handling_policy import policy_for

		if before is None and not self.handling_policy:
			self.handling_policy = policy_for(self.customer)
		elif (
			before
			and not before.customer
			and self.customer
			and self.status in rules.OPEN_STATUSES
			and before.handling_policy == self.handling_policy
		):
			# triaged: the customer is known now, and so is the policy it runs under
			self.handling_policy = policy_for(self.customer) or self.handling_policy
		if (
			before
			and before.severity == self.severity
			and get_datetime(before.received_on) == get_datetime(self.received_on)
			and before.handling_policy == self.handling_policy
		):
			return  # targets are fixed when received; later changes to a policy do not move them
		self.compute_due_dates()

	def compute_due_dates(self, at=None) -> None:
		"""The due dates under the complaint's handling policy (working time, moved by the
		pauses), or without one the calendar-time targets of BRM Settings."""
		if self.handling_policy:
			from brm_app.brm_app.doctype.complaint_handling_policy.complaint_handling_policy import (
				complaint_due_dates,
			)
			from brm_app.rules import handling_policy as policy_rules

			due, self.clock_explanation = complaint_due_dates(self, self.pause_spans(), at or now())
			for target, field in policy_rules.DUE_FIELDS.items():
				self.set(field, due.get(target))
			return
		ack_hours, resolve_days = get_complaint_target(self.severity)
		self.acknowledge_by, self.resolve_by = rules.compute_targets(
			get_datetime(self.received_on), ack_hours, resolve_days
		)

	def pause_spans(self) -> list[tuple]:
		"""The times the complaint waited for the customer, as (from, to or None)."""
		return [
			(get_datetime(p.paused_on), get_datetime(p.resumed_on) if p.resumed_on else None)
			for p in self.get("pauses") or []
			if p.paused_on
		]

	def validate_transition(self, old_status):
		facts = rules.ComplaintFacts(
			proposed_resolution=self.proposed_resolution,
			closing_reason=self.closing_reason,
			rejection_reason=self.rejection_reason,
			customer_rejection_reason=self.customer_rejection_reason,
			open_actions=rules.open_action_count(a.status for a in self.corrective_actions),
			waiting_question=self.waiting_question,
			outcome=self.outcome,
		)
		if old_status == rules.RESOLUTION_PROPOSED and self.status == rules.CLOSED and not self.outcome:
			# the customer accepted what we proposed: upheld, unless staff recorded otherwise
			self.outcome = rules.ACCEPTED_OUTCOME
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
			now(),
			acknowledged_on=self.acknowledged_on,
			resolution_proposed_on=self.resolution_proposed_on,
			closed_on=self.closed_on,
			investigation_started_on=self.investigation_started_on,
		)
		self.update(stamps)
		received = get_datetime(self.received_on)
		if self.acknowledged_on:
			self.time_to_acknowledge = rules.elapsed_seconds(received, get_datetime(self.acknowledged_on))
		if self.status == rules.CLOSED:
			self.time_to_resolve = rules.elapsed_seconds(received, get_datetime(self.closed_on))
		if rules.is_reopen(old_status, self.status):
			self.reopen_count = (self.reopen_count or 0) + 1
			self.flags.reopened_because = (
				self.customer_rejection_reason,
				rules.is_appeal(old_status, self.status),
			)
			if rules.is_appeal(old_status, self.status):
				self.time_to_resolve = None
		if self.status == rules.RESOLUTION_PROPOSED:
			# A new proposal: the customer's next rejection needs a reason of its own.
			self.customer_rejection_reason = None
		self.record_waiting(old_status)

	def record_waiting(self, old_status):
		"""Asking the customer starts a pause (with the question); leaving Waiting for Customer
		ends it, and under a policy whose clock stops while waiting the due dates move by the
		working time waited. Time to resolve is kept gross and net of the pauses."""
		at = now()
		if self.status == rules.WAITING and old_status != rules.WAITING:
			self.append("pauses", {"paused_on": at, "question": (self.waiting_question or "").strip()})
			self.clock_paused = int(self.clock_stops_while_waiting())
		elif old_status == rules.WAITING and self.status != rules.WAITING:
			pause = next((p for p in reversed(self.pauses) if not p.resumed_on), None)
			if pause:
				pause.resumed_on = at
				pause.resumed_by = pause.resumed_by or (
					"Customer" if self.flags.answered_by_customer else "Staff"
				)
				pause.working_hours_paused = self.working_hours_between(pause.paused_on, at)
			self.clock_paused = 0
			self.waiting_question = None
			if self.handling_policy and self.clock_stops_while_waiting():
				self.compute_due_dates(at)
		if self.status == rules.CLOSED and self.time_to_resolve is not None:
			waited = sum(
				rules.elapsed_seconds(get_datetime(p.paused_on), get_datetime(p.resumed_on))
				for p in self.pauses
				if p.paused_on and p.resumed_on
			)
			self.time_to_resolve_net = max(0, (self.time_to_resolve or 0) - waited)

	def clock_stops_while_waiting(self) -> bool:
		"""The policy's choice. Without a policy (complaints kept from before 0.11, BRM
		Settings' calendar-time targets) the dates cannot move, so the clock does not stop."""
		if not self.handling_policy:
			return False
		return bool(
			frappe.db.get_value("Complaint Handling Policy", self.handling_policy, "pause_while_waiting")
		)

	def working_hours_between(self, start, end) -> float:
		"""Working hours of the complaint's calendar between two moments (calendar hours without a policy)."""
		start, end = get_datetime(start), get_datetime(end)
		if not self.handling_policy:
			return round((end - start).total_seconds() / 3600, 2)
		from frappe.utils.data import get_system_timezone

		from brm_app.brm_app.doctype.complaint_handling_policy.complaint_handling_policy import calendar_for
		from brm_app.rules import working_time as wt

		policy = frappe.get_cached_doc("Complaint Handling Policy", self.handling_policy)
		calendar, _source = calendar_for(policy, self.customer)
		return round(
			wt.working_time_between(start, end, calendar, get_system_timezone()).total_seconds() / 3600, 2
		)

	def update_corrective_actions(self):
		today = frappe.utils.today()
		for action in self.corrective_actions:
			if action.status == "Done" and not action.completed_on:
				action.completed_on = today

	def set_overdue(self):
		"""Stored once, read by the list, the number card, reports and the portal."""
		self.is_overdue = int(
			esc_rules.is_overdue(
				now(),
				self.status,
				get_datetime(self.acknowledge_by) if self.acknowledge_by else None,
				get_datetime(self.acknowledged_on) if self.acknowledged_on else None,
				get_datetime(self.resolve_by) if self.resolve_by else None,
				bool(self.clock_paused),
			)
		)

	# ------------------------------------------------------------------ e-mail

	def on_communication_update(self, communication):
		"""Called by Frappe for every Communication on this complaint (instead of its default
		status handling). A received e-mail: the first one is the complaint's description, its
		attachments stay private on the complaint; a later one (the customer's reply) tells the
		people working on it."""
		if (
			communication.communication_type != "Communication"
			or communication.sent_or_received != "Received"
		):
			return
		first = frappe.db.get_value(
			"Communication",
			{
				"reference_doctype": self.doctype,
				"reference_name": self.name,
				"communication_type": "Communication",
				"sent_or_received": "Received",
			},
			"name",
			order_by="creation asc",
		)
		if communication.name == first:
			if communication.content and not (self.description or "").strip():
				self.db_set("description", communication.content, update_modified=False)
		elif communication.flags.in_receive and not communication.flags.brm_told:
			communication.flags.brm_told = True  # Frappe saves a received mail twice
			self.tell_people_working_on_it(communication)
		if (
			self.status == rules.WAITING
			and communication.flags.in_receive
			and not communication.flags.brm_answered
		):
			# the customer answered our question by e-mail (their first e-mail on a complaint
			# lodged on the portal or by phone too): the complaint goes on
			communication.flags.brm_answered = True
			self.resume_with_answer(frappe.utils.strip_html(communication.content or ""))
		self.keep_attachments_of(communication)

	def keep_attachments_of(self, communication):
		have = set(
			frappe.get_all(
				"File",
				filters={"attached_to_doctype": self.doctype, "attached_to_name": self.name},
				pluck="file_url",
			)
		)
		for file in frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Communication", "attached_to_name": communication.name},
			fields=["file_url", "file_name"],
		):
			if file.file_url in have:
				continue
			frappe.get_doc(
				{
					"doctype": "File",
					"file_url": file.file_url,
					"file_name": file.file_name,
					"attached_to_doctype": self.doctype,
					"attached_to_name": self.name,
					"is_private": 1,
				}
			).insert(ignore_permissions=True)

	def resume_with_answer(self, text: str) -> None:
		"""The customer's answer to the question we asked (on the portal or by e-mail): kept with
		the wait, and the complaint investigated again (the clock runs again)."""
		pause = next((p for p in reversed(self.pauses) if not p.resumed_on), None)
		if pause:
			pause.answer = (text or "").strip()[:2000]
			pause.resumed_by = "Customer"
		self.flags.answered_by_customer = True
		self.flags.ignore_permissions = True
		# the pauses are the process's: set by the server here, kept through the save
		self.flags.process_update = True
		try:
			move_to_status(self, rules.INVESTIGATING)
		finally:
			self.flags.process_update = False

	def tell_people_working_on_it(self, communication):
		from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

		users = [u for u in {self.complaint_owner, self.escalated_to} if u]
		if not users:
			return
		make_notification_logs(
			{
				"type": "Alert",
				"document_type": self.doctype,
				"document_name": self.name,
				"subject": _("{0} wrote again about complaint {1}: {2}").format(
					communication.sender_full_name or communication.sender, self.name, self.subject
				),
				"from_user": frappe.session.user,
			},
			users,
		)

	# ------------------------------------------------------------------ actions

	def escalate(self, level: esc_rules.EscalationLevel, reason: str, automatic: bool) -> list[str]:
		"""Move this complaint to an escalation level: record it, assign and notify."""
		users = [level.user] if level.user else users_with_role(level.role)
		at = now()
		if not automatic:
			self.check_permission("write")
		with process_update(self, rules.PROCESS_FIELDS, loaded_by_server=automatic):
			self.escalation_level = level.level
			self.escalated_to = users[0] if users else None
			self.escalated_on = at
			self.escalation_reason = reason
			self.append(
				"escalations",
				{
					"level": level.level,
					"escalated_to": self.escalated_to,
					"escalated_to_role": level.role,
					"escalated_on": at,
					"automatic": int(automatic),
					"reason": reason,
				},
			)
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

	@frappe.whitelist(methods=["POST"])
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

	@frappe.whitelist(methods=["POST"])
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

	@frappe.whitelist(methods=["POST"])
	def send_final_response(self) -> str:
		"""The final response (ISO 10002; the regulators' "final response"): the decision, the
		reasons, the redress and — from the handling policy — the customer's rights to take it
		further, e-mailed in the customer's language with the printed letter attached, kept on
		the complaint's timeline and shown on the customer's complaint page."""
		self.check_permission("email")
		self.reload()
		if self.status not in (rules.RESOLUTION_PROPOSED, rules.CLOSED):
			frappe.throw(
				_("A final response is sent once a resolution is proposed or the complaint is closed."),
				title=_("Not Yet"),
			)
		if self.outcome not in rules.OUTCOMES:
			frappe.throw(transition_message(rules.OUTCOME_REQUIRED), title=_("Outcome Missing"))
		policy = (
			frappe.get_cached_doc("Complaint Handling Policy", self.handling_policy)
			if self.handling_policy
			else None
		)
		template = (policy and policy.final_response_template) or "Complaint Final Response"
		months = cint(policy.referral_within_months) if policy else 0
		send_template_email(
			self,
			template,
			{
				"reasons": self.root_cause or self.closing_reason or "",
				"referral_body": policy.referral_body if policy else None,
				"referral_limit": (" " + _("within {0} months of this final response").format(months))
				if months
				else "",
				"rights_text": policy.rights_text if policy else None,
				"redress_amount_text": frappe.utils.fmt_money(self.redress_amount)
				if self.redress_amount
				else "",
				"owner_name": frappe.db.get_value("User", self.complaint_owner, "full_name")
				if self.complaint_owner
				else "",
			},
			print_format="Complaint Final Response",
		)
		self.db_set("final_response_sent_on", now())
		from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import mark_dirty

		mark_dirty(self)  # a figure of the monthly rollups (db_set runs no on_update)
		return self.final_response_sent_on

	@frappe.whitelist(methods=["POST"])
	def raise_request_for_change(self, corrective_action: str) -> str:
		"""A corrective action that needs a change to the service: a Request for Change on the
		customer's behalf, the complaint and the action linked."""
		from brm_app.brm_app.doctype.request_for_change.request_for_change import raise_from

		self.reload()  # the stored complaint, not one posted with the call
		frappe.has_permission("Request for Change", "create", throw=True)
		self.check_permission("read")
		row = next((r for r in self.corrective_actions if r.name == corrective_action), None)
		if not row:
			frappe.throw(_("Choose one of this complaint's corrective actions."))
		if not self.customer:
			frappe.throw(_("Choose the complaint's customer first."), title=_("Customer Missing"))
		return raise_from(
			"Complaint",
			{
				"title": (row.action or "").strip()[:140] or _("Change from complaint {0}").format(self.name),
				"customer": self.customer,
				"contact": self.contact,
				"contact_email": self.contact_email,
				"description": frappe.utils.escape_html(row.action or ""),
				"business_justification": _("Corrective action of complaint {0}: {1}").format(
					self.name, self.subject
				),
				"complaint": self.name,
				"corrective_action": row.name,
				"services": [{"service": self.service}] if self.service else [],
			},
		).name

	@frappe.whitelist(methods=["POST"])
	def send_feedback(self) -> str:
		"""Send the written feedback (thank, apologise, summarise, actions taken) by e-mail."""
		send_template_email(self, get_settings().complaint_feedback_template or "Complaint Feedback")
		self.db_set("feedback_sent_on", now())
		return self.contact_email


def on_doctype_update():
	from brm_app.brm_app.doctype.complaint.similar import add_fulltext_index
	from brm_app.setup.indexes import add_customer_index

	add_customer_index("Complaint")
	add_fulltext_index()
