from brm_app.brm_app.doctype.complaint.similar import add_fulltext_index


def execute():
	"""FULLTEXT (subject, description) on Complaint, for similar-complaint suggestions."""
	add_fulltext_index()
