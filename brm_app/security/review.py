"""Every whitelisted method a website user could call, for review (docs/security.md).

``whitelisted_methods`` imports the Python modules of the installed apps (Frappe fills its
whitelist as modules are imported) and lists the module-level whitelisted functions — the
ones ``/api/method/<path>`` reaches. Document methods are reached only through
``run_doc_method``, which names its DocType (and is refused on brm_app's by the gate).

``reviewed_methods.txt`` beside this file holds the list as it was reviewed, one method a
line with how it is held: ``portal`` (a brm_app page uses it; scoped by the user's
customers), ``refused`` (a brm_app method website users are refused), ``desk-only`` (reads
across DocTypes without naming one: refused to website users, ``gate.DESK_ONLY_METHODS``),
``gated`` (Frappe's, ERPNext's, Helpdesk's: refused by the gate whenever any argument names a
brm_app DocType or report; what hangs off our records without naming them is fenced by
``brm_app.security.satellites``). A test fails when a method appears that is not there, so a
new door is looked at before it ships.
"""

import importlib
import pkgutil
from pathlib import Path

import frappe

from brm_app.security.gate import DESK_ONLY_METHODS, PORTAL_METHODS

REVIEWED = Path(__file__).with_name("reviewed_methods.txt")
SKIP = (".tests.", ".test_", ".patches.", ".commands", ".setup.install", "._vendor.", ".battery.")


def _skipped(module: str) -> bool:
	"""Tests, patches and the like: never imported by a running site."""
	return any(part in f"{module}." for part in SKIP) or module.split(".")[-1].startswith("test_")


def _import_all(app: str) -> None:
	package = importlib.import_module(app)
	for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
		name = info.name
		if _skipped(name):
			continue
		try:
			importlib.import_module(name)
		except Exception:
			continue


def whitelisted_methods(apps: list[str] | None = None) -> list[str]:
	"""Module-level whitelisted functions of the given (else all installed) apps."""
	apps = apps or frappe.get_installed_apps()
	for app in apps:
		_import_all(app)
	names = set()
	for fn in frappe.whitelisted:
		module = getattr(fn, "__module__", "") or ""
		qualname = getattr(fn, "__qualname__", "") or ""
		if "." in qualname or module.split(".")[0] not in apps or _skipped(module):
			continue
		names.add(f"{module}.{fn.__name__}")
	return sorted(names)


def category(method: str) -> str:
	if method in PORTAL_METHODS:
		return "portal"
	if method.startswith("brm_app."):
		return "refused"
	if method in DESK_ONLY_METHODS:
		return "desk-only"
	return "gated"


def reviewed() -> dict[str, str]:
	rows = {}
	for line in REVIEWED.read_text().splitlines():
		if line.strip() and not line.startswith("#"):
			method, kind = line.split()
			rows[method] = kind
	return rows


def write_reviewed() -> None:
	"""Write the list as it stands (``bench --site <site> execute
	brm_app.security.review.write_reviewed``): run after reviewing what the test reports."""
	methods = whitelisted_methods()
	lines = [
		"# Whitelisted methods reviewed for website users (brm_app/security/review.py).",
		f"# {len(methods)} methods; apps: {', '.join(frappe.get_installed_apps())}.",
	]
	lines += [f"{m} {category(m)}" for m in methods]
	REVIEWED.write_text("\n".join(lines) + "\n")
