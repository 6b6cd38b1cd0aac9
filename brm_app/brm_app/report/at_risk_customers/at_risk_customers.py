# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""At-risk Customers: portfolios whose health is At Risk (or Watch), lowest first, with the
reasons. Lists only the portfolios the user may read (frappe.get_list)."""

import frappe
from frappe import _


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	bands = ["At Risk"] if filters.get("only_at_risk") else ["At Risk", "Watch"]
	list_filters = {"health_band": ("in", bands)}
	if filters.get("relationship_manager"):
		list_filters["relationship_manager"] = filters.relationship_manager
	rows = frappe.get_list(
		"Customer Portfolio",
		filters=list_filters,
		fields=[
			"name as customer",
			"relationship_manager",
			"tier",
			"health_score",
			"health_band",
			"health_reasons",
			"health_trend",
			"health_moved",
			"health_projection",
			"health_projected_band",
			"open_complaints",
			"current_csat",
			"current_nps",
			"next_review_date",
		],
		order_by="health_score asc",
		limit_page_length=0,
	)
	columns = [
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer Portfolio",
			"width": 200,
		},
		{"fieldname": "health_score", "label": _("Health Score"), "fieldtype": "Int", "width": 110},
		{"fieldname": "health_band", "label": _("Health"), "fieldtype": "Data", "width": 90},
		{"fieldname": "health_trend", "label": _("Change in 4 Weeks"), "fieldtype": "Int", "width": 120},
		{"fieldname": "health_moved", "label": _("What Moved It"), "fieldtype": "Small Text", "width": 260},
		{"fieldname": "health_reasons", "label": _("Why"), "fieldtype": "Small Text", "width": 380},
		{"fieldname": "health_projection", "label": _("In 60 Days"), "fieldtype": "Int", "width": 100},
		{"fieldname": "health_projected_band", "label": _("Heading For"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "relationship_manager",
			"label": _("Relationship Manager"),
			"fieldtype": "Link",
			"options": "User",
			"width": 180,
		},
		{"fieldname": "tier", "label": _("Tier"), "fieldtype": "Data", "width": 90},
		{"fieldname": "open_complaints", "label": _("Open Complaints"), "fieldtype": "Int", "width": 120},
		{"fieldname": "current_csat", "label": _("CSAT %"), "fieldtype": "Percent", "width": 90},
		{"fieldname": "current_nps", "label": _("NPS"), "fieldtype": "Float", "width": 80},
		{"fieldname": "next_review_date", "label": _("Next Review"), "fieldtype": "Date", "width": 110},
	]
	for row in rows:
		row.health_reasons = (row.health_reasons or "").replace("\n", "; ")
		if not row.health_projected_band:  # too little history: no projection, not 0
			row.health_projection = None
	return columns, rows
