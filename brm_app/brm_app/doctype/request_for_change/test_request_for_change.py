# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Requests for change (docs/changes.md): the lifecycle through the Workflow, the CAB decision
by a Business Relationship Manager only, the information round trip, the customer's
confirmation (a complaint when it did not deliver), the SLA part, raising one from a
requirement, a review's action item or a complaint's corrective action, and the portal."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_to_date, now_datetime, today

from brm_app.portal.test_portal import api_call, render
from brm_app.rules import change as rules
from brm_app.tests.utils import (
	BRM_ROLE,
	BRM_USER_ROLE,
	BRMTestCase,
	make_contact,
	make_customer,
	make_outgoing_email_account,
	make_portal_user,
	make_portfolio,
	make_service_item,
	make_user,
)

CUSTOMER = "_Test BRM Change Customer"
OTHER = "_Test BRM Change Other Customer"
RM = "brm.change.manager@example.com"
STAFF = "brm.change.staff@example.com"
SLM = "brm.change.slm@example.com"
PORTAL_USER = "buyer@change-customer.example.com"
OTHER_USER = "buyer@change-other.example.com"
SERVICE = "_Test BRM Change Service"
SLA = "_Test BRM Change SLA"
RFC = "Request for Change"


def make_sla() -> str:
	"""An ERPNext Service Level Agreement to link (its own rules are not what is tested here)."""
	if not frappe.db.exists("Service Level Agreement", SLA):
		doc = frappe.get_doc(
			{
				"doctype": "Service Level Agreement",
				"service_level": SLA,
				"document_type": "Issue",
				"default_priority": "Medium",
			}
		)
		doc.flags.ignore_validate = True
		doc.flags.ignore_links = True
		doc.insert(ignore_permissions=True, ignore_mandatory=True, set_name=SLA)
	return SLA


