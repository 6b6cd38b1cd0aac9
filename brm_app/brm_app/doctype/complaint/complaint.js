// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Complaint", {
	setup(frm) {
		// only an incident that affects this complaint's customer
		frm.set_query("service_incident", () => ({
			filters: [["Service Incident Customer", "customer", "=", frm.doc.customer || ""]],
		}));
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
		frm.set_query("category", () => ({ filters: { disabled: 0 } }));
	},

	onload(frm) {
		// The Helpdesk ticket field is a Dynamic Link: its doctype, where Helpdesk is installed.
		if (frm.is_new() && !frm.doc.ticket_doctype && frappe.boot.versions && frappe.boot.versions.helpdesk)
			frm.set_value("ticket_doctype", "HD Ticket");
	},

	refresh(frm) {
		frm.trigger("show_definition");
		frm.trigger("show_similar");
		frm.trigger("show_clock");
		if (frm.is_new()) return;
		const final = ["Closed", "Rejected"].includes(frm.doc.status);
		if ((frm.doc.corrective_actions || []).length && frm.doc.customer) {
			frm.add_custom_button(
				__("Request for Change"),
				() => brm_app.raise_change_from_row(frm, "corrective_actions", "action", "corrective_action"),
				__("Create")
			);
		}

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
		if (frm.doc.contact_email && ["Resolution Proposed", "Closed"].includes(frm.doc.status)) {
			// the decision, the reasons, the redress and the customer's rights (handling policy)
			frm.add_custom_button(__("Send Final Response"), () => {
				if (!frm.doc.outcome) {
					frappe.msgprint(__("Record the outcome first (Outcome and Final Response)."));
					return;
				}
				frappe.confirm(
					__("Send the final response ({0}) to {1}?", [__(frm.doc.outcome), frm.doc.contact_email]),
					() => frm.call("send_final_response").then(() => frm.reload_doc())
				);
			});
		}
	},

	show_clock(frm) {
		// Each target of the handling policy: when it was due, when it was met, on time or not.
		const wrapper = frm.fields_dict.clock_html && frm.fields_dict.clock_html.$wrapper;
		if (!wrapper) return;
		const d = frm.doc;
		const targets = [
			[__("Acknowledgement"), d.acknowledge_by, d.acknowledged_on],
			[__("Summary Resolution"), d.summary_by, d.status === "Closed" ? d.closed_on : null],
			[__("Final Response"), d.resolve_by, d.final_response_sent_on || (d.status === "Closed" ? d.closed_on : null)],
		].filter(([, due]) => due);
		if (!targets.length) return wrapper.empty();
		const when = (v) => (v ? frappe.datetime.str_to_user(v) : "");
		const rows = targets
			.map(([label, due, met]) => {
				let state = __("Not met yet");
				let colour = "gray";
				if (met) [state, colour] = met <= due ? [__("Met on time"), "green"] : [__("Met late"), "red"];
				else if (d.clock_paused) [state, colour] = [__("Clock stopped: waiting for the customer"), "orange"];
				else if (frappe.datetime.system_datetime() > due) [state, colour] = [__("Overdue"), "red"];
				return `<tr><td>${frappe.utils.escape_html(label)}</td><td>${when(due)}</td><td>${when(met)}</td>
					<td><span class="indicator-pill ${colour}">${frappe.utils.escape_html(state)}</span></td></tr>`;
			})
			.join("");
		wrapper.html(`<table class="table table-bordered table-sm"><thead><tr>
			<th>${__("Target")}</th><th>${__("Due")}</th><th>${__("Met")}</th><th></th></tr></thead>
			<tbody>${rows}</tbody></table>`);
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
		frm.trigger("show_similar");
	},

	subject(frm) {
		frm.trigger("show_similar");
	},

	description(frm) {
		frm.trigger("show_similar");
	},

	show_similar(frm) {
		// While a complaint is recorded: the customer's open complaints like it, then recent
		// ones of other customers (FULLTEXT over subject and description, complaint/similar.py).
		// The headline also says when a complaint waits for triage (one area for both).
		// Our own block in the form's message area, replaced each time (clearing the whole area
		// would also remove the complaint definition shown on new complaints).
		const show = (html, color) => {
			if (frm._brm_headline) frm._brm_headline.remove();
			frm._brm_headline = null;
			if (!html) return;
			frm.layout.show_message(html, color);
			frm._brm_headline = frm.layout.message.children().last();
		};
		if (!frm.is_new() && frm.doc.status !== "Open") return show();
		const triage =
			frm.doc.needs_triage && !frm.doc.customer
				? `<p class="mb-2"><b>${__("Needs triage:")}</b> ${__(
						"{0} is an address of no known customer. Choose the customer (and contact) to go on, or reject it as not a complaint.",
						[frappe.utils.escape_html(frm.doc.raised_by || __("The sender"))]
				  )}</p>`
				: "";
		const render = (parts) => show(triage + parts.join(""), triage ? "orange" : "yellow");
		render([]);
		clearTimeout(frm._brm_similar_timer);
		frm._brm_similar_timer = setTimeout(() => {
			if ((frm.doc.subject || "").trim().length < 4) return render([]);
			frappe
				.xcall("brm_app.api.complaint.similar_complaints", {
					subject: frm.doc.subject,
					description: frm.doc.description,
					customer: frm.doc.customer,
					name: frm.is_new() ? null : frm.doc.name,
				})
				.then((found) => {
					const item = (r) =>
						`<li><a href="/app/complaint/${encodeURIComponent(r.name)}">${frappe.utils.escape_html(
							r.name
						)}</a>: ${frappe.utils.escape_html(r.subject)} <span class="text-muted">(${[
							r.customer,
							__(r.status),
							r.received_on,
						]
							.map((v) => frappe.utils.escape_html(v || ""))
							.join(", ")})</span></li>`;
					const parts = [];
					if (found.own.length)
						parts.push(
							`<p class="mb-1"><b>${__("Is this the same as an open complaint of this customer?")}</b></p><ul class="mb-2">${found.own
								.map(item)
								.join("")}</ul>`
						);
					if (found.others.length)
						parts.push(
							`<p class="mb-1">${__("Similar complaints of other customers (last 90 days):")}</p><ul class="mb-0">${found.others
								.map(item)
								.join("")}</ul>`
						);
					render(parts);
				});
		}, 600);
	},

	show_definition(frm) {
		// The organisation's definition of a complaint (BRM Settings), on new complaints.
		if (!frm.is_new()) return;
		frappe.db.get_single_value("BRM Settings", "complaint_definition").then((definition) => {
			if (definition) frm.set_intro(definition, "blue");
		});
	},
});
