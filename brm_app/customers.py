"""Who belongs to which ERPNext Customer, and the customer-side context of BRM records."""

import frappe
from frappe import _


def get_customers_for_user(user: str | None = None) -> list[str]:
	"""Customers a website user belongs to.

	ERPNext 15 has two ways: the Customer's Portal Users table, and a Contact of the user
	whose links point to the Customer. A contact of a customer sees that customer's records,
	so the union of both counts.
	"""
	user = user or frappe.session.user
	portal = frappe.get_all("Portal User", filters={"user": user, "parenttype": "Customer"}, pluck="parent")
	contacts = frappe.get_all("Contact", filters={"user": user}, pluck="name")
	linked = (
		frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "parent": ("in", contacts), "link_doctype": "Customer"},
			pluck="link_name",
		)
		if contacts
		else []
	)
	return sorted(set(portal) | set(linked))


def contacts_of_email(email: str | None) -> dict[str, str | None]:
	"""{customer: contact} for an e-mail address: the customers of the contacts with that
	address, and of the portal user with it (contact None when only the user is known)."""
	email = (email or "").strip().lower()
	if not email:
		return {}
	contacts = set(frappe.get_all("Contact Email", filters={"email_id": email}, pluck="parent"))
	contacts |= set(frappe.get_all("Contact", filters={"email_id": email}, pluck="name"))
	found: dict[str, str | None] = {}
	if contacts:
		for link in frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "parent": ("in", sorted(contacts)), "link_doctype": "Customer"},
			fields=["parent", "link_name"],
			order_by="parent asc",
		):
			found.setdefault(link.link_name, link.parent)
	user = frappe.db.get_value("User", {"name": email, "enabled": 1}, "name")
	if user and not is_desk_user(user):
		for customer in get_customers_for_user(user):
			found.setdefault(customer, None)
	return found


def is_desk_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or frappe.get_cached_value("User", user, "user_type") == "System User"


def validate_contact_of_customer(contact: str | None, customer: str | None) -> None:
	"""A record's contact must be a contact of its customer."""
	if not contact or not customer:
		return
	linked = frappe.db.exists(
		"Dynamic Link",
		{"parenttype": "Contact", "parent": contact, "link_doctype": "Customer", "link_name": customer},
	)
	if not linked:
		frappe.throw(
			_("Contact {0} is not a contact of customer {1}.").format(
				frappe.bold(contact), frappe.bold(customer)
			),
			title=_("Wrong Contact"),
		)


def portfolio_of(customer: str | None) -> str | None:
	"""The Customer Portfolio of a customer (named after it), if one exists."""
	if customer and frappe.db.exists("Customer Portfolio", customer):
		return customer
	return None
