"""Surveys people answer (0.10): the survey contact policy's shipped values, the Contact's
survey preference fields, and the source of invitations made before (from what they refer to)."""

import frappe


def execute():
	frappe.reload_doc("brm_app", "doctype", "brm_settings")
	frappe.reload_doc("brm_app", "doctype", "survey_invitation")
	from brm_app.setup.contact_fields import setup as setup_contact_fields
	from brm_app.setup.install import CONTACT_POLICY_DEFAULTS, set_contact_policy_defaults

	setup_contact_fields()
	settings = frappe.get_single("BRM Settings")
	set_contact_policy_defaults(settings)
	# only these fields: a full save would check every link, and an e-mail template that
	# arrives with this release's fixtures (synced after the patches) is not there yet
	for field in CONTACT_POLICY_DEFAULTS:
		frappe.db.set_single_value("BRM Settings", field, settings.get(field))

	Inv = frappe.qb.DocType("Survey Invitation")
	S = frappe.qb.DocType("Satisfaction Survey")
	frappe.qb.update(Inv).set(Inv.source, "Helpdesk Rating").where(Inv.source.isnull()).where(
		Inv.reference_doctype == "HD Ticket"
	).run()
	for kind in ("Relationship", "Transactional"):
		(
			frappe.qb.update(Inv)
			.join(S)
			.on(S.name == Inv.survey)
			.set(Inv.source, kind)
			.where(Inv.source.isnull())
			.where(S.kind == kind)
			.run()
		)
