from brm_app.brm_app.doctype.complaint.escalation import mark_overdue_complaints


def execute():
	"""Complaints stored before "overdue" was a field: flag those past a target now, rather
	than at the next hourly sweep."""
	mark_overdue_complaints()
