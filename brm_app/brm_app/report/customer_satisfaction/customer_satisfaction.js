// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.query_reports["Customer Satisfaction"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Customer", "Dimension", "Service", "Survey", "Month"],
			default: "Customer",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("Answered From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("Answered To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "survey", label: __("Survey"), fieldtype: "Link", options: "Satisfaction Survey" },
		{ fieldname: "service", label: __("Service"), fieldtype: "Link", options: "Item" },
		{ fieldname: "dimension", label: __("Dimension"), fieldtype: "Data" },
		{
			// the monthly rollups are read for whole past months; Live reads the records (audit)
			fieldname: "live",
			label: __("Live"),
			fieldtype: "Check",
			default: 0,
		},
	],
};
