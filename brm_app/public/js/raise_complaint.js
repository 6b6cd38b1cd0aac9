// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt
//
// "Create > Complaint" on ERPNext's Issue and (with Frappe Helpdesk) on HD Ticket in the desk:
// the ticket's customer, contact, subject and description, both records linked
// (brm_app.api.complaint.raise_from_ticket). Loaded for both doctypes (hooks.doctype_js).

frappe.provide("brm_app.raise_complaint");

brm_app.raise_complaint.from_ticket = (frm) =>
	frappe
		.xcall("brm_app.api.complaint.raise_from_ticket", {
			doctype: frm.doctype,
			name: frm.doc.name,
		})
		.then((r) => {
			const message = r.created
				? __("Complaint {0} raised.", [r.name])
				: __("This ticket already has an open complaint: {0}.", [r.name]);
			frappe.show_alert({ message, indicator: r.created ? "green" : "blue" });
			frm.reload_doc();
			if (r.can_open) frappe.set_route("Form", "Complaint", r.name);
		});

for (const doctype of ["Issue", "HD Ticket"]) {
	if (brm_app.raise_complaint[doctype]) continue;
	brm_app.raise_complaint[doctype] = true;
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			if (frm.is_new()) return;
			frm.add_custom_button(
				__("Complaint"),
				() => brm_app.raise_complaint.from_ticket(frm),
				__("Create")
			);
			// A major failure: a Service Incident, from this ticket (docs/incidents.md)
			frm.add_custom_button(
				__("Service Incident"),
				() =>
					frappe.new_doc("Service Incident", {
						title: frm.doc.subject,
						started_on: frm.doc.opening_date
							? `${frm.doc.opening_date} ${frm.doc.opening_time || "00:00:00"}`
							: frm.doc.creation,
						impact: "High",
						// the public summary is written for every affected customer: never one ticket's words
						issue: doctype === "Issue" ? frm.doc.name : undefined,
						hd_ticket: doctype === "HD Ticket" ? frm.doc.name : undefined,
					}),
				__("Create")
			);
		},
	});
}
