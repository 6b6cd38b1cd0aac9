"""Retained Figures' times may be NULL (a complaint never acknowledged or resolved has no
time to count). Sites installed on Frappe 15 made the Float columns NOT NULL, so a Delete
rule failed for every such complaint; the fields are Duration now (nullable, as on Complaint)
and the columns of sites already installed are changed here (issue 22)."""

import frappe


def execute():
	frappe.reload_doc("brm_app", "doctype", "retained_figures")
	for column in ("time_to_acknowledge", "time_to_resolve"):
		frappe.db.sql_ddl(
			f"alter table `tabRetained Figures` modify `{column}` decimal(21,9) null default null"
		)
