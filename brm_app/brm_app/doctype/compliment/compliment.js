// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Compliment", {
	setup(frm) {
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
		frm.set_query("praised_doctype", "praised", () => ({
			filters: { name: ["in", ["User", "Employee", "Department"]] },
		}));
	},

	refresh(frm) {
		if (frm.is_new() || !frm.doc.contact_email) return;
		frm.add_custom_button(__("Thank the Customer"), () =>
			frappe.confirm(__("Send the thank-you e-mail to {0}?", [frm.doc.contact_email]), () =>
				frm.call("send_thanks").then(() => frm.reload_doc())
			)
		);
	},

	customer(frm) {
		frm.set_value("contact", null);
	},
});
