"""Connections that brm_app adds to ERPNext's own forms."""

import frappe
from frappe import _


def customer_dashboard(data: dict) -> dict:
	"""The Customer form shows its portfolio, complaints and compliments."""
	data.setdefault("transactions", []).append(
		{"label": _("Relationship"), "items": ["Customer Portfolio", "Complaint", "Compliment"]}
	)
	return data


def issue_dashboard(data: dict) -> dict:
	"""The Issue form shows the complaints that refer to it."""
	data.setdefault("non_standard_fieldnames", {})["Complaint"] = "issue"
	data.setdefault("transactions", []).append({"label": _("Relationship"), "items": ["Complaint"]})
	return data


# ---------------------------------------------------------------------- number cards


def _quarter_start():
	from frappe.utils import getdate, today

	from brm_app.rules.metrics import review_period

	return review_period("Quarterly", getdate(today()))[0]


@frappe.whitelist()
def overdue_complaints(filters: dict | str | None = None) -> dict:
	"""Number card: open complaints past their acknowledgement or resolution target."""
	from frappe.utils import now_datetime

	now = now_datetime()
	rows = frappe.get_list(
		"Complaint",
		filters={"status": ("not in", ["Closed", "Rejected"])},
		or_filters=[
			["resolve_by", "<", now],
			["acknowledge_by", "<", now],
		],
		fields=["name", "status", "resolve_by", "acknowledge_by", "acknowledged_on"],
		limit_page_length=0,
	)
	late = [
		r
		for r in rows
		if (r.resolve_by and r.resolve_by < now and r.status != "Resolution Proposed")
		or (r.acknowledge_by and r.acknowledge_by < now and not r.acknowledged_on)
	]
	return {"value": len(late), "fieldtype": "Int"}


def _survey_this_quarter() -> dict:
	from brm_app.reporting import customer_scope
	from brm_app.surveys import answer_aggregates, measures

	row = (
		answer_aggregates(None, {"from_date": _quarter_start(), "customers": customer_scope(frappe._dict())})
		or [None]
	)[0]
	return measures(row) if row and row.answers else {}


@frappe.whitelist()
def csat_this_quarter(filters: dict | str | None = None) -> dict:
	return {"value": _survey_this_quarter().get("csat") or 0, "fieldtype": "Percent"}


@frappe.whitelist()
def nps_this_quarter(filters: dict | str | None = None) -> dict:
	return {"value": _survey_this_quarter().get("nps") or 0, "fieldtype": "Float"}
