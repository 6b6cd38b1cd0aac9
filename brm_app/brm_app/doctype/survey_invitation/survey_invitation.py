# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""One contact asked to answer one survey. Made by its survey, never by hand.

The link's token is 256 random bits; it is stored only as a SHA-256 hash (for look-up) and
encrypted (to repeat the link in the reminder). The status changes only through
``set_status`` (rules in ``brm_app.rules.survey``).
"""

import hashlib
import hmac
import random
import secrets
from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, flt, get_datetime, get_url

from brm_app.brm_app.doctype.survey_invitation import contact_policy
from brm_app.brm_app.doctype.survey_invitation.contact_policy import invited_count
from brm_app.brm_app.doctype.survey_template.survey_template import translated
from brm_app.rules import complaint as complaint_rules
from brm_app.rules import survey as rules
from brm_app.utils import now, process_update, strip_microseconds

INVITATION = "Survey Invitation"
#: How many invitations one run of a daily job handles before it commits (chunks).
CHUNK = 500


class SurveyInvitation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.survey_answer.survey_answer import SurveyAnswer

		answers: DF.Table[SurveyAnswer]
		below_minimum: DF.Check
		ces: DF.Float
		contact: DF.Link | None
		csat: DF.Percent
		customer: DF.Link
		email: DF.Data
		expires_on: DF.Datetime | None
		follow_up: DF.Link | None
		naming_series: DF.Literal["SINV-.YYYY.-"]
		nps: DF.Float
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		reminded_on: DF.Datetime | None
		responded_on: DF.Datetime | None
		sent_on: DF.Datetime | None
		service: DF.Link | None
		status: DF.Literal["Pending", "Sent", "Reminded", "Responded", "Expired"]
		survey: DF.Link
		token: DF.Password | None
		token_hash: DF.Data | None
		weighted_score: DF.Percent
	# end: auto-generated types

	def validate(self):
		if not self.flags.process_update:
			frappe.throw(
				_("Survey invitations are made and kept by their survey; they cannot be changed by hand."),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)
		strip_microseconds(self)
		before = self.get_doc_before_save()
		old = before.status if before else None
		if not rules.status_change_allowed(
			rules.INVITATION_TRANSITIONS, rules.INVITATION_START, old, self.status
		):
			frappe.throw(
				_("A survey invitation cannot go from {0} to {1}.").format(_(old or ""), _(self.status))
			)

	def set_status(self, status: str, **values) -> None:
		"""The one way an invitation's status changes: checked and saved with the values."""
		with process_update(self, ()):
			self.update(values)
			self.status = status

	def state(self, at=None) -> str:
		"""open, responded or expired."""
		if self.responded_on:
			return "responded"
		# held back by the contact policy: never sent, so its link answers nothing
		if self.status in (rules.EXPIRED, rules.HELD_BACK) or (
			self.expires_on and get_datetime(self.expires_on) <= (at or now())
		):
			return "expired"
		return "open"

	def send(self, token: str, reminder: bool = False) -> bool:
		"""E-mail the link (or the reminder) from the template in BRM Settings.

		A missing e-mail account never blocks closing a complaint or resolving an Issue: the
		invitation stays Pending and the daily job sends it once e-mail works. While a service
		incident affects the customer (and for the quiet period after it) nothing is sent: the
		invitation waits (``postponed_until``) and the daily job sends it afterwards."""
		from brm_app.brm_app.doctype.service_incident.service_incident import survey_quiet_until

		until, incident = survey_quiet_until(self.customer)
		if until:
			self.postpone(until, incident, reminder)
			return False
		if self.preference_says_no():
			if not reminder:
				self.set_status(rules.HELD_BACK, held_back_reason=self.held_back_reason)
			return False

		settings = frappe.get_cached_doc("BRM Settings")
		template = (
			settings.survey_reminder_template or "Survey Reminder"
			if reminder
			else settings.survey_invitation_template or "Survey Invitation"
		)
		survey = frappe.get_cached_doc("Satisfaction Survey", self.survey)
		context = {
			"survey_title": translated(survey.template, self.language, survey.title).title,
			"customer_name": frappe.db.get_value("Customer", self.customer, "customer_name") or self.customer,
			"contact_name": frappe.db.get_value("Contact", self.contact, "first_name")
			if self.contact
			else "",
			"link": survey_link(token),
			"opt_out_link": opt_out_link(token),
			"expires_on": frappe.utils.format_date(self.expires_on),
		}
		email = render_email(template, context, self.language)
		try:
			_deliver(
				recipients=[self.email],
				subject=email["subject"],
				message=email["message"],
				reference_doctype=INVITATION,
				reference_name=self.name,
			)
		except frappe.OutgoingEmailError:
			frappe.log_error(title=_("Survey invitation {0} not sent").format(self.name))
			return False
		if reminder:
			self.set_status(rules.REMINDED, reminded_on=now(), reminders=cint(self.reminders) + 1)
		else:
			self.set_status(rules.SENT, sent_on=now())
		return True

	def preference_says_no(self) -> bool:
		"""The contact opted out or was excluded since this invitation was made (checked again
		just before each e-mail): nothing goes, and an unsent invitation is held back."""
		reason = contact_policy.opted_out_or_excluded(self.contact, self.email)
		if reason:
			self.held_back_reason = reason
		return bool(reason)

	def hold_back(self, decision, at) -> None:
		"""The contact policy said no when this invitation was due to go: postponed (a quiet
		period) it waits again, its expiry moving with it; otherwise it is held back for good."""
		reason = contact_policy.reason_label(decision.reason)
		if decision.postponed:
			until = contact_policy.postpone_until(decision, at)
			survey_days = (
				cint(frappe.db.get_value("Satisfaction Survey", self.survey, "expires_after_days")) or 21
			)
			self.db_set(
				{
					"postponed_until": until,
					"held_back_reason": reason,
					"expires_on": max(get_datetime(self.expires_on), add_days(until, survey_days)),
				},
				update_modified=False,
			)
			return
		self.set_status(rules.HELD_BACK, held_back_reason=reason)

	def postpone(self, until, incident: str, reminder: bool = False) -> None:
		"""Not now: an incident affects the customer. An invitation not yet sent waits until
		``until`` and its expiry moves with it (postponed, not lost); a reminder waits a day."""
		self.flags.postponed = True
		if reminder:
			return
		survey_days = (
			cint(frappe.db.get_value("Satisfaction Survey", self.survey, "expires_after_days")) or 21
		)
		values = {
			"postponed_until": until,
			"postponed_by": self.postponed_by or incident,
			"expires_on": max(get_datetime(self.expires_on), add_days(until, survey_days)),
		}
		self.db_set(values, update_modified=False)

	def record_response(
		self, questions: list[rules.Question], answers: dict[str, rules.Answer], channel: str | None = None
	) -> None:
		"""Store validated answers with their scores; a response below the minimum level opens
		a follow-up (ISO 10002: dissatisfaction is handled as a complaint). ``channel``: how the
		answer came (E-mail Link, Portal, Helpdesk Rating), for the response-rate breakdown."""
		rows, pairs = [], []
		for q in questions:
			a = answers.get(q.key)
			if not a or (a.score is None and not a.choice and not a.text):
				continue
			scored = q.kind in rules.SCORED_KINDS
			rows.append(
				{
					"question_key": q.key,
					"question": q.text,
					"kind": q.kind,
					"dimension": q.dimension,
					"weight": q.weight,
					"has_score": int(a.score is not None and scored),
					"score": a.score if scored else None,
					"choice": a.choice,
					"comment": a.text,
					# Ties a token-link answer to the person (personal data requests find it).
					"respondent": self.email,
				}
			)
			if scored:
				pairs.append((q, a.score))
		scores = rules.score_answers(pairs)
		settings = frappe.get_cached_doc("BRM Settings")
		low = bool(rules.below_minimum(scores, flt(settings.minimum_csat), flt(settings.nps_floor)))
		self.set_status(
			rules.RESPONDED,
			answers=rows,
			csat=scores.csat,
			nps=scores.nps,
			ces=scores.ces,
			weighted_score=scores.weighted,
			responded_on=now(),
			below_minimum=int(low),
			channel=channel or "E-mail Link",
		)
		if frappe.db.exists("Customer Portfolio", self.customer):
			frappe.db.set_value(
				"Customer Portfolio",
				self.customer,
				"last_survey_response",
				self.responded_on,
				update_modified=False,
			)
		if low:
			follow_up = open_follow_up(
				self.customer,
				self.contact,
				_("Low satisfaction in survey {0}").format(self.survey),
				self.describe_response(),
				invitation=self.name,
			)
			self.db_set("follow_up", follow_up, update_modified=False)

	def describe_response(self) -> str:
		rows = "".join(
			"<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(
				frappe.utils.escape_html(a.question or ""),
				a.score if a.has_score else frappe.utils.escape_html(a.choice or ""),
				frappe.utils.escape_html(a.comment or ""),
			)
			for a in self.answers
		)
		return "<p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>".format(
			_("Survey response {0} scored below the minimum level (CSAT {1}, NPS {2}).").format(
				self.name,
				"-" if self.csat is None else round(self.csat, 1),
				"-" if self.nps is None else round(self.nps, 1),
			),
			_("Question"),
			_("Answer"),
			_("Comment"),
			rows,
		)


