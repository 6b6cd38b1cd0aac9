"""/compliments/<name>."""

import frappe
from frappe import _
from frappe.utils import format_date

from brm_app.portal import customer_files, page_context
from brm_app.portal.records import compliment_detail
from brm_app.security.content import clean as sanitize_html

no_cache = 1


def get_context(context):
	page_context(context, _("Compliment"), parents=[{"route": "/compliments", "title": _("Compliments")}])
	doc = compliment_detail(frappe.form_dict.get("name"))
	context.doc = doc
	context.title = doc.subject
	context.received = format_date(doc.received_on)
	context.passed_on = format_date(doc.praised_notified_on) if doc.praised_notified_on else ""
	context.thanked = format_date(doc.thanked_on) if doc.thanked_on else ""
	context.compliment_html = sanitize_html(doc.compliment or "")
	context.files = customer_files(doc.doctype, doc.name)
	return context
