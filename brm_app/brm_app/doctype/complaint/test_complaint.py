# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.utils import get_datetime, now_datetime

from brm_app.brm_app.doctype.complaint.escalation import escalate_overdue_complaints
from brm_app.tests.utils import (
	BRM_ROLE,
	BRM_USER_ROLE,
	BRMTestCase,
	make_complaint,
	make_contact,
	make_customer,
	make_outgoing_email_account,
	make_portfolio,
	make_user,
)

CUSTOMER = "_Test BRM Complaint Customer"
OTHER_CUSTOMER = "_Test BRM Other Customer"
BRM = "brm.manager@example.com"
STAFF = "brm.staff@example.com"
CONTACT_EMAIL = "buyer@complaint-customer.example.com"


def set_brm_settings():
	settings = frappe.get_single("BRM Settings")
	settings.complaint_targets = []
	for severity, hours, days in (("Critical", 2, 1), ("High", 8, 5), ("Medium", 24, 10), ("Low", 48, 20)):
		settings.append(
			"complaint_targets",
			{"severity": severity, "acknowledge_within_hours": hours, "resolve_within_days": days},
		)
	settings.escalation_chain = []
	settings.append("escalation_chain", {"level": 1, "escalate_after_hours": 0, "escalate_to_role": BRM_ROLE})
	settings.append("escalation_chain", {"level": 2, "escalate_after_hours": 24, "escalate_to_user": STAFF})
	settings.save()


class ComplaintTestCase(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(BRM, [BRM_ROLE])
		make_user(STAFF, [BRM_USER_ROLE])
		make_customer(CUSTOMER)
		make_customer(OTHER_CUSTOMER)
		cls.contact = make_contact(CUSTOMER, CONTACT_EMAIL)
		make_outgoing_email_account()
		set_brm_settings()

	def new(self, **values):
		values.setdefault("contact", self.contact)
		return make_complaint(CUSTOMER, **values)

	def acknowledgement_target_passed(self, doc):
		"""An hour past the acknowledgement target, nothing saved (the target moves, not the clock)."""
		frappe.db.set_value(
			"Complaint",
			doc.name,
			"acknowledge_by",
			now_datetime() - timedelta(hours=1),
			update_modified=False,
		)

	def walk_to(self, doc, *actions, **values):
		for action in actions:
			if values:
				doc.reload()
				doc.update(values)
				doc.save()
			doc = apply_workflow(doc, action)
		return doc


class TestComplaintRecording(ComplaintTestCase):
	def test_targets_follow_severity(self):
		received = get_datetime("2026-03-02 09:00:00")
		doc = self.new(severity="High", received_on=received)
		self.assertEqual(get_datetime(doc.acknowledge_by), received + timedelta(hours=8))
		self.assertEqual(get_datetime(doc.resolve_by), received + timedelta(days=5))
		self.assertEqual(doc.status, "Open")
		self.assertEqual(doc.workflow_state, "Open")

	def test_changing_severity_recomputes_targets(self):
		received = get_datetime("2026-03-02 09:00:00")
		doc = self.new(severity="Low", received_on=received)
		doc.severity = "Critical"
		doc.save()
		self.assertEqual(get_datetime(doc.acknowledge_by), received + timedelta(hours=2))
		self.assertEqual(get_datetime(doc.resolve_by), received + timedelta(days=1))

	def test_targets_stay_fixed_when_settings_change_later(self):
		received = get_datetime("2026-03-02 09:00:00")
		doc = self.new(severity="High", received_on=received)
		settings = frappe.get_single("BRM Settings")
		for row in settings.complaint_targets:
			if row.severity == "High":
				row.acknowledge_within_hours = 1
		settings.save()
		doc.reload()
		doc.received_on = "2026-03-02 09:00:00"  # as the form posts it
		doc.remedy_sought = "An apology"
		doc.save()
		self.assertEqual(get_datetime(doc.acknowledge_by), received + timedelta(hours=8))

	def test_category_supplies_severity_and_owner(self):
		category = frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": "_Test Outage",
				"default_severity": "Critical",
				"default_owner": BRM,
			}
		).insert()
		doc = self.new(category=category.name)
		self.assertEqual(doc.severity, "Critical")
		self.assertEqual(doc.complaint_owner, BRM)
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_type": "Complaint", "reference_name": doc.name, "allocated_to": BRM}
			),
			"the owner is assigned the complaint",
		)

	def test_relationship_manager_owns_complaint_without_category_owner(self):
		make_portfolio(CUSTOMER, relationship_manager=BRM)
		doc = self.new()
		self.assertEqual(doc.complaint_owner, BRM)
		self.assertEqual(doc.customer_portfolio, CUSTOMER)
		self.assertEqual(doc.severity, "Medium")

	def test_status_cannot_be_forced_past_the_workflow(self):
		doc = self.new()
		doc.status = "Closed"
		doc.closing_reason = "trying to skip the process"
		doc.save()
		self.assertEqual(doc.status, "Open", "status follows the workflow state, not a hand edit")
		self.assertFalse(doc.closed_on)


