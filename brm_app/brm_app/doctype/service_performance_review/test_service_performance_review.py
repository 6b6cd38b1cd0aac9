# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.utils import get_datetime

from brm_app.api.survey import submit_response
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import make_template
from brm_app.brm_app.doctype.service_performance_review.service_performance_review import (
	ANNUAL_AGENDA,
	STANDARD_AGENDA,
)
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
	set_responded_on,
)

CUSTOMER = "_Test BRM Review Customer"
RM = "brm.review.manager@example.com"
STAFF = "brm.review.staff@example.com"


class TestServicePerformanceReview(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		make_user(RM, [BRM_ROLE])
		make_user(STAFF, [BRM_USER_ROLE])
		make_customer(CUSTOMER)
		cls.contact = make_contact(CUSTOMER, "cio@review-customer.example.com")
		make_portfolio(
			CUSTOMER,
			relationship_manager=RM,
			authorised_representative=cls.contact,
			revenue=[
				{
					"period_start": "2026-01-01",
					"period": "2026 Q1",
					"revenue_type": "Actual",
					"amount": 30000,
				},
				{"period_start": "2026-02-01", "period": "Feb", "revenue_type": "Projected", "amount": 5000},
				{
					"period_start": "2026-04-01",
					"period": "2026 Q2",
					"revenue_type": "Actual",
					"amount": 99999,
				},
			],
		)

	def review(self, start="2026-01-01", end="2026-03-31", kind="Quarterly", **values):
		return frappe.get_doc(
			{
				"doctype": "Service Performance Review",
				"customer": CUSTOMER,
				"review_kind": kind,
				"period_start": start,
				"period_end": end,
				**values,
			}
		).insert()

	def test_agenda_has_the_standard_items_and_open_complaints(self):
		open_complaint = make_complaint(CUSTOMER, subject="Backups failed twice")
		review = self.review()
		standard = [row.topic for row in review.agenda if row.source == "Standard"]
		self.assertEqual(standard, STANDARD_AGENDA)
		on_agenda = [row.reference_name for row in review.agenda if row.source == "Open Complaint"]
		self.assertEqual(on_agenda, [open_complaint.name])
		self.assertEqual(review.relationship_manager, RM)
		annual = self.review(start="2026-01-01", end="2026-12-31", kind="Annual")
		self.assertEqual(
			[r.topic for r in annual.agenda if r.source == "Standard"], STANDARD_AGENDA + ANNUAL_AGENDA
		)

	def test_review_report_prints(self):
		review = self.review(minutes="<p>Agreed on a status page.</p>")
		review.append("action_items", {"description": "Publish the status page", "action_owner": RM})
		review.save()
		html = frappe.get_print("Service Performance Review", review.name)
		self.assertIn("Service Performance Review Report", html, "the default print format")
		self.assertIn("Publish the status page", html)
		self.assertIn(STANDARD_AGENDA[0], html)

	def test_period_must_make_sense(self):
		with self.assertRaises(frappe.ValidationError):
			self.review(start="2026-03-31", end="2026-01-01")

	def test_metrics_pack_matches_hand_counts(self):
		def complaint(received, **values):
			doc = make_complaint(CUSTOMER, received_on=received, **values)
			return doc.name

		in_period = complaint("2026-02-10 10:00:00", category="Service Quality")
		closed = complaint("2026-01-05 10:00:00", category="Service Quality")
		late = complaint("2025-12-20 10:00:00", category="Billing and Charges")  # before; open at end
		complaint("2026-04-02 10:00:00")  # after the period: not counted
		frappe.db.set_value("Complaint", closed, {"status": "Closed", "closed_on": "2026-02-01 09:00:00"})
		frappe.db.set_value(
			"Complaint", in_period, {"escalated_on": "2026-02-11 09:00:00", "escalation_level": 1}
		)
		frappe.db.set_value("Complaint", late, "resolve_by", "2026-01-15 00:00:00")  # overdue at period end
		frappe.db.set_value("Complaint", in_period, "resolve_by", "2026-04-30 00:00:00")  # not yet due
		frappe.get_doc(
			{
				"doctype": "Compliment",
				"customer": CUSTOMER,
				"subject": "Great",
				"compliment": "Thanks",
				"received_on": "2026-03-01 12:00:00",
				"praised": [{"praised_doctype": "User", "praised_name": RM}],
			}
		).insert()

		def issue(opened, priority=None, resolved=None, agreement=None):
			doc = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": f"_Test issue {opened}",
					"customer": CUSTOMER,
					"raised_by": "cio@review-customer.example.com",
					"priority": priority,
				}
			).insert(ignore_permissions=True)
			values = {"opening_date": opened}
			if resolved:
				values.update(
					{"status": "Closed", "sla_resolution_date": resolved, "agreement_status": agreement}
				)
			frappe.db.set_value("Issue", doc.name, values)

		issue("2026-01-10", "High", "2026-01-11 10:00:00", "Fulfilled")
		issue("2026-02-10", None, "2026-02-15 10:00:00", "Failed")
		issue("2026-03-10")
		issue("2025-11-10", "High", "2025-11-11 10:00:00", "Fulfilled")  # outside

		template = make_template()
		survey = frappe.get_doc(
			{
				"doctype": "Satisfaction Survey",
				"title": "_Test review survey",
				"template": template.name,
				"audience": "Chosen Customers",
				"customers": [{"customer": CUSTOMER}],
				"min_days_between_surveys": 0,
			}
		).insert()
		survey.send_now()
		invitation = frappe.get_doc("Survey Invitation", {"survey": survey.name})
		keys = [q.name for q in template.questions]
		submit_response(
			invitation.get_password("token"),
			{keys[0]: {"score": 4}, keys[1]: {"score": 10}, keys[2]: {"score": 6}},
		)
		set_responded_on(invitation.name, "2026-03-15 10:00:00")

		review = self.review()
		review.get_metrics()
		review.reload()
		self.assertEqual(
			(
				review.complaints_received,
				review.complaints_closed,
				review.complaints_open,
				review.complaints_overdue,
				review.complaints_escalated,
			),
			(2, 1, 2, 1, 1),
		)
		self.assertEqual(
			{r.category: r.complaints for r in review.complaints_by_category}, {"Service Quality": 2}
		)
		self.assertEqual(review.compliments_received, 1)
		self.assertEqual((review.survey_responses, review.csat, review.nps), (1, 100.0, 100.0))
		self.assertEqual(
			(
				review.issues_opened,
				review.issues_resolved,
				review.sla_fulfilled,
				review.sla_failed,
				review.major_incidents,
			),
			(3, 2, 1, 1, 1),
		)
		self.assertEqual((review.revenue_actual, review.revenue_projected), (30000, 5000))

	def test_action_items_are_carried_forward_until_done(self):
		first = self.review(start="2025-10-01", end="2025-12-31")
		first.append("action_items", {"description": "Send the capacity plan", "action_owner": RM})
		first.append("action_items", {"description": "Fix the invoice layout", "status": "Done"})
		first.save()
		first = apply_workflow(apply_workflow(first, "Mark as Held"), "Approve Minutes")
		self.assertEqual(first.docstatus, 1)

		second = self.review()
		carried = [(a.description, a.source_review) for a in second.action_items]
		self.assertEqual(carried, [("Send the capacity plan", first.name)])

		third = self.review(start="2026-04-01", end="2026-06-30")
		self.assertEqual(
			[(a.description, a.source_review) for a in third.action_items],
			[("Send the capacity plan", first.name)],
			"still open: carried again, keeping where it came from",
		)

		second.action_items[0].status = "Done"
		second.save()
		fourth = self.review(start="2026-07-01", end="2026-09-30")
		self.assertFalse(fourth.action_items, "done in the second review: not carried from the third")
		self.assertEqual(fourth.previous_review(), third.name)

	def test_workflow_and_metrics_snapshot(self):
		review = self.review()
		review = apply_workflow(review, "Mark as Held")
		self.assertEqual(review.status, "Held")
		self.assertTrue(review.held_on)

		frappe.set_user(STAFF)
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Service Performance Review", review.name), "Approve Minutes")
		frappe.set_user(RM)
		review = apply_workflow(frappe.get_doc("Service Performance Review", review.name), "Approve Minutes")
		self.assertEqual((review.status, review.docstatus), ("Minutes Approved", 1))
		self.assertTrue(review.metrics_collected_on, "the metrics pack is taken on approval")

		snapshot = review.complaints_received
		make_complaint(CUSTOMER, received_on=get_datetime("2026-02-02 10:00:00"))
		with self.assertRaises(frappe.ValidationError):
			review.get_metrics()
		self.assertEqual(
			frappe.db.get_value("Service Performance Review", review.name, "complaints_received"), snapshot
		)

		review.append("action_items", {"description": "Follow up on the SLA change", "action_owner": RM})
		review.save()
		review.action_items[-1].status = "Done"
		review.save()  # action items stay workable after approval
		self.assertTrue(review.action_items[-1].completed_on)
		self.assertEqual(review.status, "Minutes Approved")


