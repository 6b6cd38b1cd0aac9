# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""One retention rule of BRM Settings: how long a record type is kept after its end, and what happens then."""

from frappe.model.document import Document


class BRMRetentionRule(Document):
	pass