# ---------------------------------------------------------------------- tokens and links


def new_token() -> str:
	"""256 random bits, URL-safe."""
	return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
	return hashlib.sha256((token or "").encode()).hexdigest()


def survey_link(token: str) -> str:
	return get_url(f"/survey?token={token}")


def opt_out_link(token: str) -> str:
	"""The one-click opt-out in every survey e-mail: a page that asks to confirm (a link
	opened by a mail scanner changes nothing)."""
	return get_url(f"/survey_preferences?token={token}")


def find_invitation(token: str | None) -> SurveyInvitation | None:
	"""The invitation a token opens, or None. Only the token's hash is stored and searched."""
	if not token or len(token) > 128:
		return None
	digest = hash_token(token)
	name = frappe.db.get_value(INVITATION, {"token_hash": digest}, "name")
	if not name:
		return None
	invitation = frappe.get_doc(INVITATION, name)
	if not hmac.compare_digest(invitation.token_hash or "", digest):
		return None
	return invitation


def create_invitation(
	survey,
	customer,
	contact,
	email,
	reference=None,
	service=None,
	send: bool = True,
	decision=None,
	source: str | None = None,
) -> SurveyInvitation:
	"""Make one invitation with a fresh token and e-mail the link (unless ``send`` is False:
	an answer given elsewhere is recorded on it).

	``decision`` is the contact policy's (``contact_policy.decide``): held back, the invitation
	is kept with the reason and never sent; postponed, it waits Pending until the quiet period
	ends (the daily job asks the policy again then)."""
	token = new_token()
	at = now()
	values = {
		"doctype": INVITATION,
		"survey": survey.name,
		"customer": customer,
		"contact": contact,
		"email": email,
		"token_hash": hash_token(token),
		"token": token,
		"status": rules.PENDING,
		"expires_on": add_days(at, cint(survey.expires_after_days) or 21),
		"reference_doctype": reference.doctype if reference else None,
		"reference_name": reference.name if reference else None,
		"service": service,
		"source": source or contact_policy.source_of(reference, survey),
		"language": contact_language(customer, contact),
	}
	# asked in a language the template has (all of it) no translation into: recorded
	values["translation_missing"] = int(translated(survey.template, values["language"], survey.title).missing)
	if decision is not None and not decision.send:
		values["held_back_reason"] = contact_policy.reason_label(decision.reason)
		if decision.postponed:
			until = contact_policy.postpone_until(decision, at)
			values["postponed_until"] = until
			values["expires_on"] = add_days(until, cint(survey.expires_after_days) or 21)
		else:
			values["status"] = rules.HELD_BACK
		send = False
	invitation = frappe.get_doc(values)
	invitation.flags.process_update = True
	invitation.insert(ignore_permissions=True)
	invitation.flags.process_update = False
	if send:
		invitation.send(token)
	return invitation


