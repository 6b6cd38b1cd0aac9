"""/changes/<name>: a request for change as the customer sees it."""

import frappe
from frappe import _

from brm_app.portal import page_context
from brm_app.portal.changes import detail

no_cache = 1


def get_context(context):
	page_context(
		context, _("Request for Change"), parents=[{"route": "/changes", "title": _("Requests for Change")}]
	)
	context.change = detail(frappe.form_dict.get("name"))
	context.title = context.change["title"]
	return context
