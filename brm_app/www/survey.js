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

	// The server's messages as text (a message never becomes live HTML), one per line.
	function error_text(body) {
		try {
			const messages = JSON.parse(body._server_messages).map((m) => JSON.parse(m).message);
			const html = messages.join("<br>").replace(/<br\s*\/?>/gi, "\n");
			return new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
		} catch (e) {
			return __("Something went wrong. Please try again.");
		}
	}

	// Errors are shown above the button and take the focus (a screen reader reads them);
	// the thank-you takes the focus once the answers are in.
	const errors = document.getElementById("brm-survey-errors");
	const button = form.querySelector("button[type=submit]");
	form.addEventListener("submit", function (event) {
		event.preventDefault();
		errors.classList.add("hidden");
		button.disabled = true;
		const data = new URLSearchParams({ token: form.dataset.token, answers: JSON.stringify(collect()) });
		fetch("/api/method/brm_app.api.survey.submit_response", {
			method: "POST",
			headers: { "X-Frappe-CSRF-Token": frappe.csrf_token || "", Accept: "application/json" },
			body: data,
		})
			.then(async (response) => {
				const body = await response.json().catch(() => ({}));
				if (!response.ok) throw new Error(error_text(body));
				form.classList.add("hidden");
				const thanks = document.getElementById("brm-survey-thanks");
				thanks.classList.remove("hidden");
				thanks.querySelector("[tabindex]").focus();
			})
			.catch((err) => {
				errors.textContent = err.message;
				errors.classList.remove("hidden");
				errors.focus();
			})
			.finally(() => {
				button.disabled = false;
			});
	});
});