class TestBadInput(ComplaintTestCase):
	def count(self):
		return frappe.db.count("Complaint")

	def test_unknown_customer_rejected(self):
		before = self.count()
		with self.assertRaises(frappe.LinkValidationError):
			make_complaint("_Test No Such Customer")
		self.assertEqual(self.count(), before)

	def test_missing_subject_rejected(self):
		before = self.count()
		with self.assertRaises(frappe.MandatoryError):
			frappe.get_doc({"doctype": "Complaint", "customer": CUSTOMER}).insert()
		self.assertEqual(self.count(), before)

	def test_dates_that_are_not_dates_rejected_with_a_message(self):
		before = self.count()
		for value in ("not-a-date", "2026-02-30 10:00:00", 12345):
			with self.subTest(value=value), self.assertRaises(frappe.ValidationError) as ctx:
				self.new(received_on=value)
			self.assertIn("Received On", str(ctx.exception))
			self.assertIn("is not a valid datetime", str(ctx.exception))
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.new(corrective_actions=[{"action": "Retrain", "due_date": "next tuesday-ish"}])
		self.assertIn("Row 1", str(ctx.exception))
		self.assertEqual(self.count(), before)

	def test_tables_a_person_fills_are_limited(self):
		from brm_app.validation import MAX_ROWS

		before = self.count()
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.new(corrective_actions=[{"action": f"Step {i}"} for i in range(MAX_ROWS + 1)])
		self.assertIn(f"at most {MAX_ROWS:,} rows", str(ctx.exception))
		self.assertEqual(self.count(), before)

	def test_severity_not_in_list_rejected(self):
		before = self.count()
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.new(severity="Catastrophic")
		self.assertIn("Severity", str(ctx.exception))
		self.assertEqual(self.count(), before)

	def test_script_in_description_is_sanitised(self):
		doc = self.new(
			description='<p>Down all day</p><script>alert("x")</script><img src=x onerror=alert(1)>'
		)
		stored = frappe.db.get_value("Complaint", doc.name, "description")
		self.assertIn("Down all day", stored)
		self.assertNotIn("<script", stored)
		self.assertNotIn("onerror", stored)

	def test_contact_of_another_customer_rejected(self):
		stranger = make_contact(OTHER_CUSTOMER, "someone@other-customer.example.com")
		before = self.count()
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.new(contact=stranger)
		self.assertIn("is not a contact of customer", str(ctx.exception))
		self.assertEqual(self.count(), before)

	def test_helpdesk_ticket_link_is_checked(self):
		# Without Helpdesk no ticket can be linked; with it, only a ticket that exists.
		before = self.count()
		with self.assertRaises(frappe.ValidationError):
			self.new(hd_ticket="999999999", ticket_doctype="HD Ticket")
		self.assertEqual(self.count(), before)


