"""/compliments: compliments the user's customers gave."""

import frappe
from frappe import _
from frappe.utils import format_date

from brm_app.portal import page_context, page_number, selected_customers
from brm_app.portal.records import compliment_list

no_cache = 1


def get_context(context):
	customers = page_context(context, _("Compliments"))
	context.selected_customer = (
		frappe.form_dict.get("customer") if frappe.form_dict.get("customer") in customers else ""
	)
	context.page = page_number()
	context.rows, context.has_more = (
		compliment_list(selected_customers(customers), context.page) if customers else ([], False)
	)
	for row in context.rows:
		row.received = format_date(row.received_on)
	context.args = {"customer": context.selected_customer}
	return context
