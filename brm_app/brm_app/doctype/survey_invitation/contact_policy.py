"""The survey contact policy on the site: the policy from BRM Settings, what it needs to know
about each contact (a few grouped queries for any number of contacts), and its decisions.

Every source asks here before it asks a contact: the relationship survey's sending (a chunk at
a time), the transactional survey after a closed complaint or a resolved Issue, and the
rating request after a resolved Helpdesk ticket. The decision itself is pure
(``brm_app.rules.contact_policy``).
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import cint, get_datetime

from brm_app.rules import complaint as complaint_rules
from brm_app.rules import contact_policy as policy_rules
from brm_app.rules import survey as survey_rules
from brm_app.setup.contact_fields import EXCLUDED, OPT_OUT

INVITATION = "Survey Invitation"
RELATIONSHIP = policy_rules.RELATIONSHIP
TRANSACTIONAL = policy_rules.TRANSACTIONAL
HELPDESK_RATING = policy_rules.HELPDESK_RATING
SERIOUS = ("High", "Critical")
#: The reason codes of the pure rules as the invitation's "Held Back Because" shows them.
REASON_LABELS = {
	policy_rules.OPTED_OUT: "Opted Out",
	policy_rules.EXCLUDED: "Excluded",
	policy_rules.QUIET_COMPLAINT_OPEN: "Serious Complaint Open",
	policy_rules.QUIET_AFTER_COMPLAINT: "Complaint Just Closed",
	policy_rules.RECENTLY_ASKED: "Recently Asked",
	policy_rules.TOO_MANY: "Asked Too Often",
}
CODES = {label: code for code, label in REASON_LABELS.items()}


def reason_label(code: str | None) -> str | None:
	return REASON_LABELS.get(code) if code else None


def source_of(reference=None, survey=None) -> str:
	"""Which source asks: a Helpdesk ticket's rating request, a transactional survey after a
	complaint or an Issue, or a relationship survey."""
	if reference is not None and reference.doctype == "HD Ticket":
		return policy_rules.HELPDESK_RATING
	if reference is not None or (survey is not None and survey.kind == "Transactional"):
		return policy_rules.TRANSACTIONAL
	return policy_rules.RELATIONSHIP


def current_policy(survey=None) -> policy_rules.Policy:
	"""BRM Settings > Survey Contact Policy. A survey's own "minimum days between surveys"
	still applies when it asks for a longer gap."""
	settings = frappe.get_cached_doc("BRM Settings")
	gap = cint(settings.survey_min_gap_days)
	if survey is not None:
		gap = max(gap, cint(survey.get("min_days_between_surveys")))
	return policy_rules.Policy(
		max_surveys=cint(settings.survey_max_per_period),
		period_days=cint(settings.survey_period_days) or 90,
		min_gap_days=gap,
		max_reminders=cint(settings.survey_max_reminders),
		quiet_while_serious_complaint=bool(cint(settings.survey_quiet_while_serious_complaint)),
		quiet_days_after_complaint=cint(settings.survey_quiet_days_after_complaint),
	)


def key_of(contact: str | None, email: str | None) -> str:
	"""Who the policy counts: the contact, or the e-mail address where there is none."""
	return contact or (email or "").strip().lower()


def contact_states(
	rows: list[tuple], policy: policy_rules.Policy, at
) -> dict[str, policy_rules.ContactState]:
	"""What the policy needs to know of each (customer, contact, email), by contact (or e-mail
	address where there is no contact): four grouped queries whatever the number of rows."""
	contacts = sorted({c for _, c, _ in rows if c})
	emails = sorted({(e or "").strip().lower() for _, c, e in rows if not c and e})
	customers = sorted({cu for cu, _, _ in rows if cu})

	flags = {}  # key -> (opted out, excluded)
	Contact = frappe.qb.DocType("Contact")
	if contacts:
		for name, opted, excluded in (
			frappe.qb.from_(Contact)
			.select(Contact.name, Contact[OPT_OUT], Contact[EXCLUDED])
			.where(Contact.name.isin(contacts))
			.run()
		):
			flags[name] = (bool(opted), bool(excluded))
	if emails:
		for email, opted, excluded in (
			frappe.qb.from_(Contact)
			.select(Contact.email_id, Contact[OPT_OUT], Contact[EXCLUDED])
			.where(Contact.email_id.isin(emails))
			.run()
		):
			key = (email or "").lower()
			was = flags.get(key, (False, False))
			flags[key] = (was[0] or bool(opted), was[1] or bool(excluded))

	# Surveys asked (any source, any survey) within the longest window the policy looks at.
	days = max(policy.period_days if policy.max_surveys else 0, policy.min_gap_days, 1)
	since = at - timedelta(days=days)
	asked: dict[str, list] = {}
	Inv = frappe.qb.DocType(INVITATION)
	when = Coalesce(Inv.sent_on, Inv.responded_on)  # asked: sent, or answered elsewhere
	for by, keys in (("contact", contacts), ("email", emails)):
		if not keys:
			continue
		query = (
			frappe.qb.from_(Inv)
			.select(Inv[by], when.as_("on"), Inv.source)
			.where(Inv[by].isin(keys))
			# asked: sent (or answered elsewhere); not held back, not still waiting to go
			.where(when.isnotnull())
			.where(when >= since)
		)
		if by == "email":
			query = query.where(Inv.contact.isnull())
		for key, on, source in query.run():
			asked.setdefault(key.lower() if by == "email" else key, []).append(
				policy_rules.Asked(get_datetime(on), source or policy_rules.RELATIONSHIP)
			)

	serious, closed = set(), {}
	if customers:
		C = frappe.qb.DocType("Complaint")
		if policy.quiet_while_serious_complaint:
			serious = {
				row[0]
				for row in frappe.qb.from_(C)
				.select(C.customer)
				.distinct()
				.where(C.customer.isin(customers))
				.where(C.status.isin(complaint_rules.OPEN_STATUSES))
				.where(C.severity.isin(SERIOUS))
				.run()
			}
		if policy.quiet_days_after_complaint > 0:
			for customer, name, closed_on in (
				frappe.qb.from_(C)
				.select(C.customer, C.name, C.closed_on)
				.where(C.customer.isin(customers))
				.where(C.closed_on >= at - timedelta(days=policy.quiet_days_after_complaint))
				.run()
			):
				closed.setdefault(customer, []).append((name, get_datetime(closed_on)))

	states = {}
	for customer, contact, email in rows:
		key = key_of(contact, email)
		opted, excluded = flags.get(key, (False, False))
		states[key] = policy_rules.ContactState(
			opted_out=opted,
			excluded=excluded,
			asked=tuple(asked.get(key, ())),
			serious_complaint_open=customer in serious,
			closed_complaints=tuple(closed.get(customer, ())),
		)
	return states


def decide(
	rows: list[tuple],
	source: str,
	at,
	survey=None,
	complaint: str | None = None,
) -> dict[str, policy_rules.Decision]:
	"""The policy's decision for each (customer, contact, email), by contact (or e-mail).
	Within one batch a contact is asked once: the second row of the same contact waits."""
	policy = current_policy(survey)
	states = contact_states(rows, policy, at)
	request = policy_rules.Request(source=source, complaint=complaint)
	decisions = {}
	for _customer, contact, email in rows:
		key = key_of(contact, email)
		if key in decisions:
			continue
		decisions[key] = policy_rules.decide(policy, states[key], request, at)
	return decisions


def postpone_until(decision: policy_rules.Decision, at):
	"""When a postponed invitation is tried again: the end of the quiet period, or (while a
	serious complaint is open, an end nobody knows) tomorrow."""
	return decision.retry_on or at + timedelta(days=1)


def held_back_summary(survey: str) -> str:
	""" "Asked 812, held back 143: 97 recently asked, 31 opted out, 15 complaint just closed"
	for a survey (one grouped query)."""
	Inv = frappe.qb.DocType(INVITATION)

	rows = (
		frappe.qb.from_(Inv)
		.select(Inv.status, Inv.held_back_reason, Count("*"))
		.where(Inv.survey == survey)
		.groupby(Inv.status, Inv.held_back_reason)
		.run()
	)
	asked = invited_count(survey)
	held = {}
	for status, reason, n in rows:
		if status == survey_rules.HELD_BACK:
			held[reason or ""] = held.get(reason or "", 0) + n
	postponed = sum(n for status, reason, n in rows if reason and status == survey_rules.PENDING)
	if not held and not postponed:
		return _("Asked {0}, none held back by the contact policy.").format(asked)
	parts = ", ".join(
		f"{n} {_(label).lower()}" for label, n in sorted(held.items(), key=lambda item: (-item[1], item[0]))
	)
	text = _("Asked {0}, held back {1}").format(asked, sum(held.values()))
	if parts:
		text += ": " + parts
	if postponed:
		text += "; " + _("{0} waiting for a quiet period to end").format(postponed)
	return text


def opted_out_or_excluded(contact: str | None, email: str | None) -> str | None:
	""" "Opted Out" or "Excluded" for the contact (or, without one, any contact of the e-mail
	address), else None."""
	Contact = frappe.qb.DocType("Contact")
	query = frappe.qb.from_(Contact).select(Contact[OPT_OUT], Contact[EXCLUDED])
	if contact:
		query = query.where(Contact.name == contact)
	elif email:
		query = query.where(Contact.email_id == email.strip())
	else:
		return None
	rows = query.run()
	if any(opted for opted, _excluded in rows):
		return REASON_LABELS[policy_rules.OPTED_OUT]
	if any(excluded for _opted, excluded in rows):
		return REASON_LABELS[policy_rules.EXCLUDED]
	return None


def invited_count(survey: str) -> int:
	"""Contacts a survey asked: invitations sent or answered (not those the contact policy held
	back, nor those still waiting for a quiet period or for e-mail to work)."""
	Inv = frappe.qb.DocType(INVITATION)
	return (
		frappe.qb.from_(Inv)
		.select(Count("*"))
		.where(Inv.survey == survey)
		.where(Coalesce(Inv.sent_on, Inv.responded_on).isnotnull())
		.run()[0][0]
	)