class TestComplaintLifecycle(ComplaintTestCase):
	def test_full_lifecycle_through_workflow(self):
		doc = self.new(severity="High")
		doc = apply_workflow(doc, "Acknowledge")
		self.assertEqual((doc.status, doc.workflow_state), ("Acknowledged", "Acknowledged"))
		self.assertTrue(doc.acknowledged_on)
		self.assertIsNotNone(doc.time_to_acknowledge)

		doc = apply_workflow(doc, "Start Investigation")
		self.assertEqual((doc.status, doc.workflow_state), ("Investigating", "Under Investigation"))
		first_ack = doc.acknowledged_on

		doc.root_cause_category = "Process"
		doc.root_cause = "Change was not announced"
		doc.proposed_resolution = "Announce every change 5 days ahead"
		doc.save()
		doc = apply_workflow(doc, "Propose Resolution")
		self.assertEqual(doc.status, "Resolution Proposed")
		self.assertTrue(doc.resolution_proposed_on)

		doc = apply_workflow(doc, "Accept Resolution")
		self.assertEqual(doc.status, "Closed")
		self.assertTrue(doc.closed_on)
		self.assertEqual(doc.acknowledged_on, first_ack, "stamped once")
		self.assertGreaterEqual(doc.time_to_resolve, doc.time_to_acknowledge)

	def test_propose_without_resolution_text_is_refused_and_nothing_changes(self):
		doc = self.walk_to(self.new(), "Acknowledge", "Start Investigation")
		with self.assertRaises(frappe.ValidationError) as ctx:
			apply_workflow(doc, "Propose Resolution")
		self.assertIn("proposed resolution", str(ctx.exception))
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "status"), "Investigating")
		self.assertFalse(frappe.db.get_value("Complaint", doc.name, "resolution_proposed_on"))

	def test_customer_rejects_resolution_and_complaint_reopens(self):
		doc = self.walk_to(self.new(), "Acknowledge", "Start Investigation")
		doc.proposed_resolution = "Credit note"
		doc.save()
		doc = apply_workflow(doc, "Propose Resolution")

		with self.assertRaises(frappe.ValidationError):
			doc.respond_to_resolution(accepted=False, reason="  ")
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "status"), "Resolution Proposed")

		doc.respond_to_resolution(accepted=False, reason="A credit note does not fix the outage")
		doc.reload()
		self.assertEqual((doc.status, doc.workflow_state), ("Investigating", "Under Investigation"))
		self.assertEqual(doc.reopen_count, 1)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_name": doc.name, "content": ("like", "%does not fix the outage%")},
			)
		)

		# A second proposal, a second rejection: each needs its own reason.
		doc = apply_workflow(doc, "Propose Resolution")
		self.assertFalse(doc.customer_rejection_reason)
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(doc, "Reject Resolution")
		doc.reload()
		doc.respond_to_resolution(accepted=False, reason="Still down")
		doc.reload()
		self.assertEqual(doc.reopen_count, 2)

		doc = apply_workflow(doc, "Propose Resolution")
		doc.respond_to_resolution(accepted=True)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "status"), "Closed")

	def test_closing_blocked_by_open_corrective_actions(self):
		doc = self.walk_to(self.new(), "Acknowledge", "Start Investigation")
		doc.proposed_resolution = "Fix the monitoring"
		doc.append("corrective_actions", {"action": "Add alert on queue depth", "action_owner": STAFF})
		doc.append("corrective_actions", {"action": "Review runbook", "status": "Done"})
		doc.save()
		doc = apply_workflow(doc, "Propose Resolution")

		with self.assertRaises(frappe.ValidationError) as ctx:
			doc.respond_to_resolution(accepted=True)
		self.assertIn("Corrective actions are still open", str(ctx.exception))
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "status"), "Resolution Proposed")

		doc.reload()
		self.assertTrue(doc.corrective_actions[1].completed_on, "done actions get a completion date")
		doc.corrective_actions[0].status = "Done"
		doc.save()
		doc.respond_to_resolution(accepted=True)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "status"), "Closed")

	def test_closing_with_open_actions_needs_a_reason(self):
		doc = self.walk_to(self.new(), "Acknowledge")
		doc.proposed_resolution = "Replace hardware"
		doc.append("corrective_actions", {"action": "Order spare"})
		doc.save()
		doc = apply_workflow(doc, "Propose Resolution")
		doc.closing_reason = "Spare order tracked in the change process"
		doc.save()
		doc = apply_workflow(doc, "Accept Resolution")
		self.assertEqual(doc.status, "Closed")

	def test_formal_close_needs_reason(self):
		doc = self.walk_to(self.new(), "Acknowledge", "Start Investigation")
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(doc, "Close Formally")
		doc.reload()
		self.assertEqual(doc.status, "Investigating")
		doc.closing_reason = "Customer no longer reachable after three attempts"
		doc.save()
		with self.assertRaises(frappe.ValidationError):  # and the outcome the final response states
			apply_workflow(doc, "Close Formally")
		doc.reload()
		doc.outcome = "Withdrawn"
		doc.save()
		self.assertEqual(apply_workflow(doc, "Close Formally").status, "Closed")

	def test_reject_as_not_a_complaint_needs_reason_and_role(self):
		doc = self.new()
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(doc, "Reject as Not a Complaint")
		doc.reload()
		doc.rejection_reason = "This is a request for a new report, routed to service requests"
		doc.save()

		frappe.set_user(STAFF)
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Complaint", doc.name), "Reject as Not a Complaint")

		frappe.set_user(BRM)
		doc = apply_workflow(frappe.get_doc("Complaint", doc.name), "Reject as Not a Complaint")
		self.assertEqual(doc.status, "Rejected")
		self.assertTrue(doc.closed_on)

	def test_staff_work_complaints_through_the_workflow(self):
		frappe.set_user(STAFF)
		doc = self.new()
		doc = apply_workflow(doc, "Acknowledge")
		self.assertEqual(doc.status, "Acknowledged")

	def test_renamed_workflow_state_keeps_the_canonical_status(self):
		"""An administrator renames a state in the Workflow UI; the code and reports still work."""
		frappe.db.savepoint("rename_state")
		if not frappe.db.exists("Workflow State", "Being Looked Into"):
			frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "Being Looked Into"}).insert()
		workflow = frappe.get_doc("Workflow", "Complaint Workflow")
		for row in workflow.states:
			if row.state == "Under Investigation":
				row.state = "Being Looked Into"
		for row in workflow.transitions:
			for field in ("state", "next_state"):
				if row.get(field) == "Under Investigation":
					row.set(field, "Being Looked Into")
		workflow.save()
		try:
			doc = self.walk_to(self.new(), "Acknowledge", "Start Investigation")
			self.assertEqual((doc.workflow_state, doc.status), ("Being Looked Into", "Investigating"))
			doc.proposed_resolution = "Apology and credit"
			doc.save()
			doc = apply_workflow(doc, "Propose Resolution")
			doc.respond_to_resolution(accepted=False, reason="Not enough")
			doc.reload()
			self.assertEqual((doc.workflow_state, doc.status), ("Being Looked Into", "Investigating"))
		finally:
			frappe.db.rollback(save_point="rename_state")
			frappe.clear_cache(doctype="Complaint")
			frappe.cache.hdel("workflow", "Complaint")


