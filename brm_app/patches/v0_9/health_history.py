"""Customer health over time (0.9): the shipped alert rules, and 12 weeks of history
computed from the records that exist, queued so a large site's migrate is not held up."""

import frappe


def execute():
	frappe.reload_doc("brm_app", "doctype", "brm_health_alert_rule")
	frappe.reload_doc("brm_app", "doctype", "brm_settings")
	from brm_app.setup.install import add_health_alert_rules

	settings = frappe.get_single("BRM Settings")
	if not settings.health_alert_rules:
		add_health_alert_rules(settings)
		settings.save(ignore_permissions=True)
	if frappe.db.count("Customer Portfolio"):
		frappe.enqueue(
			"brm_app.brm_app.doctype.customer_portfolio.health.backfill_all",
			queue="long",
			timeout=3600,
			enqueue_after_commit=True,
		)
