// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.query_reports["At-risk Customers"] = {
	filters: [
		{ fieldname: "relationship_manager", label: __("Relationship Manager"), fieldtype: "Link", options: "User" },
		{ fieldname: "only_at_risk", label: __("Only At Risk"), fieldtype: "Check" },
	],
};
