# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Complaint Analysis (ISO 10002 analysis of complaints for trends): complaints grouped by category, root
cause, service, customer, severity or month; how many are open and how old; time to
acknowledge and resolve and how often the targets were met. One grouped SQL query."""

import frappe
from frappe import _
from frappe.utils import add_days, add_months, get_datetime, getdate, today

from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import complaint_figures
from brm_app.reporting import customer_scope

GROUPS = {
	"Category": "category",
	"Root Cause": "root_cause_category",
	"Service": "service",
	"Customer": "customer",
	"Severity": "severity",
	"Month": None,
}
LINKS = {"Category": "Complaint Category", "Service": "Item", "Customer": "Customer"}


def pct(part, whole):
	return 100.0 * part / whole if whole else None


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group = filters.group_by or "Category"
	if group not in GROUPS:
		frappe.throw(_("Group by one of: {0}").format(", ".join(GROUPS)))
	start = get_datetime(getdate(filters.from_date or add_months(today(), -12)))
	finish = get_datetime(add_days(getdate(filters.to_date or today()), 1))
	scope = customer_scope(filters)
	rows = complaint_figures(
		GROUPS[group] or "month", start, finish, scope, live=bool(frappe.utils.cint(filters.live))
	)
	data = []
	for row in sorted(rows, key=lambda r: -r.received):
		row.grp = row.grp or _("(not set)")
		row.hours_to_acknowledge = row.ack_seconds / row.ack_n / 3600 if row.ack_n else None
		row.days_to_resolve = row.resolve_seconds / row.resolve_n / 86400 if row.resolve_n else None
		row.ack_on_time_pct = 100.0 * row.ack_on_time / row.acknowledged if row.acknowledged else None
		row.resolved_on_time_pct = 100.0 * row.resolved_on_time / row.resolved if row.resolved else None
		row.summary_on_time_pct = pct(row.summary_on_time, row.summary_due)
		row.final_on_time_pct = pct(row.final_on_time, row.final_responses)
		row.upheld_pct = pct(row.upheld, row.with_outcome)
		row.days_to_resolve_net = (
			row.resolve_net_seconds / row.resolve_net_n / 86400 if row.resolve_net_n else None
		)
		data.append(row)
	if group == "Month":
		data.sort(key=lambda r: r.grp)

	columns = [
		{
			"fieldname": "grp",
			"label": _(group),
			"fieldtype": "Link" if group in LINKS else "Data",
			"options": LINKS.get(group),
			"width": 200,
		},
		*[
			{"fieldname": f, "label": label, "fieldtype": t, "width": w}
			for f, label, t, w in (
				("received", _("Received"), "Int", 90),
				("open", _("Open"), "Int", 70),
				("closed", _("Closed"), "Int", 80),
				("rejected", _("Rejected"), "Int", 80),
				("escalated", _("Escalated"), "Int", 90),
				("reopened", _("Reopened"), "Int", 90),
				("hours_to_acknowledge", _("Avg Hours to Acknowledge"), "Float", 120),
				("ack_on_time_pct", _("Acknowledged on Time %"), "Percent", 120),
				("days_to_resolve", _("Avg Days to Resolve"), "Float", 110),
				("resolved_on_time_pct", _("Resolved on Time %"), "Percent", 120),
				("days_to_resolve_net", _("Avg Days to Resolve, Net of Waiting"), "Float", 130),
				("summary_on_time_pct", _("Summary Resolution on Time %"), "Percent", 130),
				("final_on_time_pct", _("Final Response on Time %"), "Percent", 130),
				("upheld_pct", _("Upheld %"), "Percent", 90),
				("redress_total", _("Redress Given"), "Currency", 110),
				("age_0_7", _("Open 0-7 Days"), "Int", 90),
				("age_8_30", _("Open 8-30 Days"), "Int", 90),
				("age_31_90", _("Open 31-90 Days"), "Int", 100),
				("age_over_90", _("Open > 90 Days"), "Int", 100),
			)
		],
	]
	chart = {
		"data": {
			"labels": [str(r.grp) for r in data],
			"datasets": [
				{"name": _("Received"), "values": [r.received for r in data]},
				{"name": _("Open"), "values": [r.open for r in data]},
			],
		},
		"type": "bar",
	}
	return columns, data, None, chart
