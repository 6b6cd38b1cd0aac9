# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Customer Satisfaction: CSAT %, NPS, CES and weighted score of survey responses, grouped by
customer, dimension, service, survey or month. Aggregated in SQL (one grouped query); the
formulas of docs/design.md are applied to the grouped counts."""

import frappe
from frappe import _
from frappe.utils import flt

from brm_app.reporting import (
	GROUPINGS,
	answer_aggregates,
	customer_scope,
	is_restricted,
	measures,
	response_rates,
)

GROUP_LABELS = {
	"customer": _("Customer"),
	"dimension": _("Dimension"),
	"service": _("Service"),
	"survey": _("Survey"),
	"month": _("Month"),
}
GROUP_OPTIONS = {"customer": "Customer", "service": "Item", "survey": "Satisfaction Survey"}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = (filters.group_by or "Customer").lower()
	if group_by not in GROUPINGS:
		frappe.throw(_("Group by one of: {0}").format(", ".join(GROUP_LABELS.values())))
	minimum = flt(frappe.db.get_single_value("BRM Settings", "minimum_csat"))
	if is_restricted():  # a user limited to some customers sees only their figures
		filters.customers = customer_scope(filters)

	columns = [
		{
			"fieldname": "grp",
			"label": GROUP_LABELS[group_by],
			"fieldtype": "Link" if group_by in GROUP_OPTIONS else "Data",
			"options": GROUP_OPTIONS.get(group_by),
			"width": 220,
		},
		{"fieldname": "responses", "label": _("Responses"), "fieldtype": "Int", "width": 100},
		{"fieldname": "answers", "label": _("Answers"), "fieldtype": "Int", "width": 90},
		{"fieldname": "csat", "label": _("CSAT %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "nps", "label": _("NPS"), "fieldtype": "Float", "precision": 1, "width": 90},
		{"fieldname": "ces", "label": _("CES"), "fieldtype": "Float", "precision": 2, "width": 90},
		{"fieldname": "weighted_score", "label": _("Weighted Score"), "fieldtype": "Percent", "width": 130},
		{"fieldname": "meets_minimum", "label": _("Meets Minimum"), "fieldtype": "Check", "width": 120},
	]
	# who was asked beside who answered (issue 27): invited and response rate per customer or survey
	rates = (
		{row.value: row for row in response_rates(group_by, filters)}
		if group_by in ("customer", "survey")
		else {}
	)
	if rates:
		columns[1:1] = [
			{"fieldname": "invited", "label": _("Invited"), "fieldtype": "Int", "width": 90},
			{"fieldname": "response_rate", "label": _("Response Rate"), "fieldtype": "Percent", "width": 120},
		]
	data = []
	for row in answer_aggregates(group_by, filters):
		figures = measures(row)
		rate = rates.get(row.grp)
		data.append(
			{
				"grp": row.grp or _("(none)"),
				**({"invited": rate.invited, "response_rate": rate.response_rate} if rate else {}),
				"responses": row.responses,
				"answers": row.answers,
				**figures,
				"meets_minimum": int(figures["csat"] is None or figures["csat"] >= minimum),
			}
		)
	answered = {row["grp"] for row in data}
	for value, rate in rates.items():  # asked, nobody answered yet: still a row
		if value not in answered:
			data.append(
				{
					"grp": value,
					"invited": rate.invited,
					"response_rate": 0,
					"responses": 0,
					"answers": 0,
					**dict.fromkeys(("csat", "nps", "ces", "weighted_score")),
					"meets_minimum": 1,
				}
			)

	overall = (answer_aggregates(None, filters) or [frappe._dict()])[0]
	totals = measures(overall) if overall.get("answers") else {}
	summary = [
		{"label": _("Responses"), "value": overall.get("responses") or 0, "datatype": "Int"},
		{
			"label": _("Response Rate"),
			"value": _overall_rate(filters),
			"datatype": "Percent",
		},
		{
			"label": _("CSAT %"),
			"value": totals.get("csat"),
			"datatype": "Percent",
			"indicator": "Green" if (totals.get("csat") or 0) >= minimum else "Red",
		},
		{"label": _("NPS"), "value": totals.get("nps"), "datatype": "Float"},
		{"label": _("CES"), "value": totals.get("ces"), "datatype": "Float"},
		{"label": _("Minimum CSAT %"), "value": minimum, "datatype": "Percent"},
	]
	chart = {
		"data": {
			"labels": [str(d["grp"]) for d in data],
			"datasets": [
				{"name": _("CSAT %"), "values": [flt(d["csat"], 1) for d in data]},
				{"name": _("NPS"), "values": [flt(d["nps"], 1) for d in data]},
			],
		},
		"type": "bar",
		"colors": ["#5e64ff", "#ffa00a"],
	}
	message = _(
		"CSAT % = answers of 4 or 5 to 1-5 questions / all answers to them x 100. "
		"NPS = % promoters (9-10) - % detractors (0-6) of 0-10 answers. CES = mean of 1-7 effort answers (7 = easiest)."
	)
	return columns, data, message, chart, summary


def _overall_rate(filters) -> float | None:
	"""Everyone asked in the report's scope (any source) who answered."""
	from brm_app.rules.survey import response_rate

	rows = response_rates("source", filters)
	return response_rate(sum(r.responded for r in rows), sum(r.invited for r in rows))
