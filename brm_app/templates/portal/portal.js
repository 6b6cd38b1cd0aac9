// Shared by brm_app's portal pages: send a form (with its files) to a whitelisted method.
window.brm_portal = {
	send(method, form_or_data, { button } = {}) {
		const data = form_or_data instanceof HTMLFormElement ? new FormData(form_or_data) : form_or_data;
		if (button) button.disabled = true;
		return fetch(`/api/method/${method}`, {
			method: "POST",
			headers: { "X-Frappe-CSRF-Token": frappe.csrf_token, Accept: "application/json" },
			body: data,
		})
			.then(async (response) => {
				let body = {};
				try {
					body = await response.json();
				} catch (e) {
					body = {};
				}
				if (!response.ok) throw new Error(brm_portal.error_text(body, response));
				return body.message;
			})
			.finally(() => {
				if (button) button.disabled = false;
			});
	},
	error_text(body, response) {
		try {
			if (body._server_messages) {
				const messages = JSON.parse(body._server_messages).map((m) => JSON.parse(m).message);
				// Text only: a message never becomes live HTML in the page.
				return new DOMParser().parseFromString(messages.join(" "), "text/html").body.textContent;
			}
		} catch (e) {
			/* fall through */
		}
		if (response.status === 429) return __("Too many requests. Please try again later.");
		if (response.status === 403) return __("You are not allowed to do this. Please log in again.");
		return __("Something went wrong. Please try again.");
	},
	// A "new record" form: send it, then show the thank-you panel with the reference.
	submit_new(form, method, fill_done) {
		const errors = document.getElementById("brm-errors");
		form.addEventListener("submit", (e) => {
			e.preventDefault();
			errors.classList.add("hidden");
			brm_portal
				.send(method, form, { button: form.querySelector("button[type=submit]") })
				.then((r) => {
					form.classList.add("hidden");
					fill_done(r);
					document.getElementById("brm-done").classList.remove("hidden");
					window.scrollTo(0, 0);
				})
				.catch((err) => brm_portal.show_error(errors, err));
		});
	},
	show_error(element, error) {
		element.textContent = error.message || String(error);
		element.classList.remove("hidden");
	},
};