class ChangeTestCase(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		make_user(RM, [BRM_ROLE])
		make_user(STAFF, [BRM_USER_ROLE])
		make_user(SLM, [BRM_USER_ROLE])
		for customer in (CUSTOMER, OTHER):
			make_customer(customer)
		make_service_item(SERVICE)
		cls.contact = make_contact(CUSTOMER, "it@change-customer.example.com")
		make_portfolio(CUSTOMER, relationship_manager=RM, services=[{"service": SERVICE}])
		make_portal_user(PORTAL_USER, [CUSTOMER])
		make_portal_user(OTHER_USER, [OTHER])
		make_sla()

	def rfc(self, **values):
		frappe.set_user(STAFF)
		doc = frappe.get_doc(
			{
				"doctype": RFC,
				"title": "Single sign-on for the payroll portal",
				"customer": CUSTOMER,
				"contact": self.contact,
				"contact_email": "it@change-customer.example.com",
				"description": "<p>Log in with our company accounts.</p>",
				"business_justification": "Staff lose ten minutes a day logging in twice.",
				"services": [{"service": SERVICE}],
				**values,
			}
		).insert()
		return doc

	def act(self, doc, action, user=STAFF):
		frappe.set_user(user)
		return apply_workflow(frappe.get_doc(RFC, doc.name), action)

	def to_cab(self, **values):
		doc = self.rfc(**values)
		for action in ("Submit Request", "Start Assessment", "Send to CAB"):
			doc = self.act(doc, action)
		return doc

	def cab_decides(self, doc, decision, action):
		frappe.set_user(RM)
		doc = frappe.get_doc(RFC, doc.name)
		doc.append(
			"cab_sittings",
			{
				"sitting_date": today(),
				"customer_position": "Needed before the audit",
				"decision": decision,
				"conditions": "Pilot with ten users first",
				"note_for_customer": "Approved for the first quarter.",
				"internal_note": "Security team asked for MFA",
			},
		)
		doc.save()
		return self.act(doc, action, RM)

	def schedule(self, doc):
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.planned_start = add_to_date(now_datetime(), days=3)
		doc.planned_end = add_to_date(now_datetime(), days=3, hours=2)
		doc.implementer = STAFF
		doc.save()
		return self.act(doc, "Schedule")

	def implement(self, doc):
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.implemented_on = now_datetime().replace(microsecond=0)
		doc.save()
		return self.act(doc, "Mark Implemented")


class TestLifecycle(ChangeTestCase):
	def test_from_draft_to_the_customers_confirmation(self):
		doc = self.to_cab()
		self.assertEqual(doc.status, rules.AWAITING_CAB)
		self.assertTrue(doc.submitted_on)
		self.assertEqual(doc.relationship_manager, RM, "the portfolio's relationship manager")
		doc = self.cab_decides(doc, rules.APPROVED, "Record CAB Approval")
		self.assertEqual(doc.status, rules.APPROVED)
		self.assertTrue(doc.decided_on)
		doc = self.implement(self.schedule(doc))
		self.assertEqual(doc.status, rules.IMPLEMENTED)
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		self.assertEqual(doc.confirm_for_the_customer(1, "Works for everyone"), rules.CLOSED)
		doc.reload()
		self.assertEqual((doc.customer_confirmation, doc.status), (rules.CONFIRMED, rules.CLOSED))
		self.assertTrue(doc.closed_on and doc.confirmed_on)

	def test_only_a_brm_records_what_the_cab_decided(self):
		doc = self.to_cab()
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.append("cab_sittings", {"sitting_date": today(), "decision": rules.APPROVED})
		with self.assertRaisesRegex(frappe.PermissionError, "CAB decision"):
			doc.save()
		with self.assertRaises(frappe.ValidationError):  # no such transition for a BRM User
			self.act(doc, "Record CAB Approval", STAFF)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(RFC, doc.name, "status"), rules.AWAITING_CAB)
		self.assertFalse(frappe.get_all("Request for Change CAB Sitting", {"parent": doc.name}))

	def test_a_decision_needs_its_cab_sitting(self):
		doc = self.to_cab()
		with self.assertRaisesRegex(frappe.ValidationError, "CAB sitting"):
			self.act(doc, "Record CAB Rejection", RM)
		doc = self.cab_decides(doc, rules.REJECTED, "Record CAB Rejection")
		self.assertEqual(doc.status, rules.REJECTED)
		self.assertTrue(doc.closed_on, "a rejected request has ended")

	def test_bad_input_is_refused_and_nothing_saved(self):
		doc = self.rfc(business_justification="")
		with self.assertRaisesRegex(frappe.ValidationError, "business justification"):
			self.act(doc, "Submit Request")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(RFC, doc.name, "status"), rules.DRAFT)
		with self.assertRaisesRegex(frappe.ValidationError, "portfolio"):
			self.rfc(services=[{"service": make_service_item("_Test BRM Not In Portfolio")}])
		doc = self.cab_decides(self.to_cab(), rules.APPROVED, "Record CAB Approval")
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.planned_start = add_to_date(now_datetime(), days=3)
		doc.planned_end = add_to_date(now_datetime(), days=2)
		doc.save()
		with self.assertRaisesRegex(frappe.ValidationError, "planned end"):
			self.act(doc, "Schedule")

	def test_fields_the_process_owns_are_set_by_the_server_only(self):
		doc = self.rfc()
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.status = rules.CLOSED
		doc.customer_confirmation = rules.CONFIRMED
		doc.closed_on = now_datetime()
		doc.save()
		frappe.set_user("Administrator")
		stored = frappe.db.get_value(
			RFC, doc.name, ["status", "customer_confirmation", "closed_on"], as_dict=True
		)
		self.assertEqual(
			(stored.status, stored.customer_confirmation, stored.closed_on), (rules.DRAFT, None, None)
		)

	def test_status_e_mails_go_to_the_customer_with_nothing_internal(self):
		doc = self.cab_decides(self.to_cab(), rules.APPROVED, "Record CAB Approval")
		mails = frappe.get_all(
			"Communication",
			filters={"reference_doctype": RFC, "reference_name": doc.name, "sent_or_received": "Sent"},
			fields=["subject", "content", "recipients"],
			order_by="creation asc",
		)
		subjects = [m.subject for m in mails]
		self.assertTrue(any("received your request" in s for s in subjects), subjects)
		approved = next(m for m in mails if "approved" in m.subject)
		self.assertIn("it@change-customer.example.com", approved.recipients)
		self.assertIn("Approved for the first quarter.", approved.content)
		self.assertNotIn("MFA", approved.content, "the CAB's internal note stays internal")


