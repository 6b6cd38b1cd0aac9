"""Number-card endpoints of the Business Relationship workspace (Custom cards).

Figures are scoped to the customers the user may read (``reporting.customer_scope``)."""

import frappe
from frappe.utils import getdate, today

from brm_app.reporting import answer_aggregates, customer_scope, measures
from brm_app.rules.metrics import review_period


def _survey_this_quarter() -> dict:
	start = review_period("Quarterly", getdate(today()))[0]
	row = (
		answer_aggregates(None, {"from_date": start, "customers": customer_scope(frappe._dict())}) or [None]
	)[0]
	return measures(row) if row and row.answers else {}


@frappe.whitelist()
def csat_this_quarter(filters: dict | str | None = None) -> dict:
	return {"value": _survey_this_quarter().get("csat") or 0, "fieldtype": "Percent"}


@frappe.whitelist()
def nps_this_quarter(filters: dict | str | None = None) -> dict:
	return {"value": _survey_this_quarter().get("nps") or 0, "fieldtype": "Float"}
