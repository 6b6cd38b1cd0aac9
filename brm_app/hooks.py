from brm_app.security.doctypes import SATELLITES, brm_child_doctypes

app_name = "brm_app"
app_title = "BRM"
app_publisher = "brm_app contributors"
app_description = "ITIL / ISO 20000 Business Relationship Management for ERPNext"
app_email = "brm@example.com"
app_license = "mit"

# "org/repo" form: Frappe resolves a bare app name through the GitHub API at install time.
required_apps = ["frappe/erpnext"]

# Keep the "auto-generated types" block of each controller current (developer mode).
export_python_type_annotations = True

# Only brm_app's own records ship; admins edit them in the UI.
fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"name",
				"in",
				[
					"Business Relationship Manager",
					"BRM User",
				],
			]
		],
	},
	{
		"dt": "Workflow State",
		"filters": [
			[
				"name",
				"in",
				[
					"Open",
					"Acknowledged",
					"Under Investigation",
					"Waiting for Customer",
					"Resolution Proposed",
					"Closed",
					"Rejected",
					"New",
					"Evaluated",
					"Planned",
					"Held",
					"Minutes Approved",
					"Review Cancelled",
					"Draft",
					"Submitted",
					"Under Assessment",
					"Awaiting CAB",
					"Information Needed",
					"Approved",
					"Deferred",
					"Scheduled",
					"Implemented",
					"Change Closed",
					"Withdrawn",
				],
			]
		],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [
			[
				"name",
				"in",
				[
					"Acknowledge",
					"Start Investigation",
					"Resume",
					"Propose Resolution",
					"Accept Resolution",
					"Reject Resolution",
					"Reject as Not a Complaint",
					"Close Formally",
					"Evaluate",
					"Mark as Held",
					"Approve Minutes",
					"Cancel Review",
					"Appeal",
					"Answer the Question",
					"Ask the Customer",
					"Back to CAB",
					"Confirm Outcome",
					"Mark Implemented",
					"Record CAB Approval",
					"Record CAB Deferral",
					"Record CAB Rejection",
					"Report Not Delivered",
					"Schedule",
					"Send to CAB",
					"Start Assessment",
					"Submit Request",
					"Withdraw",
				],
			]
		],
	},
	{
		"dt": "Workflow",
		"filters": [
			[
				"name",
				"in",
				[
					"Complaint Workflow",
					"Compliment Workflow",
					"Service Performance Review Workflow",
					"Request for Change Workflow",
				],
			]
		],
	},
	{
		"dt": "Notification",
		"filters": [
			[
				"name",
				"in",
				[
					"Complaint Acknowledged",
					"Complaint Question for the Customer",
					"Complaint Resolution Proposed",
					"Complaint Closed",
					"Complaint Escalated",
					"Customer Requirement Status",
					"Service Review Shared",
				],
			]
		],
	},
	{
		"dt": "Email Template",
		"filters": [
			[
				"name",
				"in",
				[
					"Complaint Feedback",
					"Complaint Final Response",
					"Compliment Thank You",
					"Survey Invitation",
					"Survey Reminder",
					"Change Request Received",
					"Change Request Information Needed",
					"Change Request Approved",
					"Change Request Not Approved",
					"Change Request Deferred",
					"Change Request Scheduled",
					"Change Request Implemented",
					"Change Request Closed",
					"Service Incident Notice",
				],
			]
		],
	},
]

after_install = "brm_app.setup.install.after_install"
after_sync = "brm_app.setup.install.after_sync"
before_uninstall = "brm_app.setup.install.before_uninstall"
# Frappe Helpdesk on the same site (either installed first): its HD Customer field and the
# agent view's "Raise complaint" (brm_app/integrations/helpdesk/).
after_migrate = [
	"brm_app.integrations.helpdesk.setup.setup",
	# the shipped handling policies point at the final response e-mail once it has arrived
	"brm_app.setup.install.after_sync",
]
after_app_install = "brm_app.integrations.helpdesk.setup.after_app_install"
before_app_uninstall = "brm_app.integrations.helpdesk.setup.before_app_uninstall"
before_tests = "brm_app.tests.utils.before_tests"