class TestInformationAndConfirmation(ChangeTestCase):
	def test_information_needed_returns_where_it_was_asked(self):
		doc = self.to_cab()
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		self.assertEqual(doc.ask_the_customer("Which sites need it first?"), rules.INFORMATION_NEEDED)
		doc.reload()
		self.assertEqual(
			(doc.asked_from, doc.information_request), (rules.AWAITING_CAB, "Which sites need it first?")
		)
		self.assertEqual(doc.answer_for_the_customer("London, then Leeds"), rules.AWAITING_CAB)
		doc.reload()
		self.assertEqual(doc.information_answer, "London, then Leeds")
		self.assertTrue(doc.information_answered_on)

	def test_a_change_that_did_not_deliver_opens_a_complaint(self):
		doc = self.implement(
			self.schedule(self.cab_decides(self.to_cab(), rules.APPROVED, "Record CAB Approval"))
		)
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		with self.assertRaises(frappe.MandatoryError):
			doc.confirm_for_the_customer(0, "")
		self.assertEqual(doc.confirm_for_the_customer(0, "Leeds still cannot log in"), rules.SCHEDULED)
		doc.reload()
		# back to be scheduled: the customer will be asked again once it is implemented again
		self.assertEqual((doc.status, doc.customer_confirmation), (rules.SCHEDULED, None))
		complaint = frappe.get_doc("Complaint", doc.follow_up_complaint)
		self.assertEqual(complaint.customer, CUSTOMER)
		self.assertIn(doc.name, complaint.subject)
		self.assertIn("Leeds", complaint.description)

	def test_the_service_level_manager_coordinates_the_sla_part(self):
		doc = self.rfc(sla_change=1, service_level_agreement=SLA, service_level_manager=SLM)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": SLM, "status": "Open"})
		)
		for action in ("Submit Request", "Start Assessment", "Send to CAB"):
			doc = self.act(doc, action)
		doc = self.schedule(self.cab_decides(doc, rules.APPROVED, "Record CAB Approval"))
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.implemented_on = now_datetime().replace(microsecond=0)
		doc.save()
		with self.assertRaisesRegex(frappe.ValidationError, "SLA part"):
			self.act(doc, "Mark Implemented")
		frappe.set_user(STAFF)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(RFC, doc.name).mark_sla_done()
		frappe.set_user(SLM)
		frappe.get_doc(RFC, doc.name).mark_sla_done()
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": SLM, "status": "Open"})
		)
		self.assertEqual(self.act(doc, "Mark Implemented").status, rules.IMPLEMENTED)

	def test_an_sla_change_needs_its_agreement_and_manager(self):
		doc = self.rfc(sla_change=1)
		with self.assertRaisesRegex(frappe.ValidationError, "Service Level"):
			self.act(doc, "Submit Request")


class TestRaisedFrom(ChangeTestCase):
	def test_a_requirement_routed_to_change_management(self):
		frappe.set_user(STAFF)
		requirement = frappe.get_doc(
			{
				"doctype": "Customer Requirement",
				"title": "Reports in our own layout",
				"customer": CUSTOMER,
				"contact": self.contact,
				"kind": "Change to a Service",
				"desired_outcomes": "<p>Monthly report in our template.</p>",
				"utility_requirements": "PDF and Excel",
				"needed_by": add_days(today(), 30),
			}
		).insert()
		name = requirement.raise_request_for_change()
		doc = frappe.get_doc(RFC, name)
		self.assertEqual((doc.title, doc.customer, doc.contact), (requirement.title, CUSTOMER, self.contact))
		self.assertEqual(
			(doc.raised_via, doc.customer_requirement), ("Customer Requirement", requirement.name)
		)
		self.assertIn("template", doc.description)
		self.assertEqual(str(doc.desired_date), str(requirement.needed_by))
		requirement.reload()
		self.assertEqual((requirement.status, requirement.routed_to), ("Routed", "Change Management"))
		self.assertEqual(requirement.raise_request_for_change(), name, "one request per requirement")

	def test_a_complaints_corrective_action(self):
		from brm_app.tests.utils import make_complaint

		frappe.set_user("Administrator")
		complaint = make_complaint(CUSTOMER, contact=self.contact, service=SERVICE)
		complaint.append("corrective_actions", {"action": "Change the backup window to 02:00"})
		complaint.save()
		frappe.set_user(STAFF)
		name = frappe.get_doc("Complaint", complaint.name).raise_request_for_change(
			complaint.corrective_actions[0].name
		)
		doc = frappe.get_doc(RFC, name)
		self.assertEqual((doc.complaint, doc.raised_via), (complaint.name, "Complaint"))
		self.assertEqual([r.service for r in doc.services], [SERVICE])
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("Complaint", complaint.name).raise_request_for_change("not-a-row")


