// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.query_reports["Complaint Analysis"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Category", "Root Cause", "Service", "Customer", "Severity", "Month"],
			default: "Category",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("Received From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("Received To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "relationship_manager", label: __("Relationship Manager"), fieldtype: "Link", options: "User" },
		{
			// the monthly rollups are read for whole past months; Live reads the records (audit)
			fieldname: "live",
			label: __("Live"),
			fieldtype: "Check",
			default: 0,
		},
	],
};