scheduler_events = {
	"cron": {"0 6 1 * *": ["brm_app.brm_app.report.brm_metrics.mailing.send_metrics_reports"]},
	"hourly": [
		# notices still due (a save whose job was dropped, a customer added): never lost
		"brm_app.brm_app.doctype.service_incident.service_incident.send_due_notices",
		"brm_app.brm_app.doctype.complaint.escalation.escalate_overdue_complaints",
		# E-mails about our records that failed every retry go back into the queue (issue 12).
		"brm_app.utils.retry_failed_mail",
		# rollup keys a change marked while the previous rebuild job was finishing (its
		# deduplicated enqueue was skipped): rebuilt within the hour
		"brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.flush",
		"brm_app.brm_app.doctype.survey_rollup.survey_rollup.flush",
	],
	"daily": [
		# the last months' complaint rollups against the live figures, repaired and logged
		"brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.reconcile",
		# and the survey answer rollups
		"brm_app.brm_app.doctype.survey_rollup.survey_rollup.reconcile",
		# whether MariaDB's FULLTEXT index still takes new complaints (similar-complaint search)
		"brm_app.brm_app.doctype.complaint.similar.check_fulltext_index",
		"brm_app.brm_app.doctype.customer_portfolio.customer_portfolio.refresh_all_stats",
		"brm_app.brm_app.doctype.service_performance_review.scheduling.schedule_next_reviews",
		"brm_app.brm_app.doctype.customer_portfolio.health.refresh_all_health",
		"brm_app.brm_app.doctype.service_incident.service_incident.refresh_recent_figures",
	],
	# The survey sweep, one named job each (visible in Scheduled Job Log), on the long queue.
	"daily_long": [
		"brm_app.brm_app.doctype.satisfaction_survey.satisfaction_survey.open_scheduled_surveys",
		"brm_app.brm_app.doctype.satisfaction_survey.satisfaction_survey.resume_sending",
		"brm_app.brm_app.doctype.survey_invitation.survey_invitation.send_pending_invitations",
		"brm_app.brm_app.doctype.survey_invitation.survey_invitation.send_reminders",
		"brm_app.brm_app.doctype.survey_invitation.survey_invitation.expire_invitations",
		"brm_app.brm_app.doctype.satisfaction_survey.satisfaction_survey.close_finished_surveys",
		# Records kept: anonymise or delete what is past its retention period (docs/records-kept.md).
		"brm_app.retention.run_retention",
	],
}

# A resolved Issue (or, with Frappe Helpdesk, HD Ticket) invites the customer to the
# transactional survey chosen in BRM Settings.
doc_events = {
	"Issue": {"on_update": "brm_app.overrides.issue.on_update"},
	"HD Ticket": {"on_update": "brm_app.integrations.helpdesk.tickets.on_hd_ticket_update"},
	"Email Account": {"validate": "brm_app.overrides.email_account.validate"},
	# Records kept: legal hold only by the BRM / System Manager; anonymised records stay so.
	**{
		doctype: {
			"validate": "brm_app.retention.validate_record",
			"on_trash": "brm_app.retention.refuse_deleting_held",
		}
		for doctype in (
			"Complaint",
			"Compliment",
			"Survey Invitation",
			"Satisfaction Survey",
			"Customer Requirement",
			"Customer Portfolio",
			"Request for Change",
		)
	},
	"Service Performance Review": {
		"validate": "brm_app.retention.validate_record",
		"before_update_after_submit": "brm_app.retention.validate_record",
		"on_trash": "brm_app.retention.refuse_deleting_held",
	},
	"Personal Data Deletion Request": {"on_change": "brm_app.retention.on_deletion_request_change"},
	# The customer boundary (brm_app/security, docs/security.md): a website user cannot link
	# themselves to a customer; e-mails join a complaint only from people who belong to it;
	# no stored script in e-mails and comments on our records.
	"Contact": {"validate": "brm_app.security.contacts.refuse_foreign_customer_links"},
	"Address": {"validate": "brm_app.security.contacts.refuse_foreign_customer_links"},
	"Communication": {
		"before_insert": "brm_app.security.mail.check_thread",
		"before_validate": "brm_app.security.content.sanitise_timeline_entry",
	},
	"Comment": {"before_validate": "brm_app.security.content.sanitise_timeline_entry"},
}
# Dates that are not dates are refused with a message, before any rule reads them.
for _doctype in (
	"Complaint",
	"Complaint Category",
	"Compliment",
	"Customer Portfolio",
	"Customer Requirement",
	"Request for Change",
	"Satisfaction Survey",
	"Service Incident",
	"Service Performance Review",
	"Survey Invitation",
	"Survey Template",
):
	doc_events.setdefault(_doctype, {})["before_validate"] = [
		"brm_app.validation.validate_input",
		# Text that parses as JSON is sanitised too (Frappe lets it through untouched).
		"brm_app.security.content.sanitise_record",
	]

