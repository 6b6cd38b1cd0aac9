"""/complaints/new: lodge a complaint."""

from frappe import _

from brm_app.brm_app.doctype.brm_settings.brm_settings import get_settings
from brm_app.portal import form_context, page_context, safe_json
from brm_app.portal.complaints import form_options
from brm_app.portal.incidents import ongoing_for
from brm_app.security.content import clean as sanitize_html

no_cache = 1


def get_context(context):
	customers = page_context(
		context, _("Lodge a Complaint"), parents=[{"route": "/complaints", "title": _("Complaints")}]
	)
	form_context(context)
	context.definition = sanitize_html(get_settings().complaint_definition or "")
	context.options = {c: form_options(c) for c in customers}
	context.options_json = safe_json(context.options)
	context.incidents = ongoing_for(customers)
	return context
