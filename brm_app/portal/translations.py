"""The customer portal and the customer e-mails in the customer's language (docs/portal.md).

Frappe 15 reads an app's translations at run time from ``<app>/translations/<lang>.csv``
(``frappe.translate.get_translations_from_csv``, no build step; compiled gettext catalogues
are read too, but only after ``bench build`` has compiled them into ``sites/assets/locale``).
brm_app ships ``brm_app/translations/de.csv``. ``frappe._`` and Jinja's ``_()`` translate into
``frappe.local.lang``: the logged-in user's User.language, for a guest the ``preferred_language``
cookie or the browser's Accept-Language, else the site's language.

Two gaps of Frappe's website pages are closed here:

- their JavaScript ``__()`` finds no translations (a portal page loads none), so the portal
  frame (``templates/portal/page.html``) hands the page the translations of the ``__()``
  strings in the portal's scripts (``js_messages``);
- an e-mail is rendered in the language of whoever triggers it, so senders wrap the rendering
  in ``in_language(recipient_language(...))``.
"""

import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import frappe

APP_DIR = Path(__file__).resolve().parents[1]

#: The portal's scripts: the shared one and the pages' inline ones.
JS_SOURCES = ("templates/portal/*.js", "www/**/*.html", "www/**/*.js")
JS_CALL = re.compile(r"""\b__\(\s*(["'])((?:(?!\1)[^\\]|\\.)+)\1""")


@lru_cache
def js_source_messages() -> tuple[str, ...]:
	"""The strings the portal's scripts pass to ``__()``."""
	found = set()
	for pattern in JS_SOURCES:
		for path in APP_DIR.glob(pattern):
			found.update(m.group(2) for m in JS_CALL.finditer(path.read_text(encoding="utf-8")))
	return tuple(sorted(found))


def js_messages() -> dict[str, str]:
	"""Translations of the portal scripts' ``__()`` strings into the current language, for
	``frappe._messages`` (empty in English)."""
	return {m: t for m in js_source_messages() if (t := frappe._(m)) != m}


def recipient_language(email: str | None = None, customer: str | None = None) -> str:
	"""The language to write to someone in: their user's language, else their customer's
	(Customer.language, ERPNext's print language), else the site's."""
	lang = None
	if email:
		lang = frappe.db.get_value("User", {"name": email}, "language") or frappe.db.get_value(
			"User", {"email": email}, "language"
		)
	if not lang and customer and frappe.get_meta("Customer").has_field("language"):
		lang = frappe.db.get_value("Customer", customer, "language")
	return lang or frappe.db.get_default("lang") or "en"


@contextmanager
def in_language(lang: str | None):
	"""Translate into ``lang`` inside the block (``frappe._`` and Jinja's ``_()`` read
	``frappe.local.lang``), then back."""
	previous = getattr(frappe.local, "lang", None)
	frappe.local.lang = lang or previous or "en"
	try:
		yield
	finally:
		frappe.local.lang = previous
