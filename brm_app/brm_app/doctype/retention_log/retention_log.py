# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Retention Log: one row per record anonymised or deleted at the end of its retention period, written by the run that did it. Nobody creates, changes or deletes these by hand."""

from frappe.model.document import Document


class RetentionLog(Document):
	pass
