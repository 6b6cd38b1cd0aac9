"""Complaints in the customer portal: list, lodge, follow, answer a proposed resolution, reply."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.utils import escape_html, format_date, get_datetime, parse_addr, split_emails

from brm_app.brm_app.doctype.brm_settings.brm_settings import get_settings
from brm_app.portal import (
	as_html,
	attach_files,
	clean_text,
	customer_files,
	customer_for_submission,
	file_for_customer,
	get_own,
	my_customers,
	uploaded_files,
)
from brm_app.portal.incidents import detail as detail_of_incident
from brm_app.portal.incidents import ongoing_for
from brm_app.rules import complaint as crules
from brm_app.rules import portal as rules
from brm_app.security.content import clean
from brm_app.security.mail import of_customer_side
from brm_app.utils import now
from brm_app.workflow import move_to_status

COMPLAINT = "Complaint"
LIST_FIELDS = [
	"name",
	"subject",
	"customer",
	"status",
	"received_on",
	"acknowledge_by",
	"resolve_by",
	"closed_on",
]


def short_datetime(value) -> str:
	"""A date and time as the customer reads it: the site's date format, hours and minutes."""
	if not value:
		return ""
	return f"{format_date(value)} {get_datetime(value).strftime('%H:%M')}"


def status_label(status: str) -> str:
	return _(rules.CUSTOMER_STATUS.get(status, status))


def appeal_days() -> int:
	return int(get_settings().appeal_period_days or 0)


def next_step_text(row) -> str:
	"""What happens next and by when, in the customer's words."""
	step = rules.next_step(
		row.status,
		get_datetime(row.acknowledge_by) if row.acknowledge_by else None,
		get_datetime(row.resolve_by) if row.resolve_by else None,
		get_datetime(row.closed_on) if row.closed_on else None,
		appeal_days(),
		now(),
	)
	by = format_date(step.by) if step.by else ""
	return {
		rules.ACKNOWLEDGE_BY: _("We will reply by {0}.").format(by),
		rules.RESOLVE_BY: _("We are working on it and aim to resolve it by {0}.").format(by),
		rules.WORKING_ON_IT: _("We are working on it."),
		rules.YOUR_RESPONSE: _("Please accept or reject the resolution we proposed."),
		rules.YOUR_ANSWER: _("We have asked you a question: please answer it below so that we can go on."),
		rules.REPLY_LATE: _(
			"We are sorry: we meant to reply by {0} and have not yet. Your complaint is with our team and we will reply as soon as we can."
		).format(by),
		rules.RESOLVE_LATE: _(
			"We are sorry: we aimed to resolve it by {0} and have not yet. We are still working on it and will tell you what happens next."
		).format(by),
		rules.APPEAL_UNTIL: _("Not satisfied? Reply by {0} and we will look at it again.").format(by),
		rules.NOTHING: "",
	}[step.code]


def complaint_list(customers: list[str], page: int = 1, show: str = "open", search: str | None = None):
	"""One page of the customers' complaints, newest first, through the permission-aware list."""
	filters = [[COMPLAINT, "customer", "in", customers]]
	if show == "open":
		filters.append([COMPLAINT, "status", "in", list(crules.OPEN_STATUSES)])
	elif show == "closed":
		filters.append([COMPLAINT, "status", "in", list(crules.FINAL_STATUSES)])
	or_filters = None
	search = (search or "").strip()[:140]
	if search:
		like = f"%{search}%"
		or_filters = [[COMPLAINT, "subject", "like", like], [COMPLAINT, "name", "like", like]]
	rows = frappe.get_list(
		COMPLAINT,
		filters=filters,
		or_filters=or_filters,
		fields=LIST_FIELDS,
		order_by="received_on desc, name desc",
		limit_start=(page - 1) * rules.PAGE_LENGTH,
		limit_page_length=rules.PAGE_LENGTH + 1,
	)
	has_more = len(rows) > rules.PAGE_LENGTH
	rows = rows[: rules.PAGE_LENGTH]
	for row in rows:
		row.status_label = status_label(row.status)
		row.next_step = next_step_text(row)
		row.is_open = row.status in crules.OPEN_STATUSES
		row.received = format_date(row.received_on)
	return rows, has_more


