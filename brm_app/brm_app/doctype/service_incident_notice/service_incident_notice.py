# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ServiceIncidentNotice(Document):
	# begin: auto-generated types
	# end: auto-generated types
	pass


def on_doctype_update():
	# each contact gets each update of an incident once, whatever runs twice
	frappe.db.add_unique("Service Incident Notice", ["service_incident", "update_no", "email"])
