// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Performance Review", {
	setup(frm) {
		frm.set_query("contact", "attendees", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},
	refresh(frm) {
		if (!frm.is_new() && frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Get Metrics"), () =>
				frm.call("get_metrics").then(() => frm.reload_doc())
			);
		}
	},
});
