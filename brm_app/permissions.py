"""Record-level permission for customers: a contact of a customer sees that customer's records.

DocPerm rows in the DocType JSON grant the Customer role read access; these hooks narrow it
to the user's own customers (hooks can only deny). Desk users are not restricted here.
"""

import frappe

from brm_app.customers import get_customers_for_user, is_desk_user


def _customer_conditions(doctype: str, user: str | None) -> str:
	user = user or frappe.session.user
	if is_desk_user(user):
		return ""
	customers = get_customers_for_user(user)
	if not customers:
		return "1=0"
	values = ", ".join(frappe.db.escape(c) for c in customers)
	return f"`tab{doctype}`.`customer` in ({values})"


def complaint_query_conditions(user: str | None = None) -> str:
	return _customer_conditions("Complaint", user)


def compliment_query_conditions(user: str | None = None) -> str:
	return _customer_conditions("Compliment", user)


def survey_invitation_query_conditions(user: str | None = None) -> str:
	return _customer_conditions("Survey Invitation", user)


def customer_requirement_query_conditions(user: str | None = None) -> str:
	return _customer_conditions("Customer Requirement", user)


def request_for_change_query_conditions(user: str | None = None) -> str:
	"""Customers see their requests once submitted: a draft staff are preparing is not theirs yet
	(the user's own request, raised on the portal, is theirs from the start)."""
	conditions = _customer_conditions("Request for Change", user)
	if not conditions or conditions == "1=0":
		return conditions
	owner = frappe.db.escape(user or frappe.session.user)
	return (
		f"{conditions} and (`tabRequest for Change`.`submitted_on` is not null"
		f" or `tabRequest for Change`.`owner` = {owner})"
	)


def has_request_for_change_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_desk_user(user):
		return True
	return bool(doc.get("submitted_on") or doc.owner == user) and doc.customer in get_customers_for_user(user)


def service_review_query_conditions(user: str | None = None) -> str:
	"""Customers see their reviews once approved and marked to share, nothing before."""
	conditions = _customer_conditions("Service Performance Review", user)
	if not conditions or conditions == "1=0":
		return conditions
	return (
		f"{conditions} and `tabService Performance Review`.`docstatus` = 1"
		" and `tabService Performance Review`.`share_with_customer` = 1"
	)


def has_service_review_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_desk_user(user):
		return True
	return (
		doc.docstatus == 1
		and bool(doc.share_with_customer)
		and doc.customer in get_customers_for_user(user)
		and (ptype or "read") in ("read", "print")
	)


def has_website_permission(doc, ptype: str | None = None, user: str | None = None, verbose=False) -> bool:
	"""The portal pages (and Frappe's print view) show a record to its customer's users only."""
	user = user or frappe.session.user
	if user == "Guest" or (ptype or "read") not in ("read", "print"):
		return False
	if doc.doctype == "Service Performance Review":
		return has_service_review_permission(doc, ptype, user) and not is_desk_user(user)
	if doc.doctype == "Request for Change" and not (doc.get("submitted_on") or doc.owner == user):
		return False
	return doc.get("customer") in get_customers_for_user(user)


def has_customer_record_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_desk_user(user):
		return True
	return doc.customer in get_customers_for_user(user)