class TestEscalation(ComplaintTestCase):
	def overdue(self, hours_overdue, severity="High", **values):
		# High: acknowledge within 8 hours. Received (8 + overdue) hours ago.
		received = now_datetime() - timedelta(hours=8 + hours_overdue)
		return self.new(severity=severity, received_on=received, **values)

	def test_overdue_acknowledgement_escalates_once(self):
		doc = self.overdue(2)
		escalate_overdue_complaints()
		doc.reload()
		self.assertEqual(doc.escalation_level, 1)
		self.assertEqual(len(doc.escalations), 1)
		self.assertTrue(doc.escalations[0].automatic)
		self.assertIn("acknowledgement target", doc.escalation_reason)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": BRM, "status": "Open"}),
			"level 1 goes to the Business Relationship Managers",
		)

		escalate_overdue_complaints()  # run twice: nothing more happens
		doc.reload()
		self.assertEqual(doc.escalation_level, 1)
		self.assertEqual(len(doc.escalations), 1)
		self.assertEqual(
			frappe.db.count("ToDo", {"reference_name": doc.name, "allocated_to": BRM, "status": "Open"}), 1
		)

	def test_long_overdue_goes_straight_to_the_due_level(self):
		doc = self.overdue(30)
		escalate_overdue_complaints()
		doc.reload()
		self.assertEqual(doc.escalation_level, 2)
		self.assertEqual(doc.escalated_to, STAFF)
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": STAFF}))

	def test_escalation_notifies_by_email(self):
		doc = self.overdue(30)
		escalate_overdue_complaints()
		self.assertTrue(
			frappe.db.exists(
				"Email Queue",
				{
					"reference_doctype": "Complaint",
					"reference_name": doc.name,
					"message": ("like", "%escalated%"),
				},
			)
		)

	def test_not_overdue_and_closed_complaints_are_left_alone(self):
		fresh = self.new(severity="Low")
		closed = self.overdue(50)
		closed.rejection_reason = "Duplicate of another complaint"
		closed.save()
		apply_workflow(closed, "Reject as Not a Complaint")
		escalate_overdue_complaints()
		self.assertEqual(frappe.db.get_value("Complaint", fresh.name, "escalation_level"), 0)
		self.assertEqual(frappe.db.get_value("Complaint", closed.name, "escalation_level"), 0)

	def test_acknowledged_but_unresolved_escalates_on_resolution_target(self):
		received = now_datetime() - timedelta(days=5, hours=12)  # High: resolve within 5 days
		doc = self.walk_to(self.new(severity="High", received_on=received), "Acknowledge")
		escalate_overdue_complaints()
		doc.reload()
		self.assertEqual(doc.escalation_level, 1)
		self.assertIn("resolution target", doc.escalation_reason)

	def test_manual_escalation_with_reason(self):
		doc = self.new()
		frappe.set_user(STAFF)
		doc = frappe.get_doc("Complaint", doc.name)
		with self.assertRaises(frappe.ValidationError):
			doc.escalate_manually(reason=" ")
		result = doc.escalate_manually(reason="Customer's CEO called")
		self.assertEqual(result["level"], 1)
		doc.escalate_manually(reason="Still no answer")
		doc.reload()
		self.assertEqual(doc.escalation_level, 2)
		self.assertEqual([r.automatic for r in doc.escalations], [0, 0])
		with self.assertRaises(frappe.ValidationError) as ctx:
			doc.escalate_manually(reason="Higher still")
		self.assertIn("highest escalation level", str(ctx.exception))


