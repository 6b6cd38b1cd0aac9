"""brm_app on ERPNext's Issue: its complaints on the form, and the survey after resolution."""

import frappe
from frappe import _

from brm_app.brm_app.doctype.survey_invitation.survey_invitation import invite_after

RESOLVED_STATUSES = ("Resolved", "Closed")


def dashboard(data: dict) -> dict:
	"""The Issue form shows the complaints that refer to it."""
	data.setdefault("non_standard_fieldnames", {})["Complaint"] = "issue"
	data.setdefault("transactions", []).append({"label": _("Relationship"), "items": ["Complaint"]})
	return data


def just_resolved(doc) -> bool:
	"""An Issue or HD Ticket that reached Resolved or Closed in this save."""
	before = doc.get_doc_before_save()
	return doc.status in RESOLVED_STATUSES and (not before or before.status not in RESOLVED_STATUSES)


def on_update(doc, method=None) -> None:
	"""doc_events: an Issue resolved or closed invites its customer to the transactional survey."""
	if just_resolved(doc):
		email = doc.raised_by or (
			frappe.db.get_value("Contact", doc.contact, "email_id") if doc.contact else None
		)
		invite_after(doc, doc.customer, doc.contact, email)
