# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Service incidents (docs/incidents.md): who is affected, their relationship managers told,
notices once per update per contact, the portal's banner and page (only for affected
customers, only public parts), complaints linked and answered, surveys that wait."""

from datetime import timedelta

import frappe
from frappe.utils import add_days, add_to_date, get_datetime, now_datetime, today

from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import SurveyTestCase
from brm_app.portal.test_portal import api_call, render
from brm_app.rules import incident as rules
from brm_app.tests.utils import (
	BRM_ROLE,
	BRM_USER_ROLE,
	make_contact,
	make_customer,
	make_portal_user,
	make_portfolio,
	make_service_item,
	make_user,
)

INCIDENT = "Service Incident"
HOSTING = "_Test BRM Incident Hosting"
DESK = "_Test BRM Incident Desk"
HIT = "_Test BRM Incident Hit"
ENDED = "_Test BRM Incident Ended"
SPARED = "_Test BRM Incident Spared"
QUIET = "_Test BRM Incident Quiet"  # hit, but sends no notices
RM_HIT = "brm.incident.rm1@example.com"
RM_OTHER = "brm.incident.rm2@example.com"
STAFF = "brm.incident.staff@example.com"
HIT_USER = "it@incident-hit.example.com"
SPARED_USER = "it@incident-spared.example.com"


class IncidentTestCase(SurveyTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(RM_HIT, [BRM_ROLE])
		make_user(RM_OTHER, [BRM_ROLE])
		make_user(STAFF, [BRM_USER_ROLE])
		for item in (HOSTING, DESK):
			make_service_item(item)
		cls.reps = {}
		for customer, rm, services in (
			(HIT, RM_HIT, [{"service": HOSTING}, {"service": DESK}]),
			(ENDED, RM_OTHER, [{"service": HOSTING, "ended_on": add_days(today(), -30)}]),
			(SPARED, RM_OTHER, [{"service": DESK}]),
			(QUIET, RM_OTHER, [{"service": HOSTING}]),
		):
			make_customer(customer)
			slug = customer.split()[-1].lower()
			rep = make_contact(customer, f"rep@incident-{slug}.example.com")
			cls.reps[customer] = rep
			maker = make_contact(customer, f"cio@incident-{slug}.example.com")
			make_portfolio(
				customer,
				relationship_manager=rm,
				authorised_representative=rep,
				services=services,
				decision_makers=[{"contact": maker, "authority": "Decision Maker", "incident_notices": 1}],
				incident_notices=0 if customer == QUIET else 1,
			)
		make_portal_user(HIT_USER, [HIT])
		make_portal_user(SPARED_USER, [SPARED])

	def incident(self, **values):
		frappe.set_user(STAFF)
		doc = frappe.get_doc(
			{
				"doctype": INCIDENT,
				"title": "Hosting platform down",
				"impact": "Critical",
				"started_on": add_to_date(now_datetime(), minutes=-30).replace(microsecond=0),
				"public_summary": "Sites on the hosting platform do not answer.",
				"internal_notes": "INTERNAL: storage array firmware",
				"services": [{"service": HOSTING}],
				**values,
			}
		).insert()
		frappe.set_user("Administrator")
		return frappe.get_doc(INCIDENT, doc.name)

	def notices(self, incident):
		return frappe.get_all(
			"Service Incident Notice",
			filters={"service_incident": incident},
			fields=["update_no", "email", "customer"],
			order_by="update_no, email",
		)


class TestWhoIsAffected(IncidentTestCase):
	def test_affected_from_portfolio_services_and_by_hand(self):
		doc = self.incident()
		self.assertEqual(sorted(r.customer for r in doc.affected), sorted([HIT, QUIET]))
		row = next(r for r in doc.affected if r.customer == HIT)
		self.assertEqual(row.relationship_manager, RM_HIT)
		self.assertEqual(doc.customers_affected, 2)
		doc.append("affected", {"customer": SPARED, "added_by_hand": 1})
		doc.save()
		self.assertIn(SPARED, [r.customer for r in doc.affected])
		self.assertNotIn(ENDED, [r.customer for r in doc.affected], "its hosting ended a month ago")

	def test_relationship_managers_are_told_once(self):
		doc = self.incident()
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": RM_HIT}))
		doc.public_summary = "Still down"
		doc.save()
		self.assertEqual(frappe.db.count("ToDo", {"reference_name": doc.name, "allocated_to": RM_HIT}), 1)


class TestNotices(IncidentTestCase):
	def test_one_notice_per_update_per_contact_who_receives_them(self):
		doc = self.incident()
		sent = self.notices(doc.name)
		self.assertEqual(
			{(n.update_no, n.email) for n in sent},
			{(0, "rep@incident-hit.example.com"), (0, "cio@incident-hit.example.com")},
			"the quiet customer's portfolio sends no notices",
		)
		doc.reload()
		self.assertTrue(next(r for r in doc.affected if r.customer == HIT).first_notice_on)
		self.assertIsNotNone(doc.minutes_to_first_notice)
		doc.append(
			"updates",
			{"public_update": "Failover in progress", "next_update_by": add_to_date(now_datetime(), hours=1)},
		)
		doc.save()
		doc.save()  # saving again sends nothing twice
		sent = self.notices(doc.name)
		self.assertEqual(len(sent), 4)
		self.assertEqual(sorted(n.update_no for n in sent), [0, 0, 1, 1])
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": INCIDENT, "reference_name": doc.name},
			pluck="message",
		)
		self.assertEqual(len(queued), 4)
		self.assertTrue(all("INTERNAL" not in m for m in queued), "internal notes stay internal")


class TestPortal(IncidentTestCase):
	def test_banner_and_page_for_affected_customers_only(self):
		doc = self.incident()
		frappe.set_user(HIT_USER)
		for route in ("complaints", "complaints/new"):
			_status, html = render(route)
			self.assertIn("Known issue with", html, route)
			self.assertIn(f"/incidents/{doc.name}", html, route)
		status, html = render(f"incidents/{doc.name}")
		self.assertEqual(status, 200)
		self.assertIn("do not answer", html)
		self.assertNotIn("INTERNAL", html)
		frappe.set_user(SPARED_USER)
		_status, html = render("complaints")
		self.assertNotIn("Known issue with", html)
		self.assertEqual(render(f"incidents/{doc.name}")[0], 404)

	def test_a_complaint_about_the_incident_is_linked_in_one_click(self):
		doc = self.incident()
		frappe.set_user(HIT_USER)
		result = api_call(
			"brm_app.api.portal.lodge_complaint",
			"POST",
			subject="Our shop is offline",
			description="Since this morning",
			service_incident=doc.name,
		)
		complaint = frappe.get_doc("Complaint", result["name"])
		self.assertEqual(complaint.service_incident, doc.name)
		_status, html = render(f"complaints/{complaint.name}")
		self.assertIn("About a known issue", html)
		frappe.set_user(SPARED_USER)
		with self.assertRaises(frappe.ValidationError):
			api_call(
				"brm_app.api.portal.lodge_complaint",
				"POST",
				subject="Not us",
				description="x",
				service_incident=doc.name,
			)

	def test_linked_complaints_answered_with_the_post_incident_summary(self):
		from frappe.model.workflow import apply_workflow

		from brm_app.tests.utils import make_complaint

		doc = self.incident()
		frappe.set_user("Administrator")
		complaint = make_complaint(HIT, service_incident=doc.name, service=HOSTING)
		apply_workflow(complaint, "Acknowledge")
		frappe.set_user(STAFF)
		doc = frappe.get_doc(INCIDENT, doc.name)
		doc.resolve()
		doc.reload()
		doc.root_cause = "Firmware bug"
		doc.post_incident_summary = "<p>A firmware bug; the array is patched and monitored.</p>"
		doc.save()
		self.assertEqual(doc.answer_linked_complaints(), 1)
		complaint.reload()
		self.assertEqual(complaint.status, "Resolution Proposed")
		self.assertIn("firmware", complaint.proposed_resolution)
		doc.reload()
		self.assertEqual(doc.complaints_linked, 1)
		self.assertEqual(doc.close(), rules.CLOSED)

	def test_closing_needs_the_root_cause_and_summary(self):
		doc = self.incident()
		frappe.set_user(STAFF)
		doc = frappe.get_doc(INCIDENT, doc.name)
		doc.resolve()
		with self.assertRaisesRegex(frappe.ValidationError, "root cause"):
			frappe.get_doc(INCIDENT, doc.name).close()
		self.assertEqual(frappe.db.get_value(INCIDENT, doc.name, "status"), rules.RESOLVED)


class TestSurveysWait(IncidentTestCase):
	def test_invitations_to_affected_contacts_wait_and_go_after_the_quiet_period(self):
		from brm_app.brm_app.doctype.survey_invitation.survey_invitation import send_pending_invitations

		doc = self.incident()
		survey = self.survey(customers=[{"customer": HIT}, {"customer": SPARED}])
		survey.send_now()
		invitations = frappe.get_all(
			"Survey Invitation",
			filters={"survey": survey.name},
			fields=["name", "customer", "status", "postponed_until", "postponed_by"],
		)
		by_customer = {i.customer: i for i in invitations}
		self.assertEqual({i.status for i in invitations if i.customer == SPARED}, {"Sent"})
		self.assertEqual({i.status for i in invitations if i.customer == HIT}, {"Pending"})
		self.assertEqual(by_customer[HIT].postponed_by, doc.name)
		self.assertTrue(by_customer[HIT].postponed_until)
		# the incident ended long ago: the quiet period has passed, the daily job sends it
		frappe.db.set_value(
			INCIDENT,
			doc.name,
			{
				"status": rules.RESOLVED,
				"started_on": add_days(now_datetime(), -30),
				"ended_on": add_days(now_datetime(), -20),
			},
		)
		frappe.db.set_value(
			"Survey Invitation", by_customer[HIT].name, "postponed_until", add_days(now_datetime(), -1)
		)
		send_pending_invitations()
		self.assertEqual(frappe.db.get_value("Survey Invitation", by_customer[HIT].name, "status"), "Sent")
		survey.reload()
		survey.close()
		survey.reload()
		survey.evaluate()
		survey.reload()
		self.assertEqual(survey.postponed_for_incidents, sum(i.customer == HIT for i in invitations))

	def test_the_quiet_period_is_measured_from_the_end(self):
		from brm_app.brm_app.doctype.service_incident.service_incident import survey_quiet_until

		doc = self.incident()
		until, incident = survey_quiet_until(HIT)
		self.assertEqual(incident, doc.name)
		self.assertGreater(get_datetime(until), now_datetime(), "open: look again later")
		frappe.db.set_value(INCIDENT, doc.name, {"status": rules.RESOLVED, "ended_on": now_datetime()})
		until, _ = survey_quiet_until(HIT)
		self.assertAlmostEqual(
			(get_datetime(until) - now_datetime()).total_seconds(),
			timedelta(days=7).total_seconds(),
			delta=120,
		)
		self.assertEqual(survey_quiet_until(SPARED), (None, None))


class TestWhereItCounts(IncidentTestCase):
	def test_review_health_metrics_and_the_impact_report(self):
		from brm_app.brm_app.doctype.customer_portfolio.health import refresh_health
		from brm_app.brm_app.doctype.service_performance_review.metrics_pack import metrics_pack
		from brm_app.brm_app.report.brm_metrics import brm_metrics
		from brm_app.brm_app.report.service_incident_impact import service_incident_impact
		from brm_app.tests.utils import make_complaint

		doc = self.incident()
		frappe.set_user("Administrator")
		make_complaint(HIT, service_incident=doc.name, service=HOSTING)
		from brm_app.brm_app.doctype.service_incident.service_incident import store_figures

		store_figures(doc.name)
		start, end = add_days(today(), -10), today()
		pack = metrics_pack(HIT, start, end)
		self.assertEqual((pack["incidents_affecting"], pack["incident_complaints"]), (1, 1))
		self.assertGreaterEqual(pack["minutes_to_incident_notice"], 0)
		review = frappe.get_doc(
			{
				"doctype": "Service Performance Review",
				"customer": HIT,
				"review_kind": "Monthly",
				"period_start": start,
				"period_end": end,
			}
		).insert()
		self.assertIn(doc.name, [r.reference_name for r in review.agenda if r.reference_doctype == INCIDENT])
		refresh_health([HIT])
		self.assertIn("service incident", frappe.db.get_value("Customer Portfolio", HIT, "health_reasons"))
		rows = brm_metrics.execute({"from_date": start, "to_date": end})[1]
		months = [r for r in rows if r["level"] == "month"]
		self.assertEqual(sum(r["incident_customers"] for r in months), 2)  # HIT and QUIET
		told = sum(r["incident_told_first"] for r in months)
		self.assertEqual(told, 1, "HIT was told (at the start) before its complaint")
		report = service_incident_impact.execute({"from_date": start, "to_date": end})[1]
		row = next(r for r in report if r.name == doc.name)
		self.assertEqual((row.customers_affected, row.customers_notified, row.complaints_linked), (2, 1, 1))
		self.assertEqual(row.notified_before_complaint, 100.0)


class TestReviewFindings(IncidentTestCase):
	"""What a review of the first version found, each kept from coming back."""

	def test_a_deleted_update_never_blocks_a_new_one(self):
		doc = self.incident()
		for text in ("First", "Second"):
			doc.append("updates", {"public_update": text})
			doc.save()
		doc.remove(doc.updates[0])
		doc.save()
		doc.append("updates", {"public_update": "Third"})
		doc.save()
		self.assertEqual([u.update_no for u in doc.updates], [2, 3])
		numbers = {n.update_no for n in self.notices(doc.name)}
		self.assertEqual(numbers, {0, 1, 2, 3})

	def test_who_was_hit_stays_once_the_service_is_restored(self):
		doc = self.incident()
		frappe.set_user(STAFF)
		doc = frappe.get_doc(INCIDENT, doc.name)
		doc.resolve()
		frappe.set_user("Administrator")
		portfolio = frappe.get_doc("Customer Portfolio", SPARED)
		portfolio.append("services", {"service": HOSTING})
		portfolio.save()
		doc = frappe.get_doc(INCIDENT, doc.name)
		doc.public_summary = "Restored; a typo fixed"
		doc.save()
		self.assertNotIn(SPARED, [r.customer for r in doc.affected])

	def test_a_customer_added_later_is_told_and_the_row_keeps_its_first_notice(self):
		doc = self.incident()
		first = {r.customer: r.first_notice_on for r in doc.affected}
		doc.append("affected", {"customer": SPARED, "added_by_hand": 1})
		doc.save()
		doc.reload()
		rows = {r.customer: r for r in doc.affected}
		self.assertEqual(rows[HIT].first_notice_on, first[HIT])
		self.assertTrue(rows[SPARED].first_notice_on)
		self.assertIn("rep@incident-spared.example.com", {n.email for n in self.notices(doc.name)})

	def test_a_linked_complaint_still_saves_when_its_customer_leaves_the_incident(self):
		from brm_app.tests.utils import make_complaint

		doc = self.incident()
		doc.append("affected", {"customer": SPARED, "added_by_hand": 1})
		doc.save()
		complaint = make_complaint(SPARED, service_incident=doc.name)
		doc.reload()
		doc.affected = [r for r in doc.affected if r.customer != SPARED]
		doc.save()
		complaint.reload()
		complaint.remedy_sought = "Call us"
		complaint.save()  # no "Wrong Incident" once linked