class TestFeedbackAndStatusInformation(ComplaintTestCase):
	def test_acknowledgement_informs_the_customer(self):
		doc = apply_workflow(self.new(), "Acknowledge")
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Complaint", "reference_name": doc.name},
			fields=["name", "message"],
		)
		self.assertTrue(queued, "the Complaint Acknowledged notification is queued")
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", [q.name for q in queued])}, pluck="recipient"
		)
		self.assertIn(CONTACT_EMAIL, recipients)

	def test_send_written_feedback_from_template(self):
		doc = self.walk_to(self.new(), "Acknowledge")
		doc.root_cause = "Monitoring gap"
		doc.append("corrective_actions", {"action": "Add queue alert"})
		doc.save()
		self.assertEqual(doc.send_feedback(), CONTACT_EMAIL)
		communication = frappe.get_last_doc(
			"Communication", filters={"reference_doctype": "Complaint", "reference_name": doc.name}
		)
		self.assertIn(doc.subject, communication.subject)
		self.assertIn("Add queue alert", communication.content)
		self.assertIn("sorry", communication.content)
		self.assertTrue(frappe.db.get_value("Complaint", doc.name, "feedback_sent_on"))

	def test_feedback_needs_a_recipient(self):
		doc = make_complaint(CUSTOMER)
		with self.assertRaises(frappe.ValidationError):
			doc.send_feedback()
		self.assertFalse(frappe.db.get_value("Complaint", doc.name, "feedback_sent_on"))


