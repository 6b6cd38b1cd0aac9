# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""'Create > Complaint' on ERPNext's Issue (brm_app.api.complaint.raise_from_ticket)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from brm_app.api.complaint import raise_from_ticket
from brm_app.tests.utils import make_contact, make_customer, make_portal_user, make_user

A = "_Test Ticket Alpha"
KNOWN = "sam.known@ticket-alpha.example"
STRANGER = "who.knows@ticket-nowhere.example"
AGENT = "agent.only@ticket.example"  # ERPNext support agent, no BRM role
OUTSIDER = "no.support@ticket.example"  # desk user who may not read Issues


def make_issue(**values):
	return frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": "Printer in reception jams every morning",
			"description": "<p>Third week running.</p>",
			**values,
		}
	).insert(ignore_permissions=True)


class TestRaiseFromIssue(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.flags.mute_emails = True
		make_customer(A)
		cls.contact = make_contact(A, KNOWN)
		make_user(AGENT, ["Support Team"])
		make_user(OUTSIDER, ["Accounts User"])
		cls.customer_user = make_portal_user("ticket.portal@ticket-alpha.example", [A])
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_complaint_carries_the_issue_and_both_are_linked(self):
		issue = make_issue(customer=A, contact=self.contact, raised_by=KNOWN)
		result = raise_from_ticket("Issue", issue.name)
		self.assertTrue(result["created"])
		complaint = frappe.get_doc("Complaint", result["name"])
		self.assertEqual(
			(
				complaint.customer,
				complaint.contact,
				complaint.contact_email,
				complaint.issue,
				complaint.channel,
			),
			(A, self.contact, KNOWN, issue.name, "Support Ticket"),
		)
		self.assertEqual(complaint.subject, issue.subject)
		self.assertIn("Third week running.", complaint.description)
		self.assertFalse(complaint.needs_triage)
		self.assertTrue(complaint.acknowledge_by, "targets as for any complaint")
		# the Issue form's dashboard lists its complaints through the "issue" field
		dashboard = frappe.get_meta("Issue").get_dashboard_data()
		self.assertEqual(dashboard.non_standard_fieldnames.get("Complaint"), "issue")
		self.assertTrue(any("Complaint" in group.get("items", []) for group in dashboard.transactions))
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_doctype": "Issue", "reference_name": issue.name, "comment_type": "Info"},
			)
		)

	def test_second_click_returns_the_open_complaint(self):
		issue = make_issue(customer=A, raised_by=KNOWN)
		first = raise_from_ticket("Issue", issue.name)
		second = raise_from_ticket("Issue", issue.name)
		self.assertEqual(second["name"], first["name"])
		self.assertFalse(second["created"])
		self.assertEqual(frappe.db.count("Complaint", {"issue": issue.name}), 1)

	def test_issue_without_customer_takes_it_from_the_sender(self):
		issue = make_issue(raised_by=KNOWN)
		complaint = frappe.get_doc("Complaint", raise_from_ticket("Issue", issue.name)["name"])
		self.assertEqual((complaint.customer, complaint.contact), (A, self.contact))

	def test_issue_of_an_unknown_sender_is_triaged(self):
		issue = make_issue(raised_by=STRANGER)
		complaint = frappe.get_doc("Complaint", raise_from_ticket("Issue", issue.name)["name"])
		self.assertTrue(complaint.needs_triage)
		self.assertFalse(complaint.customer)
		self.assertEqual(complaint.channel, "Support Ticket")

	def test_issue_with_neither_customer_nor_sender_is_refused(self):
		issue = make_issue()
		frappe.db.set_value("Issue", issue.name, {"raised_by": None, "contact": None, "customer": None})
		before = frappe.db.count("Complaint")
		with self.assertRaisesRegex(frappe.ValidationError, "names no customer and no sender"):
			raise_from_ticket("Issue", issue.name)
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_support_agent_raises_it_without_reading_complaints(self):
		issue = make_issue(customer=A, raised_by=KNOWN)
		frappe.set_user(AGENT)
		result = raise_from_ticket("Issue", issue.name)
		self.assertTrue(result["created"])
		self.assertFalse(result["can_open"], "the relationship team takes it from here")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", result["name"], "owner"), AGENT)

	def test_who_may_not_read_the_issue_raises_nothing(self):
		issue = make_issue(customer=A, raised_by=KNOWN)
		before = frappe.db.count("Complaint")
		for user in (OUTSIDER, self.customer_user):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				raise_from_ticket("Issue", issue.name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_only_tickets(self):
		for doctype, name in (("Customer", A), ("Issue", "ISS-NOT-THERE")):
			with self.assertRaises(frappe.ValidationError):
				raise_from_ticket(doctype, name)
