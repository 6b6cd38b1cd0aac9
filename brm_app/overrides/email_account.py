"""Email Account: an IMAP inbox for complaints threads replies by subject too."""

COMPLAINT = "Complaint"


def validate(doc, method=None):
	"""Frappe threads an incoming e-mail onto a record by its In-Reply-To header, else by
	"(#<name>)" or subject and sender — the latter only through the account's own "Append To",
	which the form hides for IMAP (where each folder has one). When every appending folder of an
	IMAP account appends to Complaint, the account's "Append To" says so too: a customer's new
	e-mail quoting "(#CMP-…)" joins that complaint, and Frappe sends the complaints' e-mails
	from this account, so replies come back to it."""
	if not (doc.enable_incoming and doc.use_imap) or doc.append_to:
		return
	targets = {folder.append_to for folder in doc.imap_folder if folder.append_to}
	if targets == {COMPLAINT}:
		doc.append_to = COMPLAINT
