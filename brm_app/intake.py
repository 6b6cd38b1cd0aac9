"""Complaints raised from support tickets: ERPNext's Issue and, where installed, Frappe
Helpdesk's HD Ticket. Helpdesk is detected at run time; nothing here imports it."""

import frappe
from frappe import _

from brm_app.customers import contacts_of_email, is_contact_of_customer
from brm_app.integrations.helpdesk.mapping import (
	HD_TICKET,
	erpnext_customer_of_hd_customer,
	helpdesk_installed,
)
from brm_app.rules import complaint as complaint_rules
from brm_app.rules import intake as rules

ISSUE = "Issue"
CHANNEL = "Support Ticket"


def ticket_context(doctype: str, ticket) -> dict:
	"""Customer, contact and e-mail of an Issue or HD Ticket. When the ticket names no
	customer, its sender's address decides (one customer only; otherwise none)."""
	email = ticket.get("raised_by") or (
		frappe.db.get_value("Contact", ticket.contact, "email_id") if ticket.get("contact") else None
	)
	# an agent's own ticket may carry a user name ("Administrator") rather than an address
	email = frappe.utils.validate_email_address(email or "") or None
	customer = (
		ticket.get("customer")
		if doctype == ISSUE
		else erpnext_customer_of_hd_customer(ticket.get("customer"))
	)
	contact = ticket.get("contact")
	if not customer and email:
		sender = rules.identify(contacts_of_email(email))
		customer, contact = sender.customer, contact or sender.contact
	if contact and customer and not is_contact_of_customer(contact, customer):
		contact = None  # the ticket's contact is not one of the customer's: leave it to a person
	return frappe._dict(customer=customer, contact=contact, email=email)


def raise_complaint(doctype: str, name: str) -> tuple[str, bool]:
	"""A complaint from a ticket the user may read: (complaint, created). The ticket's open
	complaint is returned rather than a second one made. Anyone who may read the ticket may
	raise it (support agents are the front line); the relationship team takes it from there."""
	link_field = {ISSUE: "issue", HD_TICKET: "hd_ticket"}.get(doctype)
	if not link_field or (doctype == HD_TICKET and not helpdesk_installed()):
		frappe.throw(_("A complaint can be raised from an Issue or a Helpdesk ticket only."))
	if not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} does not exist.").format(_(doctype), name), frappe.DoesNotExistError)
	ticket = frappe.get_doc(doctype, name)
	ticket.check_permission("read")
	existing = frappe.db.get_value(
		"Complaint",
		{link_field: name, "status": ("not in", tuple(complaint_rules.FINAL_STATUSES))},
		"name",
	)
	if existing:
		return existing, False
	context = ticket_context(doctype, ticket)
	complaint = frappe.get_doc(
		{
			"doctype": "Complaint",
			"subject": (ticket.subject or "").strip()[:140] or _("(No subject)"),
			"description": ticket.get("description"),
			"customer": context.customer,
			"contact": context.contact,
			"contact_email": context.email,
			# without a customer, the sender's address marks it for triage
			"raised_by": None if context.customer else context.email,
			"channel": CHANNEL,
			link_field: name,
		}
	)
	if doctype == HD_TICKET:
		complaint.ticket_doctype = HD_TICKET  # the Dynamic Link's doctype, checked before validate
	if not complaint.customer and not complaint.raised_by:
		frappe.throw(
			_("{0} {1} names no customer and no sender: set its customer first.").format(_(doctype), name),
			title=_("Customer Missing"),
		)
	complaint.insert(ignore_permissions=True)
	complaint.add_comment("Info", _("Raised from {0} {1}.").format(_(doctype), name))
	ticket.add_comment("Info", _("Complaint {0} raised.").format(complaint.name))
	return complaint.name, True
