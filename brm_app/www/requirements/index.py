"""/requirements: what the user's customers asked for, and what was decided."""

import frappe
from frappe import _
from frappe.utils import format_date

from brm_app.portal import page_context, page_number, selected_customers
from brm_app.portal.records import requirement_list

no_cache = 1


def get_context(context):
	customers = page_context(context, _("Requirements"))
	context.selected_customer = (
		frappe.form_dict.get("customer") if frappe.form_dict.get("customer") in customers else ""
	)
	context.page = page_number()
	context.rows, context.has_more = (
		requirement_list(selected_customers(customers), context.page) if customers else ([], False)
	)
	for row in context.rows:
		row.raised = format_date(row.raised_on) if row.raised_on else ""
		row.needed = format_date(row.needed_by) if row.needed_by else ""
	context.args = {"customer": context.selected_customer}
	return context
