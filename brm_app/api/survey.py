"""Answering a satisfaction survey from the invitation link: no login needed."""

from functools import wraps

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from brm_app.brm_app.doctype.survey_invitation.survey_invitation import INVITATION, find_invitation
from brm_app.brm_app.doctype.survey_template.survey_template import questions_of
from brm_app.rules import portal as portal_rules
from brm_app.rules import survey as rules
from brm_app.utils import retry_on_deadlock


def answer_message(code: str, question: str) -> str:
	return {
		rules.MISSING: _("Please answer: {0}"),
		rules.OUT_OF_RANGE: _("The score given is outside the scale for: {0}"),
		rules.NOT_AN_OPTION: _("Choose one of the offered answers for: {0}"),
		rules.COMMENT_REQUIRED: _("Please tell us why, for: {0}"),
		rules.UNKNOWN_QUESTION: _("An answer was sent for a question that is not in this survey."),
		rules.TOO_LONG: _("Please keep your answer shorter (at most {0} characters) for: {{0}}").format(
			rules.ANSWER_TEXT_MAX
		),
	}[code].format(frappe.utils.escape_html(question or ""))


#: Proxies whose X-Forwarded-For is believed. Site config ``brm_trusted_proxies`` replaces it:
#: addresses or ranges, a list or a comma-separated text (e.g. the network of frappe_docker's
#: nginx container, "172.16.0.0/12"); without it, behind a proxy elsewhere, every respondent
#: would share the proxy's limit.
TRUSTED_PROXIES = ("127.0.0.1", "::1")
#: The largest answers payload accepted (characters of JSON).
ANSWERS_MAX = 100_000


def client_address() -> str:
	"""The real client of this request (not the first X-Forwarded-For entry, which any client
	can write): see ``rules.portal.client_address``."""
	request = getattr(frappe.local, "request", None)
	if request is None:  # called from code, not over HTTP
		return getattr(frappe.local, "request_ip", None) or "127.0.0.1"
	trusted = frappe.conf.get("brm_trusted_proxies") or TRUSTED_PROXIES
	return portal_rules.client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)


def per_client(limit: int, seconds: int):
	"""Frappe's rate limiter, counted per real client address."""

	def decorator(fn):
		limited = rate_limit(key="_brm_client", limit=limit, seconds=seconds, ip_based=False)(fn)

		@wraps(fn)
		def wrapper(*args, **kwargs):
			frappe.form_dict["_brm_client"] = client_address()
			return limited(*args, **kwargs)

		return wrapper

	return decorator


@frappe.whitelist(allow_guest=True, methods=["POST"])
@per_client(limit=20, seconds=60 * 10)
@retry_on_deadlock
def submit_response(token: str, answers: dict | str) -> dict:
	"""Answer a survey with the token from the invitation link.

	Every answer is validated first; on any problem nothing is saved.
	"""
	invitation = find_invitation(token)
	if not invitation:
		frappe.throw(_("This survey link is not valid."), frappe.DoesNotExistError, title=_("Unknown Link"))
	# Lock the row: two simultaneous submits of one link cannot both pass the check below.
	invitation = frappe.get_doc(INVITATION, invitation.name, for_update=True)
	state = invitation.state()
	if state == "responded":
		frappe.throw(_("This survey has already been answered. Thank you!"), title=_("Already Answered"))
	if state == "expired":
		frappe.throw(_("This survey has expired."), title=_("Expired"))

	survey = frappe.get_cached_doc("Satisfaction Survey", invitation.survey)
	if survey.status in (rules.CLOSED, rules.EVALUATED):
		frappe.throw(_("This survey is closed. Thank you!"), title=_("Survey Closed"))
	questions = questions_of(survey.template)
	parsed, problems = parse_answers(questions, answers)
	if problems:
		frappe.throw("<br>".join(problems), frappe.ValidationError, title=_("Please Check Your Answers"))
	invitation.record_response(questions, parsed)
	return {"status": "ok", "message": _("Thank you for your answers.")}


def parse_answers(questions: list[rules.Question], answers) -> tuple[dict[str, rules.Answer], list[str]]:
	"""The answers as the rules see them, and the problems to show (none: all valid)."""
	by_key = {q.key: q for q in questions}
	if isinstance(answers, str) and len(answers) > ANSWERS_MAX:
		frappe.throw(_("The answers are too long."), title=_("Please Check Your Answers"))
	try:
		answers = frappe.parse_json(answers) or {}
	except ValueError:
		answers = None
	if not isinstance(answers, dict) or len(answers) > len(questions) + 5:
		frappe.throw(_("The answers could not be read."))

	def text_of(key):
		return by_key[key].text if key in by_key else key

	parsed: dict[str, rules.Answer] = {}
	problems = []
	for key, value in answers.items():
		value = value if isinstance(value, dict) else {"score": value}
		try:
			score = rules.parse_score(value.get("score"))
		except (TypeError, ValueError):
			problems.append(answer_message(rules.OUT_OF_RANGE, text_of(key)))
			continue
		parsed[key] = rules.Answer(
			key=key,
			score=score,
			choice=(str(value.get("choice")) if value.get("choice") not in (None, "") else None),
			text=(str(value.get("text") or "").strip() or None),
		)
	for code, key in rules.answer_errors(questions, parsed):
		problems.append(answer_message(code, text_of(key)))
	return parsed, problems


#: The longest reason for opting out that is kept (characters).
REASON_MAX = 2000


@frappe.whitelist(allow_guest=True, methods=["POST"])
@per_client(limit=20, seconds=60 * 10)
@retry_on_deadlock
def set_survey_preference(
	token: str | None = None, opt_out: int | str = 1, reason: str | None = None
) -> dict:
	"""Opt out of every survey (or back in): with the token of any survey e-mail (no login), or
	as a logged-in portal user for their own contacts. Recorded on the Contact with the date
	and the reason, and on its timeline; every source of survey honours it."""
	from brm_app.brm_app.doctype.survey_invitation.preferences import contacts_for_token, set_opt_out

	opt_out = frappe.utils.cint(opt_out) == 1
	reason = frappe.utils.strip_html(str(reason or "")).strip()
	if len(reason) > REASON_MAX:
		frappe.throw(_("Please keep the reason shorter (at most {0} characters).").format(REASON_MAX))
	if token:
		invitation = find_invitation(token)
		if not invitation:
			frappe.throw(
				_("This survey link is not valid."), frappe.DoesNotExistError, title=_("Unknown Link")
			)
		contacts = contacts_for_token(invitation)
		via = _("the link in a survey e-mail")
	elif frappe.session.user != "Guest":
		contacts = frappe.get_all("Contact", filters={"user": frappe.session.user}, pluck="name")
		via = _("the portal's Surveys page")
		if not contacts:
			frappe.throw(_("Your account is not linked to a contact yet."))
	else:
		frappe.throw(_("Open this page from the link in a survey e-mail."), frappe.PermissionError)
	set_opt_out(contacts, opt_out, reason if opt_out else None, via)
	return {
		"opted_out": opt_out,
		"message": _("You will not be asked for feedback again. You can change this at any time.")
		if opt_out
		else _("Thank you: we may ask for your feedback again."),
	}
