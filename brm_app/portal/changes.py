"""Requests for change in the customer portal (/changes): list, raise, follow, answer the change
process's question, confirm the implemented change (docs/changes.md).

Scoped like every portal page: the user's own customers only (``brm_app.portal.get_own``);
what the customer reads is built here field by field, so nothing internal (CAB internal notes,
internal notes, implementer, SLA coordination) reaches the page."""

import frappe
from frappe import _
from frappe.utils import format_date

from brm_app.portal import (
	as_html,
	clean_text,
	customer_files,
	customer_for_submission,
	file_for_customer,
	future_date,
	get_own,
	uploaded_files,
)
from brm_app.portal import complaints as complaint_pages
from brm_app.rules import change as rules
from brm_app.rules import portal as portal_rules
from brm_app.security.content import clean
from brm_app.workflow import move_to_status

RFC = "Request for Change"
URGENCIES = ("Low", "Medium", "High", "Critical")
LEVELS = ("Low", "Medium", "High")


def status_label(status: str) -> str:
	return _(rules.CUSTOMER_STATUS.get(status, status))


def change_list(customers: list[str], page: int = 1):
	rows = frappe.get_list(
		RFC,
		# submitted ones only: a draft staff prepared (withdrawn or not) is not the customer's news
		filters=[[RFC, "customer", "in", customers], [RFC, "submitted_on", "is", "set"]],
		fields=["name", "title", "customer", "status", "raised_on", "desired_date", "urgency"],
		order_by="raised_on desc, name desc",
		limit_start=(page - 1) * portal_rules.PAGE_LENGTH,
		limit_page_length=portal_rules.PAGE_LENGTH + 1,
	)
	more = len(rows) > portal_rules.PAGE_LENGTH
	rows = rows[: portal_rules.PAGE_LENGTH]
	for row in rows:
		row.status_label = status_label(row.status)
		row.raised = format_date(row.raised_on) if row.raised_on else ""
		row.needs_you = rules.customer_can_answer(row.status) or rules.customer_can_confirm(row.status)
	return rows, more


def services_of(customer: str) -> list[dict]:
	return complaint_pages.services_of(customer)


def detail(name: str | None) -> dict:
	"""One request as the customer sees it."""
	doc = get_own(RFC, name)
	if not doc.submitted_on:
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(RFC), name))
	steps = {
		rules.SUBMITTED: _("Received"),
		rules.UNDER_ASSESSMENT: _("Assessed"),
		rules.AWAITING_CAB: _("Change board"),
		rules.APPROVED: _("Approved"),
		rules.SCHEDULED: _("Scheduled"),
		rules.IMPLEMENTED: _("Implemented"),
		rules.CLOSED: _("Confirmed"),
	}
	sittings = [
		{
			"date": format_date(r.sitting_date),
			"decision": _(r.decision) if r.decision else "",
			"note": r.note_for_customer or "",
			"conditions": r.conditions or "",
		}
		for r in doc.cab_sittings
		if r.decision or r.note_for_customer
	]
	return {
		"name": doc.name,
		"title": doc.title,
		"customer": doc.customer,
		"customer_name": doc.customer_name,
		"status": doc.status,
		"status_label": status_label(doc.status),
		"final": rules.is_final(doc.status),
		"timeline": [
			{"label": steps[s], "state": state} for s, state in rules.timeline(doc.status, doc.asked_from)
		],
		"description_html": clean(doc.description or ""),
		"business_justification": doc.business_justification or "",
		"urgency": _(doc.urgency) if doc.urgency else "",
		"desired": format_date(doc.desired_date) if doc.desired_date else "",
		"raised": format_date(doc.raised_on) if doc.raised_on else "",
		"services": [r.service_name or r.service for r in doc.services],
		"sittings": sittings,
		"question": doc.information_request if rules.customer_can_answer(doc.status) else "",
		"answer": doc.information_answer or "",
		"window": (
			_("{0} to {1}").format(
				complaint_pages.short_datetime(doc.planned_start),
				complaint_pages.short_datetime(doc.planned_end),
			)
			if doc.planned_start and doc.planned_end and doc.status in (rules.SCHEDULED, rules.IMPLEMENTED)
			else ""
		),
		"implemented": complaint_pages.short_datetime(doc.implemented_on) if doc.implemented_on else "",
		"confirmation": _(doc.customer_confirmation) if doc.customer_confirmation else "",
		"can_answer": rules.customer_can_answer(doc.status),
		"can_confirm": rules.customer_can_confirm(doc.status),
		"follow_up_complaint": doc.follow_up_complaint,
		"messages": complaint_pages.messages(doc),
		"files": customer_files(RFC, doc.name),
	}


def raise_change(
	title,
	description,
	business_justification=None,
	urgency=None,
	desired_date=None,
	service=None,
	customer=None,
) -> dict:
	"""A request for change the customer raises: submitted at once, to their relationship
	manager. Everything the process owns is set here, never by the request."""
	customer = customer_for_submission(customer)
	title = clean_text(title, _("Title"), portal_rules.SUBJECT_MAX, required=True)
	description = clean_text(description, _("What should change"), portal_rules.TEXT_MAX, required=True)
	justification = clean_text(
		business_justification, _("Why your business needs it"), portal_rules.SHORT_TEXT_MAX, required=True
	)
	if urgency and urgency not in URGENCIES:
		frappe.throw(_("Choose how urgent it is."), title=_("Check Your Input"))
	if service and service not in {s.service for s in services_of(customer)}:
		frappe.throw(
			_("Choose one of your services, or leave the service empty."), title=_("Unknown Service")
		)
	desired = future_date(desired_date, _("Desired by")) if desired_date else None
	files = uploaded_files()
	doc = file_for_customer(
		RFC,
		customer,
		{
			"title": title,
			"description": as_html(description),
			"business_justification": justification,
			"urgency": urgency or "Medium",
			"desired_date": desired,
			"services": [{"service": service}] if service else [],
		},
		files,
		process={"raised_via": "Portal"},
	)
	doc.flags.ignore_permissions = True
	move_to_status(doc, rules.SUBMITTED)
	return {"name": doc.name, "url": f"/changes/{doc.name}"}


def answer(name, answer) -> str:
	doc = get_own(RFC, name)
	text = clean_text(answer, _("Your answer"), portal_rules.REPLY_MAX, required=True)
	if not rules.customer_can_answer(doc.status):
		frappe.throw(_("There is no open question on this request."), title=_("Not Possible"))
	doc.flags.ignore_permissions = True
	return doc.record_answer(text)


def confirm(name, delivered, note=None) -> dict:
	doc = get_own(RFC, name)
	if not rules.customer_can_confirm(doc.status):
		frappe.throw(_("There is nothing to confirm on this request yet."), title=_("Not Possible"))
	ok = delivered in (True, 1, "1", "true", "yes")
	note = clean_text(note, _("Your note"), portal_rules.SHORT_TEXT_MAX, required=not ok)
	doc.flags.ignore_permissions = True
	status = doc.record_confirmation(ok, note)
	return {"status": status, "complaint": doc.follow_up_complaint if not ok else None}
