# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Recurring Themes: complaints grouped across customers by category, service, root cause or
frequent terms over a period, against the period of the same length before it — what review
meetings and service owners act on (ISO 10002 analysis for recurring and systemic problems).
By service, also how many requests for change asked to change it.

Category, service and root cause: one grouped SQL query for both periods. Terms: the words of
the subjects are counted in Python (SQL cannot split words); only subject, customer, period
and status of the two periods are read."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, cint, formatdate, get_datetime, getdate, today

from brm_app.reporting import customer_scope, where_customer
from brm_app.rules import complaint as complaint_rules
from brm_app.rules import themes as rules

THEMES = {"Category": "category", "Service": "service", "Root Cause": "root_cause_category", "Term": None}
LINKS = {"Category": "Complaint Category", "Service": "Item"}
DEFAULT_DAYS = 90
TERM_LIMIT = 30


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	theme = filters.group_by or "Category"
	if theme not in THEMES:
		frappe.throw(_("Find themes by one of: {0}").format(", ".join(_(t) for t in THEMES)))
	end = getdate(filters.to_date or today())
	start = getdate(filters.from_date or add_days(end, -DEFAULT_DAYS + 1))
	if start > end:
		frappe.throw(_("The period starts after it ends."), title=_("Check the Dates"))
	prev_start, _prev_end = rules.previous_period(start, end)
	min_customers = max(cint(filters.min_customers), 1)
	scope = customer_scope(filters)

	C = frappe.qb.DocType("Complaint")
	cur = C.received_on >= get_datetime(start)
	base = (
		frappe.qb.from_(C)
		.where(C.received_on >= get_datetime(prev_start))
		.where(C.received_on < get_datetime(add_days(end, 1)))
		.where(C.status != complaint_rules.REJECTED)  # not complaints after all
	)
	base = where_customer(base, C.customer, scope)
	is_open = C.status.isin(list(complaint_rules.OPEN_STATUSES))
	if theme == "Term":
		data = term_rows(base, C, cur, is_open, min_customers)
	else:
		data = field_rows(base, C, C[THEMES[theme]], cur, is_open, min_customers)
	if theme == "Service":
		add_changes_requested(data, start, end, scope)
	for row in data:
		moved = rules.trend(row.complaints, row.previous)
		row.change, row.change_pct, row.trend = moved.change, moved.change_pct, _(moved.label)
		row.trend_key = moved.label
	return columns(theme), data, None, chart(data), summary(data, start, end, prev_start)


def field_rows(base, C, field, cur, is_open, min_customers) -> list:
	def count_if(cond):
		return Sum(Case().when(cond, 1).else_(0))

	customers = Count(Case().when(cur, C.customer)).distinct()
	query = (
		base.select(
			field.as_("theme"),
			count_if(cur).as_("complaints"),
			count_if(~cur).as_("previous"),
			customers.as_("customers"),
			count_if(cur & is_open).as_("open"),
			count_if(cur & (C.escalation_level > 0)).as_("escalated"),
			count_if(cur & (C.reopen_count > 0)).as_("reopened"),
		)
		.groupby(field)
		.orderby(count_if(cur), order=frappe.qb.desc)
	)
	if min_customers > 1:  # otherwise themes gone since the previous period show too
		query = query.having(customers >= min_customers)
	rows = query.run(as_dict=True)
	for row in rows:
		row.theme = row.theme or _("(not set)")
		row.customers = cint(row.customers)
	return rows


def add_changes_requested(data: list, start, end, scope) -> None:
	"""By service: how many requests for change in the period name it (services customers most
	ask to change beside the ones they complain about); services only asked to change get a row."""
	Q = frappe.qb.DocType("Request for Change")
	S = frappe.qb.DocType("Request for Change Service")
	query = (
		frappe.qb.from_(S)
		.join(Q)
		.on((Q.name == S.parent) & (S.parenttype == "Request for Change"))
		.select(S.service, Count(Q.name).distinct().as_("changes"))
		.where((Q.submitted_on >= get_datetime(start)) & (Q.submitted_on < get_datetime(add_days(end, 1))))
		.groupby(S.service)
	)
	asked = dict(where_customer(query, Q.customer, scope).run())
	for row in data:
		row.changes_requested = asked.pop(row.theme, 0)
	for service, changes in sorted(asked.items(), key=lambda kv: -kv[1]):
		data.append(
			frappe._dict(
				theme=service,
				complaints=0,
				previous=0,
				customers=0,
				open=0,
				escalated=0,
				reopened=0,
				changes_requested=changes,
			)
		)


def term_rows(base, C, cur, is_open, min_customers) -> list:
	found = base.select(
		C.subject,
		C.customer,
		Case().when(cur, 1).else_(0).as_("cur"),
		Case().when(is_open, 1).else_(0).as_("is_open"),
	).run()
	counts = rules.count_terms((s, c, bool(k), bool(o)) for s, c, k, o in found)
	rows = []
	for term in rules.top_terms(counts, limit=TERM_LIMIT * 4):
		count = counts[term]
		if len(count.customers) < min_customers:
			continue
		rows.append(
			frappe._dict(
				theme=term,
				complaints=count.current,
				previous=count.previous,
				customers=len(count.customers),
				open=count.open,
			)
		)
	return rows[:TERM_LIMIT]


def columns(theme: str) -> list[dict]:
	first = {
		"fieldname": "theme",
		"label": _(theme),
		"fieldtype": "Link" if theme in LINKS else "Data",
		"options": LINKS.get(theme),
		"width": 220,
	}
	rest = [
		("complaints", _("Complaints"), "Int", 100),
		("customers", _("Customers"), "Int", 100),
		("previous", _("Previous Period"), "Int", 120),
		("change", _("Change"), "Int", 80),
		("change_pct", _("Change %"), "Percent", 90),
		("trend", _("Trend"), "Data", 90),
		("open", _("Open Now"), "Int", 90),
	]
	if theme != "Term":
		rest += [("escalated", _("Escalated"), "Int", 90), ("reopened", _("Reopened"), "Int", 90)]
	if theme == "Service":
		rest.append(("changes_requested", _("Changes Requested"), "Int", 130))
	return [first] + [{"fieldname": f, "label": label, "fieldtype": t, "width": w} for f, label, t, w in rest]


def chart(data: list) -> dict:
	top = data[:10]
	return {
		"data": {
			"labels": [str(r.theme) for r in top],
			"datasets": [
				{"name": _("This Period"), "values": [r.complaints for r in top]},
				{"name": _("Previous Period"), "values": [r.previous for r in top]},
			],
		},
		"type": "bar",
	}


def span(start, end) -> str:
	return _("{0} to {1}").format(formatdate(start), formatdate(end))


def summary(data: list, start, end, prev_start) -> list[dict]:
	rising = [r for r in data if r.change > 0 and r.complaints]
	wide = [r for r in data if r.customers > 1]
	return [
		{"label": _("Period"), "value": span(start, end), "datatype": "Data"},
		{"label": _("Compared With"), "value": span(prev_start, add_days(start, -1)), "datatype": "Data"},
		{"label": _("Rising Themes"), "value": len(rising), "indicator": "Red" if rising else "Green"},
		{
			"label": _("Themes Across Customers"),
			"value": len(wide),
			"indicator": "Orange" if wide else "Green",
		},
	]
