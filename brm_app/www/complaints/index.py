"""/complaints: the complaints of the user's customers, newest first."""

import frappe
from frappe import _

from brm_app.portal import list_context, page_context
from brm_app.portal.complaints import complaint_list

no_cache = 1


def get_context(context):
	customers = page_context(context, _("Complaints"))
	show = frappe.form_dict.get("show")
	context.show = show if show in ("open", "closed", "all") else "open"
	context.search = (frappe.form_dict.get("search") or "").strip()[:140]
	list_context(context, customers, complaint_list, show=context.show, search=context.search)
	return context
