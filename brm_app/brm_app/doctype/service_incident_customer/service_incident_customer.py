# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ServiceIncidentCustomer(Document):
	# begin: auto-generated types
	# end: auto-generated types
	pass


def on_doctype_update():
	"""Which incidents affect a customer (the survey quiet period, the portal banner). On the
	child table's own update: on a new site it is made after its parent."""
	frappe.db.add_index("Service Incident Customer", ["customer", "parent"])
