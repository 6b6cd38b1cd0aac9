import frappe

from brm_app.setup.install import set_survey_defaults


def execute():
	"""Sites installed before surveys existed: give the new BRM Settings fields their defaults."""
	frappe.reload_doc("brm_app", "doctype", "brm_settings")
	settings = frappe.get_single("BRM Settings")
	set_survey_defaults(settings)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
