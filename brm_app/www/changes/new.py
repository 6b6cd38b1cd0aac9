"""/changes/new: a change the customer needs, in their own words."""

from frappe import _
from frappe.utils import today

from brm_app.portal import form_context, page_context
from brm_app.portal.changes import URGENCIES, services_of

no_cache = 1


def get_context(context):
	customers = page_context(
		context, _("Request a Change"), parents=[{"route": "/changes", "title": _("Requests for Change")}]
	)
	form_context(context)
	context.urgencies = URGENCIES
	context.services = services_of(customers[0]) if len(customers) == 1 else []
	context.today = today()
	return context
