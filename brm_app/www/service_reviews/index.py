"""/service-reviews: approved service reviews shared with the user's customers."""

from frappe import _

from brm_app.portal import list_context, page_context
from brm_app.portal.records import review_list

no_cache = 1


def get_context(context):
	list_context(context, page_context(context, _("Service Reviews")), review_list)
	return context
