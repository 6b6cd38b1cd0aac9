"""Checks the framework version in use does not make for us."""

import frappe
from frappe import _


def validate_links_with_fetches(doc) -> None:
	"""Refuse Link values that point at nothing, for Link fields that have fetch-from fields.

	Frappe 15.72 skips its own link check for such fields when the target is missing
	(``BaseDocument.get_invalid_links`` gets None back and never reports it; fixed upstream
	later). Without this, a complaint for a customer that does not exist would be saved.
	"""
	for record in [doc, *doc.get_all_children()]:
		meta = record.meta
		for df in meta.get_link_fields():
			value = record.get(df.fieldname)
			if not value or not meta.get_fields_to_fetch(df.fieldname):
				continue
			if not frappe.db.exists(df.options, value):
				label = _(df.label, context=df.parent)
				prefix = _("Row {0}: ").format(record.idx) if record.get("parentfield") else ""
				frappe.throw(
					prefix + _("{0} {1} does not exist.").format(label, frappe.bold(value)),
					frappe.LinkValidationError,
					title=_("Not Found"),
				)


DATE_TYPES = ("Date", "Datetime", "Time")


def validate_dates(doc, method=None) -> None:
	"""doc_event (before_validate) of brm_app's DocTypes: a date, date-time or time that is not
	one ("not-a-date", 30 February, a number) is refused with a message naming the field,
	through the desk, REST or any other API, before any rule reads it (otherwise the first rule
	to parse it answers with a traceback)."""
	from frappe.utils import get_datetime, get_time, getdate

	parse = {"Date": getdate, "Datetime": get_datetime, "Time": get_time}
	for record in [doc, *doc.get_all_children()]:
		for df in record.meta.fields:
			if df.fieldtype not in DATE_TYPES:
				continue
			value = record.get(df.fieldname)
			if value in (None, ""):
				continue
			try:
				if isinstance(value, bool | int | float | list | dict):
					raise ValueError
				parse[df.fieldtype](value)
			except Exception:
				label = _(df.label, context=df.parent)
				prefix = _("Row {0}: ").format(record.idx) if record.get("parentfield") else ""
				frappe.throw(
					prefix
					+ _("{0}: {1} is not a valid {2}.").format(
						label, frappe.bold(frappe.utils.escape_html(str(value)[:40])), _(df.fieldtype).lower()
					),
					title=_("Check the Date"),
				)


#: Rows a person may put into one table of a record (tables the process fills are not limited).
MAX_ROWS = 1000


def validate_input(doc, method=None) -> None:
	"""doc_event (before_validate) of brm_app's DocTypes: dates that are dates, and no table a
	person fills longer than ``MAX_ROWS`` rows (a 10,000-row request is refused at once with a
	message instead of being checked row by row)."""
	for df in doc.meta.get_table_fields():
		if df.read_only:
			continue
		rows = doc.get(df.fieldname) or []
		if len(rows) > MAX_ROWS:
			frappe.throw(
				_("{0}: at most {1} rows, not {2}.").format(
					_(df.label, context=df.parent), f"{MAX_ROWS:,}", f"{len(rows):,}"
				),
				title=_("Too Many Rows"),
			)
	validate_dates(doc, method)
