from frappe import _


def get_data():
	# The portfolio is named after its Customer, so records link to it through their customer field.
	return {
		"fieldname": "customer",
		"non_standard_fieldnames": {"Health Alert": "portfolio"},
		"transactions": [
			{"label": _("Feedback"), "items": ["Complaint", "Compliment", "Survey Invitation"]},
			{
				"label": _("Reviews and Requirements"),
				"items": ["Service Performance Review", "Customer Requirement", "Request for Change"],
			},
			{"label": _("Support"), "items": ["Issue"]},
			{"label": _("Health"), "items": ["Health Alert"]},
		],
	}