# ----------------------------------------------------------------------------- new


def form_options(customer: str) -> dict:
	"""Services of the customer's portfolio and the categories customers may choose."""
	return {
		"services": services_of(customer),
		"categories": frappe.get_all(
			"Complaint Category",
			filters={"disabled": 0, "visible_to_customers": 1},
			pluck="name",
			order_by="name asc",
			ignore_permissions=True,
		),
	}


def services_of(customer: str) -> list[dict]:
	return frappe.get_all(
		"Portfolio Service",
		filters={"parenttype": "Customer Portfolio", "parent": customer},
		fields=["service", "service_name"],
		order_by="idx asc",
		ignore_permissions=True,
	)


def check_service(customer: str, service: str | None) -> str | None:
	if not service:
		return None
	if service not in {s.service for s in services_of(customer)}:
		frappe.throw(
			_("Choose one of your services, or leave the service empty."), title=_("Unknown Service")
		)
	return service


def check_category(category: str | None) -> str | None:
	if not category:
		return None
	visible = frappe.db.get_value(
		"Complaint Category", {"name": category, "disabled": 0, "visible_to_customers": 1}, "name"
	)
	if not visible:
		frappe.throw(
			_("Choose one of the categories offered, or leave it empty."), title=_("Unknown Category")
		)
	return visible


def lodge(
	subject: str,
	description: str,
	remedy_sought: str | None = None,
	service: str | None = None,
	category: str | None = None,
	customer: str | None = None,
	service_incident: str | None = None,
) -> dict:
	"""File a complaint for the user's customer. Everything the process owns (customer,
	contact, channel, status, owner, severity, targets) is set here, never by the request."""
	customer = customer_for_submission(customer)
	subject = clean_text(subject, _("Subject"), rules.SUBJECT_MAX, required=True)
	description = clean_text(description, _("Description"), rules.TEXT_MAX, required=True)
	remedy_sought = clean_text(remedy_sought, _("What you would like us to do"), rules.SHORT_TEXT_MAX)
	service = check_service(customer, service)
	category = check_category(category)
	if service_incident and service_incident not in {i.name for i in ongoing_for([customer])}:
		frappe.throw(
			_("Choose one of the ongoing incidents, or leave it empty."), title=_("Unknown Incident")
		)
	files = uploaded_files()
	doc = file_for_customer(
		COMPLAINT,
		customer,
		{
			"subject": subject,
			"channel": "Portal",
			"service": service,
			"category": category,
			"description": as_html(description),
			"remedy_sought": remedy_sought,
			"service_incident": service_incident or None,
		},
		files,
	)
	return {
		"name": doc.name,
		"acknowledge_by": short_datetime(doc.acknowledge_by),
		"url": f"/complaints/{doc.name}",
	}


def similar_open(
	subject: str | None, customer: str | None = None, description: str | None = None
) -> list[dict]:
	"""The customer's own open complaints like this one ("is this the same as ...?"), found with
	FULLTEXT over subject and description (brm_app.brm_app.doctype.complaint.similar)."""
	from brm_app.brm_app.doctype.complaint.similar import for_portal

	customers = my_customers()
	if customer in customers:
		customers = [customer]
	if not customers:
		return []
	return [
		{
			"name": r.name,
			"subject": r.subject,
			"status": status_label(r.status),
			"received_on": format_date(r.received_on),
			"url": f"/complaints/{r.name}",
		}
		for r in for_portal(subject, description, customers)
	]


# ----------------------------------------------------------------------------- one complaint


