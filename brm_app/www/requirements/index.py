"""/requirements: what the user's customers asked for, and what was decided."""

from frappe import _
from frappe.utils import format_date

from brm_app.portal import list_context, page_context
from brm_app.portal.records import requirement_list

no_cache = 1


def get_context(context):
	list_context(context, page_context(context, _("Requirements")), requirement_list)
	for row in context.rows:
		row.raised = format_date(row.raised_on) if row.raised_on else ""
		row.needed = format_date(row.needed_by) if row.needed_by else ""
	return context
