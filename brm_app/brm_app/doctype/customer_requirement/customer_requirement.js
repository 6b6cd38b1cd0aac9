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
});
