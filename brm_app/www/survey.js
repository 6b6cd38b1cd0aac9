// Copyright (c) 2026, brm_app contributors
// For license information, please see license.txt
// /survey?token=...: send the answers; the server validates them and saves nothing on error.

frappe.ready(function () {
	const form = document.getElementById("brm-survey-form");
	if (!form) return;

	function collect() {
		const answers = {};
		form.querySelectorAll(".brm-question").forEach(function (block) {
			const key = block.dataset.key;
			const picked = form.querySelector('input[name="' + key + '"]:checked');
			const select = form.querySelector('select[name="' + key + '"]');
			const text = form.querySelector('textarea[name="' + key + '__text"]');
			answers[key] = {
				score: picked ? picked.value : null,
				choice: select ? select.value : null,
				text: text ? text.value : null,
			};
		});
		return answers;
	}

	form.addEventListener("submit", function (event) {
		event.preventDefault();
		frappe.call({
			method: "brm_app.api.survey.submit_response",
			args: { token: form.dataset.token, answers: collect() },
			freeze: true,
			callback: function (r) {
				if (!r.exc) {
					form.classList.add("hidden");
					document.getElementById("brm-survey-thanks").classList.remove("hidden");
				}
			},
		});
	});
});
