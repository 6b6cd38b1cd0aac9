# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""One survey run: Draft -> Scheduled -> Open -> Closed -> Evaluated (docs/features.md "Satisfaction
Survey"; ISO/IEC 20000-1 8.3.2 asks for customer satisfaction to be measured and acted on).

The survey owns its audience, the queued sending, closing, evaluation and the yearly repeat;
each invitation is a Survey Invitation. The status changes only through ``set_status``.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.utils import add_to_date, cint, flt, getdate, today

from brm_app.brm_app.doctype.survey_invitation import contact_policy
from brm_app.brm_app.doctype.survey_invitation.fanout import insert_invitations
from brm_app.brm_app.doctype.survey_invitation.survey_invitation import (
	INVITATION,
	expire_invitations,
	invited_count,
	open_follow_up,
)
from brm_app.reporting import answer_aggregates, measures, response_rates
from brm_app.rules import survey as rules
from brm_app.utils import has_outgoing_email, keep_process_fields, now, process_update, strip_microseconds

#: Set by the process (sending, evaluation), never by a request.
PROCESS_FIELDS = (
	"status",
	"to_invite",
	"invited",
	"responded",
	"response_rate",
	"postponed_for_incidents",
	"held_back",
	"held_back_summary",
	"response_rates",
	"csat",
	"nps",
	"ces",
	"weighted_score",
	"minimum_csat",
	"meets_minimum",
	"evaluated_on",
	"dimension_results",
	"customer_results",
	"service_results",
)
#: Invitations one background job makes (and commits) at most.
SEND_CHUNK = 500
EMPTY_MEASURES = dict.fromkeys(("csat", "nps", "ces", "weighted_score"))


