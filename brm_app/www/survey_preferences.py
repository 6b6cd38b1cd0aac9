"""/survey_preferences?token=...: the one-click opt-out every survey e-mail links to. Opening
the page changes nothing (mail scanners open links); the contact confirms with a button, and
can opt back in the same way. A logged-in portal user without a token sees their own
preference."""

import frappe
from frappe import _

from brm_app.setup.contact_fields import OPT_OUT, OPT_OUT_ON

no_cache = 1


def get_context(context):
	from brm_app.brm_app.doctype.survey_invitation.survey_invitation import find_invitation

	context.no_cache = 1
	context.show_sidebar = False
	context.title = _("Survey E-mails")
	token = frappe.form_dict.get("token")
	contacts = []
	if token:
		invitation = find_invitation(token)
		if not invitation:
			context.state = "unknown"
			frappe.local.response.http_status_code = 404
			return context
		if invitation.language:  # in the language the survey e-mail was written in
			frappe.local.lang = invitation.language
		context.token = token
		context.email = invitation.email
		contacts = (
			[invitation.contact]
			if invitation.contact
			else frappe.get_all("Contact", filters={"email_id": invitation.email}, pluck="name")
		)
	elif frappe.session.user != "Guest":
		context.show_sidebar = True
		context.email = frappe.session.user
		contacts = frappe.get_all("Contact", filters={"user": frappe.session.user}, pluck="name")
		if not contacts:
			context.state = "no_contact"
			return context
	else:
		context.state = "no_token"
		return context
	rows = (
		frappe.get_all("Contact", filters={"name": ("in", contacts)}, fields=[OPT_OUT, OPT_OUT_ON])
		if contacts
		else []
	)
	opted = [row for row in rows if row.get(OPT_OUT)]
	context.state = "opted_out" if opted else "receiving"
	if opted and opted[0].get(OPT_OUT_ON):
		context.since = frappe.utils.format_date(opted[0].get(OPT_OUT_ON))
	return context
