"""Records kept for requests for change: sites installed before 0.8 get the shipped rule
(keep six years after the request ended, then anonymise), unless they already have one."""

import frappe

from brm_app.rules import retention as rules


def execute():
	frappe.reload_doc("brm_app", "doctype", "brm_retention_rule")
	frappe.reload_doc("brm_app", "doctype", "brm_settings")
	settings = frappe.get_single("BRM Settings")
	if any(row.record_type == "Request for Change" for row in settings.retention_rules):
		return
	for record_type, keep_for, unit, action in rules.DEFAULT_RULES:
		if record_type == "Request for Change":
			settings.append(
				"retention_rules",
				{
					"record_type": record_type,
					"keep_for": keep_for,
					"unit": unit,
					"action": action,
					"enabled": 1,
				},
			)
	settings.save()
