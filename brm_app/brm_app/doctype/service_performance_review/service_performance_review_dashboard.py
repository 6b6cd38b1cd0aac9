from frappe import _


def get_data():
	return {
		"fieldname": "source_review",
		"transactions": [{"label": _("Identified in This Review"), "items": ["Customer Requirement"]}],
	}
