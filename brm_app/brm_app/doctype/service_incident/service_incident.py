# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A service failure and the customers it hits (ITIL 4 relationship management: keep the
customer informed; ISO 10002: prevent complaints where possible; docs/incidents.md).

Who is affected comes from the portfolios listing an affected service (and customers added
by hand); their relationship managers are told at once; the customers' contacts who receive
notices get one at the start and one per public update, from background jobs in chunks; the
portal shows a banner and the incident's public timeline; surveys to affected contacts wait
(``survey_quiet_until``); complaints can be linked and answered with the post-incident summary.
The rules are ``brm_app.rules.incident``."""

from datetime import datetime

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import add_days, cint, get_datetime

from brm_app.rules import complaint as complaint_rules
from brm_app.rules import incident as rules
from brm_app.utils import keep_process_fields, now, process_update, strip_microseconds
from brm_app.validation import validate_links_with_fetches

INCIDENT = "Service Incident"
NOTICE = "Service Incident Notice"
#: Notices per background job (a chunk's memory stays flat however many customers are hit).
NOTICE_CHUNK = 500
PROCESS_FIELDS = (
	"status",
	"closed_on",
	"customers_affected",
	"customers_notified",
	"minutes_to_first_notice",
	"complaints_raised",
	"complaints_linked",
	"notified_before_complaint",
	"customers_complained",
	"last_update_no",
)


def transition_message(code: str) -> str:
	return {
		rules.NOT_ALLOWED: _("An incident cannot move from {0} to {1}."),
		rules.END_REQUIRED: _("Set when the service was restored."),
		rules.END_BEFORE_START: _("The incident cannot end before it started."),
		rules.ROOT_CAUSE_REQUIRED: _("Record the root cause before closing."),
		rules.SUMMARY_REQUIRED: _("Write the post-incident summary before closing."),
	}[code]


class ServiceIncident(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def before_print(self, settings=None):
		self.apply_fieldlevel_read_permissions()

	def validate(self):
		keep_process_fields(self, PROCESS_FIELDS)
		strip_microseconds(self)
		validate_links_with_fetches(self)
		before = self.get_doc_before_save()
		old = before.status if before else None
		if not self.services:
			frappe.throw(_("Choose at least one affected service."), frappe.MandatoryError)
		errors = rules.transition_errors(None if self.is_new() else old, self.status, self.facts())
		if errors:
			frappe.throw(
				"<br>".join(transition_message(c).format(_(old or ""), _(self.status)) for c in errors),
				title=_("Not Yet"),
			)
		self.keep_update_stamps(before)
		self.refresh_affected(before)
		self.refresh_figures()
		self.closed_on = (
			(before.closed_on if before and before.closed_on else now())
			if self.status == rules.CLOSED
			else None
		)

	def on_update(self):
		self.tell_relationship_managers()
		if self.status != rules.CLOSED:
			enqueue_notices(self.name)  # whatever is still due: the start, a new update, a customer added

	def facts(self) -> rules.IncidentFacts:
		return rules.IncidentFacts(
			started_on=get_datetime(self.started_on) if self.started_on else None,
			ended_on=get_datetime(self.ended_on) if self.ended_on else None,
			root_cause=self.root_cause,
			post_incident_summary=frappe.utils.strip_html(self.post_incident_summary or ""),
		)

	# ------------------------------------------------------------------ who is affected

	def keep_update_stamps(self, before):
		"""When each update was posted and its notices sent: the server's, never a request's."""
		stored = {row.name: row for row in (before.updates if before else [])}
		last = max(
			cint(before.last_update_no) if before else 0, *(cint(r.update_no) for r in stored.values()), 0
		)
		for row in self.updates:
			old = stored.get(row.name)
			row.notified_on = old.notified_on if old else None
			row.posted_on = (old.posted_on if old and old.posted_on else None) or row.posted_on or now()
			if old and old.update_no:
				row.update_no = old.update_no
			else:
				last = rules.next_update_no([last])
				row.update_no = last
		self.last_update_no = last

	def refresh_affected(self, before):
		"""The portfolios listing an affected service (still provided when it started), and
		customers added by hand; each with its tier, health and relationship manager."""
		stored = {row.customer: row for row in (before.affected if before else [])}
		if before and self.status != rules.OPEN:
			# after the service is restored, who was hit stays as it was (hand additions only)
			for row in self.affected:
				old = stored.get(row.customer)
				if old:
					row.update(
						{
							f: old.get(f)
							for f in (
								"name",
								"tier",
								"health_band",
								"relationship_manager",
								"first_notice_on",
								"first_complaint_on",
							)
						}
					)
				elif not row.added_by_hand:
					row.added_by_hand = 1
			return
		services = {row.service for row in self.services}
		P = frappe.qb.DocType("Portfolio Service")
		rows = [
			rules.ServiceRow(customer, service, frappe.utils.getdate(ended) if ended else None)
			for customer, service, ended in (
				frappe.qb.from_(P)
				.select(P.parent, P.service, P.ended_on)
				.where((P.parenttype == "Customer Portfolio") & P.service.isin(sorted(services)))
				.run()
			)
		]
		by_hand = {row.customer for row in self.affected if row.added_by_hand}
		customers = rules.affected_customers(rows, services, get_datetime(self.started_on), by_hand)
		portfolios = {
			p.name: p
			for p in frappe.get_all(
				"Customer Portfolio",
				filters={"name": ("in", customers or [""])},
				fields=["name", "tier", "health_band", "relationship_manager"],
			)
		}
		self.set("affected", [])
		for customer in customers:
			p = portfolios.get(customer) or frappe._dict()
			old = stored.get(customer)
			self.append(
				"affected",
				{
					"name": old.name if old else None,  # the same row: a running job's writes stay
					"customer": customer,
					"tier": p.tier,
					"health_band": p.health_band,
					"relationship_manager": p.relationship_manager,
					"added_by_hand": int(customer in by_hand),
					"first_notice_on": old.first_notice_on if old else None,
					"first_complaint_on": old.first_complaint_on if old else None,
				},
			)

	def refresh_figures(self):
		"""Customers affected and told, minutes to the first notice, complaints raised (by
		affected customers about an affected service during the incident) and linked, and the
		share told before their first complaint."""
		customers = [row.customer for row in self.affected]
		self.customers_affected = len(customers)
		self.customers_notified = sum(1 for row in self.affected if row.first_notice_on)
		first_notices = [get_datetime(row.first_notice_on) for row in self.affected if row.first_notice_on]
		self.minutes_to_first_notice = rules.minutes_between(
			get_datetime(self.started_on), min(first_notices) if first_notices else None
		)
		if self.is_new():
			self.complaints_raised = self.complaints_linked = 0
			return
		C = frappe.qb.DocType("Complaint")
		end = get_datetime(self.ended_on) if self.ended_on else now()
		services = [row.service for row in self.services]
		during = (
			C.customer.isin(customers or [""])
			& (C.received_on >= get_datetime(self.started_on))
			& (C.received_on <= end)
			& (C.service.isin(services) | (C.service_incident == self.name))
		)
		first = dict(
			frappe.qb.from_(C)
			.select(C.customer, frappe.query_builder.functions.Min(C.received_on))
			.where(during | (C.service_incident == self.name))
			.groupby(C.customer)
			.run()
		)
		self.complaints_raised = (
			frappe.qb.from_(C).select(frappe.query_builder.functions.Count(C.name)).where(during).run()[0][0]
		)
		self.complaints_linked = frappe.db.count("Complaint", {"service_incident": self.name})
		for row in self.affected:
			row.first_complaint_on = first.get(row.customer)
		share = rules.notified_first_share(
			{r.customer: get_datetime(r.first_notice_on) for r in self.affected if r.first_notice_on},
			{c: get_datetime(when) for c, when in first.items() if c in customers},
		)
		self.notified_before_complaint = share
		self.customers_complained = len([c for c in first if c in customers])

	def tell_relationship_managers(self):
		"""Each relationship manager of an affected customer: an assignment (and its bell), once."""
		managers = {}
		for row in self.affected:
			if row.relationship_manager:
				managers.setdefault(row.relationship_manager, []).append(row.customer)
		for user, customers in managers.items():
			if frappe.db.exists(
				"ToDo", {"reference_type": INCIDENT, "reference_name": self.name, "allocated_to": user}
			):
				continue
			assign_to.add(
				{
					"assign_to": [user],
					"doctype": INCIDENT,
					"name": self.name,
					"description": _("{0} affects your customer(s): {1}").format(
						self.title, ", ".join(customers)
					),
				},
				ignore_permissions=True,
			)

	# ------------------------------------------------------------------ actions

	@frappe.whitelist(methods=["POST"])
	def resolve(self, ended_on: str | None = None) -> str:
		"""The service is restored."""
		self.reload()
		self.check_permission("write")
		with process_update(self, ("status",)):
			self.ended_on = get_datetime(ended_on) if ended_on else (self.ended_on or now())
			self.status = rules.RESOLVED
		return self.status

	@frappe.whitelist(methods=["POST"])
	def reopen(self) -> str:
		"""It failed again."""
		self.reload()
		self.check_permission("write")
		with process_update(self, ("status",)):
			self.status = rules.OPEN
			self.ended_on = None
		return self.status

	@frappe.whitelist(methods=["POST"])
	def close(self) -> str:
		"""Root cause and post-incident summary written: the incident is closed."""
		self.reload()
		self.check_permission("write")
		with process_update(self, ("status",)):
			self.status = rules.CLOSED
		return self.status

	@frappe.whitelist(methods=["POST"])
	def answer_linked_complaints(self) -> int:
		"""Each open complaint linked to this incident gets the post-incident summary as its
		proposed resolution (each stays a complaint of its own, ISO 10002). Returns how many."""
		from brm_app.workflow import move_to_status

		self.reload()
		self.check_permission("write")
		if not frappe.utils.strip_html(self.post_incident_summary or "").strip():
			frappe.throw(_("Write the post-incident summary first."))
		answered = 0
		for name in frappe.get_all(
			"Complaint",
			filters={
				"service_incident": self.name,
				"status": ("in", [complaint_rules.ACKNOWLEDGED, complaint_rules.INVESTIGATING]),
			},
			pluck="name",
		):
			complaint = frappe.get_doc("Complaint", name)
			if complaint.status == complaint_rules.ACKNOWLEDGED:
				move_to_status(complaint, complaint_rules.INVESTIGATING)
				complaint = frappe.get_doc("Complaint", name)
			move_to_status(
				complaint,
				complaint_rules.RESOLUTION_PROPOSED,
				proposed_resolution=frappe.utils.strip_html(self.post_incident_summary),
			)
			answered += 1
		return answered


# ---------------------------------------------------------------------- notices (background jobs)


def sent_notices(incident: str) -> set[tuple[int, str]]:
	return {
		(cint(n.update_no), n.email)
		for n in frappe.get_all(NOTICE, filters={"service_incident": incident}, fields=["update_no", "email"])
	}


def recipients_of(customers: list[str]) -> dict[str, frappe._dict]:
	"""The contacts who receive incident notices, by e-mail address: each portfolio's authorised
	representative and the decision makers marked to receive them, where the portfolio sends
	notices; a contact of several affected customers once, with all of them."""
	if not customers:
		return {}
	portfolios = frappe.get_all(
		"Customer Portfolio",
		filters={"name": ("in", customers), "incident_notices": 1},
		fields=["name", "authorised_representative"],
	)
	wanted = [(p.name, p.authorised_representative) for p in portfolios if p.authorised_representative]
	wanted += [
		(row.parent, row.contact)
		for row in frappe.get_all(
			"Portfolio Decision Maker",
			filters={
				"parenttype": "Customer Portfolio",
				"parent": ("in", [p.name for p in portfolios] or [""]),
				"incident_notices": 1,
			},
			fields=["parent", "contact"],
		)
		if row.contact
	]
	emails = dict(
		frappe.get_all(
			"Contact",
			filters={"name": ("in", [c for _, c in wanted] or [""])},
			fields=["name", "email_id"],
			as_list=True,
		)
	)
	people: dict[str, frappe._dict] = {}
	for customer, contact in wanted:
		email = (emails.get(contact) or "").strip().lower()
		if email:
			person = people.setdefault(email, frappe._dict(customers=[], contact=contact))
			if customer not in person.customers:
				person.customers.append(customer)
	return people


def enqueue_notices(incident: str) -> None:
	frappe.enqueue(
		"brm_app.brm_app.doctype.service_incident.service_incident.plan_notices",
		queue="long",
		job_id=f"brm_incident_notices::{incident}",
		enqueue_after_commit=not frappe.flags.in_test,
		now=bool(frappe.flags.in_test or frappe.flags.brm_jobs_now),
		incident=incident,
	)


def plan_notices(incident: str) -> int:
	"""Background job: the notices still due (each contact, each update, once) in chunk jobs
	of ``NOTICE_CHUNK``. Returns how many are planned."""
	doc = frappe.get_doc(INCIDENT, incident)
	if doc.status == rules.CLOSED:
		return 0
	people = recipients_of([row.customer for row in doc.affected])
	due = rules.due_notices([cint(u.update_no) for u in doc.updates], sent_notices(incident), sorted(people))
	for start in range(0, len(due), NOTICE_CHUNK):
		chunk = [(number, email) for number, email in due[start : start + NOTICE_CHUNK]]
		frappe.enqueue(
			"brm_app.brm_app.doctype.service_incident.service_incident.send_notice_chunk",
			queue="long",
			enqueue_after_commit=not frappe.flags.in_test,
			now=bool(frappe.flags.in_test or frappe.flags.brm_jobs_now),
			incident=incident,
			notices=[[n, e, people[e].customers, people[e].contact] for n, e in chunk],
		)
	return len(due)


def send_notice_chunk(incident: str, notices: list) -> int:
	"""Background job: one chunk of notices. The incident is locked, what is still due is read
	again, the notices are recorded first (a unique key keeps each once) and the mail is queued
	last, after the record is committed: a chunk that fails sends nothing twice. One message per
	update, built once and queued separately for each recipient."""
	from frappe.email.doctype.email_template.email_template import get_email_template

	doc = frappe.get_doc(INCIDENT, incident, for_update=True)
	template = (
		frappe.db.get_single_value("BRM Settings", "incident_notice_template") or "Service Incident Notice"
	)
	if not frappe.db.exists("Email Template", template):
		return 0
	already = sent_notices(incident)
	moment = now()
	by_update: dict[int, list] = {}
	for number, email, customers, contact in notices:
		if (cint(number), email) not in already:
			by_update.setdefault(cint(number), []).append((email, list(customers or []), contact))
	rows, told = [], set()
	stamps = (moment, moment, moment, "Administrator", "Administrator")  # sent, created, modified
	for number, people in by_update.items():
		for email, customers, contact in people:
			rows.append(
				(
					frappe.generate_hash(length=12),
					incident,
					number,
					(customers or [None])[0],
					contact,
					email,
					*stamps,
				)
			)
			told.update(customers)
	if not rows:
		return 0
	frappe.db.bulk_insert(
		NOTICE,
		[
			*("name", "service_incident", "update_no", "customer", "contact", "email", "sent_on"),
			*("creation", "modified", "owner", "modified_by"),
		],
		rows,
		ignore_duplicates=True,
	)
	for row in doc.affected:
		if row.customer in told and not row.first_notice_on:
			frappe.db.set_value(
				"Service Incident Customer", row.name, "first_notice_on", moment, update_modified=False
			)
	for update in doc.updates:
		if cint(update.update_no) in by_update and not update.notified_on:
			frappe.db.set_value(
				"Service Incident Update", update.name, "notified_on", moment, update_modified=False
			)
	store_figures(incident)
	if not frappe.flags.in_test:
		frappe.db.commit()  # nosemgrep: recorded before anything is sent
	from brm_app.portal.translations import in_language

	# each customer's contacts in the customer's language (ERPNext's Print Language)
	customers = sorted({c for people in by_update.values() for _e, cs, _c in people for c in cs})
	languages = (
		dict(frappe.get_all("Customer", {"name": ("in", customers)}, ["name", "language"], as_list=True))
		if customers
		else {}
	)
	for number, people in sorted(by_update.items()):
		by_language: dict = {}
		for person in people:
			language = languages.get(person[1][0]) if person[1] else None
			by_language.setdefault(language or "", []).append(person)
		for language, group in sorted(by_language.items()):
			with in_language(language or None):
				message = get_email_template(template, notice_context(doc, number))
			frappe.sendmail(
				recipients=[email for email, _customers, _contact in group],
				subject=message["subject"],
				message=message["message"],
				reference_doctype=INCIDENT,
				reference_name=incident,
				queue_separately=True,  # each recipient their own e-mail, the content built once
			)
	return len(rows)


def send_due_notices() -> int:
	"""Hourly: plan what is still due for every incident not closed (a notice never lost)."""
	names = frappe.get_all(INCIDENT, filters={"status": ("!=", rules.CLOSED)}, pluck="name")
	for name in names:
		enqueue_notices(name)
	return len(names)


FIGURES = (
	"customers_complained",
	"customers_affected",
	"customers_notified",
	"minutes_to_first_notice",
	"complaints_raised",
	"complaints_linked",
	"notified_before_complaint",
	"customers_complained",
	"last_update_no",
)


def store_figures(incident: str) -> None:
	"""The incident's figures (and each customer's first complaint) as they stand now, without
	a save (no new notices, no history entry)."""
	doc = frappe.get_doc(INCIDENT, incident)
	doc.refresh_figures()
	frappe.db.set_value(INCIDENT, incident, {f: doc.get(f) or 0 for f in FIGURES}, update_modified=False)
	for row in doc.affected:
		frappe.db.set_value(
			"Service Incident Customer",
			row.name,
			"first_complaint_on",
			row.first_complaint_on,
			update_modified=False,
		)


def refresh_recent_figures() -> int:
	"""Daily: the figures of incidents of the last 30 days (complaints keep coming after)."""
	names = frappe.get_all(INCIDENT, filters={"started_on": (">=", add_days(now(), -30))}, pluck="name")
	for name in names:
		store_figures(name)
	return len(names)


def notice_context(doc, number: int) -> dict:
	"""What a notice may say: the public parts only (the template escapes them)."""
	update = next((u for u in doc.updates if cint(u.update_no) == number), None) if number else None
	next_by = update.next_update_by if update else (doc.expected_end or None)
	return {
		"name": doc.name,
		"title": doc.title,
		"services": ", ".join(row.service_name or row.service for row in doc.services),
		"since": frappe.utils.format_datetime(doc.started_on),
		"summary": doc.public_summary or "",
		"update": (update.public_update or "") if update else "",
		"next_update_by": frappe.utils.format_datetime(next_by) if next_by else "",
		"status": _(doc.status),
		"url": frappe.utils.get_url(f"/incidents/{doc.name}"),
	}


# ---------------------------------------------------------------------- surveys wait


def survey_quiet_until(customer: str | None, at=None):
	"""(until, incident) when no survey may go to the customer's contacts because an incident
	affects it (while open, until the quiet period after it ends), else (None, None)."""
	if not customer:
		return None, None
	return survey_quiet_periods([customer], at).get(customer, (None, None))


def survey_quiet_periods(customers, at=None) -> dict[str, tuple]:
	"""``survey_quiet_until`` for many customers in one query (a survey's chunk of invitations):
	{customer: (until, incident)} for those in a quiet period."""
	customers = sorted({c for c in customers if c})
	if not customers:
		return {}
	at = get_datetime(at or now())
	I = frappe.qb.DocType(INCIDENT)  # noqa: E741
	A = frappe.qb.DocType("Service Incident Customer")
	rows = (
		frappe.qb.from_(I)
		.join(A)
		.on((A.parent == I.name) & (A.parenttype == INCIDENT))
		.select(A.customer, I.name, I.started_on, I.ended_on, I.status)
		.where(A.customer.isin(customers) & (I.started_on <= at))
		.run(as_dict=True)
	)
	if not rows:
		return {}
	# an unset setting reads as 0 on sites installed before it existed: the default then
	quiet = (
		cint(frappe.db.get_single_value("BRM Settings", "incident_quiet_days")) or rules.DEFAULT_QUIET_DAYS
	)
	by_customer: dict[str, list] = {}
	for row in rows:
		by_customer.setdefault(row.customer, []).append(row)
	periods = {}
	for customer, incidents in by_customer.items():
		# an incident still open has no end yet
		windows = [
			(get_datetime(r.started_on), None if r.status == rules.OPEN else get_datetime(r.ended_on))
			for r in incidents
		]
		if not rules.in_quiet_period(windows, at, quiet):
			continue
		until = rules.quiet_until(windows, quiet)
		latest = max(incidents, key=lambda r: get_datetime(r.started_on)).name
		# while one is open, look again after a quiet period's length
		periods[customer] = ((add_days(at, quiet) if until == datetime.max else until), latest)
	return periods
