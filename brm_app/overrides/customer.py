"""brm_app on ERPNext's Customer form."""

from frappe import _


def dashboard(data: dict) -> dict:
	"""The Customer form shows its portfolio, complaints and compliments."""
	data.setdefault("transactions", []).append(
		{"label": _("Relationship"), "items": ["Customer Portfolio", "Complaint", "Compliment"]}
	)
	return data
