# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Records kept (docs/records-kept.md): the retention run, legal hold, the log, statistics
that survive, and Frappe's personal data requests. The clock is set by passing the moment of
the run (``retention.run(at=...)``); nothing sleeps."""

import json
from datetime import timedelta
from decimal import Decimal

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, get_datetime, today

from brm_app import retention
from brm_app.api.survey import submit_response
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import CUSTOMERS, SurveyTestCase
from brm_app.brm_app.report.brm_kpis import brm_kpis
from brm_app.brm_app.report.brm_metrics import brm_metrics
from brm_app.brm_app.report.complaint_analysis import complaint_analysis
from brm_app.brm_app.report.customer_satisfaction import customer_satisfaction
from brm_app.rules import retention as rules
from brm_app.tests.utils import BRM_ROLE, BRM_USER_ROLE, make_complaint, make_portal_user, make_user

ALPHA, BETA = CUSTOMERS[0], CUSTOMERS[1]
PERSON = "rep@alpha.example.com"  # Alpha's authorised representative (SurveyTestCase)
OTHER = "user@alpha.example.com"
BRM = "brm.retention.manager@example.com"
STAFF = "brm.retention.staff@example.com"
ONE_DAY = timedelta(days=1)


def round_numbers(value):
	"""Report output with numbers rounded (sums of floats may differ in the last digit)."""
	if isinstance(value, dict):
		return {k: round_numbers(v) for k, v in value.items()}
	if isinstance(value, list | tuple):
		return [round_numbers(v) for v in value]
	if isinstance(value, float | Decimal):
		return round(float(value), 6)
	return value


def report_figures() -> dict:
	"""The four reports over the past year, every grouping."""
	period = {"from_date": add_days(today(), -365), "to_date": today()}
	return round_numbers(
		{
			"metrics": brm_metrics.execute(period)[1],
			"kpis": brm_kpis.execute(period)[1],
			"satisfaction": {
				g: customer_satisfaction.execute({**period, "group_by": g})[1]
				for g in ("Customer", "Dimension", "Service", "Survey", "Month")
			},
			"analysis": {
				g: complaint_analysis.execute({**period, "group_by": g})[1]
				for g in ("Category", "Root Cause", "Service", "Customer", "Severity", "Month")
			},
		}
	)


class RetentionTestCase(SurveyTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(BRM, [BRM_ROLE])
		make_user(STAFF, [BRM_USER_ROLE])
		make_portal_user(PERSON, [ALPHA])

	def setUp(self):
		super().setUp()
		self.set_rules(rules.ANONYMISE)
		self.records = self.make_records()

	def set_rules(self, action, only=None, **overrides):
		settings = frappe.get_single("BRM Settings")
		settings.retention_rules = []
		for record_type, keep_for, unit, _default in rules.DEFAULT_RULES:
			if only and record_type != only:
				continue
			settings.append(
				"retention_rules",
				{
					"record_type": record_type,
					"keep_for": keep_for,
					"unit": unit,
					"action": overrides.get(record_type, action),
					"enabled": 1,
				},
			)
		settings.save()

	def make_records(self) -> dict:
		"""One ended record of each type, of Alpha's authorised representative where a person is
		involved, with the e-mails, attachments and comments records gather."""
		contact = self.contacts[ALPHA][0]
		complaint = make_complaint(
			ALPHA,
			contact=contact,
			severity="High",
			description="<p>Rep Alpha says the outage on the payroll line was never announced.</p>",
			remedy_sought="Call Rep Alpha back on +44 20 7946 0000",
		)
		complaint = apply_workflow(complaint, "Acknowledge")
		complaint = apply_workflow(complaint, "Start Investigation")
		complaint.root_cause_category = "Process"
		complaint.root_cause = "Change was not announced to Rep Alpha"
		complaint.proposed_resolution = "Announce every change 5 days ahead"
		complaint.save()
		complaint = apply_workflow(complaint, "Propose Resolution")
		complaint = apply_workflow(complaint, "Accept Resolution")
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": PERSON,
				"subject": "Outage again",
				"content": "Rep Alpha writes: nobody told us.",
				"reference_doctype": "Complaint",
				"reference_name": complaint.name,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "screenshot-rep-alpha.txt",
				"content": b"private evidence",
				"attached_to_doctype": "Complaint",
				"attached_to_name": complaint.name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		complaint.add_comment("Comment", "Rep Alpha was upset on the phone")
		# another person's complaint at the same customer, still open (not ended)
		other = make_complaint(ALPHA, contact=self.contacts[ALPHA][1], description="<p>User Alpha: slow.</p>")

		compliment = frappe.get_doc(
			{
				"doctype": "Compliment",
				"customer": ALPHA,
				"contact": contact,
				"subject": "Great help from the desk",
				"compliment": "<p>Rep Alpha thanks the team.</p>",
			}
		).insert()
		frappe.db.set_value(
			"Compliment", compliment.name, {"status": "Acknowledged", "closed_on": get_datetime()}
		)

		requirement = frappe.get_doc(
			{
				"doctype": "Customer Requirement",
				"title": "Weekend support for payroll",
				"customer": ALPHA,
				"contact": contact,
				"kind": "New Service",
				"desired_outcomes": "<p>Rep Alpha wants weekend cover.</p>",
				"decision": "Declined",
				"decision_rationale": "Not offered this year",
			}
		).insert()

		review = frappe.get_doc(
			{
				"doctype": "Service Performance Review",
				"customer": ALPHA,
				"review_kind": "Quarterly",
				"period_start": add_days(today(), -90),
				"period_end": today(),
				"scheduled_on": add_days(today(), -2),
				"attendees": [
					{"side": "Customer", "contact": contact, "email": PERSON, "attendee_name": "Rep Alpha"}
				],
			}
		).insert()
		frappe.db.set_value(
			"Service Performance Review",
			review.name,
			{
				"status": "Minutes Approved",
				"docstatus": 1,
				"held_on": add_days(today(), -1),
				"minutes": "<p>Rep Alpha asked for weekend cover.</p>",
				"approved_on": get_datetime(),
			},
		)

		survey = self.survey()
		invitations = {i.customer: i.name for i in self.sent(survey)}
		for customer, rating in ((ALPHA, 2), (BETA, 5)):
			raw = self.token(invitations[customer])
			frappe.set_user("Guest")
			submit_response(raw, self.answers(rating=rating, nps=9, comment=f"Comment of {customer}"))
			frappe.set_user("Administrator")
		survey.reload()
		survey.close()
		survey.reload()
		survey.evaluate()
		survey.reload()
		return frappe._dict(
			complaint=complaint.name,
			other=other.name,
			compliment=compliment.name,
			requirement=requirement.name,
			review=review.name,
			survey=survey.name,
			invitation=invitations[ALPHA],
			# the survey's, and the after-care invitation the closed complaint was sent
			invitations=frappe.get_all(
				"Survey Invitation",
				or_filters={"survey": survey.name, "reference_name": complaint.name},
				pluck="name",
			),
		)

	def ended(self, doctype, name):
		spec = rules.SPECS[doctype]
		values = frappe.db.get_value(doctype, name, ["status", *spec.end_fields], as_dict=True)
		return get_datetime(rules.ended_on(values, spec))

	def period_end(self, doctype, name):
		keep_for, unit, _action = next(
			(r.keep_for, r.unit, r.action) for r in retention.rules_in_force() if r.record_type == doctype
		)
		return rules.shift(self.ended(doctype, name), keep_for, unit)

	def rule(self, doctype):
		return next(r for r in retention.rules_in_force() if r.record_type == doctype)

	def logged(self, **filters):
		return frappe.get_all("Retention Log", filters, ["record_type", "record_name", "action", "run"])


class TestRetentionRun(RetentionTestCase):
	def test_one_day_inside_kept_one_day_past_anonymised(self):
		r = self.records
		for doctype, name in (
			("Complaint", r.complaint),
			("Compliment", r.compliment),
			("Customer Requirement", r.requirement),
			("Service Performance Review", r.review),
			("Survey Invitation", r.invitation),
		):
			with self.subTest(doctype=doctype):
				self.set_rules(rules.ANONYMISE, only=doctype)
				end = self.period_end(doctype, name)
				retention.run(at=end - ONE_DAY)
				self.assertFalse(
					frappe.db.get_value(doctype, name, "anonymised_on"), "kept inside its period"
				)
				self.assertFalse(self.logged(record_type=doctype, record_name=name))
				retention.run(at=end + ONE_DAY)
				self.assertTrue(
					frappe.db.get_value(doctype, name, "anonymised_on"), "anonymised one day past"
				)
				self.assertEqual(len(self.logged(record_type=doctype, record_name=name)), 1)

	def test_anonymised_records_keep_their_figures_and_lose_personal_data(self):
		r = self.records
		before = report_figures()
		kept = frappe.db.get_value(
			"Complaint",
			r.complaint,
			[
				"status",
				"received_on",
				"category",
				"severity",
				"closed_on",
				"time_to_resolve",
				"root_cause_category",
			],
			as_dict=True,
		)
		summary = retention.run(at=get_datetime() + timedelta(days=7 * 366))

		complaint = frappe.get_doc("Complaint", r.complaint)
		for field in (
			"contact",
			"contact_email",
			"description",
			"remedy_sought",
			"root_cause",
			"proposed_resolution",
		):
			self.assertFalse(complaint.get(field), field)
		self.assertEqual(complaint.subject, "(anonymised)")
		for field, value in kept.items():
			self.assertEqual(complaint.get(field), value, field)
		self.assertFalse(frappe.get_all("File", {"attached_to_name": r.complaint}))
		self.assertFalse(frappe.get_all("Communication", {"reference_name": r.complaint}))
		self.assertFalse(frappe.get_all("Comment", {"reference_name": r.complaint}))
		self.assertFalse(
			frappe.get_all("Version", {"docname": r.complaint}), "old values are personal data too"
		)
		self.assertTrue(frappe.db.exists("Complaint", r.other), "an open complaint is not touched")
		self.assertFalse(frappe.db.get_value("Complaint", r.other, "anonymised_on"))

		invitation = frappe.get_doc("Survey Invitation", r.invitation)
		self.assertFalse(invitation.email or invitation.contact or invitation.token_hash)
		self.assertTrue(all(not a.comment and not a.respondent for a in invitation.answers))
		self.assertEqual(invitation.csat, 0.0, "scores stay")
		review = frappe.get_doc("Service Performance Review", r.review)
		self.assertFalse(review.minutes)
		self.assertFalse(review.attendees[0].email or review.attendees[0].contact)
		self.assertEqual(frappe.db.get_value("Compliment", r.compliment, "compliment"), "(anonymised)")
		self.assertEqual(frappe.db.get_value("Customer Requirement", r.requirement, "title"), "(anonymised)")

		self.assertEqual(report_figures(), before, "the reports of the past year are unchanged")
		log = self.logged()
		self.assertEqual(sum(v["done"] for v in summary.values()), len(log))
		self.assertEqual(len({row.run for row in log}), 1, "one run wrote them all")
		self.assertEqual(
			{(row.record_type, row.record_name) for row in log if row.record_type != "Survey Invitation"},
			{
				("Complaint", r.complaint),
				("Compliment", r.compliment),
				("Customer Requirement", r.requirement),
				("Service Performance Review", r.review),
				("Satisfaction Survey", r.survey),
			},
		)

		again = retention.run(at=get_datetime() + timedelta(days=7 * 366))
		self.assertEqual(sum(v["done"] for v in again.values()), 0, "a second run acts on nothing new")
		self.assertEqual(len(self.logged()), len(log))

		with self.assertRaisesRegex(frappe.ValidationError, "anonymised"):
			complaint.reload()
			complaint.closing_reason = "edited later"
			complaint.save()
		complaint.reload()
		complaint.legal_hold = 1
		complaint.save()  # a hold may still be placed on an anonymised record
		self.assertEqual(frappe.db.get_value("Complaint", r.complaint, "legal_hold"), 1)

	def test_delete_leaves_no_orphans_and_the_figures_survive(self):
		r = self.records
		self.set_rules(rules.DELETE)
		before = report_figures()
		at = get_datetime() + timedelta(days=7 * 366)
		due_invitations = retention.due(self.rule("Survey Invitation"), at)
		self.assertTrue(set(r.invitations) <= set(due_invitations))
		answers_before = frappe.db.count("Survey Answer", {"parent": ("in", due_invitations)})
		self.assertTrue(answers_before)
		retention.run(at=at)

		for doctype in ("Complaint", "Compliment", "Customer Requirement", "Service Performance Review"):
			name = {
				"Complaint": r.complaint,
				"Compliment": r.compliment,
				"Customer Requirement": r.requirement,
				"Service Performance Review": r.review,
			}[doctype]
			self.assertFalse(frappe.db.exists(doctype, name), doctype)
			for trace, type_field, name_field in (
				("Communication", "reference_doctype", "reference_name"),
				("File", "attached_to_doctype", "attached_to_name"),
				("Comment", "reference_doctype", "reference_name"),
				("Version", "ref_doctype", "docname"),
				("Deleted Document", "deleted_doctype", "deleted_name"),
			):
				self.assertFalse(
					frappe.get_all(trace, {type_field: doctype, name_field: name}), (doctype, trace)
				)
		self.assertFalse(frappe.db.exists("Satisfaction Survey", r.survey))
		self.assertFalse(
			frappe.get_all("Survey Invitation", {"survey": r.survey}), "its invitations went with it"
		)
		self.assertEqual(
			frappe.db.count("Survey Answer", {"parent": ("in", r.invitations)}), 0, "no orphan answers"
		)
		self.assertFalse(
			frappe.get_all("Communication", {"sender": PERSON, "subject": "Outage again"}),
			"the e-mail went too",
		)
		self.assertTrue(frappe.db.exists("Complaint", r.other))
		self.assertEqual(frappe.db.get_value("Customer Portfolio", ALPHA, "last_survey"), None)

		retained = frappe.get_all("Retained Figures", {"record_type": "Survey Invitation"}, pluck="name")
		self.assertEqual(len(retained), len(due_invitations), "one row of figures per deleted invitation")
		answers = frappe.get_all("Retained Answer", {"parent": ("in", retained)}, ["kind", "score"])
		self.assertEqual(len(answers), answers_before, "every answer's kind and score kept (no text)")
		self.assertEqual(report_figures(), before, "the reports of the past year are unchanged")
		self.assertEqual({row.action for row in self.logged()}, {rules.DELETE}, "every deletion is logged")
		self.assertIn(
			("Complaint", r.complaint), {(row.record_type, row.record_name) for row in self.logged()}
		)

	def test_preview_shows_what_the_next_run_does(self):
		at = str(get_datetime() + timedelta(days=7 * 366))
		counts = {row["record_type"]: row for row in retention.preview(at=at)}
		self.assertEqual(counts["Complaint"]["due"], 1)
		due = retention.due(self.rule("Survey Invitation"), at)
		self.assertTrue(set(self.records.invitations) <= set(due))
		self.assertEqual(counts["Survey Invitation"]["due"], len(due))
		frappe.set_user(STAFF)
		with self.assertRaises(frappe.PermissionError):
			retention.preview(at=at)


class TestLegalHold(RetentionTestCase):
	def test_hold_on_a_record_and_on_a_customer(self):
		r = self.records
		frappe.set_user(BRM)
		complaint = frappe.get_doc("Complaint", r.complaint)
		complaint.legal_hold = 1
		complaint.save()
		frappe.set_user("Administrator")
		frappe.db.set_value("Customer Portfolio", BETA, {"legal_hold": 1, "legal_hold_reason": "Dispute"})
		at = get_datetime() + timedelta(days=7 * 366)

		preview = {row["record_type"]: row for row in retention.preview(at=str(at))}
		self.assertEqual((preview["Complaint"]["due"], preview["Complaint"]["held"]), (0, 1))
		self.assertEqual(preview["Satisfaction Survey"]["held"], 1, "Beta's answer holds the survey")
		retention.run(at=at)
		self.assertFalse(frappe.db.get_value("Complaint", r.complaint, "anonymised_on"))
		beta = frappe.db.get_value("Survey Invitation", {"survey": r.survey, "customer": BETA}, "name")
		self.assertFalse(frappe.db.get_value("Survey Invitation", beta, "anonymised_on"))
		self.assertTrue(frappe.db.get_value("Survey Invitation", r.invitation, "anonymised_on"))
		self.assertFalse(self.logged(record_name=("in", [r.complaint, beta, r.survey])))

		frappe.set_user(BRM)
		complaint.reload()
		complaint.legal_hold = 0
		with self.assertRaisesRegex(frappe.PermissionError, "System Manager can clear"):
			complaint.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", r.complaint, "legal_hold"), 1)
		complaint.reload()
		complaint.legal_hold = 0
		complaint.save()
		retention.run(at=at)
		self.assertTrue(
			frappe.db.get_value("Complaint", r.complaint, "anonymised_on"), "acted on once released"
		)

	def test_a_held_record_is_deleted_by_a_system_manager_only(self):
		r = self.records
		frappe.db.set_value("Complaint", r.complaint, "legal_hold", 1)
		frappe.db.set_value("Customer Portfolio", BETA, "legal_hold", 1)
		frappe.set_user(BRM)
		for doctype, name in (("Complaint", r.complaint), ("Customer Portfolio", BETA)):
			with self.assertRaisesRegex(frappe.PermissionError, "legal hold"):
				frappe.delete_doc(doctype, name)
			self.assertTrue(frappe.db.exists(doctype, name), doctype)
		frappe.set_user("Administrator")

	def test_only_the_brm_sets_a_hold(self):
		frappe.db.set_value("Customer Portfolio", ALPHA, "relationship_manager", STAFF)
		complaint = frappe.get_doc("Complaint", self.records.other)
		frappe.set_user(STAFF)
		complaint.legal_hold = 1
		with self.assertRaisesRegex(frappe.PermissionError, "legal hold"):
			complaint.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", complaint.name, "legal_hold"), 0)


class TestDestructiveSettings(RetentionTestCase):
	"""Retention rules decide what is destroyed: only a System Manager changes them, none goes
	below its minimum, and every change stays in the settings' history."""

	def rules_now(self) -> list[tuple]:
		return retention.rule_rows(frappe.get_single("BRM Settings"))

	def test_only_a_system_manager_changes_the_rules(self):
		before = self.rules_now()
		for user in (BRM, STAFF):
			frappe.set_user(user)
			settings = frappe.get_single("BRM Settings")
			for row in settings.retention_rules:
				row.action = rules.DELETE
			with self.assertRaises(frappe.PermissionError):
				settings.save()
			frappe.set_user("Administrator")
			self.assertEqual(self.rules_now(), before, user)
		# the rest of the settings a BRM may still change
		frappe.set_user(BRM)
		settings = frappe.get_single("BRM Settings")
		settings.appeal_period_days = 21
		settings.save()
		frappe.set_user("Administrator")
		self.assertEqual(self.rules_now(), before)

	def test_changes_are_kept_in_the_history_and_none_goes_below_its_minimum(self):
		versions = frappe.db.count("Version", {"ref_doctype": "BRM Settings"})
		settings = frappe.get_single("BRM Settings")
		complaint_rule = next(r for r in settings.retention_rules if r.record_type == "Complaint")
		complaint_rule.keep_for, complaint_rule.unit = 6, rules.MONTHS
		with self.assertRaisesRegex(frappe.ValidationError, "at least 1 years"):
			settings.save()
		settings.reload()
		complaint_rule = next(r for r in settings.retention_rules if r.record_type == "Complaint")
		complaint_rule.action = rules.DELETE
		settings.save(ignore_version=False)
		self.assertEqual(frappe.db.count("Version", {"ref_doctype": "BRM Settings"}), versions + 1)
		version = frappe.get_last_doc("Version", {"ref_doctype": "BRM Settings"})
		self.assertIn(rules.DELETE, version.data)

	def test_figures_of_a_complaint_never_acknowledged_are_kept_on_a_fresh_install(self):
		"""Retained Figures' times are NULL-able on every site (a fresh install made them NOT NULL
		when they were Float fields, and a Delete rule failed for every such complaint)."""
		nullable = dict(
			frappe.db.sql(
				"""select column_name, is_nullable from information_schema.columns
				where table_schema = database() and table_name = 'tabRetained Figures'
				and column_name in ('time_to_acknowledge', 'time_to_resolve')"""
			)
		)
		self.assertEqual(nullable, {"time_to_acknowledge": "YES", "time_to_resolve": "YES"})
		self.set_rules(rules.DELETE, only="Complaint")
		complaint = make_complaint(ALPHA, subject="Never acknowledged")
		complaint.rejection_reason = "A question about an invoice, not a complaint"
		complaint.save()
		complaint = apply_workflow(complaint, "Reject as Not a Complaint")
		times = frappe.db.get_value(
			"Complaint", complaint.name, ["time_to_acknowledge", "time_to_resolve"], as_dict=True
		)
		self.assertIsNone(times.time_to_resolve, "never resolved")
		at = get_datetime() + timedelta(days=7 * 366)
		summary = retention.run(at=at)
		self.assertEqual(summary["Complaint"]["failed"], 0)
		self.assertFalse(frappe.db.exists("Complaint", complaint.name))
		kept = frappe.get_all(
			"Retained Figures",
			filters={"record_type": "Complaint", "received_on": complaint.received_on, "status": "Rejected"},
			fields=["time_to_acknowledge", "time_to_resolve", "status"],
		)
		self.assertEqual(len(kept), 1)
		self.assertEqual(
			(kept[0].time_to_acknowledge, kept[0].time_to_resolve),
			(times.time_to_acknowledge, None),
			"figures kept as they were, an unmeasured time NULL",
		)