class TestComplaintReport(ComplaintTestCase):
	def test_complaint_report_prints(self):
		doc = self.walk_to(self.new(severity="High"), "Acknowledge")
		doc.append("corrective_actions", {"action": "Rotate the on-call rota", "status": "Done"})
		doc.save()
		html = frappe.get_print("Complaint", doc.name, print_format="Customer Complaint Report")
		self.assertIn("Customer Complaint Report", html)
		self.assertIn(doc.subject, html)
		self.assertIn("Rotate the on-call rota", html)
		self.assertEqual(frappe.get_meta("Complaint").default_print_format, "Customer Complaint Report")


class TestCustomerAccess(ComplaintTestCase):
	def test_contact_user_sees_only_their_customers_complaints(self):
		portal_user = make_user("portal.buyer@complaint-customer.example.com", ["Customer"], "Website User")
		make_contact(CUSTOMER, portal_user, user=portal_user)
		mine = self.new()
		other = make_complaint(OTHER_CUSTOMER)

		frappe.set_user(portal_user)
		visible = frappe.get_list("Complaint", pluck="name", limit_page_length=0)
		self.assertIn(mine.name, visible)
		self.assertNotIn(other.name, visible)
		self.assertTrue(frappe.has_permission("Complaint", "read", mine.name))
		self.assertFalse(frappe.has_permission("Complaint", "read", other.name))
		self.assertFalse(frappe.has_permission("Complaint", "write", mine.name))


class TestStoredOverdue(ComplaintTestCase):
	def test_validate_sets_overdue_and_acknowledging_clears_it(self):
		received = now_datetime() - timedelta(hours=10)  # High: acknowledge within 8 hours
		doc = self.new(severity="High", received_on=received)
		self.assertEqual(doc.is_overdue, 1)
		doc = self.walk_to(doc, "Acknowledge")
		self.assertEqual(doc.is_overdue, 0)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "is_overdue"), 0)

	def test_sweep_marks_a_complaint_whose_target_passed_since_it_was_saved(self):
		doc = self.new(severity="High")
		self.assertEqual(doc.is_overdue, 0)
		# Time passes (the targets are moved instead of the clock): nothing saves the complaint.
		self.acknowledgement_target_passed(doc)
		escalate_overdue_complaints()
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "is_overdue"), 1)
		self.assertTrue(
			frappe.get_list("Complaint", filters={"is_overdue": 1, "name": doc.name}),
			"the list, number card and reports read the stored flag",
		)

	def test_proposed_resolution_and_closing_clear_overdue(self):
		received = now_datetime() - timedelta(days=6)  # High: resolve within 5 days
		doc = self.walk_to(self.new(severity="High", received_on=received), "Acknowledge")
		self.assertEqual(doc.is_overdue, 1)
		doc = self.walk_to(doc, "Propose Resolution", proposed_resolution="Credit note")
		self.assertEqual(doc.is_overdue, 0, "the clock stops while the customer considers a proposal")
		doc = self.walk_to(doc, "Accept Resolution")
		self.assertEqual(doc.is_overdue, 0)

	def test_overdue_number_card_counts_the_stored_flag(self):
		from frappe.desk.doctype.number_card.number_card import get_result

		card = frappe.get_doc("Number Card", "Overdue Complaints")
		self.assertEqual(card.type, "Document Type")
		before = get_result(card.as_json(), card.filters_json)
		self.overdue_complaint = self.new(severity="High", received_on=now_datetime() - timedelta(hours=9))
		self.assertEqual(get_result(card.as_json(), card.filters_json), before + 1)


