# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe

from brm_app.brm_app.doctype.brm_settings.brm_settings import get_complaint_target, get_escalation_chain
from brm_app.tests.utils import BRM_USER_ROLE, BRMTestCase, make_user

STAFF = "brm.settings.staff@example.com"


class TestBRMSettings(BRMTestCase):
	def settings(self):
		return frappe.get_doc("BRM Settings")

	def test_install_defaults_are_present(self):
		settings = self.settings()
		self.assertEqual(
			{row.severity for row in settings.complaint_targets}, {"Low", "Medium", "High", "Critical"}
		)
		self.assertTrue(settings.escalation_chain)
		self.assertTrue(settings.complaint_definition)
		self.assertTrue(frappe.db.exists("Email Template", settings.complaint_feedback_template))

	def test_chain_without_recipient_is_refused(self):
		settings = self.settings()
		settings.append("escalation_chain", {"level": 9, "escalate_after_hours": 500})
		with self.assertRaises(frappe.ValidationError) as ctx:
			settings.save()
		self.assertIn("needs a role or a user", str(ctx.exception))

	def test_chain_levels_must_not_come_sooner(self):
		settings = self.settings()
		settings.escalation_chain = []
		settings.append(
			"escalation_chain", {"level": 1, "escalate_after_hours": 10, "escalate_to_role": "System Manager"}
		)
		settings.append(
			"escalation_chain", {"level": 2, "escalate_after_hours": 5, "escalate_to_role": "System Manager"}
		)
		with self.assertRaises(frappe.ValidationError):
			settings.save()
		frappe.clear_document_cache("BRM Settings", "BRM Settings")
		self.assertGreaterEqual(len(get_escalation_chain()), 1, "the saved chain is untouched")

	def test_duplicate_severity_refused(self):
		settings = self.settings()
		settings.append(
			"complaint_targets", {"severity": "High", "acknowledge_within_hours": 1, "resolve_within_days": 1}
		)
		with self.assertRaises(frappe.ValidationError):
			settings.save()

	def test_targets_read_by_severity(self):
		settings = self.settings()
		for row in settings.complaint_targets:
			if row.severity == "Critical":
				row.acknowledge_within_hours, row.resolve_within_days = 1, 0.5
		settings.save()
		self.assertEqual(get_complaint_target("Critical"), (1, 0.5))
		self.assertEqual(get_complaint_target("Unknown"), (None, None))

	def test_brm_user_can_read_but_not_change_settings(self):
		make_user(STAFF, [BRM_USER_ROLE])
		frappe.set_user(STAFF)
		self.assertTrue(frappe.has_permission("BRM Settings", "read"))
		settings = frappe.get_doc("BRM Settings")
		settings.complaint_definition = "Anything goes"
		with self.assertRaises(frappe.PermissionError):
			settings.save()
