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
		if (!frm.is_new() && frm.doc.docstatus < 2 && (frm.doc.action_items || []).length) {
			frm.add_custom_button(
				__("Request for Change"),
				() => brm_app.raise_change_from_row(frm, "action_items", "description", "action_item"),
				__("Create")
			);
		}
		if (!frm.is_new() && frm.doc.docstatus < 2) {
			frm.add_custom_button(__("Requirement or Opportunity"), () =>
				frappe.prompt(
					[
						{ fieldname: "title", fieldtype: "Data", label: __("Title"), reqd: 1 },
						{
							fieldname: "kind",
							fieldtype: "Select",
							label: __("Kind"),
							options: ["New Service", "Change to a Service", "Sign-up to a Standard Service", "Other Request"],
							default: "New Service",
						},
						{ fieldname: "desired_outcomes", fieldtype: "Small Text", label: __("Desired Outcomes"), reqd: 1 },
					],
					(v) => frm.call("raise_requirement", v).then((r) => frappe.set_route("Form", "Customer Requirement", r.message)),
					__("Raise a Customer Requirement")
				), __("Create")
			);
		}
		if (!frm.is_new() && frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Get Metrics"), () =>
				frm.call("get_metrics").then(() => frm.reload_doc())
			);
		}
	},
});
