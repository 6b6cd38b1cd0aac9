// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Complaint", {
	setup(frm) {
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
		frm.set_query("category", () => ({ filters: { disabled: 0 } }));
	},

	refresh(frm) {
		frm.trigger("show_definition");
		if (frm.is_new()) return;
		const final = ["Closed", "Rejected"].includes(frm.doc.status);

		if (frm.doc.status === "Resolution Proposed") {
			frm.add_custom_button(
				__("Customer Accepts"),
				() =>
					frm.call("respond_to_resolution", { accepted: 1 }).then(() => frm.reload_doc()),
				__("Customer Response")
			);
			frm.add_custom_button(
				__("Customer Rejects"),
				() =>
					frappe.prompt(
						{
							fieldname: "reason",
							fieldtype: "Small Text",
							label: __("Customer's reason"),
							reqd: 1,
						},
						(v) =>
							frm
								.call("respond_to_resolution", { accepted: 0, reason: v.reason })
								.then(() => frm.reload_doc()),
						__("Customer Rejects the Resolution")
					),
				__("Customer Response")
			);
		}
		if (!final) {
			frm.add_custom_button(__("Escalate"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					(v) =>
						frm.call("escalate_manually", { reason: v.reason }).then((r) => {
							frappe.show_alert({
								message: __("Escalated to level {0}", [r.message.level]),
								indicator: "orange",
							});
							frm.reload_doc();
						}),
					__("Escalate Complaint")
				)
			);
		}
		if (frm.doc.contact_email) {
			frm.add_custom_button(__("Send Written Feedback"), () =>
				frappe.confirm(
					__("Send the written feedback e-mail to {0}?", [frm.doc.contact_email]),
					() => frm.call("send_feedback").then(() => frm.reload_doc())
				)
			);
		}
	},

	category(frm) {
		if (!frm.doc.category) return;
		frappe.db
			.get_value("Complaint Category", frm.doc.category, ["default_severity", "default_owner"])
			.then(({ message }) => {
				if (message.default_severity) frm.set_value("severity", message.default_severity);
				if (message.default_owner && !frm.doc.complaint_owner)
					frm.set_value("complaint_owner", message.default_owner);
			});
	},

	customer(frm) {
		frm.set_value("contact", null);
	},

	show_definition(frm) {
		// The organisation's definition of a complaint (BRM Settings), on new complaints.
		if (!frm.is_new()) return;
		frappe.db.get_single_value("BRM Settings", "complaint_definition").then((definition) => {
			if (definition) frm.set_intro(definition, "blue");
		});
	},
});
