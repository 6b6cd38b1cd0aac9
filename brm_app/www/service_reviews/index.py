"""/service-reviews: approved service reviews shared with the user's customers."""

import frappe
from frappe import _

from brm_app.portal import page_context, page_number, selected_customers
from brm_app.portal.records import review_list

no_cache = 1


def get_context(context):
	customers = page_context(context, _("Service Reviews"))
	context.selected_customer = (
		frappe.form_dict.get("customer") if frappe.form_dict.get("customer") in customers else ""
	)
	context.page = page_number()
	context.rows, context.has_more = (
		review_list(selected_customers(customers), context.page) if customers else ([], False)
	)
	context.args = {"customer": context.selected_customer}
	return context