# Personal data (docs/records-kept.md): a Personal Data Download Request includes the person's
# complaints, compliments, requirements, survey invitations and answers; a Deletion Request
# replaces their name and address there, then brm_app.retention anonymises those records
# entirely (free text too), keeping the figures the reports count.
user_data_fields = [
	{"doctype": "Complaint", "filter_by": "contact_email"},
	{"doctype": "Complaint", "filter_by": "raised_by"},
	{"doctype": "Compliment", "filter_by": "contact_email"},
	{"doctype": "Customer Requirement", "filter_by": "contact_email"},
	{"doctype": "Request for Change", "filter_by": "contact_email"},
	{"doctype": "Service Incident Notice", "filter_by": "email"},
	{"doctype": "Survey Invitation", "filter_by": "email"},
	{"doctype": "Survey Answer", "filter_by": "respondent"},
]

# "Create > Complaint" on the ticket forms (HD Ticket's only where Helpdesk is installed).
doctype_js = {
	"Issue": "public/js/raise_complaint.js",
	"HD Ticket": "public/js/raise_complaint.js",
	# "Create > Request for Change" from a review's action item or a complaint's corrective action
	"Complaint": "public/js/raise_change.js",
	"Service Performance Review": "public/js/raise_change.js",
}

# Monthly complaint rollups (brm_app/brm_app/doctype/complaint_rollup/complaint_rollup.py): a complaint's change marks its month and
# customer for the rebuild job.
doc_events["Complaint"] = {
	**doc_events["Complaint"],
	"on_update": "brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.mark_dirty",
	"after_delete": "brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.mark_dirty",
}
# Renamed customers, categories, services and surveys: the rollups' and kept figures' names
# (plain text) follow (brm_app/brm_app/doctype/complaint_rollup/upkeep.py).
for _doctype in ("Customer", "Complaint Category", "Item", "Satisfaction Survey"):
	doc_events.setdefault(_doctype, {})["after_rename"] = (
		"brm_app.brm_app.doctype.complaint_rollup.upkeep.after_rename"
	)
# ... and an invitation's (its month of response and customer) for the survey rollups.
doc_events["Survey Invitation"] = {
	**doc_events["Survey Invitation"],
	"on_update": "brm_app.brm_app.doctype.survey_rollup.survey_rollup.mark_dirty",
	"after_delete": "brm_app.brm_app.doctype.survey_rollup.survey_rollup.mark_dirty",
}

# The status e-mails brm_app ships to customers, in the customer's language
# (brm_app/overrides/notification.py; other Notifications unchanged).
override_doctype_class = {"Notification": "brm_app.overrides.notification.CustomerLanguageNotification"}

override_doctype_dashboards = {
	"Customer": "brm_app.overrides.customer.dashboard",
	"Issue": "brm_app.overrides.issue.dashboard",
}

