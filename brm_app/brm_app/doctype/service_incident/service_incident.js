// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

// A service incident: resolve, reopen, close, and answer the complaints linked to it with the
// post-incident summary (docs/incidents.md). Updates go out when saved.
frappe.ui.form.on("Service Incident", {
	refresh(frm) {
		if (frm.is_new()) return;
		const call = (method, args) => frm.call(method, args || {}).then(() => frm.reload_doc());
		if (frm.doc.status === "Open") {
			frm.add_custom_button(__("Service Restored"), () => call("resolve"));
		}
		if (frm.doc.status === "Resolved") {
			frm.add_custom_button(__("Close"), () => call("close"));
			frm.add_custom_button(__("It Failed Again"), () => call("reopen"));
		}
		if (frm.doc.complaints_linked && frm.doc.post_incident_summary) {
			frm.add_custom_button(__("Answer Linked Complaints"), () =>
				frappe.confirm(
					__("Propose the post-incident summary as the resolution of each open complaint linked to this incident?"),
					() => frm.call("answer_linked_complaints").then((r) => {
						frappe.show_alert({ message: __("{0} complaints answered", [r.message]), indicator: "green" });
						frm.reload_doc();
					})
				)
			);
		}
		frm.add_custom_button(__("Complaints"), () =>
			frappe.set_route("List", "Complaint", { service_incident: frm.doc.name })
		);
	},
});
