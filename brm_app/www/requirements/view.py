"""/requirements/<name>: the requirement, and the decision as staff recorded it."""

import frappe
from frappe import _
from frappe.utils import format_date

from brm_app.portal import customer_files, page_context
from brm_app.portal.records import requirement_detail
from brm_app.security.content import clean as sanitize_html

no_cache = 1


def get_context(context):
	page_context(context, _("Requirement"), parents=[{"route": "/requirements", "title": _("Requirements")}])
	doc = requirement_detail(frappe.form_dict.get("name"))
	context.doc = doc
	context.title = doc.title
	context.raised = format_date(doc.raised_on) if doc.raised_on else ""
	context.needed = format_date(doc.needed_by) if doc.needed_by else ""
	context.outcomes_html = sanitize_html(doc.desired_outcomes or "")
	context.standard_service_name = doc.standard_service and frappe.db.get_value(
		"Item", doc.standard_service, "item_name"
	)
	context.files = customer_files(doc.doctype, doc.name)
	return context