def detail(name: str) -> dict:
	doc = get_own(COMPLAINT, name)
	step_labels = {
		rules.RECEIVED: _("Received"),
		rules.ACKNOWLEDGED: _("Acknowledged"),
		rules.INVESTIGATING: _("Being investigated"),
		rules.PROPOSED: _("Resolution proposed"),
		rules.CLOSED: _("Closed"),
		rules.REJECTED: _("Not handled as a complaint"),
	}
	steps = rules.timeline(
		doc.status,
		*(
			get_datetime(doc.get(f)) if doc.get(f) else None
			for f in (
				"received_on",
				"acknowledged_on",
				"investigation_started_on",
				"resolution_proposed_on",
				"closed_on",
			)
		),
	)
	now_ = now()
	closed_on = get_datetime(doc.closed_on) if doc.closed_on else None
	return {
		"doc": doc,
		"status_label": status_label(doc.status),
		"next_step": next_step_text(doc),
		"timeline": [
			{"label": step_labels[s.key], "state": s.state, "on": short_datetime(s.on)} for s in steps
		],
		"messages": messages(doc),
		"files": customer_files(COMPLAINT, doc.name),
		"can_respond": doc.status == crules.RESOLUTION_PROPOSED,
		# we asked the customer something: the question, and a form for the answer
		"question": (
			next((p.question for p in reversed(doc.pauses) if not p.resumed_on), None)
			if doc.status == crules.WAITING
			else None
		),
		"outcome": _(doc.outcome) if doc.outcome and doc.status == crules.CLOSED else None,
		"final_response_sent_on": short_datetime(doc.final_response_sent_on)
		if doc.get("final_response_sent_on")
		else None,
		"can_reply": rules.can_reply(doc.status, closed_on, now_, appeal_days()),
		"is_appeal": rules.can_appeal(doc.status, closed_on, now_, appeal_days()),
		"category": doc.category,
		"received": short_datetime(doc.received_on),
		"description_html": clean(doc.description or ""),
		"service_name": doc.service and frappe.db.get_value("Item", doc.service, "item_name"),
		"incident": incident_summary(doc),
	}


def incident_summary(doc) -> dict | None:
	"""The incident the complaint is about, as its customer may read it (public parts only)."""
	if not doc.get("service_incident"):
		return None
	try:
		return detail_of_incident(doc.service_incident)
	except frappe.DoesNotExistError:
		return None


def messages(doc) -> list[dict]:
	"""Messages exchanged with the customer: e-mails and portal replies from the customer's
	side, and e-mails sent to it. Never internal comments, never e-mails among staff (an
	escalation notice, a note to a colleague), never who else was copied."""
	rows = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"communication_type": "Communication",
		},
		fields=[
			"name",
			"sent_or_received",
			"sender_full_name",
			"sender",
			"recipients",
			"cc",
			"content",
			"communication_date",
		],
		order_by="communication_date asc, creation asc",
	)
	return [
		{
			"from_us": r.sent_or_received == "Sent",
			"sender": r.sender_full_name or r.sender,
			"content": clean(r.content or ""),
			"on": short_datetime(r.communication_date),
		}
		for r in rows
		if with_customer(r, doc)
	]


def with_customer(message, doc) -> bool:
	"""A message to (sent; the customer's side among its recipients or copied) or from
	(received) the complaint's customer side."""
	if message.sent_or_received == "Received":
		return of_customer_side(parse_addr(message.sender or "")[1] or message.sender, doc)
	return any(of_customer_side(parse_addr(a)[1] or a, doc) for a in split_emails(message.recipients or ""))


