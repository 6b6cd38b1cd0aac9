# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""brm_app beside Frappe Helpdesk (brm_app/integrations/helpdesk/). Runs where Helpdesk is
installed on the site; skipped with one line where it is not."""

import unittest

import frappe
from frappe.utils import getdate, today

from brm_app.api.complaint import raise_from_ticket
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import (
	CUSTOMERS,
	SurveyTestCase,
)
from brm_app.brm_app.report.brm_metrics.brm_metrics import execute as brm_metrics
from brm_app.brm_app.report.customer_satisfaction.customer_satisfaction import (
	execute as customer_satisfaction,
)
from brm_app.integrations.helpdesk import setup as helpdesk
from brm_app.integrations.helpdesk.mapping import erpnext_customer_of_hd_customer
from brm_app.tests.utils import make_user

ALPHA, BETA = CUSTOMERS[0], CUSTOMERS[1]
HD_BETA = "_Test Helpdesk name of Beta"  # an HD Customer named otherwise, mapped by the field
AGENT = "hd.agent@brm-helpdesk.example"


def helpdesk_missing() -> bool:
	return "helpdesk" not in frappe.get_installed_apps()


class TestHelpdesk(SurveyTestCase):
	@classmethod
	def setUpClass(cls):
		if helpdesk_missing():
			print("Frappe Helpdesk is not installed on this site: brm_app's Helpdesk tests are skipped.")
			raise unittest.SkipTest("Frappe Helpdesk is not installed on this site")
		super().setUpClass()
		helpdesk.setup()
		for name, erpnext_customer in ((ALPHA, None), (HD_BETA, BETA)):
			if not frappe.db.exists("HD Customer", name):
				frappe.get_doc({"doctype": "HD Customer", "customer_name": name}).insert(
					ignore_permissions=True
				)
			frappe.db.set_value("HD Customer", name, helpdesk.HD_CUSTOMER_FIELD, erpnext_customer)
		make_user(AGENT, ["Agent"])
		frappe.db.commit()

	def setUp(self):
		super().setUp()
		self.contact = self.contacts[ALPHA][1]
		self.email = frappe.db.get_value("Contact", self.contact, "email_id")

	def ticket(self, **values):
		return frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": "VPN drops every hour",
				"description": "<p>Since Monday, every hour on the hour.</p>",
				"raised_by": self.email,
				"contact": self.contact,
				"customer": ALPHA,
				**values,
			}
		).insert(ignore_permissions=True)

	@staticmethod
	def resolve(ticket, **values):
		ticket.reload()
		ticket.update(values)
		ticket.status = "Resolved"
		ticket.save(ignore_permissions=True)
		return ticket

	def invitation_of(self, ticket):
		name = frappe.db.get_value(
			"Survey Invitation", {"reference_doctype": "HD Ticket", "reference_name": ticket.name}
		)
		return frappe.get_doc("Survey Invitation", name) if name else None

	# ------------------------------------------------------------------ install

	def test_setup_adds_the_customer_field_and_the_agent_action_once(self):
		self.assertTrue(frappe.get_meta("HD Customer").has_field(helpdesk.HD_CUSTOMER_FIELD))
		helpdesk.setup()  # again, as every migrate does
		scripts = frappe.get_all(
			"HD Form Script",
			filters={"name": helpdesk.FORM_SCRIPT},
			fields=["dt", "apply_to", "enabled", "script"],
		)
		self.assertEqual(len(scripts), 1)
		self.assertEqual((scripts[0].dt, scripts[0].apply_to, scripts[0].enabled), ("HD Ticket", "Form", 1))
		# what Helpdesk's agent view loads for a ticket
		get_form_script = frappe.get_attr(
			"helpdesk.helpdesk.doctype.hd_form_script.hd_form_script.get_form_script"
		)
		loaded = get_form_script("HD Ticket")
		loaded = loaded if isinstance(loaded, list) else [loaded]
		self.assertTrue(any("brm_app.api.complaint.raise_from_ticket" in s for s in loaded))
		self.assertTrue(any("/app/service-incident/new" in s for s in loaded), "the service incident action")

	def test_hd_customer_maps_by_field_then_by_name(self):
		self.assertEqual(erpnext_customer_of_hd_customer(HD_BETA), BETA)
		self.assertEqual(erpnext_customer_of_hd_customer(ALPHA), ALPHA)
		self.assertIsNone(erpnext_customer_of_hd_customer("_Test no such customer"))
		self.assertIsNone(erpnext_customer_of_hd_customer(None))

	# ------------------------------------------------------------------ surveys

	def test_resolved_ticket_invites_its_contact(self):
		self.transactional()
		ticket = self.ticket()
		self.assertIsNone(self.invitation_of(ticket))
		self.resolve(ticket)
		invitation = self.invitation_of(ticket)
		self.assertEqual((invitation.customer, invitation.contact), (ALPHA, self.contact))
		self.assertEqual(invitation.status, "Sent")

	def test_ticket_rating_is_the_answer_on_the_1_to_5_scale_and_counts(self):
		self.transactional()
		happy = self.resolve(self.ticket(), feedback_rating=0.8, feedback_extra="Quick fix, thanks")
		unhappy = self.resolve(self.ticket(subject="Mail bounced"), feedback_rating=0.4)
		for ticket, stars in ((happy, 4), (unhappy, 2)):
			invitation = self.invitation_of(ticket)
			self.assertEqual(invitation.status, "Responded")
			self.assertFalse(invitation.sent_on, "rated in Helpdesk: not asked again by e-mail")
			self.assertEqual([a.score for a in invitation.answers if a.has_score], [stars])
			self.assertFalse(
				frappe.db.exists(
					"Email Queue",
					{"reference_doctype": "Survey Invitation", "reference_name": invitation.name},
				)
			)
		self.assertEqual(self.invitation_of(happy).answers[0].comment, "Quick fix, thanks")
		# two stars is below the minimum: a follow-up, as for any survey answer
		self.assertTrue(self.invitation_of(unhappy).follow_up)

		month = getdate(today()).strftime("%Y-%m")
		_columns, rows, *_rest = brm_metrics({"customer": ALPHA, "from_date": today(), "to_date": today()})
		(row,) = [r for r in rows if r["level"] == "month" and r["period"].startswith(month[:4])][-1:]
		self.assertEqual((row["incident_responses"], row["incident_csat"]), (2, 50.0))
		_columns, rows, *_rest = customer_satisfaction({"group_by": "Customer", "customer": ALPHA})
		(alpha,) = [frappe._dict(r) for r in rows if r["grp"] == ALPHA]
		self.assertEqual((alpha.responses, alpha.csat), (2, 50.0))

	def test_rating_after_the_invitation_answers_it_once(self):
		self.transactional()
		ticket = self.resolve(self.ticket())
		invitation = self.invitation_of(ticket)
		self.assertEqual(invitation.status, "Sent")
		ticket.reload()
		ticket.feedback_rating = 1
		ticket.save(ignore_permissions=True)
		invitation.reload()
		self.assertEqual(
			(invitation.status, [a.score for a in invitation.answers if a.has_score]), ("Responded", [5])
		)
		# a later change of the rating does not answer twice
		ticket.reload()
		ticket.feedback_rating = 0.2
		ticket.save(ignore_permissions=True)
		invitation.reload()
		self.assertEqual([a.score for a in invitation.answers if a.has_score], [5])
		self.assertEqual(
			frappe.db.count(
				"Survey Invitation", {"reference_doctype": "HD Ticket", "reference_name": ticket.name}
			),
			1,
		)

	# ------------------------------------------------------------------ raise complaint

	def test_agent_raises_a_complaint_from_a_ticket(self):
		ticket = self.ticket(customer=HD_BETA, contact=None, raised_by=None)
		frappe.set_user(AGENT)
		result = raise_from_ticket("HD Ticket", ticket.name)  # a number, as the agent view sends it
		frappe.set_user("Administrator")
		complaint = frappe.get_doc("Complaint", result["name"])
		self.assertEqual(
			(complaint.customer, complaint.ticket_doctype, str(complaint.hd_ticket), complaint.channel),
			(BETA, "HD Ticket", str(ticket.name), "Support Ticket"),
		)
		self.assertEqual(complaint.subject, "VPN drops every hour")
		self.assertIn("every hour on the hour", complaint.description)
		self.assertFalse(result["can_open"], "a Helpdesk agent without BRM role")
		self.assertEqual(raise_from_ticket("HD Ticket", str(ticket.name))["name"], complaint.name)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "HD Ticket",
					"reference_name": str(ticket.name),
					"comment_type": "Info",
				},
			)
		)
