# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A request for change raised on the customer's behalf (ITIL 4 relationship management and
change enablement; ISO/IEC 20000-1 8.3.2, 8.5.1; docs/changes.md): the relationship manager
helps the customer complete it, represents them at the Change Advisory Board, asks them for
information when the change process needs it, follows the change to its implementation and
the customer's confirmation, and coordinates the SLA part with the Service Level Manager.

The lifecycle is the "Request for Change Workflow" fixture; code keys off the canonical
``status`` (``brm_app.rules.change``)."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import escape_html, get_datetime

from brm_app.customers import portfolio_of, validate_contact_of_customer
from brm_app.rules import change as rules
from brm_app.utils import keep_process_fields, now, process_update, strip_microseconds
from brm_app.validation import validate_links_with_fetches
from brm_app.workflow import move_to_status, sync_status_from_workflow

BRM_ROLE = "Business Relationship Manager"


def transition_message(code: str) -> str:
	return {
		rules.NOT_ALLOWED: _("A request for change cannot move from {0} to {1}."),
		rules.DESCRIPTION_REQUIRED: _("Say what should change before submitting the request."),
		rules.JUSTIFICATION_REQUIRED: _("Give the business justification, in the customer's words."),
		rules.SLA_DETAILS_REQUIRED: _(
			"The change touches the SLA: choose the Service Level Agreement and the Service Level Manager."
		),
		rules.CAB_DECISION_REQUIRED: _("Record the CAB sitting and its decision first."),
		rules.CAB_DECISION_DIFFERS: _("The last CAB sitting recorded a different decision."),
		rules.QUESTION_REQUIRED: _("Write the question for the customer."),
		rules.ANSWER_NOT_RETURN: _("After the customer's answer the request goes back to {0}."),
		rules.WINDOW_REQUIRED: _("Set the planned start and end of the implementation."),
		rules.WINDOW_BACKWARDS: _("The planned end is before the planned start."),
		rules.IMPLEMENTED_ON_REQUIRED: _("Set when the change was implemented."),
		rules.SLA_NOT_DONE: _("The Service Level Manager has not marked the SLA part done yet."),
		rules.CONFIRMATION_REQUIRED: _("The customer has not confirmed the outcome yet."),
		rules.NOT_DELIVERED_REQUIRED: _(
			"Only the customer's word that the change did not deliver sends it back to be scheduled."
		),
	}[code]


