"""brm_app's DocTypes and reports, read from the app's files, and whether a request names
one (no database, no frappe import): a DocType added later is covered by the boundary the
moment its folder exists."""

import json
from functools import lru_cache
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "brm_app"

#: DocType → the field naming the record it belongs to.
SATELLITES = {
	"Communication": "reference_doctype",
	"Comment": "reference_doctype",
	"File": "attached_to_doctype",
	"ToDo": "reference_type",
	"Tag Link": "document_type",
	"Version": "ref_doctype",
	"DocShare": "share_doctype",
	"Document Follow": "ref_doctype",
	"View Log": "reference_doctype",
	"Activity Log": "reference_doctype",
}


def _names_in(folder: str, kind: str, **match) -> frozenset[str]:
	names = set()
	for path in (APP / folder).glob("*/*.json"):
		if path.stem != path.parent.name:
			continue
		data = json.loads(path.read_text())
		if data.get("doctype") == kind and all(bool(data.get(k)) == v for k, v in match.items()):
			names.add(data["name"])
	return frozenset(names)


@lru_cache(maxsize=1)
def brm_doctypes() -> frozenset[str]:
	"""Every DocType of brm_app, child tables included."""
	return _names_in("doctype", "DocType")


@lru_cache(maxsize=1)
def brm_child_doctypes() -> frozenset[str]:
	return _names_in("doctype", "DocType", istable=True)


@lru_cache(maxsize=1)
def brm_reports() -> frozenset[str]:
	return _names_in("report", "Report")


#: How deep the arguments are searched (JSON inside JSON inside a list ...); deeper is refused.
MAX_DEPTH = 12
#: JSON text longer than this is searched for quoted names instead of parsed.
MAX_JSON_CHARS = 1_000_000


@lru_cache(maxsize=1)
def brm_dashboards() -> frozenset[str]:
	"""brm_app's dashboard charts and number cards (run by name by Frappe's dashboard methods)."""
	return _names_in("dashboard_chart", "Dashboard Chart") | _names_in("number_card", "Number Card")


@lru_cache(maxsize=1)
def _lowered() -> tuple[frozenset[str], tuple[str, ...]]:
	names = brm_doctypes()
	named = names | brm_reports() | brm_dashboards()
	return frozenset(n.lower() for n in named), tuple(f"tab{n}".lower() for n in names)


#: Arguments of Frappe's and ERPNext's methods that carry a DocType, report or chart name
#: (besides any argument whose name contains "doctype").
DOCTYPE_KEYS = frozenset(
	{
		"dt",
		"doc",
		"parent",
		"parenttype",
		"ref_dt",
		"from_dt",
		"to_dt",
		"report",
		"report_name",
		"reference_type",
		"document_type",
		"chart_name",
		"card_name",
	}
)


def names_doctype(key: str) -> bool:
	"""An argument that carries a DocType or report name (``doctype``, ``dt``, ``parent``,
	``reference_doctype``, ``document_type``, ``report_name``, ...), not a free text."""
	key = (key or "").lower()
	return "doctype" in key or key in DOCTYPE_KEYS


def names_brm_doctype(value, depth: int = 0, structured: bool = True) -> str | None:
	"""The brm_app DocType (or report) a value names, else None: itself where it stands for a
	DocType (an argument such as ``doctype`` or ``reference_doctype``, a list element, a path
	segment), inside a list, dict or JSON text, or as ```tab<DocType>``` anywhere (a field or
	filter naming a child table). A free text that merely says "Complaint" names nothing."""
	if value is None:
		return None
	if depth > MAX_DEPTH:
		return "(arguments nested too deep to check)"  # fail closed
	if isinstance(value, dict):
		for key, item in value.items():
			# a key may itself be a DocType ({"Complaint": ["CMP-1"]} to download_multi_pdf)
			found = names_brm_doctype(key, depth + 1, True) or names_brm_doctype(
				item, depth + 1, names_doctype(str(key))
			)
			if found:
				return found
		return None
	if isinstance(value, list | tuple | set):
		for item in value:
			found = names_brm_doctype(item, depth + 1, True)
			if found:
				return found
		return None
	if not isinstance(value, str):
		return None
	exact, tables = _lowered()
	text = value.strip().lower()
	if structured and text in exact:
		return value.strip()
	if text.startswith("brm_app."):  # a method of ours passed by name (make_mapped_doc, ...)
		return value.strip()
	if "tab" in text:
		squeezed = text.replace("`", "").replace('"', "")
		for table in tables:
			if table in squeezed:
				return table[3:]
	if text[:1] in "[{":
		quoted = next((n for n in exact if f'"{n}"' in text), None)
		if len(text) > MAX_JSON_CHARS:
			return quoted  # too long to parse here: any quoted name counts
		try:
			parsed = json.loads(value)
		except ValueError:
			return quoted  # not JSON after all: a quoted name still counts
		return names_brm_doctype(parsed, depth + 1, True)
	return None


def private_file_urls(path: str, form_dict: dict, query: dict | None = None) -> list[str]:
	"""Private file URLs a request asks for: its path, and any argument that is one
	(``file_url`` of download_file, the ``files`` of zip_files, ...)."""
	urls = [path] if path.startswith("/private/files/") else []

	def collect(value, depth=0):
		if depth > MAX_DEPTH:
			return
		if isinstance(value, dict):
			for item in value.values():
				collect(item, depth + 1)
		elif isinstance(value, list | tuple):
			for item in value:
				collect(item, depth + 1)
		elif isinstance(value, str):
			text = value.strip()
			if "/private/files/" in text:
				if text[:1] in "[{":
					try:
						collect(json.loads(text), depth + 1)
						return
					except ValueError:
						pass
				urls.append(text[text.index("/private/files/") :].split("?")[0])

	collect(dict(form_dict))
	collect(dict(query or {}))
	return urls


def called_method(path: str, form_dict: dict) -> str | None:
	"""The whitelisted method a request calls (``/api/method/x``, ``/api/v2/method/x``, the
	legacy ``cmd`` argument), else None."""
	if form_dict.get("cmd"):
		return str(form_dict.get("cmd"))
	for prefix in ("/api/method/", "/api/v1/method/", "/api/v2/method/"):
		if path.startswith(prefix):
			return path[len(prefix) :].split("/")[0] or None
	return None
