"""Who belongs to which ERPNext Customer, and the customer-side context of BRM records."""

import frappe
from frappe import _


def trusted_customer_links(
	*,
	user: str | None = None,
	contacts: list[str] | None = None,
	customer: str | None = None,
	staff_only: bool = False,
) -> list[frappe._dict]:
	"""Contact → Customer links that make someone a member of a customer: (contact, customer).

	Only links staff made count: the Contact was made by a desk user (or Administrator, or code
	acting for the system, or Frappe when a user signed up) — a Contact a website user cannot
	edit. A website user may create and edit Contacts of their own (Frappe
	gives every user that), so a link on such a Contact counts only when the user made both the
	Contact for themselves and the Customer (ERPNext's portal sign-up makes the two together;
	a website user cannot create a Customer otherwise). Filter by the contact's ``user``, by
	``contacts`` or by ``customer``; nothing given, nothing found. ``staff_only``: Contacts
	desk users made, nothing else (e-mail routing: a sign-up's own address is its User's).
	"""
	if user is None and contacts is None and customer is None:
		return []
	if contacts is not None and not contacts:
		return []
	link = frappe.qb.DocType("Dynamic Link")
	contact = frappe.qb.DocType("Contact")
	owner = frappe.qb.DocType("User")
	party = frappe.qb.DocType("Customer")
	# Administrator: staff or the system; Guest: Frappe's own contact of a user who signed up
	# (a guest cannot create Contacts, and a website user cannot edit a Contact it does not own)
	made_by_staff = contact.owner.isin(["Administrator", "Guest"]) | (owner.user_type == "System User")
	own_signup = (contact.owner == contact.user) & (party.owner == contact.owner)
	query = (
		frappe.qb.from_(link)
		.join(contact)
		.on(contact.name == link.parent)
		.left_join(owner)
		.on(owner.name == contact.owner)
		.left_join(party)
		.on(party.name == link.link_name)
		.select(link.parent.as_("contact"), link.link_name.as_("customer"))
		.distinct()
		.where(link.parenttype == "Contact")
		.where(link.parentfield == "links")
		.where(link.link_doctype == "Customer")
		.where(made_by_staff if staff_only else (made_by_staff | own_signup))
		.orderby(link.parent)
	)
	if user is not None:
		query = query.where(contact.user == user)
	if contacts is not None:
		query = query.where(link.parent.isin(contacts))
	if customer is not None:
		query = query.where(link.link_name == customer)
	return query.run(as_dict=True)


def get_customers_for_user(user: str | None = None) -> list[str]:
	"""Customers a website user belongs to.

	ERPNext 15 has two ways: the Customer's Portal Users table, and a Contact of the user
	whose links point to the Customer. Both are records staff make (``trusted_customer_links``):
	a Contact a website user made and linked to a customer makes them no member of it.
	"""
	user = user or frappe.session.user
	portal = frappe.get_all("Portal User", filters={"user": user, "parenttype": "Customer"}, pluck="parent")
	linked = {row.customer for row in trusted_customer_links(user=user)}
	return sorted(set(portal) | linked)


def contacts_of_email(email: str | None) -> dict[str, str | None]:
	"""{customer: contact} for an e-mail address: the customers of the contacts with that
	address that staff made, and of the portal user with it (contact None when only the user is
	known). A Contact a website user made with someone's address routes nothing."""
	email = (email or "").strip().lower()
	if not email:
		return {}
	contacts = set(frappe.get_all("Contact Email", filters={"email_id": email}, pluck="parent"))
	contacts |= set(frappe.get_all("Contact", filters={"email_id": email}, pluck="name"))
	found: dict[str, str | None] = {}
	for row in trusted_customer_links(contacts=sorted(contacts), staff_only=True):
		found.setdefault(row.customer, row.contact)
	user = frappe.db.get_value("User", {"name": email, "enabled": 1}, "name")
	if user and not is_desk_user(user):
		for customer in get_customers_for_user(user):
			found.setdefault(customer, None)
	return found


def is_contact_of_customer(contact: str | None, customer: str | None) -> bool:
	"""The contact is a contact of the customer, by a link staff made."""
	if not contact or not customer:
		return False
	return bool(trusted_customer_links(contacts=[contact], customer=customer))


def is_desk_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or frappe.get_cached_value("User", user, "user_type") == "System User"


def validate_contact_of_customer(contact: str | None, customer: str | None) -> None:
	"""A record's contact must be a contact of its customer."""
	if not contact or not customer:
		return
	if not is_contact_of_customer(contact, customer):
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
