# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A portfolio's health calls for someone to act (docs/health.md): raised by the daily health
job under a rule of BRM Settings, assigned to the relationship manager, closed by a recorded
action (a review planned, a call logged, a requirement raised, or no action — and why)."""

import frappe
from frappe import _
from frappe.model.document import Document

from brm_app.utils import now


class HealthAlert(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		before = self.get_doc_before_save()
		self.status = before.status if before else "Open"
		if self.action:
			if self.action == "No Action" and not (self.action_note or "").strip():
				frappe.throw(_("Say why no action is needed."), frappe.MandatoryError)
			self.status = "Closed"
			self.closed_on = (before.closed_on if before and before.closed_on else None) or now()
		else:
			self.closed_on = None
			self.status = "Open"


def on_doctype_update():
	frappe.db.add_index("Health Alert", ["portfolio", "status"])
