"""/changes: the requests for change raised for the user's customers, and where each stands."""

from frappe import _

from brm_app.portal import list_context, page_context
from brm_app.portal.changes import change_list

no_cache = 1


def get_context(context):
	list_context(context, page_context(context, _("Requests for Change")), change_list)
	return context
