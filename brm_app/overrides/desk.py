"""Desk APIs that hand a customer's website user more than the portal shows.

Frappe's form loader returns a record's docinfo (internal comments, version history with
permission-level-1 values, staff's attachments) to anyone who may read the record, and
``frappe.client.get_count`` counts without permission checks. brm_app's customers read their
records, so for website users these answer only what the portal shows. Desk users get
Frappe's own answers unchanged.
"""

import frappe
from frappe.client import get_count as frappe_get_count
from frappe.desk.form import load

from brm_app.customers import is_desk_user


@frappe.whitelist()
def getdoc(doctype: str, name: str):
	load.getdoc(doctype, name)
	if not is_desk_user():
		frappe.response.pop("docinfo", None)


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	if not is_desk_user():
		raise frappe.PermissionError
	return load.get_docinfo(doc=doc, doctype=doctype, name=name)


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	if is_desk_user():
		return frappe_get_count(doctype, filters, debug, cache)
	rows = frappe.get_list(
		doctype,
		filters=frappe.parse_json(filters) if isinstance(filters, str) else filters,
		fields=["count(*) as total"],
	)
	return rows[0].total if rows else 0
