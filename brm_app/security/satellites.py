"""What hangs off brm_app's records, fenced from website users.

Frappe answers for a record's e-mails, files, tags, comments, assignments, versions and
shares through their own DocTypes; several of them are readable by every user (File, Tag
Link, ToDo, Communication where its record is readable) and name our records only by
``reference_name``. For a user who is not a desk user these hooks deny such a record when it
belongs to a brm_app record, except the files the customer's side attached themselves (the
portal lists and serves those). brm_app's child tables answer website users with nothing:
the portal reads them through its own scoped pages.

Hooks can only narrow what Frappe grants (``has_permission`` returns None for "no opinion").
"""

import frappe

from brm_app.customers import is_desk_user
from brm_app.security.doctypes import SATELLITES, brm_doctypes


def _owned_by_website_user(owner: str | None) -> bool:
	return bool(owner) and owner != "Guest" and not is_desk_user(owner)


def belongs_to_brm(doc) -> bool:
	field = SATELLITES.get(doc.doctype)
	target = field and doc.get(field)
	if target in brm_doctypes():
		return True
	# a file attached to an e-mail (or comment) of one of our records
	if doc.doctype == "File" and target in ("Communication", "Comment") and doc.get("attached_to_name"):
		parent = frappe.db.get_value(target, doc.attached_to_name, "reference_doctype")
		return parent in brm_doctypes()
	return False


def has_permission(doc, ptype=None, user=None, debug=False):
	"""has_permission hook of the satellite DocTypes."""
	user = user or frappe.session.user
	if is_desk_user(user) or not belongs_to_brm(doc):
		return None
	if doc.doctype == "File" and doc.get("attached_to_doctype") in brm_doctypes():
		# what the customer's side attached stays theirs (read only); staff's files never show
		if _owned_by_website_user(doc.owner) and (ptype or "read") in ("read", "select", "print"):
			return None
	return False


def private_file_refused(path: str, user: str | None = None) -> bool:
	"""A private file by URL (``/private/files/...``): refused when every File record with that
	URL is one this module denies the user. Frappe's download checks its own rule by calling
	the File controller directly (``File.is_downloadable``), past the has_permission hooks, so
	the gate asks here first."""
	user = user or frappe.session.user
	if is_desk_user(user):
		return False
	files = frappe.get_all(
		"File",
		filters={"file_url": path},
		fields=["name", "owner", "attached_to_doctype", "attached_to_name"],
	)
	if not files:
		return False  # no such file: Frappe answers "not found"
	if any(has_permission(frappe._dict(file, doctype="File"), "read", user) is False for file in files):
		return True
	# Named in an argument (a File to insert pointing at it, download_file, zip_files), a URL is
	# held to Frappe's own rule too: a File record the user may read must stand behind it.
	from frappe.core.doctype.file.file import has_permission as frappe_may_read

	return not any(frappe_may_read(frappe.get_doc("File", file.name), "read", user) for file in files)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions hook of the satellite DocTypes: rows about brm_app's records
	are not listed to website users (files the customer's side attached excepted)."""
	user = user or frappe.session.user
	if not doctype or doctype not in SATELLITES or is_desk_user(user):
		return ""
	field = f"`tab{doctype}`.`{SATELLITES[doctype]}`"
	ours = ", ".join(frappe.db.escape(d) for d in sorted(brm_doctypes()))
	condition = f"(ifnull({field}, '') not in ({ours}))"
	if doctype == "File":
		condition = (
			f"({condition} or `tabFile`.`owner` in "
			"(select `name` from `tabUser` where `user_type` = 'Website User'))"
		)
	return condition


def child_table_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of brm_app's child DocTypes: nothing for website users
	(``/api/resource/<child>?parent=…`` and ``frappe.client.get_list`` read child rows with the
	parent DocType's permission alone, not the parent records' scope)."""
	user = user or frappe.session.user
	return "" if is_desk_user(user) else "1=0"
