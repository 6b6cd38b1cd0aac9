import frappe


def execute():
	"""The BRM workspace became the Business Relationship workspace."""
	frappe.delete_doc("Workspace", "BRM", ignore_missing=True, force=True)
