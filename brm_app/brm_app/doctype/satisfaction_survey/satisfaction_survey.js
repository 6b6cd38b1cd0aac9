// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Satisfaction Survey", {
	setup(frm) {
		frm.set_query("template", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		const act = (label, method, confirm) =>
			frm.add_custom_button(label, () => {
				const run = () => frm.call(method).then(() => frm.reload_doc());
				confirm ? frappe.confirm(confirm, run) : run();
			});
		if (frm.doc.status === "Draft") act(__("Schedule"), "schedule");
		if (["Draft", "Scheduled"].includes(frm.doc.status))
			act(__("Send Now"), "send_now", __("Open the survey and send the invitations now?"));
		if (frm.doc.status === "Open") act(__("Close"), "close", __("Close the survey? Unanswered invitations expire."));
		if (["Open", "Closed", "Evaluated"].includes(frm.doc.status)) act(__("Evaluate"), "evaluate");
		frm.add_custom_button(__("Invitations"), () =>
			frappe.set_route("List", "Survey Invitation", { survey: frm.doc.name })
		);
		if (frm.doc.status !== "Draft") {
			// who was asked and has not answered: for the relationship manager to follow up
			frm.add_custom_button(__("Non-respondents"), () =>
				frappe.set_route("List", "Survey Invitation", {
					survey: frm.doc.name,
					status: ["in", ["Sent", "Reminded", "Expired"]],
					responded_on: ["is", "not set"],
				})
			);
			frm.add_custom_button(__("Held Back"), () =>
				frappe.set_route("List", "Survey Invitation", { survey: frm.doc.name, status: "Held Back" })
			);
		}
	},
});
