# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""BRM KPIs (ITIL 4 CSF / KPI table): each KPI with its defined level from BRM
Settings, its value for the period, whether the level is met, and the trend against the
previous period. Each figure is one aggregate query."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, add_months, flt, get_datetime, getdate, today

from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import complaint_figures
from brm_app.reporting import answer_aggregates, customer_scope, measures, run_on_sources, where_customer
from brm_app.rules import metrics as rules
from brm_app.rules import survey as survey_rules

TREND_LABELS = {"better": "▲", "worse": "▼", "same": "="}


def figures(start, end, scope) -> dict:
	begin, finish = get_datetime(start), get_datetime(add_days(end, 1))

	def count_if(cond):
		return Sum(Case().when(cond, 1).else_(0))

	survey = (answer_aggregates(None, {"from_date": start, "to_date": end, "customers": scope}) or [None])[0]
	survey = measures(survey) if survey and survey.answers else {}

	def invitations(I):  # noqa: E741
		query = (
			frappe.qb.from_(I)
			.select(Count(I.name).as_("sent"), count_if(I.responded_on.isnotnull()).as_("responded"))
			.where((I.sent_on >= begin) & (I.sent_on < finish))
		)
		return where_customer(query, I.customer, scope)

	sent = run_on_sources("Survey Invitation", invitations, key=None)[0]

	# the monthly rollups for whole past months, the live records for the rest (issue 29)
	complaints = complaint_figures(None, begin, finish, scope, ages=False)[0]

	def review_counts(R):
		query = (
			frappe.qb.from_(R)
			.select(
				Count(R.name).as_("scheduled"),
				count_if(
					R.held_on.isnotnull() & (R.held_on <= R.scheduled_on + frappe.qb.terms.Interval(days=7))
				).as_("held"),
			)
			.where(
				(R.scheduled_on >= begin)
				& (R.scheduled_on < finish)
				& (R.status != "Cancelled")
				& (R.docstatus < 2)
			)
		)
		return where_customer(query, R.customer, scope)

	reviews = run_on_sources("Service Performance Review", review_counts, key=None)[0]

	return {
		"csat": survey.get("csat"),
		"nps": survey.get("nps"),
		"response_rate": survey_rules.response_rate(flt(sent.responded), flt(sent.sent)),
		"ack_on_time": rules.percent(flt(complaints.ack_on_time), flt(complaints.acknowledged)),
		"resolved_on_time": rules.percent(flt(complaints.resolved_on_time), flt(complaints.closed)),
		"reopened": rules.percent(flt(complaints.reopened), flt(complaints.received)),
		"summary_on_time": rules.percent(flt(complaints.summary_on_time), flt(complaints.summary_due)),
		"final_on_time": rules.percent(flt(complaints.final_on_time), flt(complaints.final_responses)),
		"reviews_held": rules.percent(flt(reviews.held), flt(reviews.scheduled)),
	}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	start = getdate(filters.from_date or add_months(today(), -3))
	end = getdate(filters.to_date or today())
	scope = customer_scope(filters)
	settings = frappe.get_cached_doc("BRM Settings")
	now, before = figures(start, end, scope), figures(*rules.previous_period(start, end), scope)
	kpis = [
		# key, KPI, CSF, level, higher is better
		(
			"csat",
			_("Customer satisfaction (CSAT %)"),
			_("High customer satisfaction"),
			settings.minimum_csat,
			True,
		),
		("nps", _("Net Promoter Score"), _("Customers recommend us"), settings.nps_floor, True),
		(
			"response_rate",
			_("Survey response rate %"),
			_("Customers give feedback"),
			settings.kpi_min_response_rate,
			True,
		),
		(
			"ack_on_time",
			_("Complaints acknowledged on time %"),
			_("Complaints handled promptly"),
			settings.kpi_min_ack_on_time,
			True,
		),
		(
			"resolved_on_time",
			_("Complaints resolved on time %"),
			_("Complaints handled promptly"),
			settings.kpi_min_resolved_on_time,
			True,
		),
		(
			"summary_on_time",
			_("Summary resolutions on time %"),
			_("Complaints handled promptly"),
			settings.kpi_min_resolved_on_time,
			True,
		),
		(
			"final_on_time",
			_("Final responses on time %"),
			_("Complaints handled promptly"),
			settings.kpi_min_resolved_on_time,
			True,
		),
		(
			"reopened",
			_("Complaints reopened %"),
			_("Resolutions satisfy the customer"),
			settings.kpi_max_reopened,
			False,
		),
		(
			"reviews_held",
			_("Service reviews held as planned %"),
			_("Regular service reviews"),
			settings.kpi_min_reviews_held,
			True,
		),
	]
	data = []
	for key, label, csf, level, higher in kpis:
		value, previous = now[key], before[key]
		met = rules.kpi_met(value, flt(level), higher)
		data.append(
			{
				"csf": csf,
				"kpi": label,
				"level": flt(level),
				"direction": _("at least") if higher else _("at most"),
				"value": value,
				"previous": previous,
				"trend": TREND_LABELS.get(rules.trend(value, previous, higher), ""),
				"met": _("Yes") if met else (_("No") if met is False else _("No data")),
			}
		)
	columns = [
		{"fieldname": "csf", "label": _("Critical Success Factor"), "fieldtype": "Data", "width": 220},
		{"fieldname": "kpi", "label": _("KPI"), "fieldtype": "Data", "width": 260},
		{"fieldname": "direction", "label": _("Level"), "fieldtype": "Data", "width": 80},
		{"fieldname": "level", "label": _("Defined Level"), "fieldtype": "Float", "width": 110},
		{"fieldname": "value", "label": _("Value"), "fieldtype": "Float", "width": 100},
		{"fieldname": "met", "label": _("Met"), "fieldtype": "Data", "width": 80},
		{"fieldname": "previous", "label": _("Previous Period"), "fieldtype": "Float", "width": 120},
		{"fieldname": "trend", "label": _("Trend"), "fieldtype": "Data", "width": 70},
	]
	return columns, data
