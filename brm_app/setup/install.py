"""Install and uninstall: defaults an administrator can then edit, and a clean removal."""

import frappe

DEFAULT_TARGETS = [
	# severity, acknowledge within hours, resolve within days
	("Critical", 2, 2),
	("High", 8, 5),
	("Medium", 24, 10),
	("Low", 48, 20),
]
DEFAULT_CHAIN = [
	# level, hours overdue, role
	(1, 0, "Business Relationship Manager"),
	(2, 24, "System Manager"),
]
DEFAULT_CATEGORIES = [
	("Service Quality", "High", "The service did not meet the agreed level or the customer's expectation."),
	("Availability and Outages", "Critical", "The service was unavailable or badly degraded."),
	("Communication", "Medium", "The customer was not informed, was misinformed or could not reach us."),
	("Staff Conduct", "High", "The behaviour or competence of our staff."),
	("Billing and Charges", "Medium", "Invoices, prices or charges."),
	("Delivery and Timeliness", "Medium", "Late or incomplete delivery of a request or change."),
	("Other", "Low", "Anything else the customer is dissatisfied with."),
]
KPI_DEFAULTS = {
	"kpi_min_response_rate": 30,
	"kpi_min_ack_on_time": 95,
	"kpi_min_resolved_on_time": 90,
	"kpi_max_reopened": 10,
	"kpi_min_reviews_held": 90,
}
#: BRM Settings > Survey Contact Policy as shipped (brm_app.rules.contact_policy.Policy).
CONTACT_POLICY_DEFAULTS = {
	"survey_max_per_period": 2,
	"survey_period_days": 90,
	"survey_min_gap_days": 30,
	"survey_max_reminders": 1,
	"survey_quiet_while_serious_complaint": 1,
	"survey_quiet_days_after_complaint": 14,
}
DEFAULT_DEFINITION = (
	"<p>A complaint is any expression of dissatisfaction by a customer with our services or our "
	"relationship, made in any way, where a response or resolution is explicitly or implicitly "
	"expected (ISO 10002). Requests for information or for a new service are not complaints.</p>"
)


def after_install():
	from brm_app.setup.role_permissions import install_staff_permissions

	set_default_settings()
	make_default_categories()
	set_default_print_formats()
	install_staff_permissions()
	from brm_app.setup.contact_fields import setup as setup_contact_fields

	setup_contact_fields()
	make_handling_policies()
	# nothing to build on a new site
	frappe.db.set_default("brm_complaint_rollups_built", "1")
	frappe.db.set_default("brm_survey_rollups_built", "1")
	from brm_app.integrations.helpdesk.setup import setup as setup_helpdesk

	setup_helpdesk()


def set_default_print_formats():
	"""The customer reports (docs/features.md) print by default (changeable in Customize Form)."""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	for doctype, print_format in (
		("Complaint", "Customer Complaint Report"),
		("Compliment", "Customer Compliment Report"),
		("Satisfaction Survey", "Customer Survey Evaluation"),
		("Service Performance Review", "Service Performance Review Report"),
	):
		if (
			frappe.db.exists("Print Format", print_format)
			and not frappe.get_meta(doctype).default_print_format
		):
			make_property_setter(
				doctype,
				None,
				"default_print_format",
				print_format,
				"Data",
				for_doctype=True,
				validate_fields_for_doctype=False,
			)


def set_default_settings():
	settings = frappe.get_single("BRM Settings")
	if not settings.complaint_targets:
		for severity, hours, days in DEFAULT_TARGETS:
			settings.append(
				"complaint_targets",
				{"severity": severity, "acknowledge_within_hours": hours, "resolve_within_days": days},
			)
	if not settings.escalation_chain:
		for level, hours, role in DEFAULT_CHAIN:
			settings.append(
				"escalation_chain", {"level": level, "escalate_after_hours": hours, "escalate_to_role": role}
			)
	if not settings.complaint_definition:
		settings.complaint_definition = DEFAULT_DEFINITION
	set_survey_defaults(settings)
	add_health_alert_rules(settings)
	from brm_app.retention import add_default_rules

	add_default_rules(settings)
	# Links to records that arrive later with the fixtures (e-mail templates) or no longer
	# exist (a re-install) are dropped here; after_sync sets the shipped ones.
	for df in settings.meta.get_link_fields():
		value = settings.get(df.fieldname)
		if value and not frappe.db.exists(df.options, value):
			settings.set(df.fieldname, None)
	settings.save(ignore_permissions=True)


#: The shipped health alert rules (BRM Settings > Health Alert Rules; docs/health.md).
DEFAULT_HEALTH_ALERTS = (
	("Drops", 10, 4, 7),
	("Enters At Risk", 0, 0, 3),
	("Projected At Risk", 0, 0, 14),
)


def add_health_alert_rules(settings) -> None:
	if settings.get("health_alert_rules"):
		return
	for kind, points, weeks, due_in_days in DEFAULT_HEALTH_ALERTS:
		settings.append(
			"health_alert_rules",
			{"kind": kind, "points": points, "weeks": weeks, "due_in_days": due_in_days, "enabled": 1},
		)


def make_handling_policies() -> list[str]:
	"""The shipped complaint handling policies (brm_app/setup/handling_policies.json: ISO 10002,
	the default, and regulator examples), made once: an administrator's edits are never
	overwritten. BRM Settings' default policy is set if empty."""
	import json
	from pathlib import Path

	made = []
	path = Path(__file__).with_name("handling_policies.json")
	for record in json.loads(path.read_text(encoding="utf-8")):
		if frappe.db.exists("Complaint Handling Policy", record["name"]):
			continue
		doc = frappe.get_doc(record)
		if doc.final_response_template and not frappe.db.exists(
			"Email Template", doc.final_response_template
		):
			doc.final_response_template = None  # arrives with the fixtures: after_sync sets it
		doc.insert(ignore_permissions=True)
		made.append(doc.name)
	if not frappe.db.get_single_value("BRM Settings", "default_handling_policy") and frappe.db.exists(
		"Complaint Handling Policy", DEFAULT_HANDLING_POLICY
	):
		frappe.db.set_single_value("BRM Settings", "default_handling_policy", DEFAULT_HANDLING_POLICY)
	return made