def contact_language(customer: str | None, contact: str | None) -> str | None:
	"""The language to ask in: the contact's portal user's, else the Customer's (ERPNext's
	Customer > Print Language), else none (the site's)."""
	user = frappe.db.get_value("Contact", contact, "user") if contact else None
	language = frappe.db.get_value("User", user, "language") if user else None
	if not language and customer:
		language = frappe.db.get_value("Customer", customer, "language")
	return language or None


def open_follow_up(customer, contact, subject, description, invitation=None) -> str:
	"""The investigation a low score calls for: a Complaint with channel Survey, owned by the
	relationship manager (through the complaint's owner rules), with its targets as due dates."""
	settings = frappe.get_cached_doc("BRM Settings")
	complaint = frappe.get_doc(
		{
			"doctype": "Complaint",
			"customer": customer,
			"contact": contact,
			"channel": "Survey",
			"subject": subject,
			"description": description,
			"severity": settings.survey_follow_up_severity or "High",
		}
	)
	with process_update(complaint, complaint_rules.PROCESS_FIELDS):
		complaint.survey_invitation = invitation
	return complaint.name


def invite_after(reference, customer: str | None, contact: str | None, email: str | None, service=None):
	"""Invite a customer's contact to the transactional survey after a closed complaint or
	resolved Issue / HD Ticket, honouring its sampling and the contact policy (a held-back
	invitation is kept with its reason). Returns the invitation."""
	survey_name = frappe.db.get_single_value("BRM Settings", "transactional_survey")
	if not (survey_name and customer and email):
		return None
	survey = frappe.get_doc("Satisfaction Survey", survey_name)
	if survey.status != rules.OPEN or survey.kind != "Transactional":
		return None
	if frappe.db.exists(
		INVITATION, {"reference_doctype": reference.doctype, "reference_name": reference.name}
	):
		return None
	if not rules.sampled_in(flt(survey.sampling_percent), random.random()):
		return None
	source = contact_policy.source_of(reference, survey)
	row = (customer, contact, email)
	decision = contact_policy.decide(
		[row],
		source,
		now(),
		survey=survey,
		complaint=reference.name if reference.doctype == "Complaint" else None,
	)[contact_policy.key_of(contact, email)]
	invitation = create_invitation(
		survey,
		customer,
		contact,
		email,
		reference=reference,
		service=service,
		decision=decision,
		source=source,
	)
	survey.db_set("invited", invited_count(survey.name), update_modified=False)
	return invitation


