# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Compliment: documented, evaluated and followed through (ITIL 4 relationship management:
recognising what went well is part of managing the relationship; docs/features.md "Compliment").

Following through means the people or team the customer praised are told, and the customer
is thanked.
"""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.model.document import Document

from brm_app.brm_app.doctype.brm_settings.brm_settings import get_settings
from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_portfolios_of
from brm_app.customers import portfolio_of, validate_contact_of_customer
from brm_app.rules import compliment as rules
from brm_app.utils import (
	keep_process_fields,
	now,
	send_template_email,
	strip_microseconds,
)
from brm_app.validation import validate_links_with_fetches
from brm_app.workflow import sync_status_from_workflow

#: Set by the process (workflow, follow-through), never by a request.
PROCESS_FIELDS = (
	"status",
	"praised_notified_on",
	"notified_users",
	"thanked_on",
	"closed_on",
)


def transition_message(code: str) -> str:
	return {
		rules.NOT_ALLOWED: _("A compliment cannot go from {0} to {1}."),
		rules.EVALUATION_REQUIRED: _("Evaluate the compliment first (Routine, Notable or Exceptional)."),
		rules.PRAISED_REQUIRED: _("Name at least one person or team the customer praised."),
	}[code]


class Compliment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.compliment_recipient.compliment_recipient import ComplimentRecipient

		channel: DF.Literal["Portal", "E-mail", "Phone", "Meeting", "Survey", "Desk"]
		compliment: DF.TextEditor
		contact: DF.Link | None
		contact_email: DF.Data | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_portfolio: DF.Link | None
		evaluation: DF.Literal["", "Routine", "Notable", "Exceptional"]
		evaluation_notes: DF.SmallText | None
		naming_series: DF.Literal["CMPL-.YYYY.-"]
		notified_users: DF.SmallText | None
		praised: DF.Table[ComplimentRecipient]
		praised_notified_on: DF.Datetime | None
		received_on: DF.Datetime
		service: DF.Link | None
		status: DF.Literal["New", "Evaluated", "Acknowledged"]
		subject: DF.Data
		thanked_on: DF.Datetime | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def before_print(self, settings=None):
		"""Print formats read fields directly: blank those the user may not read (a customer
		printing their own record never sees the internal, permission-level-1 fields)."""
		self.apply_fieldlevel_read_permissions()

	def validate(self):
		keep_process_fields(self, PROCESS_FIELDS)
		strip_microseconds(self)
		validate_links_with_fetches(self)
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		if self.is_new():
			self.status = rules.NEW
		sync_status_from_workflow(self)
		if not self.received_on:
			self.received_on = now()
		validate_contact_of_customer(self.contact, self.customer)
		self.customer_portfolio = portfolio_of(self.customer)
		self.validate_praised()
		errors = rules.transition_errors(old_status, self.status, self.evaluation, len(self.praised))
		if errors:
			frappe.throw(
				"<br>".join(
					transition_message(c).format(_(old_status or ""), _(self.status)) for c in errors
				),
				title=_("Cannot Change Status"),
			)
		if old_status != self.status and self.status == rules.ACKNOWLEDGED:
			self.flags.tell_praised = True
		# The compliment's end, from which its retention period runs.
		self.closed_on = (
			(before.closed_on if before and before.closed_on else now())
			if self.status == rules.ACKNOWLEDGED
			else None
		)

	def on_update(self):
		if self.flags.tell_praised:
			self.flags.tell_praised = False
			self.tell_praised()
		refresh_portfolios_of(self)

	def after_delete(self):
		refresh_portfolios_of(self)

	def validate_praised(self):
		for row in self.praised:
			if row.praised_doctype not in rules.PRAISED_TYPES:
				frappe.throw(
					_(
						"Row {0}: a compliment can praise a User, an Employee or a Department, not a {1}."
					).format(row.idx, row.praised_doctype)
				)
			row.praised_label = praised_label(row.praised_doctype, row.praised_name)

	def tell_praised(self) -> list[str]:
		"""Tell the praised people (bell notification and e-mail): the follow-through."""
		users = rules.praised_users(
			[(r.praised_doctype, r.praised_name) for r in self.praised],
			employee_users=self._employee_users(),
			department_users=self._department_users(),
		)
		if users:
			enqueue_create_notification(
				users,
				{
					"type": "Alert",
					"document_type": self.doctype,
					"document_name": self.name,
					"subject": _("{0} praised you: {1}").format(
						self.customer_name or self.customer, self.subject
					),
					"email_content": self.compliment,
					"from_user": frappe.session.user,
				},
			)
		else:
			frappe.msgprint(
				_("None of the praised people has a user account, so nobody could be told in the app."),
				alert=True,
			)
		self.db_set({"praised_notified_on": now(), "notified_users": ", ".join(users)})
		return users

	def _employee_users(self) -> dict:
		employees = [r.praised_name for r in self.praised if r.praised_doctype == "Employee"]
		if not employees:
			return {}
		return dict(
			frappe.get_all(
				"Employee", filters={"name": ("in", employees)}, fields=["name", "user_id"], as_list=True
			)
		)

	def _department_users(self) -> dict:
		departments = [r.praised_name for r in self.praised if r.praised_doctype == "Department"]
		result: dict[str, list[str]] = {d: [] for d in departments}
		if departments:
			for department, user in frappe.get_all(
				"Employee",
				filters={"department": ("in", departments), "status": "Active", "user_id": ("is", "set")},
				fields=["department", "user_id"],
				as_list=True,
			):
				result[department].append(user)
		return result

	@frappe.whitelist(methods=["POST"])
	def send_thanks(self) -> str:
		"""Thank the customer by e-mail from the editable template."""
		send_template_email(self, get_settings().compliment_thanks_template or "Compliment Thank You")
		self.db_set("thanked_on", now())
		return self.contact_email


def praised_label(doctype: str, name: str) -> str | None:
	field = {"User": "full_name", "Employee": "employee_name", "Department": "department_name"}[doctype]
	return frappe.db.get_value(doctype, name, field) or name


def on_doctype_update():
	from brm_app.setup.indexes import add_customer_index

	add_customer_index("Compliment")
