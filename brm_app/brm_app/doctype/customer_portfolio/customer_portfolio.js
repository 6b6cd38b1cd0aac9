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
		show_health_history(frm);
	},
});

// The last 12 weeks of health, with the band lines, what moved it and where it is heading.
function show_health_history(frm) {
	const field = frm.get_field("health_history_html");
	if (!field) return;
	frappe
		.call("brm_app.brm_app.doctype.customer_portfolio.health.get_health_history", {
			portfolio: frm.doc.name,
		})
		.then(({ message: h }) => {
			const $w = field.$wrapper.empty();
			if (!h || !h.scores.length) {
				$w.html(`<p class="text-muted">${__("No weekly health history yet.")}</p>`);
				return;
			}
			const $chart = $("<div>").appendTo($w);
			new frappe.Chart($chart[0], {
				type: "line",
				height: 220,
				colors: ["#2490ef"],
				data: {
					labels: h.weeks.map((w) => frappe.datetime.str_to_user(w)),
					datasets: [{ name: __("Health Score"), values: h.scores }],
					yMarkers: [
						{ label: __("Healthy"), value: h.watch_line },
						{ label: __("At Risk below"), value: h.at_risk_line },
					],
				},
				axisOptions: { xIsSeries: 1 },
				lineOptions: { regionFill: 0, dotSize: 4 },
			});
			const esc = frappe.utils.escape_html;
			const since = (label, s) => {
				if (!s) return "";
				const moved = s.moved.map((m) => `${esc(m.factor)} (${m.points > 0 ? "+" : ""}${m.points})`);
				return `<div><b>${label}: ${s.change > 0 ? "+" : ""}${s.change}</b>${
					moved.length ? " — " + moved.join("; ") : ""
				}</div>`;
			};
			let html = since(__("Since last week"), h.since_last_week) + since(__("Since 4 weeks ago"), h.since_4_weeks);
			if (h.projection) {
				const p = h.projection;
				html += `<div>${__("In 60 days: {0} ({1}), likely between {2} and {3} — the trend of the last {4} weeks, flattening out.", [
					p.score,
					__(p.band),
					p.low,
					p.high,
					p.weeks_used,
				])}</div>`;
			} else {
				html += `<div class="text-muted">${__("No projection yet: it needs {0} weeks of history.", [h.min_weeks])}</div>`;
			}
			$("<div class='small' style='margin-top:8px'>").html(html).appendTo($w);
		});
}
