# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Service Performance Review (ITIL 4 service level management: service reviews; docs/features.md "Service Performance Review"): a meeting with the
customer about a period, with its agenda, a metrics pack, minutes and action items that are
carried forward until done. Planned -> Held -> Minutes Approved (submitted), by workflow."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate, now_datetime, today

from brm_app.customers import portfolio_of
from brm_app.rules import change as change_rules
from brm_app.rules import complaint as complaint_rules
from brm_app.validation import validate_links_with_fetches
from brm_app.workflow import sync_status_from_workflow

STANDARD_AGENDA = [
	"Business strategies and drivers",
	"New or changed requirements",
	"New or changed services delivered, against their requirements",
	"Service performance against SLA targets",
	"Major incidents",
	"Complaints and compliments",
	"Satisfaction analysis",
	"Actions from previous meetings",
]
ANNUAL_AGENDA = ["Changes in scope", "Changes to SLA targets", "Changes in business needs"]
OPEN_ACTION_STATUSES = ("Open", "In Progress")


class ServicePerformanceReview(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.review_action_item.review_action_item import ReviewActionItem
		from brm_app.brm_app.doctype.review_agenda_item.review_agenda_item import ReviewAgendaItem
		from brm_app.brm_app.doctype.review_attendee.review_attendee import ReviewAttendee
		from brm_app.brm_app.doctype.review_category_count.review_category_count import ReviewCategoryCount

		action_items: DF.Table[ReviewActionItem]
		agenda: DF.Table[ReviewAgendaItem]
		amended_from: DF.Link | None
		attendees: DF.Table[ReviewAttendee]
		complaints_by_category: DF.Table[ReviewCategoryCount]
		complaints_closed: DF.Int
		complaints_escalated: DF.Int
		complaints_open: DF.Int
		complaints_overdue: DF.Int
		complaints_received: DF.Int
		compliments_received: DF.Int
		csat: DF.Percent
		customer: DF.Link
		customer_name: DF.Data | None
		customer_portfolio: DF.Link | None
		decisions: DF.TextEditor | None
		held_on: DF.Datetime | None
		issues_opened: DF.Int
		issues_resolved: DF.Int
		major_incidents: DF.Int
		metrics_collected_on: DF.Datetime | None
		minutes: DF.TextEditor | None
		naming_series: DF.Literal["SPR-.YYYY.-"]
		nps: DF.Float
		opportunities: DF.SmallText | None
		period_end: DF.Date
		period_start: DF.Date
		relationship_manager: DF.Link | None
		revenue_actual: DF.Currency
		revenue_projected: DF.Currency
		review_kind: DF.Literal["Monthly", "Quarterly", "Annual", "Ad hoc"]
		scheduled_on: DF.Datetime | None
		share_with_customer: DF.Check
		sla_failed: DF.Int
		sla_fulfilled: DF.Int
		status: DF.Literal["Planned", "Held", "Minutes Approved", "Cancelled"]
		survey_responses: DF.Int
		workflow_state: DF.Link | None
	# end: auto-generated types

	def validate(self):
		validate_links_with_fetches(self)
		if self.is_new():
			self.status = "Planned"
		sync_status_from_workflow(self)
		if self.period_start and self.period_end and getdate(self.period_end) < getdate(self.period_start):
			frappe.throw(_("The review period ends before it starts."))
		self.customer_portfolio = portfolio_of(self.customer)
		if not self.relationship_manager and self.customer_portfolio:
			self.relationship_manager = frappe.db.get_value(
				"Customer Portfolio", self.customer_portfolio, "relationship_manager"
			)
		if self.is_new():
			self.fill_agenda()
			self.carry_forward_actions()
		if self.status == "Held" and not self.held_on:
			self.held_on = now_datetime()
		for item in self.action_items:
			if item.status == "Done" and not item.completed_on:
				item.completed_on = today()

	def before_submit(self):
		self.collect_metrics()

	def on_submit(self):
		from brm_app.brm_app.doctype.service_performance_review.scheduling import on_review_approved

		# The review's end, from which its retention period runs.
		self.db_set("approved_on", now_datetime(), update_modified=False)

		on_review_approved(self)

	def before_update_after_submit(self):
		for item in self.action_items:
			if item.status == "Done" and not item.completed_on:
				item.completed_on = today()

	def fill_agenda(self):
		"""The standard agenda (docs/features.md "Service Performance Review"; plus the annual items), then the open complaints and requests for change."""
		if not self.agenda:
			topics = STANDARD_AGENDA + (ANNUAL_AGENDA if self.review_kind == "Annual" else [])
			for topic in topics:
				self.append("agenda", {"topic": _(topic), "source": "Standard"})
		# What is still open with the customer goes on the agenda, once each.
		open_records = (
			("Complaint", "subject", "received_on", complaint_rules.FINAL_STATUSES, "Open Complaint"),
			(
				"Request for Change",
				"title",
				"raised_on",
				(*change_rules.FINAL_STATUSES, change_rules.DRAFT),
				"Open Request for Change",
			),
		)
		labels = {
			"Complaint": _("Open complaint: {0} ({1})"),
			"Request for Change": _("Open request for change: {0} ({1})"),
		}
		for doctype, title_field, date_field, ended, source in open_records:
			listed = {row.reference_name for row in self.agenda if row.reference_doctype == doctype}
			for record in frappe.get_all(
				doctype,
				filters={"customer": self.customer, "status": ("not in", list(ended))},
				fields=["name", title_field, "status"],
				order_by=date_field,
			):
				if record.name not in listed:
					self.append(
						"agenda",
						{
							"topic": labels[doctype].format(record.get(title_field), _(record.status)),
							"source": source,
							"reference_doctype": doctype,
							"reference_name": record.name,
						},
					)

		# Service incidents that hit the customer in the period: what happened, what we learnt.
		listed = {row.reference_name for row in self.agenda if row.reference_doctype == "Service Incident"}
		Inc = frappe.qb.DocType("Service Incident")
		Hit = frappe.qb.DocType("Service Incident Customer")
		for incident in (
			frappe.qb.from_(Inc)
			.join(Hit)
			.on((Hit.parent == Inc.name) & (Hit.parenttype == "Service Incident"))
			.select(Inc.name, Inc.title, Inc.status)
			.where((Hit.customer == self.customer) & (Inc.started_on >= getdate(self.period_start)))
			.where(Inc.started_on < add_days(getdate(self.period_end), 1))
			.orderby(Inc.started_on)
			.run(as_dict=True)
		):
			if incident.name not in listed:
				self.append(
					"agenda",
					{
						"topic": _("Service incident: {0} ({1})").format(incident.title, _(incident.status)),
						"source": "Service Incident",
						"reference_doctype": "Service Incident",
						"reference_name": incident.name,
					},
				)

		# Open health alerts: what the relationship manager is acting on.
		listed = {row.reference_name for row in self.agenda if row.reference_doctype == "Health Alert"}
		for alert in frappe.get_all(
			"Health Alert",
			filters={"portfolio": self.customer, "status": "Open"},
			fields=["name", "kind", "score"],
			order_by="raised_on",
		):
			if alert.name not in listed:
				self.append(
					"agenda",
					{
						"topic": _("Health alert: {0} (score {1})").format(_(alert.kind), alert.score),
						"source": "Health Alert",
						"reference_doctype": "Health Alert",
						"reference_name": alert.name,
					},
				)

	def previous_review(self) -> str | None:
		return frappe.db.get_value(
			"Service Performance Review",
			{
				"customer": self.customer,
				"docstatus": ("<", 2),
				"period_start": ("<", self.period_start),
				"name": ("!=", self.name or ""),
			},
			"name",
			order_by="period_start desc",
		)

	def carry_forward_actions(self):
		"""Open action items of the customer's previous review come along until they are done."""
		previous = self.previous_review()
		if not previous:
			return
		carried = {(row.source_review, row.description) for row in self.action_items}
		# An item done or cancelled in any review of this customer is not carried again.
		reviews = frappe.get_all(
			"Service Performance Review", filters={"customer": self.customer}, pluck="name"
		)
		finished = {
			(row.source_review or row.parent, row.description)
			for row in frappe.get_all(
				"Review Action Item",
				filters={
					"parenttype": "Service Performance Review",
					"parent": ("in", reviews or [""]),
					"status": ("in", ["Done", "Cancelled"]),
				},
				fields=["parent", "source_review", "description"],
			)
		}
		for item in frappe.get_all(
			"Review Action Item",
			filters={
				"parenttype": "Service Performance Review",
				"parent": previous,
				"status": ("in", OPEN_ACTION_STATUSES),
			},
			fields=["description", "action_owner", "due_date", "status", "source_review"],
			order_by="idx",
		):
			source = item.source_review or previous
			if (source, item.description) not in carried | finished:
				self.append(
					"action_items",
					{
						"description": item.description,
						"action_owner": item.action_owner,
						"due_date": item.due_date,
						"status": item.status,
						"source_review": source,
					},
				)

	def collect_metrics(self):
		from brm_app.brm_app.doctype.service_performance_review.metrics_pack import metrics_pack

		pack = metrics_pack(self.customer, self.period_start, self.period_end)
		categories = pack.pop("complaints_by_category")
		self.update(pack)
		self.complaints_by_category = []
		for row in categories:
			self.append("complaints_by_category", row)
		self.metrics_collected_on = now_datetime()

	@frappe.whitelist(methods=["POST"])
	def get_metrics(self) -> dict:
		"""Assemble the metrics pack for the period now (again when the minutes are approved)."""
		self.check_permission("write")
		if self.docstatus != 0:
			frappe.throw(_("The metrics of an approved review are a snapshot and no longer change."))
		self.collect_metrics()
		self.save()
		return {"collected_on": self.metrics_collected_on}

	@frappe.whitelist(methods=["POST"])
	def raise_requirement(self, title: str, desired_outcomes: str, kind: str = "New Service") -> str:
		"""An opportunity or requirement identified in the meeting becomes a Customer Requirement."""
		frappe.has_permission("Customer Requirement", "create", throw=True)
		if not (title or "").strip() or not (desired_outcomes or "").strip():
			frappe.throw(_("Give the requirement a title and the outcome the customer wants."))
		requirement = frappe.get_doc(
			{
				"doctype": "Customer Requirement",
				"title": title.strip(),
				"customer": self.customer,
				"kind": kind,
				"desired_outcomes": desired_outcomes,
				"source_review": self.name,
			}
		).insert()
		return requirement.name

	@frappe.whitelist(methods=["POST"])
	def raise_request_for_change(self, action_item: str) -> str:
		"""One of the review's action items is a change the customer wants: a Request for
		Change, the action item linked."""
		from brm_app.brm_app.doctype.request_for_change.request_for_change import raise_from

		self.reload()  # the stored review, not one posted with the call
		self.check_permission("read")
		frappe.has_permission("Request for Change", "create", throw=True)
		row = next((r for r in self.action_items if r.name == action_item), None)
		if not row:
			frappe.throw(_("Choose one of this review's action items."))
		return raise_from(
			"Service Review",
			{
				"title": (row.description or "").strip()[:140]
				or _("Change from review {0}").format(self.name),
				"customer": self.customer,
				"description": frappe.utils.escape_html(row.description or ""),
				"source_review": self.name,
				"review_action_item": row.name,
			},
		).name


def on_doctype_update():
	from brm_app.setup.indexes import add_customer_index

	add_customer_index("Service Performance Review")
