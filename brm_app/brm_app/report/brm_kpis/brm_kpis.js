// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.query_reports["BRM KPIs"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -3),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "relationship_manager", label: __("Relationship Manager"), fieldtype: "Link", options: "User" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "met" && data) {
			const colour = data.met === __("Yes") ? "green" : data.met === __("No") ? "red" : "gray";
			return `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
