"""No stored script: text that parses as JSON is sanitised too.

Frappe sanitises HTML in every text field on save (``BaseDocument._sanitize_content``) but
returns any string that parses as JSON untouched (``sanitize_html``: ``if is_json(html):
return html``), so ``'["<img src=x onerror=alert(1)>"]'`` is stored with the script intact
and later shown by the desk, a print format, a report or an e-mail. This hook closes that gap
for brm_app's records and for e-mails and comments on them, with the same exceptions Frappe
makes (code, e-mail address and attachment fields, "Ignore XSS Filter").
"""

from frappe.utils.html_utils import is_json, sanitize_html

from brm_app.security.doctypes import brm_doctypes

TEXT_TYPES = ("Data", "Small Text", "Text", "Long Text", "Text Editor", "Read Only", "Markdown Editor")


def clean(value: str) -> str:
	"""``value`` with markup sanitised, whether or not it parses as JSON."""
	return sanitize_html(value, always_sanitize=True)


def needs_cleaning(value) -> bool:
	return isinstance(value, str) and ("<" in value or ">" in value) and is_json(value)


def sanitise_record(doc, method=None) -> None:
	"""before_validate hook of brm_app's DocTypes: every JSON-looking text with markup in the
	record and its rows is sanitised (the rest Frappe sanitises itself)."""
	for record in [doc, *doc.get_all_children()]:
		for df in record.meta.fields:
			if df.fieldtype not in TEXT_TYPES or df.get("ignore_xss_filter") or df.get("options") == "Email":
				continue
			if record.docstatus and not df.get("allow_on_submit"):
				continue
			value = record.get(df.fieldname)
			if needs_cleaning(value):
				record.set(df.fieldname, clean(value))


def sanitise_timeline_entry(doc, method=None) -> None:
	"""before_validate hook of Communication and Comment: an e-mail or comment on a brm_app
	record keeps no script, whatever its content looks like."""
	if doc.get("reference_doctype") not in brm_doctypes():
		return
	for fieldname in ("content", "subject"):
		if needs_cleaning(doc.get(fieldname)):
			doc.set(fieldname, clean(doc.get(fieldname)))