class SatisfactionSurvey(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.satisfaction_survey_customer.satisfaction_survey_customer import (
			SatisfactionSurveyCustomer,
		)
		from brm_app.brm_app.doctype.survey_customer_result.survey_customer_result import SurveyCustomerResult
		from brm_app.brm_app.doctype.survey_dimension_result.survey_dimension_result import (
			SurveyDimensionResult,
		)
		from brm_app.brm_app.doctype.survey_service_result.survey_service_result import SurveyServiceResult

		audience: DF.Literal["All Active Portfolios", "Customer Group", "Chosen Customers"]
		ces: DF.Float
		contacts_to_ask: DF.Literal["Authorised Representatives", "All Contacts"]
		csat: DF.Percent
		customer_group: DF.Link | None
		customer_results: DF.Table[SurveyCustomerResult]
		customers: DF.Table[SatisfactionSurveyCustomer]
		dimension_results: DF.Table[SurveyDimensionResult]
		evaluated_on: DF.Datetime | None
		expires_after_days: DF.Int
		invited: DF.Int
		kind: DF.Literal["Relationship", "Transactional"]
		meets_minimum: DF.Check
		min_days_between_surveys: DF.Int
		minimum_csat: DF.Percent
		naming_series: DF.Literal["SRV-.YYYY.-"]
		nps: DF.Float
		period_end: DF.Date | None
		period_start: DF.Date | None
		remind_after_days: DF.Int
		repeat_yearly: DF.Check
		responded: DF.Int
		response_rate: DF.Percent
		sampling_percent: DF.Percent
		send_on: DF.Date | None
		service_results: DF.Table[SurveyServiceResult]
		status: DF.Literal["Draft", "Scheduled", "Open", "Closed", "Evaluated"]
		template: DF.Link
		title: DF.Data
		weighted_score: DF.Percent
	# end: auto-generated types

	def validate(self):
		keep_process_fields(self, PROCESS_FIELDS)
		strip_microseconds(self)
		before = self.get_doc_before_save()
		old = before.status if before else None
		if not rules.status_change_allowed(rules.SURVEY_TRANSITIONS, rules.SURVEY_START, old, self.status):
			frappe.throw(_("A survey cannot go from {0} to {1}.").format(_(old or ""), _(self.status)))
		if frappe.db.get_value("Survey Template", self.template, "disabled"):
			frappe.throw(_("Survey Template {0} is disabled.").format(frappe.bold(self.template)))
		if not 0 <= (self.sampling_percent or 0) <= 100:
			frappe.throw(_("Sampling % must be between 0 and 100."))
		if self.period_start and self.period_end and getdate(self.period_end) < getdate(self.period_start):
			frappe.throw(_("The period ends before it starts."))
		if self.kind == "Relationship":
			if self.audience == "Customer Group" and not self.customer_group:
				frappe.throw(_("Choose the customer group to ask."))
			if self.audience == "Chosen Customers" and not self.customers:
				frappe.throw(_("Choose the customers to ask."))
		for field in ("expires_after_days", "remind_after_days", "min_days_between_surveys"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))

	def set_status(self, status: str, **values) -> None:
		"""The one way a survey's status changes: checked by ``validate`` and saved with history."""
		with process_update(self, PROCESS_FIELDS):
			self.update(values)
			self.status = status

	def _require(self, *statuses):
		if self.status not in statuses:
			frappe.throw(
				_("This survey is {0}; that is only possible when it is {1}.").format(
					_(self.status), " / ".join(_(s) for s in statuses)
				)
			)

	# ------------------------------------------------------------------ actions (desk buttons)

	@frappe.whitelist(methods=["POST"])
	def schedule(self) -> str:
		"""Send automatically on the send date (daily job)."""
		self.check_permission("write")
		self._require(rules.DRAFT)
		if not self.send_on:
			frappe.throw(_("Set the date to send on first."))
		self.set_status(rules.SCHEDULED)
		return self.status

	@frappe.whitelist(methods=["POST"])
	def send_now(self) -> str:
		"""Open the survey: a relationship survey invites its audience in the background; a
		transactional survey waits for closed complaints and resolved Issues."""
		self.check_permission("write")
		self._require(rules.DRAFT, rules.SCHEDULED)
		if not has_outgoing_email():
			frappe.throw(
				_("Set up an outgoing Email Account first: the invitations are sent by e-mail."),
				title=_("No E-mail Account"),
			)
		if not self.send_on or getdate(self.send_on) > getdate(today()):
			self.send_on = today()
		self.open()
		return self.status

	@frappe.whitelist(methods=["POST"])
	def close(self) -> str:
		"""Stop answering: unanswered invitations expire (in the background)."""
		self.check_permission("write")
		self._require(rules.OPEN)
		self.set_status(rules.CLOSED)
		self._enqueue(expire_invitations, "expire")
		return self.status

	@frappe.whitelist(methods=["POST"])
	def evaluate(self) -> str:
		"""Compute the results (again) from the responses."""
		self.check_permission("write")
		self._require(rules.OPEN, rules.CLOSED, rules.EVALUATED)
		self.evaluate_results()
		return self.status

	# ------------------------------------------------------------------ the process

	def open(self) -> None:
		"""Open for answers; a relationship survey invites its audience as a background job."""
		self.set_status(rules.OPEN)
		if self.kind == "Relationship":
			self._enqueue(send_invitations, "send")

	def _enqueue(self, job, what: str) -> None:
		"""One background job per survey and kind of work, on the long queue. (In tests the job
		runs at once: nothing to deduplicate against the site's real queue.)"""
		frappe.enqueue(
			job,
			survey=self.name,
			queue="long",
			job_id=f"brm_survey_{what}::{self.name}",
			deduplicate=not frappe.flags.in_test,
			now=frappe.flags.in_test,
		)

	def audience_contacts(self) -> list[tuple[str, str, str]]:
		"""(customer, contact, email) to ask for a relationship survey, before sampling."""
		customers = self._audience_customers()
		if not customers:
			return []
		if self.contacts_to_ask == "All Contacts":
			links = frappe.get_all(
				"Dynamic Link",
				filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": ("in", customers)},
				fields=["parent as contact", "link_name as customer"],
			)
			pairs = [(row.customer, row.contact) for row in links]
		else:
			portfolios = frappe.get_all(
				"Customer Portfolio",
				filters={"name": ("in", customers)},
				fields=["name", "authorised_representative"],
			)
			pairs = [(p.name, p.authorised_representative) for p in portfolios if p.authorised_representative]
			makers = frappe.get_all(
				"Portfolio Decision Maker",
				filters={"parenttype": "Customer Portfolio", "parent": ("in", customers)},
				fields=["parent", "contact"],
			)
			pairs += [(m.parent, m.contact) for m in makers]

		emails = dict(
			frappe.get_all(
				"Contact",
				filters={"name": ("in", list({c for _, c in pairs})), "email_id": ("is", "set")},
				fields=["name", "email_id"],
				as_list=True,
			)
		)
		seen, result = set(), []
		for customer, contact in sorted(pairs):
			if contact in emails and contact not in seen:
				seen.add(contact)
				result.append((customer, contact, emails[contact]))
		return result

	def _audience_customers(self) -> list[str]:
		if self.audience == "Chosen Customers":
			return [row.customer for row in self.customers]
		if self.audience == "Customer Group":
			return frappe.get_all(
				"Customer", filters={"customer_group": self.customer_group, "disabled": 0}, pluck="name"
			)
		return frappe.get_all(
			"Customer Portfolio", filters={"relationship_status": ("in", ["Active", "At Risk"])}, pluck="name"
		)

	def contacts_to_invite(self) -> list[tuple[str, str, str]]:
		"""(customer, contact, email) of the sampled audience not yet invited to this survey (the
		contact policy decides for each when its chunk is sent, and records who it held back)."""
		audience = self.audience_contacts()
		chosen = set(rules.sample([c for _, c, _ in audience], flt(self.sampling_percent), self.name))
		already = set(frappe.get_all(INVITATION, filters={"survey": self.name}, pluck="contact"))
		return [row for row in audience if row[1] in chosen and row[1] not in already]

	def send_invitations(self) -> int:
		"""Plan the sending: the contacts still to invite go out in chunks of ``SEND_CHUNK``, each
		its own job on the long queue (so any number of workers share a large audience, memory
		stays that of one chunk, and a failed chunk loses nothing already committed). Safe to run
		again: nobody is invited twice to one survey. Returns how many contacts were planned."""
		todo = self.contacts_to_invite()
		invited = frappe.db.count(INVITATION, {"survey": self.name})
		self.db_set("to_invite", invited + len(todo), update_modified=False)
		chunks = [todo[i : i + SEND_CHUNK] for i in range(0, len(todo), SEND_CHUNK)]
		for part, contacts in enumerate(chunks, 1):
			frappe.enqueue(
				send_invitation_chunk,
				survey=self.name,
				contacts=contacts,
				part=part,
				parts=len(chunks),
				queue="long",
				job_id=f"brm_survey_send::{self.name}::{part}",
				deduplicate=not frappe.flags.in_test,
				enqueue_after_commit=True,
				now=frappe.flags.in_test,
			)
		if not chunks:
			self.db_set("invited", invited_count(self.name), update_modified=False)
		return len(todo)

	def invite_chunk(self, contacts: list, part: int = 1, parts: int = 1) -> int:
		"""Invite one chunk. The survey's row is locked first, so two workers given overlapping
		chunks (a re-planned send) take turns and the second finds the first's invitations."""
		frappe.db.get_value("Satisfaction Survey", self.name, "name", for_update=True)
		if frappe.db.get_value("Satisfaction Survey", self.name, "status") != rules.OPEN:
			return 0
		keys = [contact for _, contact, _ in contacts]
		already = set(
			frappe.get_all(
				INVITATION, filters={"survey": self.name, "contact": ("in", keys)}, pluck="contact"
			)
			if keys
			else []
		)
		todo = [tuple(row) for row in contacts if row[1] not in already]
		decisions = contact_policy.decide(todo, contact_policy.RELATIONSHIP, now(), survey=self)
		# all in a few bulk statements (fanout.py); a contact given twice is invited once
		sent = len(
			insert_invitations(
				self,
				[
					{
						"customer": customer,
						"contact": contact,
						"email": email,
						"decision": decisions[contact_policy.key_of(contact, email)],
					}
					for customer, contact, email in todo
				],
				source=contact_policy.RELATIONSHIP,
			)
		)
		made = frappe.db.count(INVITATION, {"survey": self.name})
		invited = invited_count(self.name)
		self.db_set("invited", invited, update_modified=False)
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: each chunk is its own job and commits its invitations
		frappe.publish_progress(
			min(100, 100 * made / max(cint(self.to_invite), made, 1)),
			title=_("Sending invitations"),
			doctype=self.doctype,
			docname=self.name,
			description=_("{0} of {1} contacts done").format(made, max(cint(self.to_invite), made)),
		)
		return sent

	def evaluate_results(self) -> None:
		"""Compute and store the results; write current CSAT / NPS to the portfolios; open
		follow-ups for customers below the minimum level."""
		settings = frappe.get_cached_doc("BRM Settings")
		minimum, floor = flt(settings.minimum_csat), flt(settings.nps_floor)
		counts = self._invitation_counts()
		invited = sum(int(r.invited) for r in counts)
		responded = sum(int(r.responded or 0) for r in counts)
		overall = (answer_aggregates(filters={"survey": self.name}) or [frappe._dict()])[0]
		overall_measures = measures(overall) if overall.answers else EMPTY_MEASURES
		by_customer = {row.grp: row for row in answer_aggregates("customer", {"survey": self.name})}
		earlier_follow_ups = dict(
			frappe.get_all(
				"Survey Customer Result",
				filters={"parent": self.name, "parenttype": self.doctype, "follow_up": ("is", "set")},
				fields=["customer", "follow_up"],
				as_list=True,
			)
		)

		customer_results = []
		for row in sorted(counts, key=lambda r: r.customer):
			scores = measures(by_customer[row.customer]) if row.customer in by_customer else {}
			low = bool(scores and rules.below_minimum(_scores(scores), minimum, floor))
			result = {
				"customer": row.customer,
				"invited": row.invited,
				"responded": row.responded or 0,
				**scores,
				"below_minimum": int(low),
			}
			if low:
				result["follow_up"] = earlier_follow_ups.get(row.customer) or self.customer_follow_up(
					row.customer, scores
				)
			customer_results.append(result)
			if scores and frappe.db.exists("Customer Portfolio", row.customer):
				frappe.db.set_value(
					"Customer Portfolio",
					row.customer,
					{"current_csat": scores["csat"], "current_nps": scores["nps"], "last_survey": self.name},
					update_modified=False,
				)
		self.set_status(
			rules.EVALUATED,
			invited=invited,
			responded=responded,
			response_rate=rules.response_rate(responded, invited),
			# invitations a service incident held back (sent later, or still waiting)
			postponed_for_incidents=frappe.db.count(
				INVITATION, {"survey": self.name, "postponed_by": ("is", "set")}
			),
			held_back=frappe.db.count(INVITATION, {"survey": self.name, "status": rules.HELD_BACK}),
			held_back_summary=contact_policy.held_back_summary(self.name),
			response_rates=self.response_rate_rows(),
			**overall_measures,
			minimum_csat=minimum,
			meets_minimum=int(not rules.below_minimum(_scores(overall_measures), minimum, floor)),
			evaluated_on=now(),
			customer_results=customer_results,
			dimension_results=[
				{"dimension": row.grp or _("(none)"), "answers": row.answers, **measures(row)}
				for row in answer_aggregates("dimension", {"survey": self.name})
			],
			service_results=[
				{"service": row.grp, "responses": row.responses, **measures(row)}
				for row in answer_aggregates("service", {"survey": self.name})
				if row.grp
			],
		)
		if self.repeat_yearly:
			self.schedule_next_year()

	def response_rate_rows(self) -> list[dict]:
		"""The response rate by channel, language, tier and (transactional surveys) source;
		by customer it is in the customer results."""
		labels = {
			"channel": _("Channel"),
			"language": _("Language"),
			"tier": _("Tier"),
			"source": _("Source"),
		}
		by = ["channel", "language", "tier"] + (["source"] if self.kind == "Transactional" else [])
		return [
			{
				"breakdown": labels[kind],
				"value": _(row.value) if row.value else _("(not set)"),
				"invited": row.invited,
				"responded": row.responded,
				"response_rate": row.response_rate or 0,
			}
			for kind in by
			for row in response_rates(kind, {"survey": self.name})
		]

	def _invitation_counts(self) -> list:
		Inv = frappe.qb.DocType(INVITATION)
		return (
			frappe.qb.from_(Inv)
			.select(
				Inv.customer,
				Count(Inv.name).as_("invited"),
				Sum(Case().when(Inv.responded_on.isnotnull(), 1).else_(0)).as_("responded"),
			)
			.where(Inv.survey == self.name)
			# asked: sent or answered (not held back, not still waiting for a quiet period)
			.where(Coalesce(Inv.sent_on, Inv.responded_on).isnotnull())
			.groupby(Inv.customer)
			.run(as_dict=True)
		)

	def customer_follow_up(self, customer: str, scores: dict) -> str:
		"""One follow-up per customer and survey: a low response's follow-up already covers it."""
		responses = frappe.get_all(
			INVITATION, filters={"survey": self.name, "customer": customer}, pluck="name"
		)
		existing = frappe.db.get_value(
			"Complaint", {"customer": customer, "survey_invitation": ("in", responses or [""])}, "name"
		)
		if existing:
			return existing
		representative = frappe.db.get_value("Customer Portfolio", customer, "authorised_representative")
		return open_follow_up(
			customer,
			representative,
			_("Customer below the minimum satisfaction level in survey {0}").format(self.name),
			_("<p>{0}: CSAT {1}, NPS {2}, CES {3} (minimum CSAT {4}).</p>").format(
				self.title,
				_rounded(scores.get("csat"), 1),
				_rounded(scores.get("nps"), 1),
				_rounded(scores.get("ces"), 2),
				flt(frappe.get_cached_doc("BRM Settings").minimum_csat),
			),
		)

	def schedule_next_year(self) -> str | None:
		"""Relationship surveys at least once a year: the same survey again a year later."""
		send_on = getdate(add_to_date(self.send_on or now(), years=1))
		if frappe.db.exists(
			"Satisfaction Survey", {"title": self.title, "send_on": send_on, "name": ("!=", self.name)}
		):
			return None  # already repeated (it may be open or evaluated by now)
		copy = frappe.copy_doc(self, ignore_no_copy=False)  # results and status start afresh
		copy.send_on = send_on
		if self.period_start:
			copy.period_start = add_to_date(self.period_start, years=1)
		if self.period_end:
			copy.period_end = add_to_date(self.period_end, years=1)
		with process_update(copy, PROCESS_FIELDS):
			copy.status = rules.SCHEDULED
		return copy.name


