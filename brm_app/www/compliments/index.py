"""/compliments: compliments the user's customers gave."""

from frappe import _
from frappe.utils import format_date

from brm_app.portal import list_context, page_context
from brm_app.portal.records import compliment_list

no_cache = 1


def get_context(context):
	list_context(context, page_context(context, _("Compliments")), compliment_list)
	for row in context.rows:
		row.received = format_date(row.received_on)
	return context
