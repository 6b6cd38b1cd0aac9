# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""BRM Metrics (docs/features.md "BRM Metrics"): per month, with quarter and year subtotal rows, the
opportunities and requirements, requests for change, complaints (by category), compliments, feedback on resolved
incidents and survey results. Each source is one SQL query grouped by month; subtotals add the
counts, and CSAT / NPS are computed from the added counts (never averaged percentages)."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, add_months, get_datetime, getdate, today

from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import received_by_month_and
from brm_app.reporting import (
	answer_aggregates,
	customer_scope,
	month_of,
	run_on_sources,
	where_customer,
)
from brm_app.rules import metrics as rules
from brm_app.rules import survey as survey_rules

COUNTS = [
	"requirements",
	"opportunities",
	"changes",
	"incident_customers",
	"incident_complainers",
	"incident_told_first",
	"complaints",
	"compliments",
	"survey_responses",
	"rating_n",
	"rating_satisfied",
	"nps_n",
	"promoters",
	"detractors",
	"incident_responses",
	"incident_rating_n",
	"incident_rating_satisfied",
]
#: The survey counts the report reads from ``answer_aggregates``.
SURVEY_COLUMNS = ("rating_n", "rating_satisfied", "nps_n", "promoters", "detractors", "responses")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	start = getdate(filters.from_date or add_months(today(), -12))
	end = getdate(filters.to_date or today())
	scope = customer_scope(filters)
	monthly, categories = collect(start, end, scope, live=bool(frappe.utils.cint(filters.live)))
	rows = rules.with_subtotals(monthly, COUNTS + [f"cat::{c}" for c in categories])
	for row in rows:
		row["csat"] = survey_rules.csat_from_counts(row["rating_satisfied"], row["rating_n"])
		row["nps"] = survey_rules.nps_from_counts(row["promoters"], row["detractors"], row["nps_n"])
		row["incident_told_first_pct"] = rules.percent(
			row["incident_told_first"], row["incident_complainers"]
		)
		row["incident_csat"] = survey_rules.csat_from_counts(
			row["incident_rating_satisfied"], row["incident_rating_n"]
		)
		for c in categories:
			row[category_field(c)] = row.pop(f"cat::{c}")
		row["indent"] = {"year": 0, "quarter": 1, "month": 2}[row["level"]]
	chart = {
		"data": {
			"labels": [r["period"] for r in rows if r["level"] == "month"],
			"datasets": [
				{"name": _("Complaints"), "values": [r["complaints"] for r in rows if r["level"] == "month"]},
				{
					"name": _("Compliments"),
					"values": [r["compliments"] for r in rows if r["level"] == "month"],
				},
			],
		},
		"type": "bar",
	}
	return columns(categories), rows, None, chart


def category_field(category: str) -> str:
	return "cat_" + frappe.scrub(category or "none")


