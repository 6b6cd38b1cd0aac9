// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

// The actions that need more than a workflow button: a question for the customer, the customer's
// answer or confirmation given outside the portal, the SLA part done (docs/changes.md).
frappe.ui.form.on("Request for Change", {
	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		const asks_from = ["Submitted", "Under Assessment", "Awaiting CAB", "Approved", "Deferred", "Scheduled"];
		if (asks_from.includes(status)) {
			frm.add_custom_button(__("Ask the Customer"), () => ask(frm), __("Customer"));
		}
		if (status === "Information Needed") {
			frm.add_custom_button(__("Record Their Answer"), () => answer(frm), __("Customer"));
		}
		if (status === "Implemented") {
			frm.add_custom_button(__("Record Their Confirmation"), () => confirm_outcome(frm), __("Customer"));
		}
		if (frm.doc.sla_change && !frm.doc.sla_done_on) {
			frm.add_custom_button(__("Mark SLA Part Done"), () =>
				frm.call("mark_sla_done").then(() => frm.reload_doc())
			);
		}
	},
});

function ask(frm) {
	frappe.prompt(
		{ fieldname: "question", fieldtype: "Small Text", label: __("Question for the Customer"), reqd: 1 },
		(v) => frm.call("ask_the_customer", { question: v.question }).then(() => frm.reload_doc()),
		__("Ask the Customer"),
		__("Ask")
	);
}

function answer(frm) {
	frappe.prompt(
		{ fieldname: "answer", fieldtype: "Small Text", label: __("The Customer's Answer"), reqd: 1 },
		(v) => frm.call("answer_for_the_customer", { answer: v.answer }).then(() => frm.reload_doc()),
		__("Record Their Answer"),
		__("Save")
	);
}

function confirm_outcome(frm) {
	frappe.prompt(
		[
			{
				fieldname: "delivered",
				fieldtype: "Select",
				label: __("Does the change deliver what they asked for?"),
				options: [
					{ value: "1", label: __("Yes: confirmed") },
					{ value: "0", label: __("No: it did not deliver (opens a complaint)") },
				],
				default: "1",
				reqd: 1,
			},
			{ fieldname: "note", fieldtype: "Small Text", label: __("What they said") },
		],
		(v) =>
			frm.call("confirm_for_the_customer", { delivered: v.delivered, note: v.note }).then(() => frm.reload_doc()),
		__("Record Their Confirmation"),
		__("Save")
	);
}
