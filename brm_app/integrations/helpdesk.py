"""Frappe Helpdesk (optional). Hooked through doc_events on "HD Ticket", which fire only where
Helpdesk is installed; nothing here imports Helpdesk.

- A ticket reaching Resolved or Closed invites its contact to the transactional survey.
- The customer's rating in Helpdesk (``feedback_rating``, 0 to 1) is that survey's answer on the
  1 to 5 scale: it counts in CSAT and in BRM Metrics' feedback on resolved incidents, and the
  customer is not asked again (no invitation sent, or the open one answered).
- HD Customer ↔ ERPNext Customer: the custom field "ERPNext Customer" on HD Customer (made
  when both apps are installed, removed with brm_app), else the Customer of the same name.
- "Raise complaint" in Helpdesk's agent view: the standard HD Form Script below."""

import frappe

from brm_app.brm_app.doctype.survey_invitation.survey_invitation import (
	INVITATION,
	create_invitation,
	invite_after,
)
from brm_app.intake import HD_CUSTOMER, HD_CUSTOMER_FIELD, HD_TICKET, helpdesk_installed, ticket_context
from brm_app.overrides.issue import just_resolved
from brm_app.rules import survey as survey_rules

FORM_SCRIPT = "Raise Complaint (brm_app)"


def on_hd_ticket_update(doc, method=None) -> None:
	stars = survey_rules.stars_from_fraction(doc.get("feedback_rating"))
	rated_now = stars and (doc.has_value_changed("feedback_rating") or just_resolved(doc))
	if not (rated_now or just_resolved(doc)):
		return
	context = ticket_context(HD_TICKET, doc)
	if rated_now:
		record_ticket_feedback(doc, context, stars)
	else:
		invite_after(doc, context.customer, context.contact, context.email)


def record_ticket_feedback(ticket, context, stars: int):
	"""The ticket's rating as the answer of its transactional survey invitation (made without
	an e-mail when there is none). An invitation already answered keeps its answer."""
	from brm_app.brm_app.doctype.survey_template.survey_template import questions_of

	survey_name = frappe.db.get_single_value("BRM Settings", "transactional_survey")
	if not survey_name:
		return None
	survey = frappe.get_doc("Satisfaction Survey", survey_name)
	if survey.status != survey_rules.OPEN or survey.kind != "Transactional":
		return None
	questions = questions_of(survey.template)
	question = survey_rules.rating_question(questions)
	if not question:
		return None
	name = frappe.db.get_value(
		INVITATION, {"reference_doctype": ticket.doctype, "reference_name": ticket.name}, "name"
	)
	if name:
		invitation = frappe.get_doc(INVITATION, name)
		if invitation.responded_on or invitation.status == survey_rules.EXPIRED:
			return invitation
	elif context.customer and context.email:
		invitation = create_invitation(
			survey, context.customer, context.contact, context.email, reference=ticket, send=False
		)
	else:
		return None
	comment = frappe.utils.strip_html(ticket.get("feedback_extra") or "").strip() or None
	invitation.record_response(
		questions, {question.key: survey_rules.Answer(question.key, score=stars, text=comment)}
	)
	survey.db_set("invited", frappe.db.count(INVITATION, {"survey": survey.name}), update_modified=False)
	return invitation


# ---------------------------------------------------------------------- install / uninstall

#: The agent view's "Raise complaint" action (Helpdesk HD Form Script, apply_to Form).
FORM_SCRIPT_JS = """function setupForm({ doc, call, toast }) {
	// brm_app: raise a complaint from this ticket (brm_app.api.complaint.raise_from_ticket).
	return {
		actions: [
			{
				label: __("Raise complaint"),
				icon: "alert-triangle",
				onClick: () =>
					call("brm_app.api.complaint.raise_from_ticket", { doctype: "HD Ticket", name: String(doc.name) })
						.then((r) => {
							const text = r.created
								? __("Complaint {0} raised.").format(r.name)
								: __("This ticket already has an open complaint: {0}.").format(r.name);
							toast.success(text);
							if (r.can_open) window.open("/app/complaint/" + encodeURIComponent(r.name), "_blank");
						})
						.catch((e) =>
							toast.error((e && e.messages && e.messages[0]) || __("The complaint could not be raised."))
						),
			},
		],
	};
}
"""


def setup() -> None:
	"""Both apps on one site: the HD Customer → Customer field and the agent view's action.
	Called after brm_app's install and migrate, and after Helpdesk's install."""
	if not helpdesk_installed():
		return
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	create_custom_fields(
		{
			HD_CUSTOMER: [
				{
					"fieldname": HD_CUSTOMER_FIELD,
					"label": "ERPNext Customer",
					"fieldtype": "Link",
					"options": "Customer",
					"insert_after": "domain",
					"description": "The ERPNext Customer this Helpdesk customer is (brm_app). Empty: the Customer of the same name.",
				}
			]
		},
		ignore_validate=True,
	)
	if frappe.db.exists("DocType", "HD Form Script"):
		values = {"dt": HD_TICKET, "apply_to": "Form", "script": FORM_SCRIPT_JS}
		if frappe.db.exists("HD Form Script", FORM_SCRIPT):
			frappe.db.set_value("HD Form Script", FORM_SCRIPT, values)  # enabled as the admin left it
		else:
			# Not "is_standard": Helpdesk 1.14 reserves that for its field dependencies (toggling a
			# standard script of another name fails there); an administrator may edit or disable it.
			frappe.get_doc({"doctype": "HD Form Script", "enabled": 1, **values}).insert(
				ignore_permissions=True, set_name=FORM_SCRIPT
			)


def teardown() -> None:
	"""brm_app leaves Helpdesk as it found it."""
	if frappe.db.exists("Custom Field", {"dt": HD_CUSTOMER, "fieldname": HD_CUSTOMER_FIELD}):
		frappe.delete_doc(
			"Custom Field", f"{HD_CUSTOMER}-{HD_CUSTOMER_FIELD}", ignore_missing=True, force=True
		)
	if frappe.db.exists("DocType", "HD Form Script"):
		frappe.delete_doc("HD Form Script", FORM_SCRIPT, ignore_missing=True, force=True)


def after_app_install(app_name: str) -> None:
	if app_name == "helpdesk":
		setup()


def before_app_uninstall(app_name: str) -> None:
	if app_name == "helpdesk":
		teardown()
