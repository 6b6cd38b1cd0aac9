"""Compliments, requirements and shared service reviews in the customer portal."""

import frappe
from frappe import _
from frappe.utils import format_date, today

from brm_app.portal import (
	as_html,
	clean_text,
	customer_for_submission,
	file_for_customer,
	future_date,
	get_own,
	uploaded_files,
)
from brm_app.portal.complaints import check_service
from brm_app.rules import portal as rules

COMPLIMENT = "Compliment"
REQUIREMENT = "Customer Requirement"
REVIEW = "Service Performance Review"
REVIEW_PRINT_FORMAT = "Service Performance Review Report"


def _page(doctype: str, customers: list[str], fields: list[str], order_by: str, page: int, filters=None):
	rows = frappe.get_list(
		doctype,
		filters=[[doctype, "customer", "in", customers], *(filters or [])],
		fields=fields,
		order_by=order_by,
		limit_start=(page - 1) * rules.PAGE_LENGTH,
		limit_page_length=rules.PAGE_LENGTH + 1,
	)
	return rows[: rules.PAGE_LENGTH], len(rows) > rules.PAGE_LENGTH


# ----------------------------------------------------------------------------- compliments


def compliment_list(customers: list[str], page: int = 1):
	rows, more = _page(
		COMPLIMENT,
		customers,
		["name", "subject", "customer", "received_on", "praised_text", "praised_notified_on", "thanked_on"],
		"received_on desc, name desc",
		page,
	)
	return rows, more


def compliment_detail(name: str):
	return get_own(COMPLIMENT, name)


def give_compliment(
	subject: str,
	compliment: str,
	praised_text: str | None = None,
	service: str | None = None,
	customer: str | None = None,
) -> dict:
	customer = customer_for_submission(customer)
	subject = clean_text(subject, _("Subject"), rules.SUBJECT_MAX, required=True)
	compliment = clean_text(compliment, _("Your compliment"), rules.TEXT_MAX, required=True)
	praised_text = clean_text(praised_text, _("Who you would like to praise"), rules.SHORT_TEXT_MAX)
	service = check_service(customer, service)
	files = uploaded_files()
	doc = file_for_customer(
		COMPLIMENT,
		customer,
		{
			"subject": subject,
			"channel": "Portal",
			"service": service,
			"compliment": as_html(compliment),
			"praised_text": praised_text,
		},
		files,
	)
	return {"name": doc.name, "url": f"/compliments/{doc.name}"}


# ----------------------------------------------------------------------------- requirements


def requirement_kinds() -> list[str]:
	return [k for k in (frappe.get_meta(REQUIREMENT).get_field("kind").options or "").split("\n") if k]


def importance_options() -> list[str]:
	return [k for k in (frappe.get_meta(REQUIREMENT).get_field("importance").options or "").split("\n") if k]


def requirement_list(customers: list[str], page: int = 1):
	return _page(
		REQUIREMENT,
		customers,
		["name", "title", "customer", "kind", "status", "raised_on", "needed_by", "importance", "decision"],
		"raised_on desc, name desc",
		page,
	)


def requirement_detail(name: str):
	return get_own(REQUIREMENT, name)


def raise_requirement(
	title: str,
	desired_outcomes: str,
	kind: str | None = None,
	needed_by: str | None = None,
	importance: str | None = None,
	customer: str | None = None,
) -> dict:
	customer = customer_for_submission(customer)
	title = clean_text(title, _("Title"), rules.SUBJECT_MAX, required=True)
	desired_outcomes = clean_text(desired_outcomes, _("Desired outcomes"), rules.TEXT_MAX, required=True)
	kinds = requirement_kinds()
	kind = kind or kinds[0]
	if kind not in kinds:
		frappe.throw(_("Choose what kind of requirement this is."), title=_("Check Your Input"))
	if importance and importance not in importance_options():
		frappe.throw(_("Choose how important this is."), title=_("Check Your Input"))
	needed = future_date(needed_by, _("Needed by")) if needed_by else None
	files = uploaded_files()
	doc = file_for_customer(
		REQUIREMENT,
		customer,
		{
			"title": title,
			"kind": kind,
			"status": "New",
			"raised_on": today(),
			"needed_by": needed,
			"importance": importance or None,
			"desired_outcomes": as_html(desired_outcomes),
		},
		files,
	)
	return {"name": doc.name, "url": f"/requirements/{doc.name}"}


# ----------------------------------------------------------------------------- service reviews

#: Reviews a customer sees: approved (submitted) and marked to share.
SHARED = [[REVIEW, "docstatus", "=", 1], [REVIEW, "share_with_customer", "=", 1]]


def review_list(customers: list[str], page: int = 1):
	rows, more = _page(
		REVIEW,
		customers,
		["name", "customer", "review_kind", "period_start", "period_end", "held_on"],
		"period_end desc, name desc",
		page,
		filters=SHARED,
	)
	for row in rows:
		row.period = _("{0} to {1}").format(format_date(row.period_start), format_date(row.period_end))
	return rows, more


def review_detail(name: str):
	doc = get_own(REVIEW, name)
	if not (doc.docstatus == 1 and doc.share_with_customer):
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(REVIEW), name))
	return doc


def customer_side_users(doc) -> set[str]:
	"""Action owners who are website users (the customer's people): their actions are highlighted."""
	owners = {row.action_owner for row in doc.action_items if row.action_owner}
	if not owners:
		return set()
	return set(
		frappe.get_all(
			"User", filters={"name": ("in", list(owners)), "user_type": "Website User"}, pluck="name"
		)
	)


def review_pdf(name: str) -> None:
	"""The review report as PDF, for the customer's users (shared, approved reviews only)."""
	doc = review_detail(name)
	print_format = REVIEW_PRINT_FORMAT if frappe.db.exists("Print Format", REVIEW_PRINT_FORMAT) else None
	frappe.local.response.filename = f"{doc.name}.pdf"
	frappe.local.response.filecontent = frappe.get_print(
		REVIEW, doc.name, print_format=print_format, as_pdf=True
	)
	frappe.local.response.type = "pdf"
