# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A relationship survey's chunk of invitations made at once (the fan-out).

``create_invitation`` followed by ``SurveyInvitation.send`` makes one invitation: one document
insert, one ``__Auth`` row, one ``frappe.sendmail`` (an Email Queue insert after rendering and
CSS-inlining the e-mail), about 95 ms each. ``insert_invitations`` makes a chunk's invitations
with the same values and e-mails in a bounded number of statements: names reserved from the
naming series in one UPDATE, the invitations, their encrypted tokens, the Email Queue rows and
their recipients each in one bulk INSERT, and the e-mail formatted once per language (the
e-mails of one language differ only by the link, the opt-out link and the names, filled in per
invitation). The decisions are ``create_invitation``'s and ``send``'s: held back, postponed by
the contact policy or by a service incident's quiet period, Pending without an outgoing e-mail
account, else Sent with its e-mail queued. The caller (``SatisfactionSurvey.invite_chunk``)
locks the survey, leaves out contacts already invited and commits the chunk as one transaction.
"""

import copy
import re

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.email.doctype.email_queue.email_queue import QueueBuilder
from frappe.model.naming import NamingSeries, make_autoname, parse_naming_series
from frappe.utils import add_days, cint, format_date, get_datetime
from frappe.utils.password import encrypt

from brm_app.brm_app.doctype.survey_invitation import contact_policy
from brm_app.brm_app.doctype.survey_invitation.survey_invitation import (
	INVITATION,
	hash_token,
	new_token,
	opt_out_link,
	render_email,
	survey_link,
)
from brm_app.rules import survey as rules
from brm_app.utils import now

#: Context values that differ from one invitation's e-mail to the next.
PER_INVITATION = ("customer_name", "contact_name", "link", "opt_out_link")
#: Values filled into an e-mail formatted once: they come out of Jinja, the CSS inliner and
#: the HTML serialiser unchanged. Others (``&``, quotes, markup) get an e-mail of their own.
PLAIN = re.compile(r"[\w .,:/?=@+~()-]*")
#: The invitation's own values (the rest are the DocType's defaults).
COPIED = (
	"name",
	"survey",
	"customer",
	"contact",
	"email",
	"status",
	"sent_on",
	"expires_on",
	"postponed_until",
	"postponed_by",
	"held_back_reason",
	"source",
	"language",
	"translation_missing",
)
#: E-mails (about 20 kB each) inserted per statement: the chunk's memory stays that of a few.
MAIL_BATCH = 100


def insert_invitations(survey, rows: list[dict], source: str = contact_policy.RELATIONSHIP) -> list[dict]:
	"""Make the invitations of ``rows`` (dicts with customer, contact, email, the contact
	policy's ``decision`` and optionally ``language``) for ``survey`` and queue the e-mails of
	those that go now. Returns the rows made (name, status, contact, email, ...). A contact
	(or e-mail address) given twice is invited once."""
	seen, todo = set(), []
	for row in rows:
		key = contact_policy.key_of(row.get("contact"), row.get("email"))
		if key not in seen:
			seen.add(key)
			todo.append(frappe._dict(row))
	if not todo:
		return []
	at = now()
	days = cint(survey.expires_after_days) or 21
	_add_names_and_languages(todo)
	_add_titles(survey, todo)
	quiet = _quiet_periods(todo, at)
	mail = _Mailer(survey, [r.email for r in todo])

	for row, name in zip(todo, _reserve_names(len(todo)), strict=True):
		row.update(
			name=name,
			survey=survey.name,
			token=new_token(),
			source=source,
			status=rules.PENDING,
			expires_on=add_days(at, days),
			sent_on=None,
			postponed_until=None,
			postponed_by=None,
			held_back_reason=None,
		)
		decision = row.get("decision")
		if decision is not None and not decision.send:  # as create_invitation
			row.held_back_reason = contact_policy.reason_label(decision.reason)
			if decision.postponed:
				row.postponed_until = _second(contact_policy.postpone_until(decision, at))
				row.expires_on = add_days(row.postponed_until, days)
			else:
				row.status = rules.HELD_BACK
		elif row.customer in quiet:  # as SurveyInvitation.send: a service incident's quiet period
			until, incident = quiet[row.customer]
			row.postponed_until = _second(until)
			row.postponed_by = incident
			row.expires_on = _second(max(get_datetime(row.expires_on), add_days(until, days)))
		elif mail.queue(row):  # the opt-out was checked by the policy a moment ago
			row.status = rules.SENT
			row.sent_on = at
	mail.report_missing_account()

	_insert_rows(todo)
	mail.insert()
	return todo


def _second(value):
	return get_datetime(value).replace(microsecond=0) if value else value


# ---------------------------------------------------------------------- what the rows need


def _add_names_and_languages(rows: list) -> None:
	"""The language to ask in (``contact_language`` for every row: the contact's portal user's,
	else the Customer's) and the names the e-mail greets, in three queries."""
	contacts = {r.contact for r in rows if r.contact}
	customers = {r.customer for r in rows if r.customer}
	contact_rows = (
		{
			c.name: c
			for c in frappe.get_all(
				"Contact", filters={"name": ("in", contacts)}, fields=["name", "first_name", "user"]
			)
		}
		if contacts
		else {}
	)
	users = {c.user for c in contact_rows.values() if c.user}
	user_languages = (
		dict(
			frappe.get_all("User", filters={"name": ("in", users)}, fields=["name", "language"], as_list=True)
		)
		if users
		else {}
	)
	customer_rows = (
		{
			c.name: c
			for c in frappe.get_all(
				"Customer",
				filters={"name": ("in", customers)},
				fields=["name", "customer_name", "language"],
			)
		}
		if customers
		else {}
	)
	for row in rows:
		contact = contact_rows.get(row.contact) or frappe._dict()
		customer = customer_rows.get(row.customer) or frappe._dict()
		if "language" not in row:
			row.language = (
				(user_languages.get(contact.user) if contact.user else None) or customer.language or None
			)
		row.contact_name = contact.first_name if row.contact else ""
		row.customer_name = customer.customer_name or row.customer


def _add_titles(survey, rows: list) -> None:
	"""The survey's title in each row's language (as ``send`` greets) and whether the template
	has a translation into it (as ``create_invitation`` records): once per language."""
	from brm_app.brm_app.doctype.survey_template.survey_template import translated

	by_language = {}
	for row in rows:
		if row.language not in by_language:
			by_language[row.language] = translated(survey.template, row.language, survey.title)
		row.survey_title = by_language[row.language].title
		row.translation_missing = int(by_language[row.language].missing)


def _quiet_periods(rows: list, at) -> dict:
	from brm_app.brm_app.doctype.service_incident.service_incident import survey_quiet_periods

	going = [r.customer for r in rows if r.get("decision") is None or r.decision.send]
	return survey_quiet_periods(going, at)


def _reserve_names(count: int) -> list[str]:
	"""``count`` names of the invitations' naming series (SINV-.YYYY.-), taken from the series
	counter with one UPDATE under the row lock ``frappe.model.naming.getseries`` takes too."""
	series = frappe.get_meta(INVITATION).get_field("naming_series").default or "SINV-.YYYY.-"
	counter = {}

	def placeholder(prefix: str, digits: int) -> str:
		counter.update(prefix=prefix, digits=digits)
		return "\0"

	pattern = parse_naming_series(NamingSeries(series).series, number_generator=placeholder)
	prefix, digits = counter["prefix"], counter["digits"]
	current = frappe.db.sql("select `current` from `tabSeries` where `name` = %s for update", prefix)
	if current and current[0][0] is not None:
		first = cint(current[0][0]) + 1
		frappe.db.sql("update `tabSeries` set `current` = `current` + %s where `name` = %s", (count, prefix))
	else:
		first = 1
		frappe.db.sql("insert into `tabSeries` (`name`, `current`) values (%s, %s)", (prefix, count))
	return [pattern.replace("\0", f"{number:0{digits}d}") for number in range(first, first + count)]


# ---------------------------------------------------------------------- the bulk inserts


def _new_row_values(doctype: str, at) -> dict:
	"""The columns a new ``doctype`` document inserts with, before its own values: Frappe's
	defaults (``Document._set_defaults``), owner and timestamps, as ``db_insert`` writes them."""
	doc = frappe.get_doc({"doctype": doctype})
	doc.set("__islocal", True)
	doc._set_defaults()
	doc.set_user_and_timestamp()
	doc.creation = doc.modified = at
	doc.docstatus = 0
	values = doc.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
	values["idx"] = 0
	return values


def _insert_rows(rows: list) -> None:
	base = _new_row_values(INVITATION, frappe.utils.now_datetime())
	fields = list(base)
	values, tokens = [], []
	for row in rows:
		# the status the controller accepts for a new invitation (and then for a sent one)
		start = rules.PENDING if row.status == rules.SENT else row.status
		if not rules.status_change_allowed(rules.INVITATION_TRANSITIONS, rules.INVITATION_START, None, start):
			frappe.throw(_("A survey invitation cannot start as {0}.").format(_(row.status)))
		values_of_row = {field: row.get(field) for field in COPIED} | {
			"token_hash": hash_token(row.token),
			"token": "*" * len(row.token),  # what Document._save_passwords leaves in the column
		}
		# as Document.insert: the defaults where the row has no value
		record = {**base, **{k: v for k, v in values_of_row.items() if v is not None}}
		values.append([record[f] for f in fields])
		tokens.append((INVITATION, row.name, "token", encrypt(row.token), 1))
	frappe.db.bulk_insert(INVITATION, fields, values)
	frappe.db.bulk_insert("__Auth", ["doctype", "name", "fieldname", "password", "encrypted"], tokens)


# ---------------------------------------------------------------------- the e-mails


class _InvitationMail(QueueBuilder):
	"""What ``frappe.sendmail(recipients=[email], subject=..., message=..., reference_doctype=
	"Survey Invitation", reference_name=...)`` queues, with the outgoing account and the
	unsubscribed addresses looked up once per chunk and the formatted HTML given when it was
	made once for many e-mails."""

	def __init__(self, account, html: str | None = None, **kwargs):
		super().__init__(**kwargs)
		self._email_account = account
		self._unsubscribed_user_emails = []  # the chunk's unsubscribed get no e-mail at all
		self._html = html

	def email_html_content(self):
		return self._html if self._html is not None else super().email_html_content()


class _Mailer:
	"""The chunk's e-mails: rendered (once per language and shape of the context, checked
	against a full rendering), then one Email Queue row and one recipient row each."""

	def __init__(self, survey, emails: list[str]):
		self.survey = survey
		settings = frappe.get_cached_doc("BRM Settings")
		self.template = settings.survey_invitation_template or "Survey Invitation"
		self.account = EmailAccount.find_outgoing(match_by_doctype=INVITATION)
		if self.account:
			# QueueBuilder.as_dict asks the database for the account for every e-mail: once here
			in_db = self.account.is_exists_in_db()
			self.account = copy.copy(self.account)  # the request's cached account stays as it is
			self.account.is_exists_in_db = lambda: in_db
		# Frappe's Email Unsubscribe: who unsubscribed from all e-mail (one query)
		self.unsubscribed = set(
			frappe.get_all(
				"Email Unsubscribe",
				filters={"email": ("in", sorted({e for e in emails if e}) or [""]), "global_unsubscribe": 1},
				pluck="email",
			)
		)
		self.rows: list[tuple] = []  # (queue data, recipients) not inserted yet
		self.waiting = 0  # invitations left Pending: no outgoing e-mail account
		self.formats: dict = {}  # group -> _Format, or False where filling in is not exact

	def queue(self, row) -> bool:
		"""Queue the invitation's e-mail, as ``SurveyInvitation.send``. False: it waits
		(no outgoing e-mail account)."""
		if row.email in self.unsubscribed:  # frappe.sendmail queues nothing; the invitation is Sent
			return True
		if not self.account:
			self.waiting += 1
			return False
		subject, message, html = self.content(row)
		builder = _InvitationMail(
			self.account,
			html=html,
			recipients=[row.email],
			subject=subject,
			message=message,
			reference_doctype=INVITATION,
			reference_name=row.name,
		)
		# QueueBuilder.process, without the insert
		final = builder.final_recipients()
		data = builder.as_dict(include_recipients=False)
		if data:
			self.rows.append((data, list(set(final + builder.final_cc() + builder.bcc))))
			if len(self.rows) >= MAIL_BATCH:
				self.insert()
		return True

	def context(self, row) -> dict:
		return {
			"survey_title": row.survey_title,
			"customer_name": row.customer_name,
			"contact_name": row.contact_name,
			"link": survey_link(row.token),
			"opt_out_link": opt_out_link(row.token),
			"expires_on": format_date(row.expires_on),
		}

	def content(self, row) -> tuple[str, str, str]:
		"""(subject, message, formatted HTML) of the row's e-mail."""
		context = self.context(row)
		filled = {k: context[k] for k in PER_INVITATION if context.get(k)}
		plain = all(PLAIN.fullmatch(str(v)) for v in filled.values())
		group = (
			row.language,
			tuple((k, bool(v)) if k in PER_INVITATION else (k, v) for k, v in sorted(context.items())),
		)
		made = self.formats.get(group)
		if plain and made:
			return made.fill(filled)
		full = self.render(context, row.language)
		if plain and made is None:
			made = _Format(self, context, row.language)
			self.formats[group] = made if made.fill(filled) == full else False
		return full

	def render(self, context: dict, language: str | None) -> tuple[str, str, str]:
		"""The e-mail as ``SurveyInvitation.send`` renders it, formatted as frappe.sendmail does."""
		email = render_email(self.template, context, language)
		builder = _InvitationMail(
			self.account,
			subject=email["subject"],
			message=email["message"],
			reference_doctype=INVITATION,
		)
		return email["subject"], email["message"], builder.email_html_content()

	def report_missing_account(self) -> None:
		if self.waiting:
			frappe.log_error(
				title=_("{0} survey invitations not sent").format(self.waiting),
				message=_("No outgoing e-mail account: they wait (Pending) for the daily job."),
				reference_doctype="Satisfaction Survey",
				reference_name=self.survey.name,
			)

	def insert(self) -> None:
		"""The Email Queue rows and their recipients, as ``EmailQueue.new`` would insert them."""
		if not self.rows:
			return
		at = frappe.utils.now_datetime()
		queue_base = _new_row_values("Email Queue", at)
		recipient_base = _new_row_values("Email Queue Recipient", at)
		queue_fields, recipient_fields = list(queue_base), list(recipient_base)
		queues, recipients = [], []
		for data, to in self.rows:
			name = make_autoname("hash", "Email Queue")
			queue = dict(queue_base, **{k: v for k, v in data.items() if k in queue_base}, name=name)
			queues.append([queue[f] for f in queue_fields])
			for idx, address in enumerate(to, 1):
				recipient = dict(
					recipient_base,
					name=make_autoname("hash", "Email Queue Recipient"),
					parent=name,
					parenttype="Email Queue",
					parentfield="recipients",
					idx=idx,
					recipient=address.strip(),
					status="Not Sent",
				)
				recipients.append([recipient[f] for f in recipient_fields])
		frappe.db.bulk_insert("Email Queue", queue_fields, queues)
		frappe.db.bulk_insert("Email Queue Recipient", recipient_fields, recipients)
		self.rows = []


class _Format:
	"""An e-mail rendered and formatted once with stand-ins for the per-invitation values,
	which ``fill`` replaces (plain text only: see ``PLAIN``)."""

	def __init__(self, mailer: _Mailer, context: dict, language: str | None):
		# a link's stand-in is a link too (Frappe makes relative links absolute)
		self.stand_ins = {
			k: ("https://" if str(context[k]).startswith(("http://", "https://")) else "") + f"brmfanout{i}x"
			for i, k in enumerate(PER_INVITATION)
			if context.get(k)
		}
		self.parts = mailer.render({**context, **self.stand_ins}, language)

	def fill(self, values: dict) -> tuple[str, str, str]:
		parts = self.parts
		for key, stand_in in self.stand_ins.items():
			parts = tuple(part.replace(stand_in, str(values[key])) for part in parts)
		return parts