class TestPortal(ChangeTestCase):
	def raise_on_portal(self, user=PORTAL_USER, **values):
		frappe.set_user(user)
		params = {
			"title": "Add a second approver",
			"description": "Orders above 10k need two approvers.",
			"business_justification": "Our auditors require it.",
			"urgency": "High",
			"service": SERVICE,
			**values,
		}
		return api_call("brm_app.api.portal.raise_change", "POST", **params)

	def test_the_customer_raises_follows_answers_and_confirms(self):
		result = self.raise_on_portal()
		doc = frappe.get_doc(RFC, result["name"])
		self.assertEqual((doc.status, doc.raised_via, doc.customer), (rules.SUBMITTED, "Portal", CUSTOMER))
		self.assertEqual(doc.contact, self.contact_of_portal_user())
		status, html = render(f"changes/{doc.name}")
		self.assertEqual(status, 200)
		self.assertIn("Add a second approver", html)
		frappe.set_user(STAFF)
		frappe.get_doc(RFC, doc.name).ask_the_customer("From which amount exactly?")
		frappe.set_user(PORTAL_USER)
		status, html = render(f"changes/{doc.name}")
		self.assertIn("From which amount exactly?", html)
		self.assertEqual(
			api_call("brm_app.api.portal.answer_change_question", "POST", name=doc.name, answer="10,000 EUR"),
			rules.SUBMITTED,
		)
		doc = frappe.get_doc(RFC, doc.name)
		for action in ("Start Assessment", "Send to CAB"):
			doc = self.act(doc, action)
		doc = self.implement(self.schedule(self.cab_decides(doc, rules.APPROVED, "Record CAB Approval")))
		frappe.set_user(PORTAL_USER)
		status, html = render(f"changes/{doc.name}")
		self.assertIn("Approved for the first quarter.", html)
		self.assertNotIn("MFA", html, "internal CAB note")
		result = api_call("brm_app.api.portal.confirm_change", "POST", name=doc.name, delivered="1")
		self.assertEqual(result["status"], rules.CLOSED)

	def contact_of_portal_user(self):
		from brm_app.customers import trusted_customer_links

		return trusted_customer_links(user=PORTAL_USER, customer=CUSTOMER)[0].contact

	def test_another_customers_request_is_not_found(self):
		name = self.raise_on_portal()["name"]
		frappe.set_user(OTHER_USER)
		status, _html = render(f"changes/{name}")
		self.assertEqual(status, 404)
		for method, params in (
			("brm_app.api.portal.answer_change_question", {"name": name, "answer": "x"}),
			("brm_app.api.portal.confirm_change", {"name": name, "delivered": "1"}),
		):
			with self.assertRaises(frappe.DoesNotExistError):
				api_call(method, "POST", **params)
		self.assertEqual(frappe.get_list(RFC, filters={"name": name}), [])
		status, html = render("changes")
		self.assertNotIn(name, html)

	def test_drafts_staff_prepare_are_not_shown(self):
		draft = self.rfc()
		frappe.set_user(PORTAL_USER)
		_status, html = render("changes")
		self.assertNotIn(draft.name, html)
		self.assertEqual(render(f"changes/{draft.name}")[0], 404)

	def test_bad_input_on_the_portal(self):
		with self.assertRaises(frappe.ValidationError):
			self.raise_on_portal(business_justification="")
		with self.assertRaises(frappe.ValidationError):
			self.raise_on_portal(service="_Test BRM Not In Portfolio")
		with self.assertRaises(frappe.ValidationError):
			self.raise_on_portal(desired_date="2001-01-01")
		with self.assertRaises(frappe.PermissionError):
			self.raise_on_portal(customer=OTHER)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists(RFC, {"raised_via": "Portal", "title": "Add a second approver"}))


