"""Deny by default: a website user or guest reaches brm_app's records through the portal only.

Runs as an ``auth_hooks`` entry, after Frappe has set the session user (cookie, API key or
OAuth) and before any method or resource runs. For a user who is not a desk user:

- a brm_app method is refused unless it is one of ``PORTAL_METHODS`` (the portal's own,
  each scoping by the user's customers);
- any other request (Frappe's and ERPNext's methods, ``/api/resource``, ``/api/v2``,
  ``/printview`` and other generic pages) that names a brm_app DocType — in its path or in
  any argument, also as ```tab<DocType>``` inside a field list or filter — is refused: the
  customer portal never needs those doors, and they answer by the parent's permission alone
  (child tables), with the internal timeline (``get_communications``, ``_comments``), counts,
  comments, assignments, shares, tags, print views.

Records that hang off brm_app's records without naming their DocType (e-mails, files, tags)
are fenced by ``brm_app.security.satellites``.
"""

from urllib.parse import unquote

import frappe
from frappe import _

from brm_app.customers import is_desk_user
from brm_app.security.doctypes import called_method, names_brm_doctype, private_file_urls
from brm_app.security.satellites import private_file_refused

#: Methods of brm_app a website user (or guest) may call, and the page that calls each.
#: Every one scopes by the user's own customers (or, for the survey, by the link's token).
PORTAL_METHODS = {
	"brm_app.api.portal.lodge_complaint": "/complaints/new",
	"brm_app.api.portal.similar_complaints": "/complaints/new",
	"brm_app.api.portal.respond_to_resolution": "/complaints/<name>",
	"brm_app.api.portal.reply_to_complaint": "/complaints/<name>",
	"brm_app.api.portal.answer_complaint_question": "/complaints/<name>",
	"brm_app.api.portal.give_compliment": "/compliments/new",
	"brm_app.api.portal.raise_requirement": "/requirements/new",
	"brm_app.api.portal.service_review_pdf": "/service-reviews/<name>",
	"brm_app.api.portal.raise_change": "/changes/new",
	"brm_app.api.portal.answer_change_question": "/changes/<name>",
	"brm_app.api.portal.confirm_change": "/changes/<name>",
	"brm_app.api.survey.submit_response": "/survey?token=… (guests too)",
	"brm_app.api.survey.set_survey_preference": "/survey_preferences (guests with a survey link too)",
}

#: Frappe methods that read records of any DocType without naming one (the argument scan
#: cannot see brm_app's in them) and that no page of a website user calls: refused to them.
DESK_ONLY_METHODS = {
	# the desk's search bar: no row scope, and an admin may add Complaint to Global Search Settings
	"frappe.utils.global_search.search": "desk search bar",
	# dashboards by chart or card name: a list query on the chart's DocType with any filter
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "desk dashboards",
	"frappe.desk.doctype.number_card.number_card.get_result": "desk dashboards",
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": "desk dashboards",
	"frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source.get_config": "desk dashboards",
}

#: The portal's own pages: they scope by the user's customers themselves.
PORTAL_ROUTES = (
	"/complaints",
	"/compliments",
	"/requirements",
	"/service-reviews",
	"/survey",
	"/changes",
	"/incidents",
)


def decide(user: str, path: str, form_dict: dict, query: dict | None = None) -> str | None:
	"""Why a request is refused (a short reason for the log), or None when it may go on."""
	if is_desk_user(user):
		return None
	# a file by URL, whichever door asks for it (/private/files/..., download_file, zip_files)
	for url in private_file_urls(path, form_dict, query):
		if private_file_refused(url, user):
			return f"{url} is not the customer's file"
	method = called_method(path, form_dict)
	if method in PORTAL_METHODS:
		return None
	if method and method.startswith("brm_app."):
		return f"brm_app method {method} is not a portal method"
	if method in DESK_ONLY_METHODS:
		return f"{method} is for desk users"
	if method is None and path.startswith("/private/files/"):
		return None  # a file Frappe checks itself, and the check above
	if method is None and not path.startswith("/api/") and path.rstrip("/").startswith(PORTAL_ROUTES):
		return None
	found = (
		names_brm_doctype(unquote(path).split("/"))
		or names_brm_doctype(dict(form_dict))
		or names_brm_doctype(dict(query or {}))
	)
	if found:
		return f"{method or path} names {found}"
	return None


def check_request() -> None:
	"""auth_hooks entry: refuse (403) what ``decide`` refuses, before it runs."""
	request = getattr(frappe.local, "request", None)
	if not request or not getattr(frappe.local, "session", None):
		return
	reason = decide(
		frappe.session.user,
		request.path,
		frappe.local.form_dict or {},
		request.args.to_dict(flat=False) if request.args else None,
	)
	if reason:
		frappe.throw(
			_("You do not have access to this. Please use the customer portal."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
