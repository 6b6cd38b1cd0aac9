"""Frappe Helpdesk (optional). Hooked through doc_events on "HD Ticket", which fire only where
Helpdesk is installed; nothing here imports Helpdesk."""

import frappe

from brm_app.brm_app.doctype.survey_invitation.survey_invitation import invite_after
from brm_app.overrides.issue import just_resolved


def on_hd_ticket_update(doc, method=None) -> None:
	"""A resolved or closed HD Ticket invites its contact to the transactional survey."""
	if just_resolved(doc):
		customer = (
			frappe.db.get_value("HD Customer", doc.get("customer"), "erpnext_customer")
			if doc.get("customer")
			else None
		)
		invite_after(doc, customer, doc.get("contact"), doc.get("raised_by"))
