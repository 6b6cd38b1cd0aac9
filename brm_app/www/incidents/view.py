"""/incidents/<name>: a service incident that affects the user's customer, as they may read it."""

import frappe
from frappe import _

from brm_app.portal import page_context
from brm_app.portal.incidents import detail

no_cache = 1


def get_context(context):
	page_context(context, _("Known Issue"), parents=[{"route": "/complaints", "title": _("Complaints")}])
	context.incident = detail(frappe.form_dict.get("name"))
	context.title = context.incident["title"]
	return context
