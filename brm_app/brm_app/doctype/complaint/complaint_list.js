// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Complaint"] = {
	add_fields: ["status", "is_overdue", "escalation_level", "needs_triage"],
	get_indicator(doc) {
		// From an e-mail address of no known customer: someone has to pick the customer.
		if (doc.needs_triage && doc.status === "Open")
			return [__("Needs Triage"), "orange", "needs_triage,=,1"];
		// "Overdue" is stored on the complaint (kept current on save and by the hourly sweep).
		if (doc.is_overdue) return [__("Overdue"), "red", "is_overdue,=,1"];
		const colours = {
			Open: "orange",
			Acknowledged: "blue",
			Investigating: "purple",
			"Resolution Proposed": "yellow",
			Closed: "green",
			Rejected: "gray",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
