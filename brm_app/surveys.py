"""Customer satisfaction surveys: invitations, answering by token, evaluation, follow-up.

Rules and formulas are in ``brm_app.rules.survey``; this module gathers data, calls them and
saves. Sending and the daily sweep run as background jobs (RQ) through the Frappe scheduler.
"""

import hashlib
import hmac
import random
import secrets

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max, Sum
from frappe.rate_limiter import rate_limit
from frappe.utils import add_days, add_to_date, cint, flt, get_datetime, get_url, getdate, now_datetime

from brm_app.rules import survey as rules

INVITATION = "Survey Invitation"
RESOLVED_ISSUE_STATUSES = ("Resolved", "Closed")


# ---------------------------------------------------------------------- tokens


def new_token() -> str:
	"""256 random bits, URL-safe."""
	return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
	return hashlib.sha256((token or "").encode()).hexdigest()


def survey_link(token: str) -> str:
	return get_url(f"/survey?token={token}")


def find_invitation(token: str | None):
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


def invitation_state(invitation, now=None) -> str:
	"""open, responded or expired."""
	if invitation.responded_on:
		return "responded"
	if invitation.status == "Expired" or (
		invitation.expires_on and get_datetime(invitation.expires_on) <= (now or now_datetime())
	):
		return "expired"
	return "open"


# ---------------------------------------------------------------------- templates


def questions_of(template) -> list[rules.Question]:
	"""The rule-side view of a Survey Template's questions (keyed by row name)."""
	if isinstance(template, str):
		template = frappe.get_cached_doc("Survey Template", template)
	return [
		rules.Question(
			key=row.name,
			kind=row.kind,
			text=row.question,
			dimension=row.dimension or None,
			weight=flt(row.weight),
			mandatory=bool(row.mandatory),
			comment_required_at_or_below=cint(row.comment_required_at_or_below) or None,
			options=tuple(o.strip() for o in (row.options or "").splitlines() if o.strip()),
		)
		for row in template.questions
	]


# ---------------------------------------------------------------------- audience and sending


def audience_contacts(survey) -> list[tuple[str, str, str]]:
	"""(customer, contact, email) to ask for a relationship survey, before sampling."""
	if survey.audience == "Chosen Customers":
		customers = [row.customer for row in survey.customers]
	elif survey.audience == "Customer Group":
		customers = frappe.get_all(
			"Customer", filters={"customer_group": survey.customer_group, "disabled": 0}, pluck="name"
		)
	else:
		customers = frappe.get_all(
			"Customer Portfolio",
			filters={"relationship_status": ("in", ["Active", "At Risk"])},
			pluck="name",
		)
	if not customers:
		return []

	if survey.contacts_to_ask == "All Contacts":
		links = frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": ("in", customers)},
			fields=["parent as contact", "link_name as customer"],
		)
		pairs = [(row.customer, row.contact) for row in links]
	else:
		pairs = []
		portfolios = frappe.get_all(
			"Customer Portfolio",
			filters={"name": ("in", customers)},
			fields=["name", "authorised_representative"],
		)
		pairs += [(p.name, p.authorised_representative) for p in portfolios if p.authorised_representative]
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


def last_invited(contacts: list[str], by: str = "contact") -> dict:
	"""When each contact (or e-mail address, ``by="email"``) was last invited to any survey
	(one grouped query)."""
	if not contacts:
		return {}
	Inv = frappe.qb.DocType(INVITATION)
	rows = (
		frappe.qb.from_(Inv)
		.select(Inv[by], Max(Inv.creation))
		.where(Inv[by].isin(contacts))
		.groupby(Inv[by])
		.run()
	)
	return {key: when for key, when in rows}


def send_invitations(survey: str) -> int:
	"""Background job: invite the sampled audience of a relationship survey not asked recently."""
	doc = frappe.get_doc("Satisfaction Survey", survey)
	audience = audience_contacts(doc)
	chosen = set(rules.sample([c for _, c, _ in audience], flt(doc.sampling_percent), doc.name))
	already = set(frappe.get_all(INVITATION, filters={"survey": doc.name}, pluck="contact"))
	recent = rules.recently_surveyed(
		list(chosen), last_invited(list(chosen)), now_datetime(), cint(doc.min_days_between_surveys)
	)
	sent = 0
	for customer, contact, email in audience:
		if contact in chosen and contact not in already and contact not in recent:
			create_invitation(doc, customer, contact, email)
			sent += 1
	doc.db_set("invited", frappe.db.count(INVITATION, {"survey": doc.name}))
	return sent