class TestPersonalData(RetentionTestCase):
	def test_download_request_contains_the_persons_records(self):
		from frappe.website.doctype.personal_data_download_request.personal_data_download_request import (
			get_user_data,
		)

		data = json.loads(get_user_data(PERSON))
		self.assertIn(self.records.complaint, [row["name"] for row in data["Complaint"]])
		self.assertNotIn(self.records.other, [row["name"] for row in data["Complaint"]])
		self.assertIn(self.records.compliment, [row["name"] for row in data["Compliment"]])
		self.assertIn(self.records.requirement, [row["name"] for row in data["Customer Requirement"]])
		self.assertIn(self.records.invitation, [row["name"] for row in data["Survey Invitation"]])
		comments = [row["comment"] for row in data["Survey Answer"]]
		self.assertIn(f"Comment of {ALPHA}", comments)
		self.assertNotIn(f"Comment of {BETA}", comments)

	def test_deletion_request_anonymises_the_persons_records_only(self):
		r = self.records
		before = report_figures()
		request = frappe.get_doc({"doctype": "Personal Data Deletion Request", "email": PERSON}).insert(
			ignore_permissions=True
		)
		request.status = "Pending Approval"
		request.save()
		request.trigger_data_deletion()
		request.reload()
		self.assertEqual(request.status, "Deleted")

		for doctype, name in (
			("Complaint", r.complaint),
			("Compliment", r.compliment),
			("Customer Requirement", r.requirement),
			("Survey Invitation", r.invitation),
		):
			values = frappe.db.get_value(doctype, name, ["anonymised_on", "contact"], as_dict=True)
			self.assertTrue(values.anonymised_on, doctype)
			self.assertFalse(values.contact, doctype)
		self.assertNotIn("Rep Alpha", frappe.db.get_value("Complaint", r.complaint, "description") or "")
		self.assertFalse(
			frappe.get_all("Survey Answer", {"parent": r.invitation, "comment": ("like", "%Comment%")}),
			"the person's answers lose their comments",
		)
		other = frappe.db.get_value(
			"Complaint", r.other, ["anonymised_on", "description", "contact_email"], as_dict=True
		)
		self.assertFalse(other.anonymised_on, "nobody else's records")
		self.assertEqual(other.contact_email, OTHER)
		beta = frappe.db.get_value("Survey Invitation", {"survey": r.survey, "customer": BETA}, "name")
		self.assertTrue(frappe.get_all("Survey Answer", {"parent": beta, "comment": f"Comment of {BETA}"}))
		self.assertTrue(self.logged(record_name=r.complaint, run=request.name))
		self.assertEqual(report_figures(), before, "the statistics are unchanged")
