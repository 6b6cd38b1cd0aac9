"""Desk helpers of the Complaint form."""

import frappe
from frappe import _
from frappe.utils import format_date


@frappe.whitelist()
def similar_complaints(
	subject: str | None = None,
	description: str | None = None,
	customer: str | None = None,
	name: str | None = None,
) -> dict[str, list[dict]]:
	"""While a complaint is recorded: the customer's open complaints like it, then recent ones
	of other customers (each only if the user may read it)."""
	from brm_app.brm_app.doctype.complaint.similar import for_desk

	if frappe.get_cached_value("User", frappe.session.user, "user_type") != "System User":
		frappe.throw(_("Not permitted"), frappe.PermissionError)  # customers: the portal's own method
	frappe.has_permission("Complaint", "read", throw=True)
	found = for_desk(subject, description, customer or None, exclude=name or None)
	return {
		group: [
			{
				"name": r.name,
				"subject": r.subject,
				"customer": r.customer,
				"status": r.status,
				"received_on": format_date(r.received_on),
			}
			for r in rows
		]
		for group, rows in found.items()
	}


@frappe.whitelist(methods=["POST"])
def raise_from_ticket(doctype: str, name: str | int) -> dict:
	"""Raise a complaint ("Create > Complaint") on an Issue (desk) or HD Ticket (desk and Helpdesk's agent view): the
	ticket's customer, contact, subject and description, both records linked. Returns the
	complaint, whether it was made now, and whether the user may open it."""
	from brm_app.intake import raise_complaint

	if frappe.get_cached_value("User", frappe.session.user, "user_type") != "System User":
		frappe.throw(_("Not permitted"), frappe.PermissionError)  # customers: the portal
	complaint, created = raise_complaint(doctype, str(name))  # HD Ticket names are numbers
	return {
		"name": complaint,
		"created": created,
		"can_open": bool(frappe.has_permission("Complaint", "read", doc=complaint)),
	}