class TestReviewScheduling(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(RM, [BRM_ROLE])
		make_customer(CUSTOMER)
		make_portfolio(CUSTOMER, relationship_manager=RM)

	def test_next_review_created_once_and_dates_follow(self):
		from frappe.utils import add_days, getdate, today

		from brm_app.brm_app.doctype.service_performance_review.scheduling import schedule_next_reviews

		frappe.db.set_value(
			"Service Performance Review", {"customer": CUSTOMER, "status": "Planned"}, "status", "Held"
		)  # whatever the site had planned for this customer before
		due = add_days(today(), 10)
		frappe.db.set_value(
			"Customer Portfolio",
			CUSTOMER,
			{"review_frequency": "Quarterly", "next_review_date": due, "relationship_status": "Active"},
		)
		made = [
			n
			for n in schedule_next_reviews()
			if frappe.db.get_value("Service Performance Review", n, "customer") == CUSTOMER
		]
		self.assertEqual(len(made), 1)
		review = frappe.get_doc("Service Performance Review", made[0])
		self.assertEqual((review.review_kind, review.status), ("Quarterly", "Planned"))
		self.assertEqual(getdate(review.scheduled_on), getdate(due))
		self.assertLess(getdate(review.period_end), getdate(due), "looks back on the last complete quarter")
		self.assertEqual((getdate(review.period_end) - getdate(review.period_start)).days // 28, 3)
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": review.name, "allocated_to": RM}))
		self.assertTrue(review.agenda, "with its agenda")

		again = [
			n
			for n in schedule_next_reviews()
			if frappe.db.get_value("Service Performance Review", n, "customer") == CUSTOMER
		]
		self.assertEqual(again, [], "idempotent")

		review = apply_workflow(apply_workflow(review, "Mark as Held"), "Approve Minutes")
		portfolio = frappe.get_doc("Customer Portfolio", CUSTOMER)
		self.assertEqual(getdate(portfolio.last_review_date), getdate(review.held_on))
		self.assertEqual(
			getdate(portfolio.next_review_date),
			getdate(frappe.utils.add_months(getdate(review.held_on), 3)),
		)

	def test_far_away_reviews_wait(self):
		from frappe.utils import add_days, today

		from brm_app.brm_app.doctype.service_performance_review.scheduling import schedule_next_reviews

		frappe.db.set_value(
			"Customer Portfolio",
			CUSTOMER,
			{"review_frequency": "Yearly", "next_review_date": add_days(today(), 90)},
		)
		made = schedule_next_reviews()
		self.assertFalse(
			[n for n in made if frappe.db.get_value("Service Performance Review", n, "customer") == CUSTOMER]
		)
