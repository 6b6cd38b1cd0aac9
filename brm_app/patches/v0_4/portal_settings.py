import frappe

from brm_app.setup.install import set_portal_defaults


def execute():
	"""The customer portal's settings (appeal period, attachments) get their defaults."""
	frappe.reload_doc("brm_app", "doctype", "brm_settings")
	settings = frappe.get_single("BRM Settings")
	if not settings.appeal_period_days:
		settings.appeal_period_days = None  # never set on this site: take the default
	set_portal_defaults(settings)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
