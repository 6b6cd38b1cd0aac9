"""Shared pieces of brm_app's reports: which customers a user may see, month buckets."""

import frappe
from frappe import _
from pypika import CustomFunction

DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])


def month_of(field):
	"""SQL expression: 'YYYY-MM' of a date or datetime column."""
	return DateFormat(field, "%Y-%m")


def is_restricted(user: str | None = None) -> bool:
	"""Whether User Permissions limit which customers the user may see."""
	permissions = frappe.permissions.get_user_permissions(user or frappe.session.user)
	return bool(permissions.get("Customer") or permissions.get("Customer Portfolio"))


def customer_scope(filters) -> list[str] | None:
	"""The customers a report covers: the filters, intersected with what the user may read.
	None means every customer (no restriction applies)."""
	frappe.has_permission("Customer Portfolio", "read", throw=True)
	scope: set[str] | None = None

	def narrow(names):
		nonlocal scope
		names = set(names)
		scope = names if scope is None else scope & names

	if filters.get("customer"):
		narrow([filters.customer])
	if filters.get("relationship_manager"):
		narrow(
			frappe.get_all(
				"Customer Portfolio",
				filters={"relationship_manager": filters.relationship_manager},
				pluck="name",
			)
		)
	if is_restricted():
		narrow(frappe.get_list("Customer Portfolio", pluck="name", limit_page_length=0))
	return sorted(scope) if scope is not None else None


def where_customer(query, field, scope):
	"""Restrict ``query`` on ``field`` to the scope (None: no restriction)."""
	if scope is None:
		return query
	return query.where(field.isin(scope or [_("(no customer)")]))
