"""/service-reviews/<name>: a shared review, its minutes, decisions and action items."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import format_date

from brm_app.portal import page_context
from brm_app.portal.complaints import short_datetime
from brm_app.portal.records import customer_side_users, review_detail
from brm_app.security.content import clean as sanitize_html

no_cache = 1


def get_context(context):
	page_context(
		context, _("Service Review"), parents=[{"route": "/service-reviews", "title": _("Service Reviews")}]
	)
	doc = review_detail(frappe.form_dict.get("name"))
	context.doc = doc
	context.title = _("{0} review: {1} to {2}").format(
		_(doc.review_kind or ""), format_date(doc.period_start), format_date(doc.period_end)
	)
	context.held = short_datetime(doc.held_on)
	context.minutes_html = sanitize_html(doc.minutes or "")
	context.decisions_html = sanitize_html(doc.decisions or "")
	mine = customer_side_users(doc)
	context.actions = [
		{
			"description": row.description,
			"owner": frappe.utils.get_fullname(row.action_owner) if row.action_owner else "",
			"due": format_date(row.due_date) if row.due_date else "",
			"status": row.status,
			"yours": row.action_owner in mine,
		}
		for row in doc.action_items
	]
	context.attendees = [
		{"name": row.attendee_name or row.user or row.contact, "role": row.role, "side": row.side}
		for row in doc.attendees
	]
	context.pdf_url = f"/api/method/brm_app.api.portal.service_review_pdf?name={quote(doc.name)}"
	return context
