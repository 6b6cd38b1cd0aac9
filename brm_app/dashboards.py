"""Connections that brm_app adds to ERPNext's own forms."""

from frappe import _


def customer_dashboard(data: dict) -> dict:
	"""The Customer form shows its portfolio, complaints and compliments."""
	data.setdefault("transactions", []).append(
		{"label": _("Relationship"), "items": ["Customer Portfolio", "Complaint", "Compliment"]}
	)
	return data
