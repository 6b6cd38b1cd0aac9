"""/survey?token=...: answer a satisfaction survey from the invitation link, no password needed.
Logged-in portal users without a token see their own open invitations."""

import frappe
from frappe import _
from frappe.utils import format_date

from brm_app.rules import survey as rules

no_cache = 1

SCALES = {rules.RATING: range(1, 6), rules.NPS: range(0, 11), rules.CES: range(1, 8)}


def scale_hints() -> dict:
	"""The ends of each scale, in the language of the request (so not computed at import)."""
	return {
		rules.RATING: (_("Very dissatisfied"), _("Very satisfied")),
		rules.NPS: (_("Not at all likely"), _("Extremely likely")),
		rules.CES: (_("Very difficult"), _("Very easy")),
	}


def get_context(context):
	from brm_app.brm_app.doctype.survey_invitation.survey_invitation import (
		answered_invitations_for,
		find_invitation,
		open_invitations_for,
	)
	from brm_app.brm_app.doctype.survey_template.survey_template import translated

	context.no_cache = 1
	context.show_sidebar = False
	context.title = _("Customer Satisfaction Survey")
	token = frappe.form_dict.get("token")
	if not token:
		if frappe.session.user == "Guest":
			context.state = "no_token"
		else:
			context.state = "list"
			context.show_sidebar = True
			context.invitations = open_invitations_for(frappe.session.user)
			for row in context.invitations:
				row["until"] = format_date(row["expires_on"])
			context.answered = answered_invitations_for(frappe.session.user)
		return context

	invitation = find_invitation(token)
	if not invitation:
		context.state = "unknown"
		frappe.local.response.http_status_code = 404
		return context
	survey = frappe.get_cached_doc("Satisfaction Survey", invitation.survey)
	if invitation.language:
		# the page in the contact's language: Frappe's strings and the survey's translations
		frappe.local.lang = invitation.language
		context.lang = invitation.language
	template = frappe.get_cached_doc("Survey Template", survey.template)
	shown = translated(template, invitation.language, survey.title)
	context.survey_title = shown.title
	context.state = invitation.state()
	if context.state != "open":
		return context

	context.introduction = shown.introduction
	context.customer_name = frappe.db.get_value("Customer", invitation.customer, "customer_name")
	context.token = token
	hints = scale_hints()
	context.questions = [
		{
			"key": q.key,
			"kind": q.kind,
			"text": q.text,
			"mandatory": q.mandatory,
			"threshold": q.comment_required_at_or_below,
			"scale": list(SCALES.get(q.kind, [])),
			"hints": hints.get(q.kind),
			"options": list(q.options),
			"option_labels": shown.choice_labels.get(q.key) or list(q.options),
		}
		for q in shown.questions
	]
	return context
