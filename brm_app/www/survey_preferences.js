// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt
// /survey_preferences: opt out of surveys (or back in). Nothing changes until a button is pressed.

frappe.ready(function () {
	const form = document.getElementById("brm-preference-form");
	if (!form) return;
	const receiving = document.getElementById("brm-preference-receiving");
	const optedOut = document.getElementById("brm-preference-opted-out");
	const message = document.getElementById("brm-preference-message");

	function save(optOut) {
		const reason = document.getElementById("brm-preference-reason");
		frappe.call({
			method: "brm_app.api.survey.set_survey_preference",
			args: {
				token: form.dataset.token || null,
				opt_out: optOut,
				reason: optOut && reason ? reason.value : null,
			},
			freeze: true,
			callback: function (r) {
				if (r.exc || !r.message) return;
				receiving.classList.toggle("hidden", !!r.message.opted_out);
				optedOut.classList.toggle("hidden", !r.message.opted_out);
				message.textContent = r.message.message;
				const next = r.message.opted_out
					? document.getElementById("brm-preference-again")
					: form.querySelector('button[type="submit"]');
				if (next) next.focus();
			},
		});
	}

	form.addEventListener("submit", function (event) {
		event.preventDefault();
		save(1);
	});
	document.getElementById("brm-preference-again").addEventListener("click", function () {
		save(0);
	});
});
