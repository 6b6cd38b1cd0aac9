"""What brm_app's staff roles may do in ERPNext's and Frappe's own DocTypes.

A user holding only *Business Relationship Manager* or only *BRM User* must be able to do the
whole job docs/permissions.md describes, without also holding Sales or Support roles.
ERPNext grants nothing on Customer, Contact, Issue or Opportunity to roles it does not know,
so brm_app adds these rules at install (as Custom DocPerm rows, the Role Permission Manager's
own records, so an administrator sees and may change them there) and removes them at
uninstall. Permissions every desk user already has through Frappe's *Desk User* role are
not repeated: User (select), Email Template (read), Service Level Agreement (read),
Workflow State (select), Item (select).

``has_permission`` hooks can only deny (see brm_app/permissions.py); grants come from rows.
"""

import frappe

BRM = "Business Relationship Manager"
BRM_USER = "BRM User"

READ = ("select", "read", "report", "print")

#: doctype -> role -> the permission types granted at level 0.
STAFF_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
	# The customer a complaint, compliment, requirement or review is about.
	"Customer": {BRM: READ, BRM_USER: READ},
	# The customer's people: the BRM keeps decision makers and contacts current.
	"Contact": {BRM: (*READ, "write", "create", "email"), BRM_USER: READ},
	# Incidents a complaint or requirement refers to; the metrics pack and reports count them.
	"Issue": {BRM: READ, BRM_USER: READ},
	# ERPNext's Issue form reads its SLA switches from Support Settings when it opens (and
	# tells a user who may not read them "No permission for Support Settings").
	"Support Settings": {BRM: ("read",), BRM_USER: ("read",)},
	# A requirement that needs a new or changed service is routed to an Opportunity.
	"Opportunity": {BRM: (*READ, "write", "create"), BRM_USER: READ},
	# Services are ERPNext Items; Desk User may only pick them, staff also open them.
	"Item": {BRM: READ, BRM_USER: READ},
	# Survey audience by customer group.
	"Customer Group": {BRM: ("select", "read"), BRM_USER: ("select",)},
	# Revenue in the portfolio.
	"Currency": {BRM: ("select", "read"), BRM_USER: ("select",)},
	# The escalation chain in BRM Settings names roles.
	"Role": {BRM: ("select",)},
	# Compliments name the praised employee or department (picked, not read).
	"Employee": {BRM: ("select",), BRM_USER: ("select",)},
	"Department": {BRM: ("select",), BRM_USER: ("select",)},
}

PTYPES = (
	"select",
	"read",
	"write",
	"create",
	"delete",
	"submit",
	"cancel",
	"amend",
	"report",
	"export",
	"import",
	"share",
	"print",
	"email",
)


def install_staff_permissions() -> list[tuple[str, str]]:
	"""Add the rules above where a DocType exists and the role has no level-0 rule of its own
	there yet (an administrator's own rule is left as it is). Returns what was added."""
	# Custom DocPerm replaces DocPerm for a DocType once it has any row, so the standard rules
	# are copied first, as the Role Permission Manager does.
	from frappe.permissions import setup_custom_perms

	added = []
	for doctype, grants in STAFF_PERMISSIONS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		setup_custom_perms(doctype)
		for role, ptypes in grants.items():
			if not frappe.db.exists("Role", role) or _rule(doctype, role):
				continue
			perm = frappe.new_doc("Custom DocPerm")
			perm.update({"parent": doctype, "parenttype": "DocType", "parentfield": "permissions"})
			perm.update({"role": role, "permlevel": 0, "if_owner": 0})
			# Every type set explicitly: Custom DocPerm defaults "read" to 1.
			perm.update({ptype: int(ptype in ptypes) for ptype in PTYPES})
			perm.insert(ignore_permissions=True)
			added.append((doctype, role))
		frappe.clear_cache(doctype=doctype)
	return added


def remove_staff_permissions() -> None:
	"""Uninstall: drop brm_app's roles from these DocTypes. Where what is left is exactly the
	DocType's standard rules, the Custom DocPerm copy is removed too, so the DocType follows
	its app's own permissions again."""
	roles = (BRM, BRM_USER)
	for doctype in STAFF_PERMISSIONS:
		if not frappe.db.exists("Custom DocPerm", {"parent": doctype}):
			continue
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ("in", roles)})
		if _rules_of("Custom DocPerm", doctype) == _rules_of("DocPerm", doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


def _rule(doctype: str, role: str) -> str | None:
	return frappe.db.get_value(
		"Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}, "name"
	)


def _rules_of(table: str, doctype: str) -> set[tuple]:
	rows = frappe.get_all(
		table, filters={"parent": doctype}, fields=["role", "permlevel", "if_owner", *PTYPES]
	)
	return {tuple(row.get(f) or 0 for f in ("role", "permlevel", "if_owner", *PTYPES)) for row in rows}
