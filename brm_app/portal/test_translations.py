# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""The customer portal and the customer e-mails in German (docs/portal.md, "Translations").

A website user whose language is German sees /complaints and /survey in German, and a
customer status e-mail renders in German; every string the portal and those e-mails show has
a German translation (so a new string without one fails here), and brm_app/translations/de.csv
holds nothing the app no longer uses.
"""

import json
import re
from pathlib import Path

import frappe
from frappe.gettext.extractors.utils import extract_messages_from_code
from frappe.translate import clear_cache as clear_translation_cache
from frappe.translate import (
	extract_messages_from_javascript_code,
	extract_messages_from_python_code,
	get_all_translations,
	get_translation_dict_from_file,
)

from brm_app.portal.test_portal import render
from brm_app.portal.translations import in_language, js_messages
from brm_app.tests.utils import BRMTestCase, make_complaint, make_customer, make_portal_user

APP_DIR = Path(__file__).resolve().parents[1]
DE_CSV = APP_DIR / "translations" / "de.csv"
LANG = "de"

#: What a customer reads: the portal's pages, scripts and code, and the survey page.
PORTAL_SOURCES = (
	"www/**/*.html",
	"www/**/*.py",
	"www/**/*.js",
	"templates/portal/*",
	"portal/*.py",
	"api/portal.py",
	"api/survey.py",
)
#: E-mails to customers (the staff's escalation notice is not one).
STAFF_NOTIFICATIONS = {"Complaint Escalated"}

CUSTOMER = "_Test Translation Customer"
USER = "kundin.de@translation.example.com"


# ----------------------------------------------------------------------------- strings


def messages_in_file(path: Path) -> set[str]:
	"""The strings a file passes to ``_()`` / ``__()``, found with Frappe's own extractors
	(those of ``bench get-untranslated``)."""
	code = path.read_text(encoding="utf-8")
	if path.suffix == ".py":
		found = extract_messages_from_python_code(code)
	else:
		found = extract_messages_from_code(code)
		if path.suffix == ".js":
			found += extract_messages_from_javascript_code(code)
	return {message for _line, message, _context in found}


def messages_in_fixture_templates(customer_only: bool = True) -> set[str]:
	"""The strings of the shipped Email Templates and Notifications (subject and body)."""
	found = set()
	for fixture, body in (("email_template", "response_html"), ("notification", "message")):
		for record in json.loads((APP_DIR / "fixtures" / f"{fixture}.json").read_text(encoding="utf-8")):
			if customer_only and record["name"] in STAFF_NOTIFICATIONS:
				continue
			for text in (record.get("subject"), record.get(body)):
				found.update(m[1] for m in extract_messages_from_code(text or ""))
	return found


def source_files(patterns) -> list[Path]:
	files = set()
	for pattern in patterns:
		files.update(
			p
			for p in APP_DIR.glob(pattern)
			if p.is_file() and p.suffix in (".py", ".html", ".js") and not p.name.startswith("test_")
		)
	return sorted(files)


def select_options(doctype: str, fieldname: str) -> set[str]:
	return {o for o in (frappe.get_meta(doctype).get_field(fieldname).options or "").split("\n") if o}


def dynamic_messages() -> set[str]:
	"""Values the portal and the e-mails translate as variables (``_(row.status)``): the
	customer's words for statuses, the options shown, the default complaint categories, the
	portal menu and the DocType names in "not found"."""
	from brm_app.rules import change as change_rules
	from brm_app.rules import portal as portal_rules
	from brm_app.setup.install import DEFAULT_CATEGORIES

	found = set(portal_rules.CUSTOMER_STATUS.values()) | set(change_rules.CUSTOMER_STATUS.values())
	for doctype, fields in {
		"Complaint": ("outcome",),
		"Customer Requirement": ("kind", "status", "importance", "decision"),
		"Service Performance Review": ("review_kind",),
		"Request for Change": ("urgency", "customer_confirmation"),
		"Request for Change CAB Sitting": ("decision",),
		"Complaint Corrective Action": ("status",),
		"Review Action Item": ("status",),
		"Review Attendee": ("side",),
		"Service Incident": ("status",),
	}.items():
		for fieldname in fields:
			found |= select_options(doctype, fieldname)
	found |= {name for name, _severity, _description in DEFAULT_CATEGORIES}
	found |= {item["title"] for item in frappe.get_hooks("standard_portal_menu_items", app_name="brm_app")}
	found |= {
		"Complaint",
		"Compliment",
		"Customer Requirement",
		"Service Performance Review",
		"Request for Change",
		"Service Incident",
	}
	return found


def portal_messages() -> set[str]:
	"""Every string a customer may read: portal, survey page, customer e-mails."""
	found = set()
	for path in source_files(PORTAL_SOURCES):
		found |= messages_in_file(path)
	return found | messages_in_fixture_templates() | dynamic_messages()


def app_messages() -> set[str]:
	"""Every string brm_app translates anywhere (code, templates, fixtures, variables)."""
	found = set()
	for path in source_files(("**/*",)):
		found |= messages_in_file(path)
	return found | messages_in_fixture_templates(customer_only=False) | dynamic_messages()


def shipped(lang: str = LANG) -> dict[str, str]:
	return get_translation_dict_from_file(str(APP_DIR / "translations" / f"{lang}.csv"), lang, "brm_app")


def shipped_record(fixture: str, name: str) -> dict:
	records = json.loads((APP_DIR / "fixtures" / f"{fixture}.json").read_text(encoding="utf-8"))
	return next(r for r in records if r["name"] == name)


#: What the e-mails are rendered with (the fields of Email Templates and of ``doc``).
SAMPLE = {
	"name": "X-0001",
	"title": "Titel",
	"subject": "Betreff",
	"customer_name": "Kunde GmbH",
	"contact_name": "Kim",
	"survey_title": "Umfrage",
	"link": "https://example.com/s",
	"expires_on": "31.12.2026",
	"url": "https://example.com/x",
	"question": "Frage",
	"conditions": "Bedingung",
	"planned_start": "01.01.2027",
	"planned_end": "02.01.2027",
	"services": "Service",
	"since": "01.01.2026",
	"summary": "Zusammenfassung",
	"update": "Stand",
	"next_update_by": "02.01.2026",
	"status": "Offen",
	"remedy_sought": "Abhilfe",
	"root_cause": "Ursache",
	"proposed_resolution": "Vorschlag",
	"corrective_actions": [frappe._dict(action="Maßnahme", status="Open")],
	"praised": [frappe._dict(praised_label="Team A", praised_name="A")],
	"doc": frappe._dict(
		name="X-0001",
		subject="Betreff",
		title="Titel",
		customer_name="Kunde GmbH",
		resolve_by="2026-01-02 10:00:00",
		proposed_resolution="Vorschlag",
		status="Decided",
		decision="Declined",
		decision_rationale="Grund",
		review_kind="Quarterly",
		period_start="2026-01-01",
		period_end="2026-03-31",
	),
}


def placeholders(text: str) -> list[str]:
	return sorted(re.findall(r"\{\{?\d*\}?\}", text))


# ----------------------------------------------------------------------------- tests


class TestTranslationFile(BRMTestCase):
	"""The file itself: complete for the portal, nothing stale, placeholders intact."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		clear_translation_cache()  # Frappe keeps the merged translations in Redis

	def test_every_portal_string_has_a_german_translation(self):
		german = get_all_translations(LANG)
		missing = sorted(m for m in portal_messages() if m not in german)
		self.assertEqual(missing, [], f"Portal strings without a German translation in {DE_CSV}")

	def test_no_stale_entries(self):
		used = app_messages()
		stale = sorted(source for source in shipped() if source not in used)
		self.assertEqual(stale, [], "de.csv translates strings brm_app no longer uses")

	def test_placeholders_kept(self):
		wrong = [
			(source, target)
			for source, target in shipped().items()
			if placeholders(source) != placeholders(target) or not target.strip()
		]
		self.assertEqual(wrong, [])

	def test_file_is_read_by_frappe(self):
		with in_language(LANG):
			self.assertEqual(frappe._("Lodge a Complaint"), "Beschwerde einreichen")
		self.assertEqual(frappe._("Lodge a Complaint", lang="en"), "Lodge a Complaint")


