"""Records kept (issue 11): the default retention rules, and the end stamps the retention
period runs from for records that ended before the stamps existed."""

import frappe


def execute():
	from brm_app.retention import add_default_rules

	settings = frappe.get_single("BRM Settings")
	if not settings.retention_rules:
		add_default_rules(settings)
		settings.save(ignore_permissions=True)
	# An acknowledged compliment, a fulfilled or declined requirement: ended when last changed.
	for doctype, statuses in (
		("Compliment", ("Acknowledged",)),
		("Customer Requirement", ("Fulfilled", "Declined")),
	):
		T = frappe.qb.DocType(doctype)
		frappe.qb.update(T).set(T.closed_on, T.modified).where(
			T.status.isin(statuses) & T.closed_on.isnull()
		).run()
	R = frappe.qb.DocType("Service Performance Review")
	frappe.qb.update(R).set(R.approved_on, R.modified).where(
		(R.docstatus == 1) & R.approved_on.isnull()
	).run()
	# Answers tied to the person who gave them (personal data requests find them).
	frappe.db.sql(
		"""update `tabSurvey Answer` a join `tabSurvey Invitation` i
		on a.parent = i.name and a.parenttype = 'Survey Invitation'
		set a.respondent = i.email where a.respondent is null"""
	)
