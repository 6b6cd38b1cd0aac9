// Copyright (c) 2026, brm_app contributors and contributors
// For license information, please see license.txt

// frappe.ui.form.on("Survey Invitation", {
// 	refresh(frm) {

// 	},
// });
