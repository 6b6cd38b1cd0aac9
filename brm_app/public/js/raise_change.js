// "Create > Request for Change" from a row of a record (a review's action item, a complaint's
// corrective action): pick the row, the server raises the request and links it (docs/changes.md).
window.brm_app = window.brm_app || {};
brm_app.raise_change_from_row = function (frm, table, label_field, argument) {
	const rows = (frm.doc[table] || []).map((r) => ({ value: r.name, label: (r[label_field] || "").slice(0, 120) }));
	if (!rows.length) {
		frappe.msgprint(__("Add the row first."));
		return;
	}
	frappe.prompt(
		{ fieldname: "row", fieldtype: "Select", label: __("Which one"), options: rows, reqd: 1 },
		(v) =>
			frm
				.call("raise_request_for_change", { [argument]: v.row })
				.then((r) => frappe.set_route("Form", "Request for Change", r.message)),
		__("Request for Change"),
		__("Create")
	);
};
