"""brm_app's DocTypes and reports, read from the app's files (no database, no frappe import):
a DocType added later is covered by the boundary the moment its folder exists."""

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
