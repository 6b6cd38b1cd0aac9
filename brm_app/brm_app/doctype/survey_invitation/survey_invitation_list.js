// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Survey Invitation"] = {
	add_fields: ["status", "below_minimum"],
	get_indicator(doc) {
		if (doc.status === "Responded" && doc.below_minimum)
			return [__("Below Minimum"), "red", "below_minimum,=,1"];
		const colours = {
			Pending: "gray",
			Sent: "blue",
			Reminded: "orange",
			Responded: "green",
			Expired: "gray",
			"Held Back": "yellow",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