def _scores(measured: dict) -> rules.Scores:
	return rules.Scores(csat=measured.get("csat"), nps=measured.get("nps"))


def _rounded(value, digits: int) -> str:
	return "-" if value is None else str(round(value, digits))


def send_invitations(survey: str) -> int:
	"""Background job (long queue): plan the invitations of a relationship survey."""
	return frappe.get_doc("Satisfaction Survey", survey).send_invitations()


def send_invitation_chunk(survey: str, contacts: list, part: int = 1, parts: int = 1) -> int:
	"""Background job (long queue): invite one chunk of a relationship survey's audience."""
	return frappe.get_doc("Satisfaction Survey", survey).invite_chunk(contacts, part, parts)


# ---------------------------------------------------------------------- daily jobs (daily_long)


def open_scheduled_surveys() -> int:
	"""Surveys scheduled for today or earlier open and (relationship surveys) invite."""
	names = frappe.get_all(
		"Satisfaction Survey", filters={"status": rules.SCHEDULED, "send_on": ("<=", today())}, pluck="name"
	)
	for name in names:
		frappe.get_doc("Satisfaction Survey", name).open()
	return len(names)


def resume_sending() -> int:
	"""Open relationship surveys whose sending stopped short (a worker killed, the database
	restarted mid-chunk): plan the rest. Nobody already invited is invited again."""
	resumed = 0
	for survey, planned in frappe.get_all(
		"Satisfaction Survey",
		filters={"status": rules.OPEN, "kind": "Relationship", "to_invite": (">", 0)},
		fields=["name", "to_invite"],
		as_list=True,
	):
		if frappe.db.count(INVITATION, {"survey": survey}) < planned:
			frappe.get_doc("Satisfaction Survey", survey).send_invitations()
			resumed += 1
	return resumed


def close_finished_surveys() -> int:
	"""Relationship surveys whose invitations have all been answered or expired: close and
	evaluate."""
	closed = 0
	for name in frappe.get_all(
		"Satisfaction Survey", filters={"status": rules.OPEN, "kind": "Relationship"}, pluck="name"
	):
		if frappe.db.count(INVITATION, {"survey": name}) and not frappe.db.exists(
			INVITATION, {"survey": name, "status": ("in", list(rules.AWAITING_ANSWER))}
		):
			survey = frappe.get_doc("Satisfaction Survey", name)
			survey.set_status(rules.CLOSED)
			survey.evaluate_results()
			closed += 1
	return closed
