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
	"""Number card: open complaints past their resolution target (while no resolution is on the
	table) or past their acknowledgement target unacknowledged. Two permission-aware COUNTs."""
	from frappe.utils import now_datetime

	now = now_datetime()
	still_open = ["status", "not in", ["Closed", "Rejected"]]

	def count(filters, or_filters=None):
		rows = frappe.get_list(
			"Complaint",
			filters=filters,
			or_filters=or_filters,
			fields=["count(name) as n"],
			limit_page_length=0,
		)
		return rows[0].n if rows else 0

	resolution_late = count([still_open, ["status", "!=", "Resolution Proposed"], ["resolve_by", "<", now]])
	# Acknowledgement late, and not already counted as resolution late.
	acknowledgement_late = count(
		[still_open, ["acknowledged_on", "is", "not set"], ["acknowledge_by", "<", now]],
		or_filters=[
			["status", "=", "Resolution Proposed"],
			["resolve_by", ">=", now],
			["resolve_by", "is", "not set"],
		],
	)
	return {"value": resolution_late + acknowledgement_late, "fieldtype": "Int"}


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
