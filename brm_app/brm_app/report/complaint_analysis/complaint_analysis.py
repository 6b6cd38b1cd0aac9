# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Complaint Analysis (ISO 10002 analysis of complaints for trends): complaints grouped by category, root
cause, service, customer, severity or month; how many are open and how old; time to
acknowledge and resolve and how often the targets were met. One grouped SQL query."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Sum
from frappe.utils import add_days, add_months, get_datetime, getdate, now_datetime, today
from pypika import CustomFunction

from brm_app.reporting import customer_scope, merged, month_of, run_on_sources, where_customer
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
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])


def figures(group: str, start, finish, scope, live: bool = False) -> list:
	"""The grouped figures of complaints received in [start, finish): from the monthly rollups
	for whole months before the current one, from the live records (and the figures kept of
	deleted ones) for the rest; ``live`` reads the live records for the whole period (audit).
	The ages of open complaints always come from the live records (they grow every day)."""
	from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import ROLLUP, SUMS, built, complaint_sums

	def grouping(T, stored_month=False):
		if group == "Month":
			return DateFormat(T.month, "%Y-%m") if stored_month else month_of(T.received_on)
		return T[GROUPS[group]]

	def live_query(lo, hi):
		def build(C):
			field = grouping(C)
			query = (
				frappe.qb.from_(C)
				.select(field.as_("grp"), *(v.as_(k) for k, v in complaint_sums(C).items()))
				.where((C.received_on >= lo) & (C.received_on < hi))
				.groupby(field)
			)
			return where_customer(query, C.customer, scope)

		return run_on_sources("Complaint", build)

	results = []
	whole = None if live or not built() else whole_months(start, finish)
	if whole:
		lo, hi = whole
		R = frappe.qb.DocType(ROLLUP)
		field = grouping(R, stored_month=True)
		query = (
			frappe.qb.from_(R)
			.select(field.as_("grp"), *(Sum(R[s]).as_(s) for s in SUMS))
			.where((R.month >= lo.date()) & (R.month < hi.date()))
			.groupby(field)
		)
		results.append(where_customer(query, R.customer, scope).run(as_dict=True))
		for lo_, hi_ in ((start, lo), (hi, finish)):
			if lo_ < hi_:
				results.append(live_query(lo_, hi_))
	else:
		results.append(live_query(start, finish))
	rows = merged(results, "grp")

	C = frappe.qb.DocType("Complaint")
	field = grouping(C)
	age = DateDiff(now_datetime(), C.received_on)
	is_open = C.status.isin(list(rules.OPEN_STATUSES))
	ages = (
		frappe.qb.from_(C)
		.select(
			field.as_("grp"),
			count_if(age <= 7).as_("age_0_7"),
			count_if((age > 7) & (age <= 30)).as_("age_8_30"),
			count_if((age > 30) & (age <= 90)).as_("age_31_90"),
			count_if(age > 90).as_("age_over_90"),
		)
		.where(is_open & (C.received_on >= start) & (C.received_on < finish))
		.groupby(field)
	)
	by_group = {r.grp: r for r in where_customer(ages, C.customer, scope).run(as_dict=True)}
	for row in rows:
		for bucket in ("age_0_7", "age_8_30", "age_31_90", "age_over_90"):
			row[bucket] = int((by_group.get(row.grp) or {}).get(bucket) or 0)
		for key in SUMS:  # the same numbers whichever way they were read (no sum: 0)
			value = row.get(key) or 0
			row[key] = float(value) if key == "redress_total" else value
			if isinstance(row[key], float) and row[key].is_integer() and key != "redress_total":
				row[key] = int(row[key])
	return rows


def whole_months(start, finish):
	"""The whole months inside [start, finish) before the current month, as (first, end)
	datetimes, or None."""
	first = get_datetime(getdate(start).replace(day=1))
	if first < start:
		first = get_datetime(getdate(add_months(first, 1)))
	current = get_datetime(getdate(today()).replace(day=1))
	end = get_datetime(getdate(finish).replace(day=1))
	end = min(end, current)
	return (first, end) if first < end else None


def count_if(cond):
	return Sum(Case().when(cond, 1).else_(0))


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
	rows = figures(group, start, finish, scope, live=bool(frappe.utils.cint(filters.live)))
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
