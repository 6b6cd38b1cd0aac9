"""Whitelisted methods of the customer portal.

Each one acts for the session user's own customers only (``brm_app.portal``), checks and
cleans its input, and is rate-limited per user. Guests are refused. Texts a person types are
typed ``Any`` on purpose: a missing or malformed value reaches the portal's own checks, which
answer with a message a person understands, rather than Frappe's type error.
"""

from functools import wraps
from typing import Any

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from brm_app.portal import changes, complaints, records

#: Creations (complaints, compliments, requirements) and messages per user and hour.
CREATE_LIMIT = 30
REPLY_LIMIT = 60
HOUR = 60 * 60


def per_user(limit: int, seconds: int = HOUR):
	"""Frappe's rate limiter, counted per logged-in user rather than per IP address."""

	def decorator(fn):
		limited = rate_limit(key="_rate_limit_user", limit=limit, seconds=seconds, ip_based=False)(fn)

		@wraps(fn)
		def wrapper(*args, **kwargs):
			if frappe.session.user == "Guest":
				frappe.throw(_("Please log in first."), frappe.PermissionError)
			frappe.form_dict["_rate_limit_user"] = frappe.session.user
			return limited(*args, **kwargs)

		return wrapper

	return decorator


@frappe.whitelist(methods=["POST"])
@per_user(CREATE_LIMIT)
def lodge_complaint(
	subject: Any = None,
	description: Any = None,
	remedy_sought: Any = None,
	service: str | None = None,
	category: str | None = None,
	customer: str | None = None,
	service_incident: str | None = None,
) -> dict:
	"""File a complaint (attachments as multipart ``files``), linked to an ongoing incident of
	the user's customer when they say it is about it."""
	return complaints.lodge(
		subject, description, remedy_sought, service, category, customer, service_incident
	)


@frappe.whitelist(methods=["GET", "POST"])
@per_user(REPLY_LIMIT * 5)
def similar_complaints(
	subject: Any = None, customer: str | None = None, description: Any = None
) -> list[dict]:
	"""The user's own open complaints like the one being written (subject and description)."""
	return complaints.similar_open(
		subject if isinstance(subject, str) else None,
		customer,
		description if isinstance(description, str) else None,
	)


@frappe.whitelist(methods=["POST"])
@per_user(REPLY_LIMIT)
def respond_to_resolution(name: str | None = None, accepted: Any = None, reason: Any = None) -> str:
	"""Accept, or reject with a reason, the resolution proposed on one of the user's complaints."""
	return complaints.respond(name, accepted, reason)


@frappe.whitelist(methods=["POST"])
@per_user(REPLY_LIMIT)
def answer_complaint_question(name: str | None = None, answer: Any = None) -> str:
	"""Answer the question asked on one of the user's complaints (Waiting for Customer)."""
	return complaints.answer(name, answer)


@frappe.whitelist(methods=["POST"])
@per_user(REPLY_LIMIT)
def reply_to_complaint(name: str | None = None, message: Any = None) -> dict:
	"""A message on one of the user's complaints (an appeal if it was closed recently)."""
	return complaints.reply(name, message)


@frappe.whitelist(methods=["POST"])
@per_user(CREATE_LIMIT)
def give_compliment(
	subject: Any = None,
	compliment: Any = None,
	praised_text: Any = None,
	service: str | None = None,
	customer: str | None = None,
) -> dict:
	return records.give_compliment(subject, compliment, praised_text, service, customer)


@frappe.whitelist(methods=["POST"])
@per_user(CREATE_LIMIT)
def raise_requirement(
	title: Any = None,
	desired_outcomes: Any = None,
	kind: str | None = None,
	needed_by: Any = None,
	importance: str | None = None,
	customer: str | None = None,
) -> dict:
	return records.raise_requirement(title, desired_outcomes, kind, needed_by, importance, customer)


@frappe.whitelist(methods=["GET"])
@per_user(REPLY_LIMIT * 5)
def service_review_pdf(name: str) -> None:
	"""The shared review's report as PDF."""
	records.review_pdf(name)


@frappe.whitelist(methods=["POST"])
@per_user(CREATE_LIMIT)
def raise_change(
	title: Any = None,
	description: Any = None,
	business_justification: Any = None,
	urgency: str | None = None,
	desired_date: Any = None,
	service: str | None = None,
	customer: str | None = None,
) -> dict:
	"""A request for change, submitted to the customer's relationship manager (attachments as
	multipart ``files``)."""
	return changes.raise_change(
		title, description, business_justification, urgency, desired_date, service, customer
	)


@frappe.whitelist(methods=["POST"])
@per_user(REPLY_LIMIT)
def answer_change_question(name: str | None = None, answer: Any = None) -> str:
	"""The customer answers the question the change process asked on one of their requests."""
	return changes.answer(name, answer)


@frappe.whitelist(methods=["POST"])
@per_user(REPLY_LIMIT)
def confirm_change(name: str | None = None, delivered: Any = None, note: Any = None) -> dict:
	"""The customer confirms an implemented change, or says it did not deliver (a complaint)."""
	return changes.confirm(name, delivered, note)
