# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class PortfolioHealthSnapshot(Document):
	# begin: auto-generated types
	# end: auto-generated types
	pass


def on_doctype_update():
	# one snapshot per portfolio and week; the history of one portfolio is read by this index
	frappe.db.add_unique("Portfolio Health Snapshot", ["portfolio", "week_ending"])
	frappe.db.add_index("Portfolio Health Snapshot", ["week_ending", "band"])
