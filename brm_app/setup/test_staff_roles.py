# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A user holding only Business Relationship Manager, or only BRM User, does the whole job
docs/permissions.md describes: picks customers, contacts, services and Issues through
the same link search the forms use, works complaints through the workflow as far as the role
may, sees every card and chart of the workspace, runs every report with every group-by."""

import frappe
from frappe.desk.desktop import get_desktop_page
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.desk.query_report import run as run_report
from frappe.desk.search import search_link
from frappe.model.workflow import WorkflowTransitionError, apply_workflow

from brm_app.setup.role_permissions import STAFF_PERMISSIONS, install_staff_permissions
from brm_app.tests.utils import (
	BRM_ROLE,
	BRM_USER_ROLE,
	BRMTestCase,
	make_contact,
	make_customer,
	make_outgoing_email_account,
	make_portfolio,
	make_service_item,
	make_user,
)

CUSTOMER = "_Test BRM Staff Role Customer"
BRM = "only.brm@example.com"
STAFF = "only.staff@example.com"
WORKSPACE = "Business Relationship"
REPORT_GROUPINGS = {
	"Complaint Analysis": ["Category", "Root Cause", "Service", "Customer", "Severity", "Month"],
	"Recurring Themes": ["Category", "Service", "Root Cause", "Term"],
	"Customer Satisfaction": ["Customer", "Dimension", "Service", "Survey", "Month"],
	"BRM Metrics": [None],
	"BRM KPIs": [None],
	"At-risk Customers": [None],
}


def chart_data(name: str) -> dict:
	"""What the desk loads for a chart: a Custom chart from its source's method."""
	chart = frappe.get_doc("Dashboard Chart", name)
	if chart.chart_type == "Custom":
		source = frappe.scrub(chart.source)
		return frappe.get_attr(f"brm_app.brm_app.dashboard_chart_source.{source}.{source}.get")()
	return get_chart(chart_name=name, filters=chart.filters_json or "[]", refresh=1)


def only_role(email: str, role: str) -> str:
	"""A fresh user with exactly one role (and the automatic ones)."""
	make_user(email, [role])
	user = frappe.get_doc("User", email)
	user.set("roles", [r for r in user.roles if r.role == role])
	user.save(ignore_permissions=True)
	return email


