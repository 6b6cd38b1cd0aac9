// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Complaint"] = {
	add_fields: ["status", "resolve_by", "acknowledge_by", "acknowledged_on", "escalation_level"],
	get_indicator(doc) {
		const final = ["Closed", "Rejected"].includes(doc.status);
		const now = frappe.datetime.now_datetime();
		const late =
			!final &&
			((doc.resolve_by && doc.resolve_by < now && doc.status !== "Resolution Proposed") ||
				(doc.acknowledge_by && !doc.acknowledged_on && doc.acknowledge_by < now));
		if (late) return [__("Overdue"), "red", "status,not in,Closed|Rejected"];
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
