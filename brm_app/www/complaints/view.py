"""/complaints/<name>: one complaint as its customer sees it."""

import frappe
from frappe import _

from brm_app.portal import page_context
from brm_app.portal.complaints import appeal_days, detail

no_cache = 1


def get_context(context):
	page_context(context, _("Complaint"), parents=[{"route": "/complaints", "title": _("Complaints")}])
	context.update(detail(frappe.form_dict.get("name")))
	context.title = context.doc.subject
	context.appeal_days = appeal_days()
	return context
