"""Complaint rollups at three grains (0.12): sites that built the first, single-grain rollups
(patch v0_12.complaint_rollups) rebuild them, so the per-customer, quarter, year and
all-customer rows exist; answer figures are unaffected. A large site rebuilds in the
background; its reports read the live records until the build is complete."""

import frappe

LARGE = 100_000


def execute():
	frappe.reload_doc("brm_app", "doctype", "complaint_rollup")
	from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import BUILT, rebuild_all

	if frappe.db.exists("Complaint Rollup", {"grain": ("!=", "Detail")}):
		return  # built at three grains already (patch v0_12.complaint_rollups ran this code)
	frappe.db.set_default(BUILT, None)  # read live until rebuilt
	if frappe.db.count("Complaint") > LARGE:
		frappe.enqueue(rebuild_all, queue="long", timeout=7200, enqueue_after_commit=True)
	else:
		rebuild_all()