class TestProcessOwnedFields(ComplaintTestCase):
	FORGED = {
		"acknowledged_on": "2026-01-01 10:00:00",
		"escalation_level": 3,
		"reopen_count": 7,
		"is_overdue": 0,
		"time_to_acknowledge": 1,
		"status": "Closed",
		"escalations": [{"level": 3, "reason": "forged", "escalated_on": "2026-01-01 10:00:00"}],
	}

	def test_insert_ignores_values_the_process_owns(self):
		frappe.set_user(STAFF)
		doc = self.new(**self.FORGED)
		stored = frappe.get_doc("Complaint", doc.name)
		self.assertIsNone(stored.acknowledged_on)
		self.assertEqual(stored.escalation_level, 0)
		self.assertEqual(stored.reopen_count, 0)
		self.assertEqual(stored.status, "Open")
		self.assertEqual(stored.escalations, [])
		self.assertFalse(stored.time_to_acknowledge)

	def test_update_through_the_rest_api_keeps_them(self):
		from frappe.client import save

		frappe.set_user(STAFF)
		doc = self.new()
		payload = frappe.get_doc("Complaint", doc.name).as_dict()
		payload.update(self.FORGED)
		payload["subject"] = "A subject staff may change"
		save(payload)
		stored = frappe.get_doc("Complaint", doc.name)
		self.assertEqual(stored.subject, "A subject staff may change")
		self.assertIsNone(stored.acknowledged_on)
		self.assertEqual((stored.escalation_level, stored.reopen_count, stored.status), (0, 0, "Open"))

	def test_a_method_call_with_a_forged_document_saves_only_the_escalation(self):
		frappe.set_user(STAFF)
		doc = frappe.get_doc("Complaint", self.new().name)
		doc.reopen_count = 9
		doc.acknowledged_on = "2026-01-01 10:00:00"
		doc.escalate_manually(reason="Customer's CEO called")
		stored = frappe.get_doc("Complaint", doc.name)
		self.assertEqual(stored.escalation_level, 1)
		self.assertEqual(stored.reopen_count, 0)
		self.assertIsNone(stored.acknowledged_on)

	def test_received_on_in_the_future_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			self.new(received_on="2099-01-01 10:00:00")


class TestFormsOpenClean(ComplaintTestCase):
	def test_datetimes_are_stored_to_the_second(self):
		doc = self.new(received_on="2026-03-02 09:00:00.826788")
		doc = self.walk_to(doc, "Acknowledge")
		row = frappe.db.get_value(
			"Complaint",
			doc.name,
			["received_on", "acknowledged_on", "acknowledge_by", "resolve_by"],
			as_dict=True,
		)
		for field, value in row.items():
			self.assertEqual(value.microsecond, 0, field)


class TestSweepQueries(ComplaintTestCase):
	def test_sweep_with_nothing_overdue_is_a_constant_number_of_queries(self):
		escalate_overdue_complaints()  # whatever the site had overdue is handled first
		frappe.get_cached_doc("BRM Settings")
		with self.assertQueryCount(2):  # the newly overdue SELECT, the candidates SELECT
			escalate_overdue_complaints()
		for _ in range(20):
			self.new(severity="Low")
		with self.assertQueryCount(2):
			escalate_overdue_complaints()

	def test_flagging_locks_only_the_newly_overdue(self):
		"""The sweep flags by name what a plain SELECT found, so it never takes a lock on a
		complaint that is not overdue (one UPDATE scanning the table would lock them all)."""
		from brm_app.brm_app.doctype.complaint.escalation import mark_overdue_complaints

		mark_overdue_complaints()  # whatever the site had is flagged first
		late = [self.new(severity="High") for _ in range(2)]
		fresh = self.new(severity="High")
		for doc in late:  # time passes for these two
			self.acknowledgement_target_passed(doc)
		with patch.object(frappe.db, "sql", wraps=frappe.db.sql) as sql:
			flagged = mark_overdue_complaints()
		self.assertEqual(flagged, 2)
		statements = [str(call.args[0]) for call in sql.call_args_list]
		updates = [q for q in statements if q.lstrip().upper().startswith("UPDATE")]
		self.assertEqual(len(updates), 1)
		self.assertIn("`name` IN", updates[0])
		self.assertEqual([frappe.db.get_value("Complaint", d.name, "is_overdue") for d in late], [1, 1])
		self.assertEqual(frappe.db.get_value("Complaint", fresh.name, "is_overdue"), 0)
		self.assertEqual(mark_overdue_complaints(), 0)
