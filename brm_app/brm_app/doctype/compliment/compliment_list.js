// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Compliment"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colours = { New: "orange", Evaluated: "blue", Acknowledged: "green" };
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
