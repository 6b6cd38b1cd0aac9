"""A Helpdesk ticket reaching Resolved or Closed invites its contact to the transactional survey;
the customer's rating in Helpdesk (``feedback_rating``, 0 to 1) is that survey's answer on the 1
to 5 scale (doc_events of "HD Ticket", which fire only where Helpdesk is installed)."""

import frappe

from brm_app.brm_app.doctype.survey_invitation.survey_invitation import (
	INVITATION,
	create_invitation,
	invite_after,
	invited_count,
)
from brm_app.intake import ticket_context
from brm_app.integrations.helpdesk.mapping import HD_TICKET
from brm_app.overrides.issue import just_resolved
from brm_app.rules import survey as survey_rules


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
		questions,
		{question.key: survey_rules.Answer(question.key, score=stars, text=comment)},
		channel="Helpdesk Rating",
	)
	survey.db_set("invited", invited_count(survey.name), update_modified=False)
	return invitation


# ---------------------------------------------------------------------- install / uninstall

#: The agent view's "Raise complaint" action (Helpdesk HD Form Script, apply_to Form).