def create_invitation(survey, customer, contact, email, reference=None, service=None):
	"""Make one invitation with a fresh token and e-mail the link. Returns the invitation."""
	token = new_token()
	now = now_datetime()
	invitation = frappe.get_doc(
		{
			"doctype": INVITATION,
			"survey": survey.name,
			"customer": customer,
			"contact": contact,
			"email": email,
			"token_hash": hash_token(token),
			"token": token,
			"status": "Pending",
			"expires_on": add_days(now, cint(survey.expires_after_days) or 21),
			"reference_doctype": reference.doctype if reference else None,
			"reference_name": reference.name if reference else None,
			"service": service,
		}
	).insert(ignore_permissions=True)
	send_invitation_email(invitation, token, reminder=False)
	return invitation


def send_invitation_email(invitation, token: str, reminder: bool) -> bool:
	from frappe.email.doctype.email_template.email_template import get_email_template

	settings = frappe.get_cached_doc("BRM Settings")
	template = (
		settings.survey_reminder_template or "Survey Reminder"
		if reminder
		else settings.survey_invitation_template or "Survey Invitation"
	)
	survey = frappe.get_cached_doc("Satisfaction Survey", invitation.survey)
	context = {
		"survey_title": survey.title,
		"customer_name": frappe.db.get_value("Customer", invitation.customer, "customer_name")
		or invitation.customer,
		"contact_name": frappe.db.get_value("Contact", invitation.contact, "first_name")
		if invitation.contact
		else "",
		"link": survey_link(token),
		"expires_on": frappe.utils.format_date(invitation.expires_on),
	}
	email = get_email_template(template, context)
	try:
		_deliver(
			recipients=[invitation.email],
			subject=email["subject"],
			message=email["message"],
			reference_doctype=INVITATION,
			reference_name=invitation.name,
		)
	except frappe.OutgoingEmailError:
		# Never let a missing e-mail account block closing a complaint or resolving an Issue:
		# the invitation stays Pending and the daily job sends it once e-mail works.
		frappe.log_error(title=_("Survey invitation {0} not sent").format(invitation.name))
		return False
	now = now_datetime()
	if reminder:
		invitation.db_set({"reminded_on": now, "status": "Reminded"})
	else:
		invitation.db_set({"sent_on": now, "status": "Sent"})
	return True


def _deliver(**kwargs) -> None:
	frappe.sendmail(**kwargs)


def has_outgoing_email() -> bool:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing())


# ---------------------------------------------------------------------- transactional surveys


def invite_after(reference, customer: str | None, contact: str | None, email: str | None, service=None):
	"""Invite a customer's contact to the transactional survey after a closed complaint or
	resolved Issue / HD Ticket, honouring its sampling and interval. Returns the invitation."""
	survey_name = frappe.db.get_single_value("BRM Settings", "transactional_survey")
	if not (survey_name and customer and email):
		return None
	survey = frappe.get_doc("Satisfaction Survey", survey_name)
	if survey.status != "Open" or survey.kind != "Transactional":
		return None
	if frappe.db.exists(
		INVITATION, {"reference_doctype": reference.doctype, "reference_name": reference.name}
	):
		return None
	if not rules.sampled_in(flt(survey.sampling_percent), random.random()):
		return None
	who, by = (contact, "contact") if contact else (email, "email")
	if rules.recently_surveyed(
		[who], last_invited([who], by=by), now_datetime(), cint(survey.min_days_between_surveys)
	):
		return None
	invitation = create_invitation(survey, customer, contact, email, reference=reference, service=service)
	frappe.db.set_value(
		"Satisfaction Survey", survey.name, "invited", frappe.db.count(INVITATION, {"survey": survey.name})
	)
	return invitation


def on_issue_update(doc, method=None) -> None:
	"""doc_events: an ERPNext Issue resolved or closed invites its customer to the survey."""
	before = doc.get_doc_before_save()
	if doc.status in RESOLVED_ISSUE_STATUSES and (not before or before.status not in RESOLVED_ISSUE_STATUSES):
		email = doc.raised_by or (
			frappe.db.get_value("Contact", doc.contact, "email_id") if doc.contact else None
		)
		invite_after(doc, doc.customer, doc.contact, email)