class TestGermanPortal(BRMTestCase):
	"""Pages and e-mails as a German-speaking customer gets them."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		clear_translation_cache()
		frappe.set_user("Administrator")
		make_customer(CUSTOMER)
		make_portal_user(USER, [CUSTOMER])
		frappe.db.set_value("User", USER, "language", LANG)
		make_complaint(CUSTOMER, subject="Drucker im Lager fällt aus")
		frappe.clear_cache(user=USER)

	def setUp(self):
		super().setUp()
		self.previous_lang = frappe.local.lang
		frappe.local.lang = LANG

	def tearDown(self):
		frappe.local.lang = self.previous_lang
		super().tearDown()

	def assert_shown(self, html: str, present: list[str], absent: list[str]):
		"""``present`` texts shown, ``absent`` ones not, in what the reader sees (scripts hold
		the English source strings their translations are looked up by)."""
		shown = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
		for text in present:
			self.assertTrue(text in shown, f"missing: {text!r}")
		for text in absent:
			self.assertFalse(text in shown, f"should not be shown: {text!r}")

	def assert_page(self, route: str, user: str, present: list[str], absent: list[str]) -> str:
		"""The page as ``user`` gets it (HTTP 200), showing ``present`` and none of ``absent``."""
		frappe.set_user(user)
		status, html = render(route)
		self.assertEqual(status, 200)
		self.assert_shown(html, present, absent)
		return html

	def test_complaints_page(self):
		html = self.assert_page(
			"complaints",
			USER,
			["Beschwerde einreichen", "Offen", "Betreff oder Referenz suchen", "Drucker im Lager fällt aus"],
			["Lodge a Complaint", "Search subject or reference", "Received ", "You have no open"],
		)
		# the page's script finds its strings in German too (Frappe's web pages load none)
		self.assertTrue("Zu viele Anfragen" in html)
		self.assertIn("Zu viele Anfragen", js_messages()["Too many requests. Please try again later."])

	def test_new_complaint_page(self):
		self.assert_page(
			"complaints/new",
			USER,
			["Was ist passiert?", "Beschwerde einreichen", "Anhänge"],
			["What happened?", "Lodge Complaint", "Not about one service", "Attachments"],
		)

	def test_survey_page(self):
		self.assert_page(
			"survey",
			USER,
			["Kundenzufriedenheitsumfrage", "Offene Umfragen", "Sie haben keine offenen Umfragen."],
			["Customer Satisfaction Survey", "Open surveys", "You have no open surveys."],
		)

	def test_survey_page_for_a_guest(self):
		self.assert_page(
			"survey",
			"Guest",
			["Bitte öffnen Sie den Link aus Ihrer Einladungs-E-Mail."],
			["Please open the link from your invitation e-mail."],
		)

	def test_status_emails(self):
		# the shipped records (the site may hold an administrator's edited copy)
		template = shipped_record("email_template", "Change Request Approved")
		context = {
			"name": "RFC-0001",
			"title": "Neue Schnittstelle",
			"customer_name": "Kunde GmbH",
			"conditions": "nur nachts",
			"url": "https://example.com/changes/RFC-0001",
		}
		subject = frappe.render_template(template["subject"], context)
		message = frappe.render_template(template["response_html"], context)
		self.assert_shown(
			subject + message,
			[
				"Ihr Änderungsantrag wurde genehmigt",
				"Guten Tag Kunde GmbH,",
				"Bedingungen",
				"„Neue Schnittstelle“",
			],
			["Your request for change", "Dear ", "Conditions", "Follow your request online"],
		)
		notification = shipped_record("notification", "Complaint Acknowledged")
		doc = frappe._dict(
			name="CMP-0001", subject="Drucker", customer_name="Kunde GmbH", resolve_by="2026-01-02 10:00:00"
		)
		subject = frappe.render_template(notification["subject"], {"doc": doc})
		message = frappe.render_template(notification["message"], {"doc": doc})
		self.assert_shown(
			subject + message,
			["Wir haben Ihre Beschwerde erhalten: Drucker (#CMP-0001)", "Ihr Service-Team"],
			["We have received", "Your service team", "Follow your complaint online"],
		)

	def test_every_customer_email_renders_without_english(self):
		"""No sentence of a customer e-mail is left in English (each rendered in German)."""
		english = [m for m in messages_in_fixture_templates() if len(m.split()) > 2]
		for fixture, body in (("email_template", "response_html"), ("notification", "message")):
			for record in json.loads((APP_DIR / "fixtures" / f"{fixture}.json").read_text(encoding="utf-8")):
				if record["name"] in STAFF_NOTIFICATIONS:
					continue
				rendered = frappe.render_template(record["subject"], SAMPLE) + frappe.render_template(
					record[body], SAMPLE
				)
				left = [m for m in english if m.split("{")[0].strip() and m.split("{")[0].strip() in rendered]
				self.assertEqual(left, [], record["name"])

	def test_english_stays_english(self):
		frappe.local.lang = "en"
		frappe.db.set_value("User", USER, "language", "en")
		self.assert_page("complaints", USER, ["Lodge a Complaint"], ["Beschwerde einreichen"])

	def test_recipient_language(self):
		from brm_app.portal.translations import recipient_language

		self.assertEqual(recipient_language(USER), LANG)
		frappe.db.set_value("Customer", CUSTOMER, "language", LANG)
		self.assertEqual(recipient_language("someone.else@translation.example.com", CUSTOMER), LANG)
		site = frappe.db.get_default("lang") or "en"
		self.assertEqual(recipient_language("someone.else@translation.example.com"), site)
		with in_language(LANG):
			self.assertEqual(frappe._("Your service team"), "Ihr Service-Team")
		self.assertEqual(frappe.local.lang, LANG)  # set by setUp, restored after the block