class RequestforChange(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def before_print(self, settings=None):
		"""Blank what the reader may not read (a customer never sees internal fields)."""
		self.apply_fieldlevel_read_permissions()

	def validate(self):
		keep_process_fields(self, rules.PROCESS_FIELDS)
		strip_microseconds(self)
		validate_links_with_fetches(self)
		validate_contact_of_customer(self.contact, self.customer)
		before = self.get_doc_before_save()
		old = before.status if before else None
		if self.is_new():
			self.raised_on = self.raised_on or now()
		sync_status_from_workflow(self)
		self.customer_portfolio = portfolio_of(self.customer)
		if not self.relationship_manager and self.customer_portfolio:
			self.relationship_manager = frappe.db.get_value(
				"Customer Portfolio", self.customer_portfolio, "relationship_manager"
			)
		self.validate_services()
		self.validate_sources()
		self.validate_cab_sittings(before)
		self.validate_transition(None if self.is_new() else old)
		self.stamp(old)

	def on_update(self):
		self.assign_service_level_manager()
		before = self.get_doc_before_save()
		old = before.status if before else None
		if self.status != old:
			# no news for the customer when it goes back after their own answer or report
			if not (rules.returns_from_question(old, self.status) or old == rules.IMPLEMENTED):
				self.tell_the_customer()
		elif (
			self.status == rules.SCHEDULED and before and str(before.planned_start) != str(self.planned_start)
		):
			self.tell_the_customer()  # rescheduled

	# ------------------------------------------------------------------ validate steps

	def validate_services(self):
		"""Services affected come from the customer's portfolio (when it lists any)."""
		if not self.customer_portfolio or not self.services:
			return
		offered = set(
			frappe.get_all(
				"Portfolio Service",
				filters={"parenttype": "Customer Portfolio", "parent": self.customer_portfolio},
				pluck="service",
			)
		)
		if not offered:
			return
		for row in self.services:
			if row.service not in offered:
				frappe.throw(
					_("Row {0}: {1} is not a service in {2}'s portfolio.").format(
						row.idx, frappe.bold(row.service), self.customer_name or self.customer
					),
					title=_("Unknown Service"),
				)

	def validate_sources(self):
		"""The requirement, complaint or review a request came from is the same customer's."""
		for field, doctype in (
			("customer_requirement", "Customer Requirement"),
			("complaint", "Complaint"),
			("source_review", "Service Performance Review"),
		):
			name = self.get(field)
			if name and frappe.db.get_value(doctype, name, "customer") != self.customer:
				frappe.throw(
					_("{0} {1} is not {2}'s.").format(_(doctype), name, self.customer_name or self.customer),
					title=_("Wrong Customer"),
				)

	def validate_cab_sittings(self, before):
		"""Only a Business Relationship Manager records what the CAB decided, and only they
		change or remove a sitting that recorded a decision (its note goes to the customer)."""
		if {BRM_ROLE, "System Manager"} & set(frappe.get_roles()):
			return
		fields = (
			"sitting_date",
			"decision",
			"customer_position",
			"questions_raised",
			"conditions",
			"note_for_customer",
		)
		old = {r.name: tuple(r.get(f) for f in fields) for r in (before.cab_sittings if before else [])}
		new = {r.name: tuple(r.get(f) for f in fields) for r in self.cab_sittings}
		decided = {k for k, v in old.items() if v[1]}
		touched = any(old[k] != new.get(k) for k in decided) or any(
			v[1] and old.get(k, (None, None))[1] != v[1] for k, v in new.items()
		)
		if touched:
			frappe.throw(
				_("Only a Business Relationship Manager records or changes a CAB decision."),
				frappe.PermissionError,
			)

	def facts(self) -> rules.ChangeFacts:
		# only sittings recorded since the request (last) went to the CAB decide
		decided = [r for r in self.cab_sittings if r.decision and r.idx > (self.cab_rows_at_referral or 0)]
		return rules.ChangeFacts(
			description=frappe.utils.strip_html(self.description or ""),
			business_justification=self.business_justification,
			last_cab_decision=decided[-1].decision if decided else None,
			planned_start=get_datetime(self.planned_start) if self.planned_start else None,
			planned_end=get_datetime(self.planned_end) if self.planned_end else None,
			implemented_on=get_datetime(self.implemented_on) if self.implemented_on else None,
			customer_confirmation=self.customer_confirmation or None,
			information_request=self.information_request,
			asked_from=self.asked_from or None,
			sla_change=bool(self.sla_change),
			service_level_agreement=self.service_level_agreement,
			service_level_manager=self.service_level_manager,
			sla_done=bool(self.sla_done_on),
		)

	def validate_transition(self, old):
		errors = rules.transition_errors(old, self.status, self.facts())
		if errors:
			frappe.throw(
				"<br>".join(
					transition_message(code).format(_(old or ""), _(self.status))
					if code == rules.NOT_ALLOWED
					else transition_message(code).format(_(self.asked_from or ""))
					for code in errors
				),
				title=_("Not Yet"),
			)

	def stamp(self, old):
		"""Milestones, set once by the server as the status moves."""
		if self.status == old:
			return
		moment = now()
		if self.status == rules.SUBMITTED and not self.submitted_on:
			self.submitted_on = moment
		if old == rules.AWAITING_CAB and self.status in (rules.APPROVED, rules.REJECTED, rules.DEFERRED):
			self.decided_on = moment
		if self.status == rules.AWAITING_CAB and old != rules.INFORMATION_NEEDED:
			self.cab_rows_at_referral = len(self.cab_sittings)
		if self.status == rules.INFORMATION_NEEDED:
			self.asked_from = old
			self.information_requested_on = moment
			self.information_answer = self.information_answered_on = None
		if old == rules.IMPLEMENTED and self.status == rules.SCHEDULED:
			# did not deliver: implemented again later, and the customer asked again
			self.implemented_on = None
			self.customer_confirmation = self.confirmed_on = self.confirmation_note = None
		self.closed_on = moment if rules.is_final(self.status) else None

	# ------------------------------------------------------------------ on update

	def assign_service_level_manager(self):
		"""The Service Level Manager coordinates the SLA part: an assignment (ToDo), once."""
		if not (self.sla_change and self.service_level_manager) or self.sla_done_on:
			return
		if frappe.db.exists(
			"ToDo",
			{
				"reference_type": self.doctype,
				"reference_name": self.name,
				"allocated_to": self.service_level_manager,
				"status": "Open",
			},
		):
			return
		assign_to.add(
			{
				"assign_to": [self.service_level_manager],
				"doctype": self.doctype,
				"name": self.name,
				"description": _("Coordinate the SLA part of {0}: {1}").format(self.name, self.title),
			},
			ignore_permissions=True,
		)

	def tell_the_customer(self):
		"""The status update e-mail (an editable Email Template per status) to the customer's
		contact and the requester, on the request's timeline."""
		from frappe.core.doctype.communication.email import _make
		from frappe.email.doctype.email_template.email_template import get_email_template

		template = rules.STATUS_TEMPLATES.get(self.status)
		recipients = sorted({e for e in (self.contact_email, self.requester_email()) if e})
		if not template or not recipients or not frappe.db.exists("Email Template", template):
			return
		from brm_app.portal.translations import in_language, recipient_language

		with in_language(recipient_language(self.contact_email, self.customer)):
			email = get_email_template(template, self.customer_view())
		_make(
			doctype=self.doctype,
			name=self.name,
			subject=f"{email['subject']} ({self.name})",
			content=email["message"],
			recipients=", ".join(recipients),
			communication_medium="Email",
			sent_or_received="Sent",
			send_email=True,
		)

	def requester_email(self) -> str | None:
		"""Who raised it on the portal (the owner, when a website user)."""
		user_type = frappe.get_cached_value("User", self.owner, "user_type")
		return frappe.get_cached_value("User", self.owner, "email") if user_type == "Website User" else None

	def customer_view(self) -> dict:
		"""What an e-mail to the customer may say: no internal field (the templates escape the
		texts in the body; the subject is plain text)."""
		sittings = [r for r in self.cab_sittings if r.decision]
		return {
			"name": self.name,
			"title": self.title or "",
			"customer_name": self.customer_name or self.customer or "",
			"status": _(rules.CUSTOMER_STATUS.get(self.status, self.status)),
			"question": self.information_request or "",
			"note_for_customer": (sittings[-1].note_for_customer or "") if sittings else "",
			"conditions": (sittings[-1].conditions or "") if sittings else "",
			"planned_start": frappe.utils.format_datetime(self.planned_start) if self.planned_start else "",
			"planned_end": frappe.utils.format_datetime(self.planned_end) if self.planned_end else "",
			"url": frappe.utils.get_url(f"/changes/{self.name}"),
		}

	# ------------------------------------------------------------------ actions

	@frappe.whitelist(methods=["POST"])
	def ask_the_customer(self, question: str) -> str:
		"""The change process needs to know something: ask the customer (portal and e-mail); the
		request waits in Information Needed and returns where it was when they answer."""
		self.reload()  # what is stored, never what a request posted with the call
		self.check_permission("write")
		question = (question or "").strip()
		if not question:
			frappe.throw(_("Write the question for the customer."), frappe.MandatoryError)
		move_to_status(self, rules.INFORMATION_NEEDED, information_request=question[:2000])
		return self.status

	def record_answer(self, answer: str) -> str:
		"""The customer's answer (from the portal, or staff for them): back where it was asked."""
		if self.status != rules.INFORMATION_NEEDED:
			frappe.throw(_("There is no open question on this request."), title=_("Not Possible"))
		answer = (answer or "").strip()
		if not answer:
			frappe.throw(_("Please write your answer."), frappe.MandatoryError)
		back = rules.after_answer(self.asked_from)
		with process_update(self, ("information_answer", "information_answered_on")):
			self.information_answer = answer[:10000]
			self.information_answered_on = now()
		move_to_status(self, back)
		return self.status

	@frappe.whitelist(methods=["POST"])
	def answer_for_the_customer(self, answer: str) -> str:
		"""Staff record the customer's answer given by phone or in a meeting."""
		self.reload()
		self.check_permission("write")
		return self.record_answer(answer)

	def record_confirmation(self, delivered: bool, note: str | None = None, channel: str = "Portal") -> str:
		"""The customer confirms the implemented change, or says it did not deliver: then a
		complaint about it is opened (ISO 10002) and the change goes back to be scheduled."""
		if self.status != rules.IMPLEMENTED:
			frappe.throw(_("The change has not been implemented yet."), title=_("Not Possible"))
		note = (note or "").strip()[:2000]
		if not delivered and not note:
			frappe.throw(_("Please tell us what the change did not deliver."), frappe.MandatoryError)
		confirmation = rules.CONFIRMED if delivered else rules.NOT_DELIVERED
		with process_update(self, ("customer_confirmation", "confirmed_on", "confirmation_note")):
			self.customer_confirmation = confirmation
			self.confirmed_on = now()
			self.confirmation_note = note or None
		if not delivered:
			self.open_complaint(note, channel)
		move_to_status(self, rules.after_confirmation(confirmation))
		return self.status

	@frappe.whitelist(methods=["POST"])
	def confirm_for_the_customer(self, delivered: bool | int | str, note: str | None = None) -> str:
		"""Staff record the customer's confirmation given outside the portal."""
		self.reload()
		self.check_permission("write")
		return self.record_confirmation(frappe.utils.cint(delivered) == 1, note, channel="Desk")

	def open_complaint(self, note: str, channel: str) -> str:
		complaint = frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": self.customer,
				"contact": self.contact,
				"contact_email": self.contact_email,
				"subject": _("Change {0} did not deliver: {1}").format(self.name, self.title)[:140],
				"description": f"<p>{escape_html(note)}</p>",
				"channel": channel,
			}
		).insert(ignore_permissions=True)
		with process_update(self, ("follow_up_complaint",)):
			self.follow_up_complaint = complaint.name
		return complaint.name

	@frappe.whitelist(methods=["POST"])
	def mark_sla_done(self) -> str:
		"""The Service Level Manager assigned (or a Business Relationship Manager) marks the SLA
		part coordinated; their assignment closes."""
		self.reload()  # the stored Service Level Manager, not one posted with the call
		if frappe.session.user != self.service_level_manager and not {BRM_ROLE, "System Manager"} & set(
			frappe.get_roles()
		):
			frappe.throw(
				_(
					"Only the Service Level Manager assigned, or a Business Relationship Manager, marks it done."
				),
				frappe.PermissionError,
			)
		if not self.sla_change:
			frappe.throw(_("This request does not change the SLA."))
		with process_update(self, ("sla_done_on",)):
			self.sla_done_on = now()
		assign_to.close_all_assignments(self.doctype, self.name)
		return frappe.utils.format_datetime(self.sla_done_on)


def raise_from(source: str, values: dict) -> "RequestforChange":
	"""A Draft request from another record (requirement, review action, complaint action):
	what the customer asked carried over, the source linked."""
	doc = frappe.get_doc({"doctype": "Request for Change", **values})
	doc.flags.process_update = True  # the links to the source and how it was raised are set here
	doc.raised_via = source
	doc.insert()
	return doc


def on_doctype_update():
	from brm_app.setup.indexes import add_customer_index

	add_customer_index("Request for Change")
