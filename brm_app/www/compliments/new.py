"""/compliments/new: praise a person or team."""

from frappe import _

from brm_app.portal import form_context, page_context
from brm_app.portal.complaints import services_of

no_cache = 1


def get_context(context):
	customers = page_context(
		context, _("Give a Compliment"), parents=[{"route": "/compliments", "title": _("Compliments")}]
	)
	form_context(context)
	context.services = services_of(customers[0]) if len(customers) == 1 else []
	return context