def open_invitations_for(user: str) -> list[dict]:
	"""Open invitations of the contacts of a logged-in portal user, with their links."""
	contacts = frappe.get_all("Contact", filters={"user": user}, pluck="name")
	if not contacts:
		return []
	rows = frappe.get_all(
		INVITATION,
		filters={
			"contact": ("in", contacts),
			"responded_on": ("is", "not set"),
			"status": ("in", [rules.SENT, rules.REMINDED]),
			"expires_on": (">", now()),
		},
		fields=["name", "survey", "expires_on"],
		order_by="creation desc",
	)
	return [
		{
			"title": frappe.db.get_value("Satisfaction Survey", row.survey, "title"),
			"expires_on": row.expires_on,
			"link": survey_link(frappe.get_doc(INVITATION, row.name).get_password("token")),
		}
		for row in rows
	]


def answered_invitations_for(user: str, limit: int = 50) -> list[dict]:
	"""Surveys the contacts of a logged-in portal user have answered, newest first."""
	contacts = frappe.get_all("Contact", filters={"user": user}, pluck="name")
	if not contacts:
		return []
	rows = frappe.get_all(
		INVITATION,
		filters={"contact": ("in", contacts), "responded_on": ("is", "set")},
		fields=["survey", "responded_on"],
		order_by="responded_on desc",
		limit=limit,
	)
	titles = (
		dict(
			frappe.get_all(
				"Satisfaction Survey",
				filters={"name": ("in", list({r.survey for r in rows}))},
				fields=["name", "title"],
				as_list=True,
			)
		)
		if rows
		else {}
	)
	return [
		{"title": titles.get(r.survey, r.survey), "on": frappe.utils.format_date(r.responded_on)}
		for r in rows
	]


def render_email(template: str, context: dict, language: str | None = None) -> dict:
	"""The e-mail template rendered in the contact's language (its ``_()`` strings translated
	by Frappe), with the survey's title in that language where the template has it."""
	from frappe.translate import print_language

	with print_language(language or frappe.local.lang):
		# cached: a survey's chunk renders it once per language, not once per invitation
		return frappe.get_cached_doc("Email Template", template).get_formatted_email(context)


