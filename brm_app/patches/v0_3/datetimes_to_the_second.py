import frappe


def execute():
	"""Datetimes stored with microseconds made every existing form open as "Not Saved" (the
	Datetime control rounds them to the second). Store them to the second, as brm_app now
	does for new values (``brm_app.utils.now``)."""
	doctypes = frappe.get_all("DocType", filters={"module": "BRM App", "issingle": 0}, pluck="name")
	for doctype in doctypes:
		for field in frappe.get_meta(doctype).get("fields", {"fieldtype": "Datetime"}):
			if not frappe.db.has_column(doctype, field.fieldname):
				continue
			column = f"`{field.fieldname}`"
			frappe.db.sql(
				f"update `tab{doctype}` set {column} = {column} - interval microsecond({column}) microsecond "
				f"where microsecond({column}) <> 0"
			)