def on_hd_ticket_update(doc, method=None) -> None:
	"""doc_events (only fires where Frappe Helpdesk is installed): a resolved HD Ticket."""
	before = doc.get_doc_before_save()
	if doc.status in RESOLVED_ISSUE_STATUSES and (not before or before.status not in RESOLVED_ISSUE_STATUSES):
		customer = (
			frappe.db.get_value("HD Customer", doc.get("customer"), "erpnext_customer")
			if doc.get("customer")
			else None
		)
		contact = doc.get("contact")
		invite_after(doc, customer, contact, doc.get("raised_by"))


# ---------------------------------------------------------------------- answering


def answer_message(code: str, question: str) -> str:
	return {
		rules.MISSING: _("Please answer: {0}"),
		rules.OUT_OF_RANGE: _("The score given is outside the scale for: {0}"),
		rules.NOT_AN_OPTION: _("Choose one of the offered answers for: {0}"),
		rules.COMMENT_REQUIRED: _("Please tell us why, for: {0}"),
		rules.UNKNOWN_QUESTION: _("An answer was sent for a question that is not in this survey."),
	}[code].format(frappe.utils.escape_html(question or ""))


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 10)
def submit_response(token: str, answers: dict | str) -> dict:
	"""Answer a survey with the token from the invitation link. No login needed.

	Every answer is validated first; on any problem nothing is saved.
	"""
	invitation = find_invitation(token)
	if not invitation:
		frappe.throw(_("This survey link is not valid."), frappe.DoesNotExistError, title=_("Unknown Link"))
	# Lock the row: two simultaneous submits of one link cannot both pass the check below.
	invitation = frappe.get_doc(INVITATION, invitation.name, for_update=True)
	state = invitation_state(invitation)
	if state == "responded":
		frappe.throw(_("This survey has already been answered. Thank you!"), title=_("Already Answered"))
	if state == "expired":
		frappe.throw(_("This survey has expired."), title=_("Expired"))

	survey = frappe.get_cached_doc("Satisfaction Survey", invitation.survey)
	questions = questions_of(survey.template)
	by_key = {q.key: q for q in questions}
	answers = frappe.parse_json(answers) or {}
	if not isinstance(answers, dict):
		frappe.throw(_("The answers could not be read."))
	parsed: dict[str, rules.Answer] = {}
	problems = []
	for key, value in answers.items():
		value = value if isinstance(value, dict) else {"score": value}
		try:
			score = rules.parse_score(value.get("score"))
		except (TypeError, ValueError):
			problems.append(answer_message(rules.OUT_OF_RANGE, by_key[key].text if key in by_key else key))
			continue
		parsed[key] = rules.Answer(
			key=key,
			score=score,
			choice=(value.get("choice") or None),
			text=(str(value.get("text") or "").strip() or None),
		)
	for code, key in rules.answer_errors(questions, parsed):
		problems.append(answer_message(code, by_key[key].text if key in by_key else key))
	if problems:
		frappe.throw("<br>".join(problems), frappe.ValidationError, title=_("Please Check Your Answers"))

	record_response(invitation, questions, parsed)
	return {"status": "ok", "message": _("Thank you for your answers.")}


def record_response(invitation, questions: list[rules.Question], answers: dict[str, rules.Answer]) -> None:
	invitation.answers = []
	pairs = []
	for q in questions:
		a = answers.get(q.key)
		if not a or (a.score is None and not a.choice and not a.text):
			continue
		invitation.append(
			"answers",
			{
				"question_key": q.key,
				"question": q.text,
				"kind": q.kind,
				"dimension": q.dimension,
				"weight": q.weight,
				"has_score": int(a.score is not None and q.kind in rules.SCORED_KINDS),
				"score": a.score if q.kind in rules.SCORED_KINDS else None,
				"choice": a.choice,
				"comment": a.text,
			},
		)
		if q.kind in rules.SCORED_KINDS:
			pairs.append((q, a.score))
	scores = rules.score_answers(pairs)
	settings = frappe.get_cached_doc("BRM Settings")
	invitation.update(
		{
			"csat": scores.csat,
			"nps": scores.nps,
			"ces": scores.ces,
			"weighted_score": scores.weighted,
			"responded_on": now_datetime(),
			"status": "Responded",
			"below_minimum": int(
				bool(rules.below_minimum(scores, flt(settings.minimum_csat), flt(settings.nps_floor)))
			),
		}
	)
	invitation.save(ignore_permissions=True)
	if frappe.db.exists("Customer Portfolio", invitation.customer):
		frappe.db.set_value(
			"Customer Portfolio",
			invitation.customer,
			"last_survey_response",
			invitation.responded_on,
			update_modified=False,
		)
	if invitation.below_minimum:
		follow_up = open_follow_up(
			invitation.customer,
			invitation.contact,
			_("Low satisfaction in survey {0}").format(invitation.survey),
			describe_response(invitation),
			invitation=invitation.name,
		)
		invitation.db_set("follow_up", follow_up)


