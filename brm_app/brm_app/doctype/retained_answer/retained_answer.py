# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""The scores of one answer of a deleted survey response (no question text, no comment)."""

from frappe.model.document import Document


class RetainedAnswer(Document):
	pass
