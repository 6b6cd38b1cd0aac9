"""E-mail threading cannot be hijacked.

Frappe threads a received e-mail onto a record by its In-Reply-To header or by "(#<name>)" in
the subject, without asking whether the sender has anything to do with that record. A
received e-mail joins a brm_app record of a customer only when its sender is the record's
contact or sender, a contact of its customer (by a link staff made), one of the customer's
portal users, or a member of staff. Otherwise, on a complaint it opens a new complaint for
triage (no customer, so on no customer's portal); on another record it stays unlinked. The
record's people are told on its timeline.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, parse_addr

from brm_app.customers import contacts_of_email, is_desk_user
from brm_app.security.doctypes import brm_doctypes

COMPLAINT = "Complaint"


def of_customer_side(address: str | None, complaint) -> bool:
	"""The address is the record's contact or sender, or belongs to its customer (a contact
	staff linked to it, or one of its portal users)."""
	sender = (address or "").strip().lower()
	if not sender:
		return False
	known = {(complaint.get(f) or "").strip().lower() for f in ("contact_email", "raised_by")}
	if sender in known:
		return True
	if complaint.get("contact"):
		contact_emails = frappe.get_all(
			"Contact Email", filters={"parent": complaint.contact}, pluck="email_id"
		)
		if sender in {(e or "").lower() for e in contact_emails}:
			return True
	customer = complaint.get("customer")
	return bool(customer) and customer in contacts_of_email(sender)


def sender_belongs(sender: str, complaint) -> bool:
	"""A received e-mail from this sender may join the complaint: the customer's side, or staff."""
	if of_customer_side(sender, complaint):
		return True
	sender = (sender or "").strip().lower()
	staff = frappe.db.get_value("User", {"email": sender, "enabled": 1}, "name")
	return bool(staff) and is_desk_user(staff)


def check_thread(doc, method=None) -> None:
	"""before_insert hook of Communication: a received e-mail threaded onto one of our records
	(by "(#name)" or In-Reply-To) by a sender who does not belong to it does not join it. On a
	complaint it opens a triage complaint instead; on another record it stays in the inbox,
	unlinked. The record's people are told on its timeline."""
	if doc.reference_doctype not in brm_doctypes() or not doc.reference_name:
		return
	if doc.communication_type != "Communication" or doc.sent_or_received != "Received":
		return
	if not doc.flags.in_receive:
		return  # the portal's messages are checked by the portal (brm_app.portal.get_own)
	meta = frappe.get_meta(doc.reference_doctype)
	if not meta.has_field("customer"):
		return  # a record of no customer (a survey, settings): nobody's portal shows it
	fields = ["name", "customer"] + [
		f for f in ("contact", "contact_email", "raised_by") if meta.has_field(f)
	]
	record = frappe.db.get_value(doc.reference_doctype, doc.reference_name, fields, as_dict=True)
	sender = parse_addr(doc.sender or "")[1] or doc.sender
	if not record or sender_belongs(sender, record):
		return
	target = frappe.get_doc(doc.reference_doctype, record.name)
	if doc.reference_doctype != COMPLAINT:
		doc.reference_doctype = doc.reference_name = None
		target.add_comment(
			"Info",
			_(
				"An e-mail from {0} quoted this record; its sender does not belong to it, so it was not added."
			).format(escape_html(sender)),
		)
		return
	triage = frappe.get_doc(
		{
			"doctype": COMPLAINT,
			"subject": (doc.subject or "").strip()[:140] or _("(No subject)"),
			"raised_by": sender,
			"raised_by_name": doc.sender_full_name,
			"channel": "E-mail",
		}
	)
	triage.flags.force_triage = True
	triage.flags.ignore_mandatory = True
	triage.insert(ignore_permissions=True)
	doc.reference_name = triage.name
	triage.add_comment(
		"Info",
		_("This e-mail from {0} quoted complaint {1}, but its sender does not belong to it.").format(
			escape_html(sender), record.name
		),
	)
	target.add_comment(
		"Info",
		_(
			"An e-mail from {0} quoted this complaint; its sender does not belong to it, so it went to {1} for triage."
		).format(escape_html(sender), triage.name),
	)
