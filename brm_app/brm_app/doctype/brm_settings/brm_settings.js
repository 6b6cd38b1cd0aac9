// Copyright (c) 2026, brm_app contributors and contributors
// For license information, please see license.txt

// Records kept: what the next retention run would do, before it does it.
frappe.ui.form.on("BRM Settings", {
	refresh(frm) {
		// Retention rules decide what is destroyed: a System Manager's (the server refuses others).
		frm.set_df_property("retention_rules", "read_only", !frappe.user.has_role("System Manager"));
		frm.add_custom_button(__("Preview Next Run"), () => show_retention_preview(frm), __("Records Kept"));
		if (frappe.user.has_role("System Manager")) {
			frm.add_custom_button(
				__("Run Now"),
				() =>
					frappe.confirm(
						__("Anonymise or delete every record past its retention period now?"),
						() =>
							frappe.call({ method: "brm_app.retention.run_now" }).then((r) =>
								frappe.show_alert({ message: r.message, indicator: "blue" })
							)
					),
				__("Records Kept")
			);
		}
	},
});

function show_retention_preview(frm) {
	if (frm.is_dirty()) {
		frappe.msgprint(__("Save the settings first: the preview uses the saved rules."));
		return;
	}
	frappe.call({ method: "brm_app.retention.preview" }).then((r) => {
		const rows = r.message || [];
		const esc = frappe.utils.escape_html;
		const body = rows.length
			? `<table class="table table-bordered table-sm">
				<thead><tr><th>${__("Rule")}</th><th>${__("Ended Before")}</th>
				<th class="text-right">${__("Next Run Acts On")}</th>
				<th class="text-right">${__("Held")}</th></tr></thead>
				<tbody>${rows
					.map(
						(row) => `<tr><td>${esc(row.rule)}</td>
						<td>${esc(frappe.datetime.str_to_user(row.cutoff))}</td>
						<td class="text-right">${row.due} (${esc(__(row.action))})</td>
						<td class="text-right">${row.held}</td></tr>`
					)
					.join("")}</tbody></table>
				<p class="text-muted small">${__(
					"Held: past their period but under legal hold (on the record or its customer's portfolio); nothing is done to them while the hold is set."
				)}</p>`
			: `<p>${__("No retention rule is enabled: every record is kept.")}</p>`;
		frappe.msgprint({ title: __("Next Retention Run"), message: body, wide: true });
	});
}
