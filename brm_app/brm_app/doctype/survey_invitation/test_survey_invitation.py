# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Survey Invitation: made and changed only by its survey; one way to change its status."""

import frappe
from frappe.client import save

from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import SurveyTestCase
from brm_app.rules import survey as rules


class TestInvitationStatus(SurveyTestCase):
	def test_set_status_follows_the_rules_and_keeps_history(self):
		invitation = self.invite()
		self.assertEqual(invitation.status, rules.SENT)
		invitation.set_status(rules.REMINDED)
		self.assertEqual(frappe.db.get_value("Survey Invitation", invitation.name, "status"), rules.REMINDED)
		invitation.set_status(rules.EXPIRED)
		with self.assertRaises(frappe.ValidationError):
			invitation.set_status(rules.SENT)  # an expired invitation stays expired
		self.assertEqual(frappe.db.get_value("Survey Invitation", invitation.name, "status"), rules.EXPIRED)

	def test_cannot_be_made_or_changed_by_hand(self):
		invitation = self.invite()
		payload = invitation.as_dict()
		payload.update({"status": rules.RESPONDED, "csat": 100})
		with self.assertRaises(frappe.PermissionError):
			save(payload)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "Survey Invitation", "survey": invitation.survey, "customer": invitation.customer}
			).insert()
		self.assertEqual(frappe.db.get_value("Survey Invitation", invitation.name, "status"), rules.SENT)
