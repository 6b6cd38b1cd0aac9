# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A portfolio's health calls for someone to act (docs/health.md): raised by the daily health
job under a rule of BRM Settings, assigned to the relationship manager, closed by a recorded
action (a review planned, a call logged, a requirement raised, or no action — and why)."""

import frappe
from frappe import _
from frappe.model.document import Document

from brm_app.utils import now

RAISED_FIELDS = ("portfolio", "relationship_manager", "kind", "raised_on", "due_on", "score", "reasons")


class HealthAlert(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		before = self.get_doc_before_save()
		if before:
			# what raised the alert is a record: only the action and its note change
			for field in RAISED_FIELDS:
				if str(self.get(field) or "") != str(before.get(field) or ""):
					frappe.throw(
						_("{0} of a health alert cannot be changed.").format(_(self.meta.get_label(field))),
						frappe.PermissionError,
					)
		self.status = before.status if before else "Open"
		if self.action:
			if self.action == "No Action" and not (self.action_note or "").strip():
				frappe.throw(_("Say why no action is needed."), frappe.MandatoryError)
			self.status = "Closed"
			self.closed_on = (before.closed_on if before and before.closed_on else None) or now()
		else:
			self.closed_on = None
			self.status = "Open"

	def on_update(self):
		if self.status == "Closed":  # the relationship manager's ToDo is done
			from frappe.desk.form.assign_to import close_all_assignments

			close_all_assignments(self.doctype, self.name, ignore_permissions=True)


def on_doctype_update():
	frappe.db.add_index("Health Alert", ["portfolio", "status"])