def describe_response(invitation) -> str:
	rows = "".join(
		"<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(
			frappe.utils.escape_html(a.question or ""),
			a.score if a.has_score else frappe.utils.escape_html(a.choice or ""),
			frappe.utils.escape_html(a.comment or ""),
		)
		for a in invitation.answers
	)
	return "<p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>".format(
		_("Survey response {0} scored below the minimum level (CSAT {1}, NPS {2}).").format(
			invitation.name,
			"-" if invitation.csat is None else round(invitation.csat, 1),
			"-" if invitation.nps is None else round(invitation.nps, 1),
		),
		_("Question"),
		_("Answer"),
		_("Comment"),
		rows,
	)


def open_follow_up(customer, contact, subject, description, invitation=None) -> str:
	"""The investigation seed 000 §6.3 asks for: a Complaint with channel Survey, owned by the
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
			"survey_invitation": invitation,
		}
	)
	complaint.flags.ignore_permissions = True
	complaint.insert()
	return complaint.name


# ---------------------------------------------------------------------- evaluation


GROUPINGS = ("customer", "dimension", "service", "survey", "month")


def answer_aggregates(group_by: str | None = None, filters: dict | None = None) -> list:
	"""Grouped counts and sums over the answers of responded invitations (one SQL query),
	from which ``measures`` applies the formulas. ``group_by`` is one of GROUPINGS; rows then
	carry it as ``grp``. ``filters``: survey, customer, dimension, service, from_date, to_date."""
	from pypika import CustomFunction

	filters = frappe._dict(filters or {})
	A = frappe.qb.DocType("Survey Answer")
	Inv = frappe.qb.DocType(INVITATION)

	def when(cond, value=1):
		return Sum(Case().when(cond, value).else_(0))

	scored = A.has_score == 1
	norm = Case()
	for kind, (low, high) in rules.RANGES.items():
		norm = norm.when(A.kind == kind, (A.score - low) * 100.0 / (high - low))
	query = (
		frappe.qb.from_(A)
		.join(Inv)
		.on((A.parent == Inv.name) & (A.parenttype == INVITATION))
		.select(
			when(scored & (A.kind == rules.RATING)).as_("rating_n"),
			when(scored & (A.kind == rules.RATING) & (A.score >= 4)).as_("rating_satisfied"),
			when(scored & (A.kind == rules.NPS)).as_("nps_n"),
			when(scored & (A.kind == rules.NPS) & (A.score >= 9)).as_("promoters"),
			when(scored & (A.kind == rules.NPS) & (A.score <= 6)).as_("detractors"),
			when(scored & (A.kind == rules.CES)).as_("ces_n"),
			when(scored & (A.kind == rules.CES), A.score).as_("ces_sum"),
			when(scored & (A.weight > 0), A.weight).as_("weight_sum"),
			Sum(Case().when(scored & (A.weight > 0), A.weight * norm).else_(0)).as_("weighted_sum"),
			Count(A.name).as_("answers"),
			Count(Inv.name).distinct().as_("responses"),
		)
		.where(Inv.responded_on.isnotnull())
	)
	for field in ("survey", "customer", "service"):
		if filters.get(field):
			query = query.where(Inv[field] == filters[field])
	if filters.get("customers") is not None:
		query = query.where(Inv.customer.isin(list(filters.customers) or [""]))
	if filters.get("reference_doctypes"):
		query = query.where(Inv.reference_doctype.isin(list(filters.reference_doctypes)))
	if filters.get("dimension"):
		query = query.where(A.dimension == filters.dimension)
	if filters.get("from_date"):
		query = query.where(Inv.responded_on >= get_datetime(filters.from_date))
	if filters.get("to_date"):
		query = query.where(Inv.responded_on < add_days(get_datetime(filters.to_date), 1))
	if group_by:
		if group_by not in GROUPINGS:
			frappe.throw(_("Cannot group by {0}.").format(group_by))
		if group_by == "month":
			field = CustomFunction("DATE_FORMAT", ["date", "format"])(Inv.responded_on, "%Y-%m")
		elif group_by == "dimension":
			field = A.dimension
		else:
			field = Inv[group_by]
		query = query.select(field.as_("grp")).groupby(field).orderby(field)
	return query.run(as_dict=True)


def measures(row) -> dict:
	"""The formulas of brm-spec.md applied to one row of grouped counts."""
	return {
		"csat": rules.csat_from_counts(row.rating_satisfied, row.rating_n),
		"nps": rules.nps_from_counts(row.promoters, row.detractors, row.nps_n),
		"ces": rules.mean(row.ces_sum, row.ces_n),
		"weighted_score": rules.mean(row.weighted_sum, row.weight_sum),
	}


def evaluate_survey(name: str) -> "frappe.model.document.Document":
	"""Compute and store the survey's results; write current CSAT / NPS to the portfolios;
	open follow-ups for customers below the minimum level."""
	survey = frappe.get_doc("Satisfaction Survey", name)
	settings = frappe.get_cached_doc("BRM Settings")
	minimum, floor = flt(settings.minimum_csat), flt(settings.nps_floor)

	Inv = frappe.qb.DocType(INVITATION)
	counts = (
		frappe.qb.from_(Inv)
		.select(
			Inv.customer,
			Count(Inv.name).as_("invited"),
			Sum(Case().when(Inv.responded_on.isnotnull(), 1).else_(0)).as_("responded"),
		)
		.where(Inv.survey == name)
		.groupby(Inv.customer)
		.run(as_dict=True)
	)
	invited = sum(int(r.invited) for r in counts)
	responded = sum(int(r.responded or 0) for r in counts)
	overall = (answer_aggregates(filters={"survey": name}) or [frappe._dict()])[0]
	overall_measures = (
		measures(overall) if overall.answers else dict.fromkeys(("csat", "nps", "ces", "weighted_score"))
	)

	survey.update(
		{
			"invited": invited,
			"responded": responded,
			"response_rate": rules.response_rate(responded, invited),
			**overall_measures,
			"minimum_csat": minimum,
			"meets_minimum": int(
				not rules.below_minimum(
					rules.Scores(csat=overall_measures["csat"], nps=overall_measures["nps"]), minimum, floor
				)
			),
			"evaluated_on": now_datetime(),
			"status": "Evaluated",
		}
	)
	survey.dimension_results = []
	for row in answer_aggregates("dimension", {"survey": name}):
		survey.append(
			"dimension_results",
			{"dimension": row.grp or _("(none)"), "answers": row.answers, **measures(row)},
		)

	by_customer = {row.grp: row for row in answer_aggregates("customer", {"survey": name})}
	earlier_follow_ups = {r.customer: r.follow_up for r in survey.customer_results if r.follow_up}
	survey.customer_results = []
	for row in sorted(counts, key=lambda r: r.customer):
		scores = measures(by_customer[row.customer]) if row.customer in by_customer else {}
		low = bool(
			scores
			and rules.below_minimum(rules.Scores(csat=scores["csat"], nps=scores["nps"]), minimum, floor)
		)
		result = {
			"customer": row.customer,
			"invited": row.invited,
			"responded": row.responded or 0,
			**scores,
			"below_minimum": int(low),
		}
		if low:
			result["follow_up"] = earlier_follow_ups.get(row.customer) or customer_follow_up(
				survey, row.customer, scores
			)
		survey.append("customer_results", result)
		if scores and frappe.db.exists("Customer Portfolio", row.customer):
			frappe.db.set_value(
				"Customer Portfolio",
				row.customer,
				{"current_csat": scores["csat"], "current_nps": scores["nps"], "last_survey": survey.name},
				update_modified=False,
			)
	survey.service_results = []
	for row in answer_aggregates("service", {"survey": name}):
		if row.grp:
			survey.append(
				"service_results", {"service": row.grp, "responses": row.responses, **measures(row)}
			)
	survey.save(ignore_permissions=True)
	if survey.repeat_yearly:
		schedule_next_year(survey)
	return survey


def customer_follow_up(survey, customer: str, scores: dict) -> str:
	"""One follow-up per customer and survey: a low response's follow-up already covers it."""
	responses = frappe.get_all(
		INVITATION, filters={"survey": survey.name, "customer": customer}, pluck="name"
	)
	existing = frappe.db.get_value(
		"Complaint", {"customer": customer, "survey_invitation": ("in", responses or [""])}, "name"
	)
	if existing:
		return existing
	subject = _("Customer below the minimum satisfaction level in survey {0}").format(survey.name)
	representative = frappe.db.get_value("Customer Portfolio", customer, "authorised_representative")
	return open_follow_up(
		customer,
		representative,
		subject,
		_("<p>{0}: CSAT {1}, NPS {2}, CES {3} (minimum CSAT {4}).</p>").format(
			survey.title,
			"-" if scores.get("csat") is None else round(scores["csat"], 1),
			"-" if scores.get("nps") is None else round(scores["nps"], 1),
			"-" if scores.get("ces") is None else round(scores["ces"], 2),
			flt(frappe.get_cached_doc("BRM Settings").minimum_csat),
		),
	)


