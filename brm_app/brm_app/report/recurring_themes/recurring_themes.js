// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.query_reports["Recurring Themes"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Themes By"),
			fieldtype: "Select",
			options: [
				{ value: "Category", label: __("Category") },
				{ value: "Service", label: __("Service") },
				{ value: "Root Cause", label: __("Root Cause") },
				{ value: "Term", label: __("Frequent Terms") },
			],
			default: "Category",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("Received From"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -89),
		},
		{ fieldname: "to_date", label: __("Received To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "min_customers",
			label: __("Seen at Customers (at least)"),
			fieldtype: "Int",
			default: 1,
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "relationship_manager", label: __("Relationship Manager"), fieldtype: "Link", options: "User" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "trend" && data) {
			const colour = { Rising: "red", New: "orange", Falling: "green", Gone: "green" }[data.trend_key];
			if (colour) value = `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
