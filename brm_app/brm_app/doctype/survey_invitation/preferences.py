"""A contact's survey preference (issue 27): opting out and back in, recorded on the Contact
(``brm_app.setup.contact_fields``) with its date and reason, and on its timeline."""

import frappe
from frappe import _

from brm_app.setup.contact_fields import OPT_OUT, OPT_OUT_ON, OPT_OUT_REASON
from brm_app.utils import now


def contacts_for_token(invitation) -> list[str]:
	"""The contact a survey link was sent to; without one, the contacts of its e-mail address,
	or a new Contact for it (linked to no customer) that records the wish."""
	# every Contact of the address: the same person may be a contact of several customers
	names = frappe.get_all("Contact", filters={"email_id": invitation.email}, pluck="name")
	if invitation.contact:
		return sorted({invitation.contact, *names})
	if names:
		return names
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": (invitation.email or "").split("@")[0][:100] or _("Survey respondent"),
			"email_ids": [{"email_id": invitation.email, "is_primary": 1}],
		}
	)
	contact.insert(ignore_permissions=True)
	return [contact.name]


def set_opt_out(contacts: list[str], opt_out: bool, reason: str | None, via: str) -> None:
	"""Set (or clear) the opt-out on each contact, with the date and reason, and say so on the
	contact's timeline. Setting what is already set changes nothing."""
	for name in contacts:
		current = frappe.db.get_value("Contact", name, OPT_OUT)
		if bool(current) == opt_out and not (opt_out and reason):
			continue
		frappe.db.set_value(
			"Contact",
			name,
			{
				OPT_OUT: int(opt_out),
				OPT_OUT_ON: now() if opt_out else None,
				OPT_OUT_REASON: reason if opt_out else None,
			},
		)
		text = (
			_("Asked not to receive surveys, through {0}.").format(via)
			if opt_out
			else _("Asked to receive surveys again, through {0}.").format(via)
		)
		if opt_out and reason:
			text += " " + _("Reason: {0}").format(frappe.utils.escape_html(reason))
		frappe.get_doc("Contact", name).add_comment("Info", text)
