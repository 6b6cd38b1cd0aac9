"""Connections that brm_app adds to ERPNext's own forms."""

from frappe import _


def customer_dashboard(data: dict) -> dict:
	"""The Customer form shows its portfolio, complaints and compliments."""
	data.setdefault("transactions", []).append(
		{"label": _("Relationship"), "items": ["Customer Portfolio", "Complaint", "Compliment"]}
	)
	return data


def issue_dashboard(data: dict) -> dict:
	"""The Issue form shows the complaints that refer to it."""
	data.setdefault("non_standard_fieldnames", {})["Complaint"] = "issue"
	data.setdefault("transactions", []).append({"label": _("Relationship"), "items": ["Complaint"]})
	return data
