"""Monthly survey answer rollups (0.12): built at upgrade, a month at a time. A large site builds
them in the background; answer figures are read live until the build is complete."""

import frappe

LARGE = 100_000


def execute():
	frappe.reload_doc("brm_app", "doctype", "survey_rollup")
	from brm_app.brm_app.doctype.survey_rollup.survey_rollup import rebuild_all

	if frappe.db.count("Survey Answer") > LARGE:
		frappe.enqueue(rebuild_all, queue="long", timeout=7200, enqueue_after_commit=True)
	else:
		rebuild_all()