DEFAULT_HANDLING_POLICY = "ISO 10002"


def shipped_policy_names() -> list[str]:
	import json
	from pathlib import Path

	return [r["name"] for r in json.loads(Path(__file__).with_name("handling_policies.json").read_text())]


def after_sync():
	"""After the fixtures arrive: point BRM Settings at the shipped e-mail templates if unset,
	and the shipped handling policies at their final response e-mail."""
	if frappe.db.exists("Email Template", "Complaint Final Response"):
		for name in frappe.get_all(
			"Complaint Handling Policy",
			filters={"final_response_template": ("is", "not set"), "name": ("in", shipped_policy_names())},
			pluck="name",
		):
			frappe.db.set_value(
				"Complaint Handling Policy", name, "final_response_template", "Complaint Final Response"
			)
	defaults = {
		"complaint_feedback_template": "Complaint Feedback",
		"compliment_thanks_template": "Compliment Thank You",
		"survey_invitation_template": "Survey Invitation",
		"survey_reminder_template": "Survey Reminder",
		# not a field default: a new site's settings are saved before the fixtures arrive
		"incident_notice_template": "Service Incident Notice",
	}
	for field, template in defaults.items():
		if not frappe.db.get_single_value("BRM Settings", field) and frappe.db.exists(
			"Email Template", template
		):
			frappe.db.set_single_value("BRM Settings", field, template)


def set_survey_defaults(settings) -> None:
	"""Minimum satisfaction level (ITIL 4 relationship management leaves it to the organisation) and follow-up severity."""
	if not settings.minimum_csat:
		settings.minimum_csat = 80
	if not settings.survey_follow_up_severity:
		settings.survey_follow_up_severity = "High"
	for field, value in KPI_DEFAULTS.items():
		if not settings.get(field):
			settings.set(field, value)
	set_portal_defaults(settings)
	set_contact_policy_defaults(settings)


def set_contact_policy_defaults(settings) -> None:
	"""The survey contact policy as shipped (docs/surveys.md), where it was never set: values
	an administrator saved (0 included) stay."""
	Singles = frappe.qb.Table("tabSingles")
	stored = {
		row[0]
		for row in frappe.qb.from_(Singles)
		.select(Singles.field)
		.where(Singles.doctype == "BRM Settings")
		.run()
	}
	for field, value in CONTACT_POLICY_DEFAULTS.items():
		if field not in stored and not settings.get(field):
			settings.set(field, value)


def set_portal_defaults(settings) -> None:
	"""The customer portal's appeal period and what customers may attach."""
	from brm_app.rules.portal import DEFAULT_APPEAL_DAYS, DEFAULT_FILE_TYPES, DEFAULT_MAX_ATTACHMENT_MB

	if settings.appeal_period_days is None or (settings.is_new() and not settings.appeal_period_days):
		settings.appeal_period_days = DEFAULT_APPEAL_DAYS
	if not settings.portal_max_attachment_mb:
		settings.portal_max_attachment_mb = DEFAULT_MAX_ATTACHMENT_MB
	if not (settings.portal_file_types or "").strip():
		settings.portal_file_types = DEFAULT_FILE_TYPES


def make_default_categories():
	for name, severity, description in DEFAULT_CATEGORIES:
		if not frappe.db.exists("Complaint Category", name):
			frappe.get_doc(
				{
					"doctype": "Complaint Category",
					"category_name": name,
					"default_severity": severity,
					"description": description,
				}
			).insert(ignore_permissions=True)


def shipped_fixture_names(doctype: str) -> list[str]:
	"""Names of the records of ``doctype`` that brm_app ships as fixtures (see hooks.fixtures)."""
	for fixture in frappe.get_hooks("fixtures", app_name="brm_app"):
		if fixture.get("dt") == doctype:
			return list(fixture["filters"][0][2])
	return []


def before_uninstall():
	"""Remove the records that point at brm_app's DocTypes, so nothing is left dangling."""
	from brm_app.setup.role_permissions import remove_staff_permissions

	remove_staff_permissions()
	from brm_app.integrations.helpdesk.setup import teardown as teardown_helpdesk

	teardown_helpdesk()
	from brm_app.setup.contact_fields import teardown as teardown_contact_fields

	teardown_contact_fields()
	for name in shipped_fixture_names("Workflow"):
		frappe.delete_doc("Workflow", name, ignore_missing=True, force=True)
	for name in frappe.get_all(
		"Notification", filters={"document_type": ("in", ["Complaint", "Compliment"])}, pluck="name"
	) + shipped_fixture_names("Notification"):
		frappe.delete_doc("Notification", name, ignore_missing=True, force=True)
	for name in shipped_fixture_names("Email Template"):
		frappe.delete_doc("Email Template", name, ignore_missing=True, force=True)
	frappe.db.delete("Singles", {"doctype": "BRM Settings"})
	for doctype in ("Complaint", "Compliment", "Satisfaction Survey", "Service Performance Review"):
		frappe.db.delete("Property Setter", {"doc_type": doctype, "property": "default_print_format"})
	frappe.cache.hdel("workflow", "Complaint")
	frappe.cache.hdel("workflow", "Compliment")
