"""Contacts and Addresses a website user edits cannot make them (or anyone) a customer's.

Frappe lets every user create and edit Contacts they own, with any links. Membership is
decided from links staff made (``brm_app.customers.trusted_customer_links``); here a website
user's attempt to link a Contact or Address to a customer they do not belong to is refused
with a message. Links to their own customers stay possible (ERPNext copies a user's customer
link onto the addresses they add in the portal).
"""

import frappe
from frappe import _

from brm_app.customers import get_customers_for_user, is_desk_user


def refuse_foreign_customer_links(doc, method=None) -> None:
	"""validate hook of Contact and Address."""
	user = frappe.session.user
	if is_desk_user(user) or (doc.flags.ignore_permissions and user != "Guest"):
		# staff, or server code acting on purpose (ERPNext's portal sign-up makes the
		# user's own customer and contact this way)
		return
	before = doc.get_doc_before_save()
	existing = {(row.link_doctype, row.link_name) for row in (before.get("links") if before else [])}
	added = {
		row.link_name
		for row in doc.get("links") or []
		if row.link_doctype == "Customer" and (row.link_doctype, row.link_name) not in existing
	}
	foreign = added - set(get_customers_for_user(user))
	if foreign:
		frappe.throw(
			_(
				"You cannot link this {0} to a customer yourself. Please ask your contact person to give you access."
			).format(_(doc.doctype)),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