class TestWhereItCounts(ChangeTestCase):
	def test_review_metrics_agenda_metrics_themes_and_health(self):
		from brm_app.brm_app.doctype.customer_portfolio.health import refresh_health
		from brm_app.brm_app.doctype.service_performance_review.metrics_pack import metrics_pack
		from brm_app.brm_app.report.brm_metrics import brm_metrics
		from brm_app.brm_app.report.recurring_themes import recurring_themes

		approved = self.cab_decides(self.to_cab(), rules.APPROVED, "Record CAB Approval")
		rejected = self.cab_decides(
			self.to_cab(title="Weekend support"), rules.REJECTED, "Record CAB Rejection"
		)
		self.rfc(title="Still a draft")
		frappe.set_user("Administrator")
		start, end = add_days(today(), -30), today()

		pack = metrics_pack(CUSTOMER, start, end)
		self.assertEqual(
			(pack["changes_raised"], pack["changes_approved"], pack["changes_rejected"]), (2, 1, 1)
		)
		review = frappe.get_doc(
			{
				"doctype": "Service Performance Review",
				"customer": CUSTOMER,
				"review_kind": "Monthly",
				"period_start": start,
				"period_end": end,
			}
		).insert()
		on_agenda = {r.reference_name for r in review.agenda if r.reference_doctype == RFC}
		self.assertEqual(on_agenda, {approved.name}, "open requests only: not the rejected, not drafts")

		rows = brm_metrics.execute({"from_date": start, "to_date": end, "customer": CUSTOMER})[1]
		self.assertEqual(sum(r["changes"] for r in rows if r["level"] == "month"), 2)

		themes = recurring_themes.execute({"from_date": start, "to_date": end, "group_by": "Service"})[1]
		self.assertEqual(next(r for r in themes if r.theme == SERVICE).changes_requested, 2)

		refresh_health([CUSTOMER])
		reasons = frappe.db.get_value("Customer Portfolio", CUSTOMER, "health_reasons")
		self.assertIn("rejected by the change board", reasons)
		self.assertTrue(rejected.decided_on)

	def test_kept_and_anonymised_like_the_other_records(self):
		from datetime import timedelta

		from frappe.utils import get_datetime

		from brm_app import retention

		doc = self.cab_decides(self.to_cab(), rules.REJECTED, "Record CAB Rejection")
		frappe.set_user("Administrator")
		settings = frappe.get_single("BRM Settings")
		self.assertIn(RFC, [r.record_type for r in settings.retention_rules], "shipped rule")
		retention.run(at=get_datetime() + timedelta(days=7 * 366))
		doc.reload()
		self.assertTrue(doc.anonymised_on)
		self.assertFalse(doc.contact_email or doc.business_justification)
		self.assertFalse(any(r.internal_note for r in doc.cab_sittings))
		self.assertEqual(doc.status, rules.REJECTED, "figures kept")


