# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Dashboard chart source: CSAT % and NPS per month over the last twelve months."""

import frappe
from frappe import _
from frappe.utils import add_months, getdate, today

from brm_app.reporting import answer_aggregates, customer_scope, measures
from brm_app.rules.metrics import month_key


@frappe.whitelist()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
) -> dict:
	start = getdate(add_months(today(), -11)).replace(day=1)
	months = [month_key(getdate(add_months(start, i))) for i in range(12)]
	rows = {
		row.grp: measures(row)
		for row in answer_aggregates(
			"month", {"from_date": start, "customers": customer_scope(frappe._dict())}
		)
	}
	return {
		"labels": months,
		"datasets": [
			{"name": _("CSAT %"), "values": [round(rows.get(m, {}).get("csat") or 0, 1) for m in months]},
			{"name": _("NPS"), "values": [round(rows.get(m, {}).get("nps") or 0, 1) for m in months]},
		],
	}
