"""/requirements/new: a desired outcome in the customer's own words."""

from frappe import _
from frappe.utils import today

from brm_app.portal import form_context, page_context
from brm_app.portal.records import importance_options, requirement_kinds

no_cache = 1


def get_context(context):
	page_context(
		context, _("Tell Us What You Need"), parents=[{"route": "/requirements", "title": _("Requirements")}]
	)
	form_context(context)
	context.kinds = requirement_kinds()
	context.importance = importance_options()
	context.today = today()
	return context
