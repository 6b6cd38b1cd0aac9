// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Portfolio", {
	setup(frm) {
		const contact_query = () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		});
		frm.set_query("authorised_representative", contact_query);
		frm.set_query("contact", "decision_makers", contact_query);
		frm.set_query("service", "services", () => ({ filters: { is_stock_item: 0 } }));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("New Complaint"), () =>
			frappe.new_doc("Complaint", { customer: frm.doc.customer })
		);
		frm.add_custom_button(__("Refresh Health"), () =>
			frm.call("refresh_health").then(() => frm.reload_doc())
		);
		frm.add_custom_button(__("New Compliment"), () =>
			frappe.new_doc("Compliment", { customer: frm.doc.customer })
		);
	},
});
