"""Scheduling of Service Performance Reviews from each portfolio's review frequency."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.desk.form import assign_to
from frappe.utils import get_datetime, getdate, today

from brm_app.rules import metrics as rules
from brm_app.rules import portfolio as portfolio_rules

LEAD_DAYS = 21  # prepare the review three weeks ahead


def schedule_next_reviews() -> list[str]:
	"""Daily: for every active portfolio whose next review is near, create the Planned review
	(with the period it looks back on), assign and tell the relationship manager. Idempotent:
	a customer with a Planned review gets no second one."""
	made = []
	planned = set(
		frappe.get_all(
			"Service Performance Review", filters={"status": "Planned", "docstatus": 0}, pluck="customer"
		)
	)
	for portfolio in frappe.get_all(
		"Customer Portfolio",
		filters={"relationship_status": ("in", ["Active", "At Risk"])},
		fields=["name", "review_frequency", "last_review_date", "next_review_date", "relationship_manager"],
	):
		if portfolio.name in planned:
			continue
		due = portfolio.next_review_date or portfolio_rules.next_review_date(
			getdate(portfolio.last_review_date) if portfolio.last_review_date else None,
			portfolio.review_frequency,
		)
		if not due:
			continue
		due = getdate(due)
		if not rules.review_due(due, getdate(today()), LEAD_DAYS):
			continue
		made.append(create_planned_review(portfolio, due))
	return made


def create_planned_review(portfolio, due) -> str:
	kind = rules.review_kind_for_frequency(portfolio.review_frequency)
	start, end = rules.period_before(kind, due)
	review = frappe.get_doc(
		{
			"doctype": "Service Performance Review",
			"customer": portfolio.name,
			"review_kind": kind,
			"period_start": start,
			"period_end": end,
			"scheduled_on": get_datetime(f"{due} 10:00:00"),
			"relationship_manager": portfolio.relationship_manager,
		}
	)
	review.flags.ignore_permissions = True
	review.insert()
	frappe.db.set_value("Customer Portfolio", portfolio.name, "next_review_date", due, update_modified=False)
	if portfolio.relationship_manager:
		assign_to.add(
			{
				"assign_to": [portfolio.relationship_manager],
				"doctype": review.doctype,
				"name": review.name,
				"description": _("Prepare the {0} review with {1} on {2}").format(
					_(kind), portfolio.name, frappe.utils.formatdate(due)
				),
				"date": due,
			},
			ignore_permissions=True,
		)
		enqueue_create_notification(
			portfolio.relationship_manager,
			{
				"type": "Alert",
				"document_type": review.doctype,
				"document_name": review.name,
				"subject": _("Service review with {0} planned for {1}").format(
					portfolio.name, frappe.utils.formatdate(due)
				),
			},
		)
	return review.name


def on_review_approved(review) -> None:
	"""The portfolio's review schedule follows the approved review."""
	if not frappe.db.exists("Customer Portfolio", review.customer):
		return
	held = getdate(review.held_on or today())
	frequency = frappe.db.get_value("Customer Portfolio", review.customer, "review_frequency")
	frappe.db.set_value(
		"Customer Portfolio",
		review.customer,
		{
			"last_review_date": held,
			"next_review_date": portfolio_rules.next_review_date(held, frequency),
		},
		update_modified=False,
	)
