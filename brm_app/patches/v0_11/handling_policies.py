"""Complaint clocks (0.11): the shipped handling policies and the default one. Complaints
received before keep their due dates (nothing moves silently): an administrator who wants
them under the policy uses "Recompute Open Complaints" on the policy."""

import frappe


def execute():
	for doctype in (
		"complaint_policy_target",
		"complaint_policy_hours",
		"complaint_policy_scope",
		"complaint_handling_policy",
		"complaint_pause",
		"complaint",
		"brm_settings",
	):
		frappe.reload_doc("brm_app", "doctype", doctype)
	from brm_app.setup.install import make_handling_policies

	made = make_handling_policies()
	if made:
		print(
			"brm_app: complaint handling policies {} added; open complaints keep their due dates "
			"(recompute them from the policy if wanted).".format(", ".join(made))
		)
