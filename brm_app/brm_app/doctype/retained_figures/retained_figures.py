# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Retained Figures: what the reports count of a record deleted at the end of its retention
period (dates, category, severity, status, times, scores), without its name or personal data.
The reports add these to the live records so that past figures do not change."""

from frappe.model.document import Document


class RetainedFigures(Document):
	pass
