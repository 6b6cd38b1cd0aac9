"""E-mail threading cannot be hijacked.

Frappe threads a received e-mail onto a record by its In-Reply-To header or by "(#<name>)" in
the subject, without asking whether the sender has anything to do with that record. For a
complaint, a received e-mail joins it only when its sender is the complaint's contact or
sender, a contact of the complaint's customer (by a link staff made), one of the customer's
portal users, or a member of staff. Anything else opens a new complaint for triage (no
customer, so on no customer's portal), and the people on both complaints are told.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, parse_addr

from brm_app.customers import contacts_of_email, is_desk_user

COMPLAINT = "Complaint"


def of_customer_side(address: str | None, complaint) -> bool:
	"""The address is the complaint's contact or sender, or belongs to its customer (a contact
	staff linked to it, or one of its portal users)."""
	sender = (address or "").strip().lower()
	if not sender:
		return False
	known = {(complaint.get(f) or "").strip().lower() for f in ("contact_email", "raised_by")}
	if sender in known:
		return True
	if complaint.contact:
		contact_emails = frappe.get_all(
			"Contact Email", filters={"parent": complaint.contact}, pluck="email_id"
		)
		if sender in {(e or "").lower() for e in contact_emails}:
			return True
	return bool(complaint.customer) and complaint.customer in contacts_of_email(sender)


def sender_belongs(sender: str, complaint) -> bool:
	"""A received e-mail from this sender may join the complaint: the customer's side, or staff."""
	if of_customer_side(sender, complaint):
		return True
	sender = (sender or "").strip().lower()
	staff = frappe.db.get_value("User", {"email": sender, "enabled": 1}, "name")
	return bool(staff) and is_desk_user(staff)


def check_thread(doc, method=None) -> None:
	"""before_insert hook of Communication: a received e-mail threaded onto a complaint by a
	sender who does not belong to it opens a triage complaint instead."""
	if doc.reference_doctype != COMPLAINT or not doc.reference_name:
		return
	if doc.communication_type != "Communication" or doc.sent_or_received != "Received":
		return
	if not doc.flags.in_receive:
		return  # the portal's messages are checked by the portal (brm_app.portal.get_own)
	complaint = frappe.db.get_value(
		COMPLAINT,
		doc.reference_name,
		["name", "customer", "contact", "contact_email", "raised_by", "complaint_owner"],
		as_dict=True,
	)
	sender = parse_addr(doc.sender or "")[1] or doc.sender
	if not complaint or sender_belongs(sender, complaint):
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
			escape_html(sender), complaint.name
		),
	)
	frappe.get_doc(COMPLAINT, complaint.name).add_comment(
		"Info",
		_(
			"An e-mail from {0} quoted this complaint; its sender does not belong to it, so it went to {1} for triage."
		).format(escape_html(sender), triage.name),
	)