def collect(start, end, scope, live: bool = False) -> tuple[dict, list[str]]:
	begin, finish = get_datetime(start), get_datetime(add_days(end, 1))
	monthly: dict[str, dict] = {}

	def add(month, measure, value):
		if month:
			monthly.setdefault(month, {})[measure] = (monthly.get(month, {}).get(measure) or 0) + (value or 0)

	def grouped(doctype, date_field, customer_field="customer", extra=None, retained=True):
		def build(T):
			month = month_of(T[date_field])
			query = (
				frappe.qb.from_(T)
				.select(month.as_("month"), Count(T.name).as_("n"))
				.where((T[date_field] >= begin) & (T[date_field] < finish))
				.groupby(month)
			)
			query = where_customer(query, T[customer_field], scope)
			return query.where(extra(T)) if extra is not None else query

		if not retained:
			return build(frappe.qb.DocType(doctype)).run(as_dict=True)
		return run_on_sources(doctype, build, key="month")

	for row in grouped("Customer Requirement", "raised_on"):
		add(row.month, "requirements", row.n)
	for row in grouped(
		"Opportunity",
		"transaction_date",
		"party_name",
		extra=lambda T: T.opportunity_from == "Customer",
		retained=False,
	):
		add(row.month, "opportunities", row.n)
	# Requests for change, when they were submitted (a draft staff prepared is not requested).
	for row in grouped("Request for Change", "submitted_on"):
		add(row.month, "changes", row.n)
	# Customers hit by service incidents per month, and of those who complained, how many were
	# told before their first complaint.
	Inc = frappe.qb.DocType("Service Incident")
	Hit = frappe.qb.DocType("Service Incident Customer")
	month = month_of(Inc.started_on)
	told_first = Hit.first_notice_on.isnotnull() & (Hit.first_notice_on <= Hit.first_complaint_on)
	query = (
		frappe.qb.from_(Inc)
		.join(Hit)
		.on((Hit.parent == Inc.name) & (Hit.parenttype == "Service Incident"))
		.select(
			month.as_("month"),
			Count(Hit.name).as_("n"),
			Sum(Case().when(Hit.first_complaint_on.isnotnull(), 1).else_(0)).as_("complained"),
			Sum(Case().when(Hit.first_complaint_on.isnotnull() & told_first, 1).else_(0)).as_("told"),
		)
		.where((Inc.started_on >= begin) & (Inc.started_on < finish))
		.groupby(month)
	)
	for row in where_customer(query, Hit.customer, scope).run(as_dict=True):
		add(row.month, "incident_customers", row.n)
		add(row.month, "incident_complainers", row.complained)
		add(row.month, "incident_told_first", row.told)
	for row in grouped("Compliment", "received_on"):
		add(row.month, "compliments", row.n)

	categories = set()
	# complaints per month and category: the monthly rollups for whole past months
	for row in received_by_month_and("category", begin, finish, scope, live=live):
		add(row.month, "complaints", row.n)
		category = row.value or _("Uncategorised")
		categories.add(category)
		add(row.month, f"cat::{category}", row.n)

	survey_filters = {"from_date": start, "to_date": end, "customers": scope, "live": live}
	# Only the counts this report shows: over a million answers the sums it does not show
	# (CES, weighted score) cost a third more time.
	for row in answer_aggregates("month", survey_filters, SURVEY_COLUMNS):
		for field in ("rating_n", "rating_satisfied", "nps_n", "promoters", "detractors"):
			add(row.grp, field, row[field])
		add(row.grp, "survey_responses", row.responses)
	incident_filters = {**survey_filters, "reference_doctypes": ["Issue", "HD Ticket"]}
	for row in answer_aggregates("month", incident_filters, SURVEY_COLUMNS):
		add(row.grp, "incident_responses", row.responses)
		add(row.grp, "incident_rating_n", row.rating_n)
		add(row.grp, "incident_rating_satisfied", row.rating_satisfied)
	return monthly, sorted(categories)


def columns(categories: list[str]) -> list[dict]:
	def col(fieldname, label, fieldtype="Int", width=110):
		return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}

	return [
		col("period", _("Period"), "Data", 120),
		col("requirements", _("Requirements")),
		col("opportunities", _("Opportunities")),
		col("changes", _("Changes Requested"), "Int", 130),
		col("incident_customers", _("Customers Hit by Incidents"), "Int", 150),
		col("incident_told_first_pct", _("Told Before Complaining %"), "Percent", 150),
		col("complaints", _("Complaints")),
		*[col(category_field(c), _("Complaints: {0}").format(c), "Int", 140) for c in categories],
		col("compliments", _("Compliments")),
		col("incident_responses", _("Feedback on Resolved Incidents"), "Int", 150),
		col("incident_csat", _("Incident CSAT %"), "Percent", 120),
		col("survey_responses", _("Survey Responses"), "Int", 120),
		col("csat", _("CSAT %"), "Percent"),
		col("nps", _("NPS"), "Float", 90),
	]