class StaffRoleTestCase(BRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_outgoing_email_account()
		only_role(BRM, BRM_ROLE)
		only_role(STAFF, BRM_USER_ROLE)
		make_customer(CUSTOMER)
		cls.contact = make_contact(CUSTOMER, "buyer@staff-role-customer.example.com")
		cls.service = make_service_item("_Test BRM Staff Role Service")
		make_portfolio(CUSTOMER, relationship_manager=BRM)
		cls.issue = (
			frappe.get_doc(
				{"doctype": "Issue", "subject": "_Test BRM staff role issue", "customer": CUSTOMER}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def pick(self, doctype: str, txt: str, **kwargs) -> list[str]:
		"""What the link field's drop-down offers (frappe.desk.search.search_link, as the form)."""
		return [row["value"] for row in search_link(doctype, txt, **kwargs)]


class TestStaffPicksLinks(StaffRoleTestCase):
	def test_both_roles_pick_customer_contact_service_issue_owner(self):
		for user in (BRM, STAFF):
			with self.subTest(user=user):
				frappe.set_user(user)
				self.assertIn(CUSTOMER, self.pick("Customer", "Staff Role", reference_doctype="Complaint"))
				contacts = self.pick(
					"Contact",
					"",
					query="frappe.contacts.doctype.contact.contact.contact_query",
					filters={"link_doctype": "Customer", "link_name": CUSTOMER},
					reference_doctype="Complaint",
				)
				self.assertIn(self.contact, contacts)
				self.assertIn(
					self.service, self.pick("Item", "Staff Role Service", reference_doctype="Complaint")
				)
				self.assertIn(self.issue, self.pick("Issue", self.issue, reference_doctype="Complaint"))
				self.assertIn(BRM, self.pick("User", "only.brm", reference_doctype="Complaint"))
				self.assertIn("Service Quality", self.pick("Complaint Category", "Service Quality"))

	def test_compliment_recipients_can_be_picked(self):
		for user in (BRM, STAFF):
			with self.subTest(user=user):
				frappe.set_user(user)
				self.assertTrue(frappe.has_permission("Employee", "select"))
				self.assertTrue(frappe.has_permission("Department", "select"))
				read = frappe.permissions.get_role_permissions(frappe.get_meta("Employee"), user)
				self.assertFalse(read.get("read"), "picked, not read")

	def test_both_roles_record_a_complaint_with_every_link(self):
		for user in (BRM, STAFF):
			with self.subTest(user=user):
				frappe.set_user(user)
				doc = frappe.get_doc(
					{
						"doctype": "Complaint",
						"customer": CUSTOMER,
						"contact": self.contact,
						"service": self.service,
						"issue": self.issue,
						"subject": "Recorded by a staff role",
					}
				).insert()
				self.assertEqual(doc.customer_name, CUSTOMER)
				self.assertEqual(doc.complaint_owner, BRM)  # the portfolio's relationship manager

	def test_reads_what_the_job_needs_and_no_more(self):
		frappe.set_user(STAFF)
		for doctype in (
			"Customer",
			"Contact",
			"Issue",
			"Opportunity",
			"Service Level Agreement",
			"Item",
			"Support Settings",  # the Issue form reads it on opening
		):
			self.assertTrue(frappe.has_permission(doctype, "read"), doctype)
		self.assertFalse(frappe.has_permission("Support Settings", "write"))
		self.assertFalse(frappe.has_permission("Customer", "write"))
		self.assertFalse(frappe.has_permission("Contact", "write"))
		self.assertFalse(frappe.has_permission("Opportunity", "create"))
		frappe.set_user(BRM)
		self.assertTrue(frappe.has_permission("Opportunity", "create"))
		self.assertTrue(frappe.has_permission("Contact", "write"))
		self.assertFalse(frappe.has_permission("Customer", "write"))
		self.assertFalse(frappe.has_permission("Issue", "write"))


class TestStaffWorkflow(StaffRoleTestCase):
	def new_complaint(self):
		return frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": CUSTOMER,
				"contact": self.contact,
				"subject": "Workflow by role",
			}
		).insert()

	def test_brm_user_works_a_complaint_to_the_customer_accepting(self):
		frappe.set_user(STAFF)
		doc = self.new_complaint()
		doc = apply_workflow(doc, "Acknowledge")
		doc = apply_workflow(doc, "Start Investigation")
		doc.reload()
		doc.proposed_resolution = "Credit note and a named contact for outages."
		doc.save()
		doc = apply_workflow(doc, "Propose Resolution")
		self.assertEqual(doc.status, "Resolution Proposed")
		doc = apply_workflow(doc, "Accept Resolution")
		self.assertEqual(doc.status, "Closed")

	def test_brm_user_may_not_reject_or_close_formally(self):
		frappe.set_user(STAFF)
		doc = self.new_complaint()
		doc.rejection_reason = "A request for information."
		doc.save()
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(doc, "Reject as Not a Complaint")
		frappe.set_user(BRM)
		doc = apply_workflow(frappe.get_doc("Complaint", doc.name), "Reject as Not a Complaint")
		self.assertEqual(doc.status, "Rejected")

	def test_brm_closes_formally_with_a_reason(self):
		frappe.set_user(BRM)
		doc = apply_workflow(self.new_complaint(), "Start Investigation")
		doc.reload()
		doc.closing_reason = "The customer no longer answers; actions completed."
		doc.outcome = "Partly Upheld"
		doc.save()
		doc = apply_workflow(doc, "Close Formally")
		self.assertEqual(doc.status, "Closed")


class TestStaffWorkspaceAndReports(StaffRoleTestCase):
	def test_every_card_and_chart_shows_and_computes(self):
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		cards = {row.number_card_name for row in workspace.number_cards}
		charts = {row.chart_name for row in workspace.charts}
		self.assertEqual(len(cards), 7)
		self.assertEqual(len(charts), 2)
		for user in (BRM, STAFF):
			with self.subTest(user=user):
				frappe.set_user(user)
				page = get_desktop_page(frappe.as_json({"name": WORKSPACE, "title": WORKSPACE}))
				self.assertEqual({c.number_card_name for c in page["number_cards"]["items"]}, cards)
				self.assertEqual({c.chart_name for c in page["charts"]["items"]}, charts)
				for name in cards:
					card = frappe.get_doc("Number Card", name)
					if card.type == "Custom":
						value = frappe.get_attr(card.method)()
					else:
						value = get_result(card.as_json(), card.filters_json)
					self.assertIsNotNone(value, name)
				for name in charts:
					self.assertIn("labels", chart_data(name), name)

	def test_every_report_runs_with_every_grouping(self):
		for user in (BRM, STAFF):
			for report, groupings in REPORT_GROUPINGS.items():
				for group_by in groupings:
					with self.subTest(user=user, report=report, group_by=group_by):
						frappe.set_user(user)
						filters = {"from_date": "2026-01-01", "to_date": "2026-12-31"}
						if group_by:
							filters["group_by"] = group_by
						result = run_report(report, filters=filters, ignore_prepared_report=True)
						self.assertIn("result", result)


class TestStaffRecords(StaffRoleTestCase):
	OPEN_TO_BOTH = (
		"Customer Portfolio",
		"Complaint",
		"Compliment",
		"Satisfaction Survey",
		"Survey Invitation",
		"Survey Template",
		"Service Performance Review",
		"Customer Requirement",
		"Complaint Category",
		"BRM Settings",
	)

	def test_both_roles_open_every_brm_record_type(self):
		for user in (BRM, STAFF):
			frappe.set_user(user)
			for doctype in self.OPEN_TO_BOTH:
				self.assertTrue(frappe.has_permission(doctype, "read"), (user, doctype))

	def test_brm_user_is_refused_what_only_the_brm_changes(self):
		frappe.set_user(STAFF)
		for doctype in ("BRM Settings", "Customer Portfolio", "Complaint Category", "Survey Template"):
			self.assertFalse(frappe.has_permission(doctype, "write"), doctype)
		settings = frappe.get_doc("BRM Settings")
		settings.minimum_csat = 10
		with self.assertRaises(frappe.PermissionError):
			settings.save()
		portfolio = frappe.get_doc("Customer Portfolio", CUSTOMER)
		portfolio.tier = portfolio.tier
		with self.assertRaises(frappe.PermissionError):
			portfolio.save()

	def test_brm_changes_portfolio_and_settings(self):
		frappe.set_user(BRM)
		for doctype in ("BRM Settings", "Customer Portfolio", "Complaint Category", "Survey Template"):
			self.assertTrue(frappe.has_permission(doctype, "write"), doctype)
		self.assertIn("Business Relationship Manager", self.pick("Role", "Business Relationship"))


class TestInstalledPermissions(StaffRoleTestCase):
	def test_install_is_idempotent_and_keeps_standard_rules(self):
		self.assertEqual(install_staff_permissions(), [])
		for doctype, grants in STAFF_PERMISSIONS.items():
			standard = frappe.get_all("DocPerm", filters={"parent": doctype}, pluck="role")
			custom = frappe.get_all("Custom DocPerm", filters={"parent": doctype}, pluck="role")
			self.assertTrue(set(standard) <= set(custom), doctype)
			self.assertTrue(set(grants) <= set(custom), doctype)

	def test_uninstall_restores_standard_rules(self):
		from brm_app.setup.role_permissions import remove_staff_permissions

		remove_staff_permissions()
		for doctype in STAFF_PERMISSIONS:
			self.assertFalse(
				frappe.db.exists(
					"Custom DocPerm", {"parent": doctype, "role": ("in", [BRM_ROLE, BRM_USER_ROLE])}
				)
			)
		self.assertFalse(frappe.db.exists("Custom DocPerm", {"parent": "Customer"}))
		install_staff_permissions()
		self.assertTrue(frappe.db.exists("Custom DocPerm", {"parent": "Customer", "role": BRM_ROLE}))
