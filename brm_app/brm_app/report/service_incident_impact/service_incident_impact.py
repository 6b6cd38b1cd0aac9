# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Service Incident Impact (docs/incidents.md): per incident over a period, the customers hit
and told, minutes from start to the first notice, complaints raised and linked, and the share
of complainers told before they complained — what telling customers first is worth."""

import frappe
from frappe import _
from frappe.utils import add_days, add_months, get_datetime, getdate, today


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	start = getdate(filters.from_date or add_months(today(), -12))
	end = getdate(filters.to_date or today())
	Inc = frappe.qb.DocType("Service Incident")
	rows = (
		frappe.qb.from_(Inc)
		.select(
			Inc.name,
			Inc.title,
			Inc.impact,
			Inc.status,
			Inc.started_on,
			Inc.ended_on,
			Inc.customers_affected,
			Inc.customers_notified,
			Inc.minutes_to_first_notice,
			Inc.complaints_raised,
			Inc.complaints_linked,
			Inc.notified_before_complaint,
			Inc.customers_complained,
		)
		.where((Inc.started_on >= get_datetime(start)) & (Inc.started_on < get_datetime(add_days(end, 1))))
		.orderby(Inc.started_on, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	for row in rows:  # "not yet" is not zero
		if not row.customers_notified:
			row.minutes_to_first_notice = None
		if not row.customers_complained:
			row.notified_before_complaint = None
	return columns(), rows


def columns() -> list[dict]:
	def col(fieldname, label, fieldtype="Int", width=120, options=None):
		return {
			"fieldname": fieldname,
			"label": label,
			"fieldtype": fieldtype,
			"width": width,
			"options": options,
		}

	return [
		col("name", _("Incident"), "Link", 140, "Service Incident"),
		col("title", _("Title"), "Data", 220),
		col("impact", _("Impact"), "Data", 90),
		col("status", _("Status"), "Data", 90),
		col("started_on", _("Started"), "Datetime", 150),
		col("ended_on", _("Restored"), "Datetime", 150),
		col("customers_affected", _("Customers Hit")),
		col("customers_notified", _("Customers Told")),
		col("minutes_to_first_notice", _("Minutes to First Notice"), "Int", 150),
		col("complaints_raised", _("Complaints Raised")),
		col("complaints_linked", _("Complaints Linked")),
		col("notified_before_complaint", _("Told Before Complaining %"), "Percent", 160),
	]