def schedule_next_year(survey) -> str | None:
	"""Relationship surveys at least once a year: the same survey again a year later."""
	send_on = getdate(add_to_date(survey.send_on or now_datetime(), years=1))
	if frappe.db.exists(
		"Satisfaction Survey", {"title": survey.title, "send_on": send_on, "name": ("!=", survey.name)}
	):
		return None  # already repeated (it may be open or evaluated by now)
	copy = frappe.copy_doc(survey, ignore_no_copy=False)  # results and status start afresh
	copy.status = "Scheduled"
	copy.send_on = send_on
	if survey.period_start:
		copy.period_start = add_to_date(survey.period_start, years=1)
	if survey.period_end:
		copy.period_end = add_to_date(survey.period_end, years=1)
	copy.insert(ignore_permissions=True)
	return copy.name


# ---------------------------------------------------------------------- daily sweep


def run_daily() -> None:
	"""Scheduler (daily): open scheduled surveys, remind, expire, close and evaluate."""
	today = frappe.utils.today()
	for name in frappe.get_all(
		"Satisfaction Survey", filters={"status": "Scheduled", "send_on": ("<=", today)}, pluck="name"
	):
		open_survey(name)

	now = now_datetime()
	# Invitations whose e-mail could not go out earlier (no e-mail account then).
	for name in frappe.get_all(
		INVITATION, filters={"status": "Pending", "expires_on": (">", now)}, pluck="name", limit=500
	):
		invitation = frappe.get_doc(INVITATION, name)
		if not send_invitation_email(invitation, invitation.get_password("token"), reminder=False):
			break

	Inv = frappe.qb.DocType(INVITATION)
	S = frappe.qb.DocType("Satisfaction Survey")
	pending = (
		frappe.qb.from_(Inv)
		.join(S)
		.on(S.name == Inv.survey)
		.select(Inv.name, Inv.sent_on, Inv.reminded_on, S.remind_after_days)
		.where(Inv.status == "Sent")
		.where(Inv.responded_on.isnull())
		.where(Inv.expires_on > now)
		.where(S.remind_after_days > 0)
		.run(as_dict=True)
	)
	for row in pending:
		if rules.due_for_reminder(row.sent_on, row.reminded_on, False, now, row.remind_after_days):
			invitation = frappe.get_doc(INVITATION, row.name)
			send_invitation_email(invitation, invitation.get_password("token"), reminder=True)

	frappe.qb.update(Inv).set(Inv.status, "Expired").where(Inv.responded_on.isnull()).where(
		Inv.expires_on <= now
	).where(Inv.status != "Expired").run()

	# Relationship surveys whose invitations have all expired or been answered: close and evaluate.
	for name in frappe.get_all(
		"Satisfaction Survey", filters={"status": "Open", "kind": "Relationship"}, pluck="name"
	):
		if frappe.db.count(INVITATION, {"survey": name}) and not frappe.db.exists(
			INVITATION, {"survey": name, "status": ("in", ["Pending", "Sent", "Reminded"])}
		):
			frappe.db.set_value("Satisfaction Survey", name, "status", "Closed")
			evaluate_survey(name)


def open_survey(name: str) -> None:
	frappe.db.set_value("Satisfaction Survey", name, "status", "Open")
	if frappe.db.get_value("Satisfaction Survey", name, "kind") == "Relationship":
		frappe.enqueue(
			"brm_app.surveys.send_invitations",
			survey=name,
			queue="long",
			job_id=f"brm_survey_send::{name}",
			deduplicate=True,
			now=frappe.flags.in_test,
		)


# ---------------------------------------------------------------------- portal


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
			"status": ("in", ["Sent", "Reminded"]),
			"expires_on": (">", now_datetime()),
		},
		fields=["name", "survey", "expires_on"],
		order_by="creation desc",
	)
	result = []
	for row in rows:
		invitation = frappe.get_doc(INVITATION, row.name)
		result.append(
			{
				"title": frappe.db.get_value("Satisfaction Survey", row.survey, "title"),
				"expires_on": row.expires_on,
				"link": survey_link(invitation.get_password("token")),
			}
		)
	return result