# Customers (website users) reach only their own customer's records, whichever API they use.
permission_query_conditions = {
	"Complaint": "brm_app.permissions.complaint_query_conditions",
	"Compliment": "brm_app.permissions.compliment_query_conditions",
	"Survey Invitation": "brm_app.permissions.survey_invitation_query_conditions",
	"Customer Requirement": "brm_app.permissions.customer_requirement_query_conditions",
	"Request for Change": "brm_app.permissions.request_for_change_query_conditions",
	"Service Performance Review": "brm_app.permissions.service_review_query_conditions",
}
# brm_app's child tables answer website users with nothing (Frappe reads child rows with the
# parent DocType's permission alone); what hangs off our records (e-mails, files, tags, ...)
# is not listed to them either (brm_app/security/satellites.py).
for _doctype in brm_child_doctypes():
	permission_query_conditions[_doctype] = "brm_app.security.satellites.child_table_conditions"
for _doctype in SATELLITES:
	permission_query_conditions[_doctype] = "brm_app.security.satellites.query_conditions"
has_permission = {
	**{_doctype: "brm_app.security.satellites.has_permission" for _doctype in SATELLITES},
	"Complaint": "brm_app.permissions.has_customer_record_permission",
	"Compliment": "brm_app.permissions.has_customer_record_permission",
	"Survey Invitation": "brm_app.permissions.has_customer_record_permission",
	"Customer Requirement": "brm_app.permissions.has_customer_record_permission",
	"Request for Change": "brm_app.permissions.has_request_for_change_permission",
	"Service Performance Review": "brm_app.permissions.has_service_review_permission",
}
# Deny by default: a website user's (or guest's) request that names a brm_app DocType is
# refused unless it is one of the portal's own methods (brm_app/security/gate.py). Runs after
# Frappe has set the session user, whichever way (cookie, API key, OAuth).
auth_hooks = ["brm_app.security.gate.check_request"]
# Customers (website users) get from these desk APIs only what the portal shows them.
override_whitelisted_methods = {
	"frappe.desk.form.load.getdoc": "brm_app.overrides.desk.getdoc",
	"frappe.desk.form.load.get_docinfo": "brm_app.overrides.desk.get_docinfo",
	"frappe.client.get_count": "brm_app.overrides.desk.get_count",
}
has_website_permission = {
	"Complaint": "brm_app.permissions.has_website_permission",
	"Compliment": "brm_app.permissions.has_website_permission",
	"Customer Requirement": "brm_app.permissions.has_website_permission",
	"Request for Change": "brm_app.permissions.has_website_permission",
	"Service Performance Review": "brm_app.permissions.has_website_permission",
}

# The customer portal (/me sidebar): a customer's contacts lodge and follow their records.
standard_portal_menu_items = [
	{"title": "Complaints", "route": "/complaints", "reference_doctype": "Complaint", "role": "Customer"},
	{"title": "Compliments", "route": "/compliments", "reference_doctype": "Compliment", "role": "Customer"},
	{
		"title": "Requirements",
		"route": "/requirements",
		"reference_doctype": "Customer Requirement",
		"role": "Customer",
	},
	{
		"title": "Service Reviews",
		"route": "/service-reviews",
		"reference_doctype": "Service Performance Review",
		"role": "Customer",
	},
	{
		"title": "Changes",
		"route": "/changes",
		"reference_doctype": "Request for Change",
		"role": "Customer",
	},
	{"title": "Surveys", "route": "/survey", "reference_doctype": "Survey Invitation", "role": "Customer"},
]
# The known-issue banner on /me, /complaints and /complaints/new (docs/incidents.md).
update_website_context = ["brm_app.portal.incidents.add_banner"]

website_route_rules = [
	{"from_route": "/complaints/new", "to_route": "complaints/new"},
	{"from_route": "/complaints/<name>", "to_route": "complaints/view"},
	{"from_route": "/compliments/new", "to_route": "compliments/new"},
	{"from_route": "/compliments/<name>", "to_route": "compliments/view"},
	{"from_route": "/requirements/new", "to_route": "requirements/new"},
	{"from_route": "/requirements/<name>", "to_route": "requirements/view"},
	{"from_route": "/incidents/<name>", "to_route": "incidents/view"},
	{"from_route": "/changes/new", "to_route": "changes/new"},
	{"from_route": "/changes/<name>", "to_route": "changes/view"},
	{"from_route": "/service-reviews", "to_route": "service_reviews"},
	{"from_route": "/service-reviews/<name>", "to_route": "service_reviews/view"},
]
