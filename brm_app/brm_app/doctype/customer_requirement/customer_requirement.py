# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A customer requirement or opportunity (ITIL 4 relationship management: identify service
requirements, sign customers up to standard services; docs/features.md "Customer Requirement"): the outcome the customer
wants, the decision whether a standard service fits, and where it was routed."""

import frappe
from frappe import _
from frappe.model.document import Document

from brm_app.customers import portfolio_of, validate_contact_of_customer
from brm_app.utils import now
from brm_app.validation import validate_links_with_fetches

ROUTES = {
	"Existing Standard Service Fits": "Service Level Management",
	"New or Changed Service Needed": "Service Portfolio Management",
}

#: A requirement ends when it is fulfilled or declined.
CLOSED_STATUSES = ("Fulfilled", "Declined")


class CustomerRequirement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact: DF.Link | None
		contact_email: DF.Data | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_portfolio: DF.Link | None
		decision: DF.Literal[
			"", "Existing Standard Service Fits", "New or Changed Service Needed", "Declined"
		]
		decision_rationale: DF.SmallText | None
		desired_outcomes: DF.TextEditor
		issue: DF.Link | None
		kind: DF.Literal[
			"New Service", "Change to a Service", "Sign-up to a Standard Service", "Other Request"
		]
		naming_series: DF.Literal["CREQ-.YYYY.-"]
		opportunity: DF.Link | None
		raised_on: DF.Date | None
		routed_to: DF.Literal[
			"", "Service Portfolio Management", "Change Management", "Service Level Management"
		]
		service_level_agreement: DF.Link | None
		source_review: DF.Link | None
		standard_service: DF.Link | None
		status: DF.Literal["New", "Under Assessment", "Decided", "Routed", "Fulfilled", "Declined"]
		title: DF.Data
		utility_requirements: DF.SmallText | None
		warranty_requirements: DF.SmallText | None
	# end: auto-generated types

	def before_print(self, settings=None):
		"""Print formats read fields directly: blank those the user may not read (a customer
		printing their own record never sees the internal, permission-level-1 fields)."""
		self.apply_fieldlevel_read_permissions()

	def validate(self):
		validate_links_with_fetches(self)
		validate_contact_of_customer(self.contact, self.customer)
		self.customer_portfolio = portfolio_of(self.customer)
		if self.decision == "Declined":
			self.status = "Declined"
		if self.status in ("Decided", "Routed", "Fulfilled") and not self.decision:
			frappe.throw(
				_(
					"Record the decision first: does a standard service fit, or is a new or changed one needed?"
				)
			)
		if self.decision and not (self.decision_rationale or "").strip():
			frappe.throw(_("Give the rationale for the decision."))
		if self.decision == "Existing Standard Service Fits" and not self.standard_service:
			frappe.throw(_("Choose the standard service the customer signs up to."))
		if self.status in ("Routed", "Fulfilled") and not self.routed_to:
			self.routed_to = ROUTES.get(self.decision)
			if not self.routed_to:
				frappe.throw(_("Choose where the requirement is routed."))
		if self.decision and self.status in ("New", "Under Assessment"):
			self.status = "Decided"
		# The requirement's end, from which its retention period runs (set here, never by a request).
		before = self.get_doc_before_save()
		self.closed_on = (
			(before.closed_on if before and before.closed_on else now())
			if self.status in CLOSED_STATUSES
			else None
		)

	@frappe.whitelist(methods=["POST"])
	def raise_request_for_change(self) -> str:
		"""Routed to Change Management: one click makes the Request for Change, what the
		customer asked carried over, the requirement linked and moved on (Routed)."""
		from brm_app.brm_app.doctype.request_for_change.request_for_change import raise_from
		from brm_app.rules import change as change_rules

		self.reload()  # the stored requirement, not one posted with the call
		self.check_permission("write")
		frappe.has_permission("Request for Change", "create", throw=True)
		existing = frappe.db.get_value(
			"Request for Change",
			{"customer_requirement": self.name, "status": ("not in", list(change_rules.FINAL_STATUSES))},
			"name",
		)
		if existing:
			return existing
		if self.status in CLOSED_STATUSES:
			frappe.throw(
				_("This requirement is {0}.").format(_(self.status).lower()), title=_("Not Possible")
			)
		if self.decision == "Existing Standard Service Fits":
			frappe.throw(
				_("A standard service fits this requirement: no change is needed."), title=_("Not Possible")
			)
		if self.routed_to and self.routed_to != "Change Management":
			frappe.throw(
				_("This requirement is routed to {0}, not to Change Management.").format(_(self.routed_to))
			)
		rfc = raise_from(
			"Customer Requirement",
			{
				"title": self.title,
				"customer": self.customer,
				"contact": self.contact,
				"contact_email": self.contact_email,
				"description": self.desired_outcomes,
				"business_justification": "\n".join(
					t
					for t in (self.utility_requirements, self.warranty_requirements, self.decision_rationale)
					if t
				)
				or None,
				"desired_date": self.needed_by,
				"customer_requirement": self.name,
				"services": [{"service": self.standard_service}] if self.standard_service else [],
			},
		)
		self.routed_to = "Change Management"
		if self.status in ("New", "Under Assessment", "Decided"):
			if not self.decision:
				self.decision = "New or Changed Service Needed"
				self.decision_rationale = self.decision_rationale or _("Raised as {0}.").format(rfc.name)
			self.status = "Routed"
		self.save()
		return rfc.name


def on_doctype_update():
	from brm_app.setup.indexes import add_customer_index

	add_customer_index("Customer Requirement")
