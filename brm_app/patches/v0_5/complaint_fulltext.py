from brm_app.similar import add_fulltext_index


def execute():
	"""FULLTEXT (subject, description) on Complaint, for similar-complaint suggestions."""
	add_fulltext_index()
