# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Complaint Analysis (ISO 10002 analysis of complaints for trends): complaints grouped by category, root
cause, service, customer, severity or month; how many are open and how old; time to
acknowledge and resolve and how often the targets were met. One grouped SQL query."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, add_months, get_datetime, getdate, now_datetime, today
from pypika import CustomFunction

from brm_app.reporting import customer_scope, month_of, run_on_sources, where_customer
from brm_app.rules import complaint as rules

GROUPS = {
	"Category": "category",
	"Root Cause": "root_cause_category",
	"Service": "service",
	"Customer": "customer",
	"Severity": "severity",
	"Month": None,
}
LINKS = {"Category": "Complaint Category", "Service": "Item", "Customer": "Customer"}
DateDiff = CustomFunction("DATEDIFF", ["end", "start"])


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

	def build(C):
		field = month_of(C.received_on) if group == "Month" else C[GROUPS[group]]
		is_open = C.status.isin(list(rules.OPEN_STATUSES))
		age = DateDiff(now_datetime(), C.received_on)
		resolve_time = Case().when(C.status == rules.CLOSED, C.time_to_resolve)
		query = (
			frappe.qb.from_(C)
			.select(
				field.as_("grp"),
				Count(C.name).as_("received"),
				count_if(is_open).as_("open"),
				count_if(C.status == rules.CLOSED).as_("closed"),
				count_if(C.status == rules.REJECTED).as_("rejected"),
				count_if(C.escalation_level > 0).as_("escalated"),
				count_if(C.reopen_count > 0).as_("reopened"),
				# Sums and counts rather than averages, so that the figures kept of deleted
				# complaints (brm_app.retention) add up with the live ones.
				Sum(C.time_to_acknowledge).as_("ack_seconds"),
				Count(C.time_to_acknowledge).as_("ack_n"),
				Sum(resolve_time).as_("resolve_seconds"),
				Count(resolve_time).as_("resolve_n"),
				count_if(C.acknowledged_on.isnotnull()).as_("acknowledged"),
				count_if(C.acknowledged_on.isnotnull() & (C.acknowledged_on <= C.acknowledge_by)).as_(
					"ack_on_time"
				),
				count_if(C.status == rules.CLOSED).as_("resolved"),
				count_if((C.status == rules.CLOSED) & (C.closed_on <= C.resolve_by)).as_("resolved_on_time"),
				# the handling policy's targets (issue 28): summary resolution, final response
				count_if(C.summary_by.isnotnull() & (C.status == rules.CLOSED)).as_("summary_due"),
				count_if((C.status == rules.CLOSED) & (C.closed_on <= C.summary_by)).as_("summary_on_time"),
				count_if(C.final_response_sent_on.isnotnull()).as_("final_responses"),
				count_if(C.final_response_sent_on <= C.resolve_by).as_("final_on_time"),
				count_if(C.outcome.isin(list(rules.OUTCOMES))).as_("with_outcome"),
				count_if(C.outcome.isin(["Upheld", "Partly Upheld"])).as_("upheld"),
				Sum(C.redress_amount).as_("redress_total"),
				Sum(Case().when(C.status == rules.CLOSED, C.time_to_resolve_net)).as_("resolve_net_seconds"),
				Count(Case().when(C.status == rules.CLOSED, C.time_to_resolve_net)).as_("resolve_net_n"),
				count_if(is_open & (age <= 7)).as_("age_0_7"),
				count_if(is_open & (age > 7) & (age <= 30)).as_("age_8_30"),
				count_if(is_open & (age > 30) & (age <= 90)).as_("age_31_90"),
				count_if(is_open & (age > 90)).as_("age_over_90"),
			)
			.where((C.received_on >= start) & (C.received_on < finish))
			.groupby(field)
		)
		return where_customer(query, C.customer, scope)

	def count_if(cond):
		return Sum(Case().when(cond, 1).else_(0))

	data = []
	for row in sorted(run_on_sources("Complaint", build), key=lambda r: -r.received):
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
