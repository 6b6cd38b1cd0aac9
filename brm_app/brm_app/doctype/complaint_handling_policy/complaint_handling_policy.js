// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Complaint Handling Policy", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Recompute Open Complaints"), () =>
			frappe.confirm(
				__(
					"Put the open complaints this policy applies to under it and recompute their due dates? Each complaint whose dates move says so on its timeline."
				),
				() =>
					frm.call("recompute_open_complaints").then(({ message }) =>
						frappe.show_alert({
							message: __("{0} open complaints are being recomputed.", [message]),
							indicator: "blue",
						})
					)
			)
		);
		frm.set_query("value", "scope", (doc, cdt, cdn) => ({}));
	},
});