class TestReviewFindings(ChangeTestCase):
	"""What a review of the first version found, each kept from coming back."""

	def test_a_method_call_saves_nothing_else_the_request_posted(self):
		doc = self.to_cab()
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.ask_the_customer("Which sites?")
		posted = frappe.get_doc(RFC, doc.name)
		posted.customer_confirmation = rules.CONFIRMED
		posted.decided_on = now_datetime()
		posted.answer_for_the_customer("London")
		stored = frappe.db.get_value(RFC, doc.name, ["customer_confirmation", "decided_on"], as_dict=True)
		self.assertEqual((stored.customer_confirmation, stored.decided_on), (None, None))

	def test_a_forged_service_level_manager_cannot_mark_the_sla_done(self):
		doc = self.rfc(sla_change=1, service_level_agreement=SLA, service_level_manager=SLM)
		frappe.set_user(STAFF)
		posted = frappe.get_doc(RFC, doc.name)
		posted.service_level_manager = STAFF
		with self.assertRaises(frappe.PermissionError):
			posted.mark_sla_done()
		self.assertFalse(frappe.db.get_value(RFC, doc.name, "sla_done_on"))

	def test_linked_records_are_the_same_customers(self):
		from brm_app.tests.utils import make_complaint

		frappe.set_user("Administrator")
		other = make_complaint(OTHER)
		doc = self.rfc()
		doc.flags.process_update = True
		doc.complaint = other.name
		with self.assertRaisesRegex(frappe.ValidationError, "is not"):
			doc.save()

	def test_staff_cannot_change_a_decided_sitting(self):
		doc = self.cab_decides(self.to_cab(), rules.APPROVED, "Record CAB Approval")
		frappe.set_user(STAFF)
		doc = frappe.get_doc(RFC, doc.name)
		doc.cab_sittings[0].note_for_customer = "Something else"
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		doc = frappe.get_doc(RFC, doc.name)
		doc.cab_sittings = []
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_back_at_the_cab_a_new_sitting_decides(self):
		doc = self.cab_decides(self.to_cab(), rules.DEFERRED, "Record CAB Deferral")
		doc = self.act(doc, "Back to CAB")
		with self.assertRaisesRegex(frappe.ValidationError, "CAB sitting"):
			self.act(doc, "Record CAB Deferral", RM)
		doc = self.cab_decides(doc, rules.APPROVED, "Record CAB Approval")
		self.assertEqual(doc.status, rules.APPROVED)

	def test_not_delivered_then_implemented_again_asks_the_customer_again(self):
		doc = self.implement(
			self.schedule(self.cab_decides(self.to_cab(), rules.APPROVED, "Record CAB Approval"))
		)
		frappe.set_user(STAFF)
		frappe.get_doc(RFC, doc.name).confirm_for_the_customer(0, "Leeds cannot log in")
		doc = frappe.get_doc(RFC, doc.name)
		self.assertEqual(doc.status, rules.SCHEDULED)
		self.assertEqual((doc.customer_confirmation, doc.implemented_on), (None, None))
		with self.assertRaisesRegex(frappe.ValidationError, "implemented"):
			self.act(doc, "Mark Implemented")
		doc = self.implement(doc)
		with self.assertRaises(frappe.ValidationError):  # staff alone cannot say it did not deliver
			self.act(doc, "Report Not Delivered")

	def test_no_second_e_mail_when_it_returns_after_an_answer(self):
		doc = self.cab_decides(self.to_cab(), rules.APPROVED, "Record CAB Approval")
		frappe.set_user(STAFF)
		frappe.get_doc(RFC, doc.name).ask_the_customer("Which sites?")
		frappe.get_doc(RFC, doc.name).answer_for_the_customer("London")
		subjects = frappe.get_all(
			"Communication", filters={"reference_doctype": RFC, "reference_name": doc.name}, pluck="subject"
		)
		self.assertEqual(sum("is approved" in s for s in subjects), 1, subjects)

	def test_a_withdrawn_draft_is_neither_shown_nor_counted(self):
		from brm_app.brm_app.report.brm_metrics import brm_metrics

		draft = self.rfc(title="Prepared, then dropped")
		self.act(draft, "Withdraw")
		frappe.set_user(PORTAL_USER)
		_status, html = render("changes")
		self.assertNotIn(draft.name, html)
		self.assertEqual(render(f"changes/{draft.name}")[0], 404)
		frappe.set_user("Administrator")
		rows = brm_metrics.execute(
			{"from_date": add_days(today(), -5), "to_date": today(), "customer": CUSTOMER}
		)[1]
		self.assertEqual(sum(r["changes"] for r in rows if r["level"] == "month"), 0)
