"""/complaints: the complaints of the user's customers, newest first."""

import frappe
from frappe import _

from brm_app.portal import page_context, page_number, selected_customers
from brm_app.portal.complaints import complaint_list

no_cache = 1


def get_context(context):
	customers = page_context(context, _("Complaints"))
	context.show = (
		frappe.form_dict.get("show") if frappe.form_dict.get("show") in ("open", "closed", "all") else "open"
	)
	context.search = (frappe.form_dict.get("search") or "").strip()[:140]
	context.selected_customer = (
		frappe.form_dict.get("customer") if frappe.form_dict.get("customer") in customers else ""
	)
	context.page = page_number()
	context.rows, context.has_more = (
		complaint_list(selected_customers(customers), context.show, context.search, context.page)
		if customers
		else ([], False)
	)
	context.args = {"show": context.show, "search": context.search, "customer": context.selected_customer}
	return context
