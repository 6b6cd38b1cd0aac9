"""Service incidents on the customer portal (docs/incidents.md): the known-issue banner on /me,
/complaints and /complaints/new, and /incidents/<name> with the incident's public timeline.

Only incidents that affect one of the user's own customers; only their public parts (title,
services, times, public summary and updates, the post-incident summary once resolved), never
the internal notes or the root cause."""

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime

from brm_app.customers import is_desk_user
from brm_app.portal import my_customers
from brm_app.rules import incident as rules
from brm_app.security.content import clean

INCIDENT = "Service Incident"
#: Pages that show the banner.
BANNER_PAGES = ("me", "complaints", "complaints/new")


def ongoing_for(customers: list[str]) -> list[frappe._dict]:
	"""Open incidents affecting any of ``customers``, newest first."""
	if not customers:
		return []
	I = frappe.qb.DocType(INCIDENT)  # noqa: E741
	A = frappe.qb.DocType("Service Incident Customer")
	names = (
		frappe.qb.from_(I)
		.join(A)
		.on((A.parent == I.name) & (A.parenttype == INCIDENT))
		.select(I.name)
		.distinct()
		.where(A.customer.isin(customers) & (I.status == rules.OPEN))
		.orderby(I.started_on, order=frappe.qb.desc)
		.run(pluck=True)
	)
	return [summary(frappe.get_doc(INCIDENT, name)) for name in names]


def summary(doc) -> frappe._dict:
	last = doc.updates[-1] if doc.updates else None
	next_by = (last.next_update_by if last else None) or doc.expected_end
	return frappe._dict(
		name=doc.name,
		title=doc.title,
		services=", ".join(row.service_name or row.service for row in doc.services),
		since=format_datetime(doc.started_on, "dd-MM-yyyy HH:mm"),
		next_update_by=format_datetime(next_by, "dd-MM-yyyy HH:mm") if next_by else "",
	)


def banner_html(incidents: list) -> str:
	parts = []
	for i in incidents:
		text = _("Known issue with {0} since {1}.").format(escape_html(i.services), i.since)
		if i.next_update_by:
			text += " " + _("Next update by {0}.").format(i.next_update_by)
		parts.append(
			f'<div class="alert alert-warning brm-incident-banner" role="status" style="margin:0;border-radius:0">'
			f'{text} <a href="/incidents/{escape_html(i.name)}">{escape_html(_("Follow it"))}</a></div>'
		)
	return "".join(parts)


def add_banner(context) -> None:
	"""update_website_context hook: the banner on the pages a customer goes to first."""
	user = frappe.session.user
	if user == "Guest" or is_desk_user(user):
		return
	path = (context.get("path") or "").strip("/")
	if path not in BANNER_PAGES:
		return
	incidents = ongoing_for(my_customers())
	if incidents:
		context.banner_html = (context.get("banner_html") or "") + banner_html(incidents)


def affecting(name: str | None, customers: list[str]):
	"""The incident, when it affects one of ``customers``; "not found" otherwise."""
	if not name or not isinstance(name, str) or not frappe.db.exists(INCIDENT, name):
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(INCIDENT), name or ""))
	hit = frappe.db.exists(
		"Service Incident Customer",
		{"parenttype": INCIDENT, "parent": name, "customer": ("in", customers or [""])},
	)
	if not hit:
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(INCIDENT), name))
	return frappe.get_doc(INCIDENT, name)


def detail(name: str | None) -> dict:
	doc = affecting(name, my_customers())
	ended = doc.status != rules.OPEN
	return {
		"name": doc.name,
		"title": doc.title,
		"status": _("Resolved") if ended else _("Ongoing"),
		"ended": ended,
		"services": ", ".join(row.service_name or row.service for row in doc.services),
		"since": format_datetime(doc.started_on, "dd-MM-yyyy HH:mm"),
		"ended_on": format_datetime(doc.ended_on, "dd-MM-yyyy HH:mm") if doc.ended_on else "",
		"summary": doc.public_summary or "",
		"updates": [
			{
				"on": format_datetime(row.posted_on, "dd-MM-yyyy HH:mm") if row.posted_on else "",
				"text": row.public_update or "",
				"next": format_datetime(row.next_update_by, "dd-MM-yyyy HH:mm") if row.next_update_by else "",
			}
			for row in reversed(doc.updates)
		],
		"post_incident_html": clean(doc.post_incident_summary or "") if ended else "",
	}
