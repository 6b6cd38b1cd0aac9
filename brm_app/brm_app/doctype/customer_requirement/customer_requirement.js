// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Requirement", {
	setup(frm) {
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
		frm.set_query("opportunity", () => ({ filters: { party_name: frm.doc.customer } }));
	},
	refresh(frm) {
		const closed = ["Fulfilled", "Declined"].includes(frm.doc.status);
		if (!frm.is_new() && !closed && [undefined, null, "", "Change Management"].includes(frm.doc.routed_to)) {
			frm.add_custom_button(
				__("Request for Change"),
				() =>
					frm.call("raise_request_for_change").then((r) => frappe.set_route("Form", "Request for Change", r.message)),
				__("Create")
			);
		}
	},
});