def respond(name: str, accepted, reason: str | None = None) -> str:
	"""The customer accepts or rejects the proposed resolution."""
	doc = get_own(COMPLAINT, name)
	if doc.status != crules.RESOLUTION_PROPOSED:
		frappe.throw(
			_("There is no proposed resolution to answer on this complaint."), title=_("Not Possible")
		)
	accept = accepted in (True, 1, "1", "true", "yes")
	if accept:
		_act(doc, crules.CLOSED)
		return doc.status
	reason = clean_text(reason, _("Your reason"), rules.SHORT_TEXT_MAX)
	if not reason:
		frappe.throw(
			_("Please give your reason for not accepting the proposed resolution."),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	_act(doc, crules.INVESTIGATING, customer_rejection_reason=reason)
	add_customer_message(doc, _("I do not accept the proposed resolution: {0}").format(reason))
	notify_owner(
		doc, _("{0} rejected the proposed resolution of {1}").format(_customer_name(doc), doc.name), reason
	)
	return doc.status


def answer(name: str, text: str) -> str:
	"""The customer answers the question we asked: the answer is kept with the pause, on the
	timeline, and the complaint is investigated again (the clock runs again)."""
	doc = get_own(COMPLAINT, name)
	if doc.status != crules.WAITING:
		frappe.throw(_("We are not waiting for an answer on this complaint."), title=_("Not Possible"))
	text = clean_text(text, _("Your answer"), rules.SHORT_TEXT_MAX)
	if not text:
		frappe.throw(_("Please write your answer."), frappe.MandatoryError, title=_("Missing Value"))
	# kept on the pause row through the save (the pauses are process fields), as an e-mailed answer
	doc.resume_with_answer(text)
	add_customer_message(doc, _("My answer to your question: {0}").format(text))
	notify_owner(doc, _("{0} answered the question on {1}").format(_customer_name(doc), doc.name), text)
	return doc.status


def reply(name: str, message: str) -> dict:
	"""A message from the customer on the complaint; within the appeal period after closure, an
	appeal that reopens it."""
	doc = get_own(COMPLAINT, name)
	message = clean_text(message, _("Message"), rules.REPLY_MAX, required=True)
	closed_on = get_datetime(doc.closed_on) if doc.closed_on else None
	days = appeal_days()
	files = uploaded_files()
	if not rules.can_reply(doc.status, closed_on, now(), days):
		if doc.status == crules.REJECTED:
			frappe.throw(
				_(
					"This was not handled as a complaint. If something is still wrong, please lodge a new complaint."
				),
				title=_("Not Possible"),
			)
		frappe.throw(
			_(
				"This complaint was closed on {0} and can no longer be appealed. Please lodge a new complaint."
			).format(format_date(closed_on)),
			title=_("Not Possible"),
		)
	appeal = rules.can_appeal(doc.status, closed_on, now(), days)
	if appeal:
		_act(doc, crules.INVESTIGATING, customer_rejection_reason=message)
	add_customer_message(doc, message)
	attach_files(doc, files)
	subject = (
		_("{0} appealed against the closure of {1}") if appeal else _("{0} replied on complaint {1}")
	).format(_customer_name(doc), doc.name)
	notify_owner(doc, subject, message)
	return {"appeal": appeal, "status": doc.status}


def add_customer_message(doc, message: str) -> None:
	"""A message from the customer on the complaint's timeline (a received Communication)."""
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"subject": _("Re: {0} ({1})").format(doc.subject, doc.name),
			"content": as_html(message),
			"sender": frappe.session.user,
			"sender_full_name": frappe.utils.get_fullname(frappe.session.user),
			"reference_doctype": COMPLAINT,
			"reference_name": doc.name,
			"status": "Open",
		}
	).insert(ignore_permissions=True)


def _act(doc, status: str, **values) -> None:
	"""A customer's workflow action: the Workflow must offer it to the Customer role."""
	doc.flags.ignore_permissions = True
	move_to_status(doc, status, **values)


def _customer_name(doc) -> str:
	return doc.customer_name or doc.customer


def notify_owner(doc, subject: str, message: str) -> None:
	"""Tell the complaint's owner (and whoever it is escalated to): bell and e-mail."""
	users = sorted({u for u in (doc.complaint_owner, doc.escalated_to) if u})
	if not users:
		return
	enqueue_create_notification(
		users,
		{
			"type": "Alert",
			"document_type": doc.doctype,
			"document_name": doc.name,
			"subject": escape_html(subject),
			"email_content": as_html(message),
			"from_user": frappe.session.user,
		},
	)