def _deliver(**kwargs) -> None:
	frappe.sendmail(**kwargs)


# ---------------------------------------------------------------------- daily jobs (daily_long)


def send_pending_invitations() -> int:
	"""Invitations whose e-mail could not go out when they were made (no e-mail account then),
	and those the contact policy postponed (a quiet period) whose day has come: the policy is
	asked again for each chunk, so a contact asked by another source meanwhile is held back."""
	at = now()
	rows = frappe.get_all(
		INVITATION,
		filters={"status": rules.PENDING, "expires_on": (">", at)},
		# postponed for an incident or by the contact policy: not before the day it may go
		or_filters=[["postponed_until", "is", "not set"], ["postponed_until", "<=", at]],
		fields=["name", "customer", "contact", "email", "source", "reference_doctype", "reference_name"],
		order_by="creation asc",
		limit=CHUNK,
	)
	groups: dict[tuple, list] = {}  # (source, complaint): one policy question per group
	for row in rows:
		complaint = row.reference_name if row.reference_doctype == "Complaint" else None
		groups.setdefault((row.source or contact_policy.RELATIONSHIP, complaint), []).append(row)
	decisions = {}
	for (source, complaint), group in groups.items():
		by_key = contact_policy.decide(
			[(r.customer, r.contact, r.email) for r in group], source, at, complaint=complaint
		)
		for row in group:
			decisions[row.name] = by_key[contact_policy.key_of(row.contact, row.email)]
	sent, asked = 0, set()
	for row in rows:
		invitation = frappe.get_doc(INVITATION, row.name)
		decision = decisions[row.name]
		key = contact_policy.key_of(row.contact, row.email)
		if decision.send and key in asked:  # two waiting for one contact: one goes now
			decision = contact_policy.policy_rules.Decision(
				False, contact_policy.policy_rules.RECENTLY_ASKED, at + timedelta(days=1)
			)
		if not decision.send:
			invitation.hold_back(decision, at)
			continue
		if not invitation.send(invitation.get_password("token")):
			if invitation.flags.postponed or invitation.status == rules.HELD_BACK:
				continue
			break  # e-mail still fails: try again tomorrow
		asked.add(key)
		sent += 1
	return sent


def send_reminders() -> int:
	"""Reminders to those who have not answered, the survey's number of days after sending
	(and after each reminder), up to the contact policy's cap; none to a contact who opted
	out or was excluded meanwhile."""
	at = now()
	max_reminders = contact_policy.current_policy().max_reminders
	if max_reminders <= 0:
		return 0
	Inv = frappe.qb.DocType(INVITATION)
	S = frappe.qb.DocType("Satisfaction Survey")
	pending = (
		frappe.qb.from_(Inv)
		.join(S)
		.on(S.name == Inv.survey)
		.select(Inv.name, Inv.sent_on, Inv.reminded_on, Inv.reminders, S.remind_after_days)
		.where(Inv.status.isin([rules.SENT, rules.REMINDED]))
		.where(Inv.responded_on.isnull())
		.where(Inv.expires_on > at)
		.where(S.remind_after_days > 0)
		.run(as_dict=True)
	)
	reminded = 0
	for row in pending:
		if rules.due_for_reminder(
			row.sent_on, row.reminded_on, False, at, row.remind_after_days, row.reminders, max_reminders
		):
			invitation = frappe.get_doc(INVITATION, row.name)
			reminded += invitation.send(invitation.get_password("token"), reminder=True)
	return reminded


def expire_invitations(survey: str | None = None) -> int:
	"""Unanswered invitations past their expiry (or, for a closed survey, all of them)."""
	filters = {"status": ("in", list(rules.AWAITING_ANSWER))}
	if survey:
		filters["survey"] = survey
	else:
		filters["expires_on"] = ("<=", now())
	expired = 0
	while names := frappe.get_all(INVITATION, filters=filters, pluck="name", limit=CHUNK):
		for name in names:
			frappe.get_doc(INVITATION, name).set_status(rules.EXPIRED)
		expired += len(names)
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: a long job commits each chunk
	return expired


def on_doctype_update():
	from brm_app.setup.indexes import add_customer_index

	add_customer_index("Survey Invitation")
