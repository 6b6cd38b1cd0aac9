"""The customer boundary's pure parts (issue 22, docs/security.md): which requests name a
brm_app DocType, the real client address behind proxies, minimum retention periods, the
survey's text caps, and customer e-mails that carry no internal field."""

import json
import re
from pathlib import Path

import pytest

from brm_app.rules import portal, retention, survey
from brm_app.security.doctypes import (
	SATELLITES,
	brm_child_doctypes,
	brm_doctypes,
	called_method,
	names_brm_doctype,
	private_file_urls,
)

APP = Path(__file__).resolve().parent.parent / "brm_app"


def test_every_doctype_folder_is_known_and_children_are_included():
	folders = {p.parent.name for p in (APP / "brm_app" / "doctype").glob("*/*.json")}
	assert len(brm_doctypes()) == len(folders)
	assert {
		"Complaint Escalation",
		"Survey Answer",
		"Review Attendee",
		"Retained Answer",
	} <= brm_child_doctypes()
	assert brm_child_doctypes() < brm_doctypes()


@pytest.mark.parametrize(
	"value",
	[
		"Complaint",
		" complaint ",
		["Complaint Escalation"],
		{"doctype": "Survey Answer"},
		{"reference_doctype": "Complaint"},
		{"dt": "Compliment"},
		{"parent": "Service Performance Review"},
		{"report_name": "BRM Metrics"},
		{"fields": '["`tabComplaint Escalation`.reason"]'},
		{"fields": ["`tabReview Attendee`.`email`"]},
		{"doc": json.dumps({"doctype": "Complaint", "name": "CMP-1"})},
		{"filters": json.dumps([["Complaint", "customer", "=", "X"]])},
		{"args": json.dumps({"nested": [{"doctype": "Survey Invitation"}]})},
		{"method": "brm_app.api.complaint.raise_from_ticket"},
		"/api/resource/Complaint Corrective Action".split("/"),
		{"q": "select * from tabComplaint"},
		{"doctype": json.dumps({"Complaint": ["CMP-1"]})},  # download_multi_pdf
		{"doc": "Complaint", "name": "CMP-1"},  # printview.get_html_and_style
		{"chart_name": "Complaints by Month"},  # dashboard_chart.get
		{"doctype": '{"Complaint":+["CMP-1"]}'},  # not JSON, but a quoted name
		{"a": json.dumps([[[[[[[[[[[[[["x"]]]]]]]]]]]]]])},  # too deep to check: refused
	],
)
def test_requests_naming_a_brm_doctype_are_found(value):
	assert names_brm_doctype(value)


@pytest.mark.parametrize(
	"value",
	[
		{"subject": "Complaint"},  # a free text that says the word names nothing
		{"description": "I want to complain about the Complaint process"},
		{"doctype": "Issue", "subject": "Compliment"},
		{"doctype": "Contact", "filters": json.dumps({"email_id": "a@example.com"})},
		"/api/resource/Sales Order".split("/"),
		{"text": "establishment of a table"},
		{"ticket_type": "Complaint", "issue_type": "Compliment"},  # a Helpdesk ticket type named so
	],
)
def test_other_requests_name_none(value):
	assert names_brm_doctype(value) is None


def test_the_called_method_is_read_from_every_path():
	assert called_method("/api/method/frappe.client.get_list", {}) == "frappe.client.get_list"
	assert called_method("/api/v2/method/frappe.client.get_list", {}) == "frappe.client.get_list"
	assert called_method("/", {"cmd": "frappe.client.get"}) == "frappe.client.get"
	assert called_method("/api/resource/Complaint", {}) is None


def test_private_file_urls_are_found_in_every_argument():
	found = private_file_urls(
		"/api/method/frappe.core.api.file.zip_files",
		{
			"files": json.dumps(["/private/files/a.txt", "/files/public.png"]),
			"file_url": "/private/files/b.txt?fid=1",
		},
	)
	assert found == ["/private/files/a.txt", "/private/files/b.txt"]
	assert private_file_urls("/private/files/c.txt", {}) == ["/private/files/c.txt"]


def test_satellites_name_their_reference_field():
	assert SATELLITES["File"] == "attached_to_doctype"
	assert set(SATELLITES) >= {"Communication", "Comment", "File", "ToDo", "Tag Link", "Version", "DocShare"}


@pytest.mark.parametrize(
	"remote, forwarded, expected",
	[
		("203.0.113.7", "1.2.3.4", "203.0.113.7"),  # no proxy: the header is the client's own
		("127.0.0.1", "198.51.100.9", "198.51.100.9"),  # nginx on the same machine
		("127.0.0.1", "1.2.3.4, 198.51.100.9", "198.51.100.9"),  # a spoofed first entry
		("127.0.0.1", "198.51.100.9, 10.0.0.2", "198.51.100.9"),  # two trusted proxies
		("127.0.0.1", "", "127.0.0.1"),
	],
)
def test_the_real_client_address(remote, forwarded, expected):
	assert portal.client_address(remote, forwarded, ["127.0.0.1", "10.0.0.2"]) == expected
	assert portal.client_address(remote, forwarded, "127.0.0.1, 10.0.0.0/24") == expected


def test_trusted_proxies_as_ranges_or_text():
	assert portal.client_address("172.18.0.3", "198.51.100.9", "172.16.0.0/12") == "198.51.100.9"
	assert portal.client_address("172.18.0.3", "198.51.100.9", "10.0.0.5") == "172.18.0.3"
	assert portal.client_address("10.0.0.5", "198.51.100.9", "10.0.0.5") == "198.51.100.9"  # not '1','0',...
	assert portal.trusted_networks("nonsense, 127.0.0.1") == portal.trusted_networks(["127.0.0.1"])


def test_no_rule_keeps_a_record_type_shorter_than_its_minimum():
	for record_type in retention.RECORD_TYPES:
		amount, unit = retention.MINIMUM_KEEP[record_type]
		assert not retention.below_minimum(record_type, amount, unit)
	assert retention.below_minimum("Complaint", 11, retention.MONTHS)
	assert retention.below_minimum("Complaint", 364, retention.DAYS)
	assert not retention.below_minimum("Complaint", 366, retention.DAYS)
	assert retention.below_minimum("Compliment", 2, retention.MONTHS)
	# every shipped default is at or above its minimum
	for record_type, keep_for, unit, _action in retention.DEFAULT_RULES:
		assert not retention.below_minimum(record_type, keep_for, unit)


def test_survey_texts_are_capped():
	q = survey.Question(key="q1", text="Why?", kind=survey.FREE_TEXT, mandatory=False)
	long = survey.Answer(key="q1", text="x" * (survey.ANSWER_TEXT_MAX + 1))
	assert (survey.TOO_LONG, "q1") in survey.answer_errors([q], {"q1": long})
	ok = survey.Answer(key="q1", text="x" * survey.ANSWER_TEXT_MAX)
	assert survey.answer_errors([q], {"q1": ok}) == []


def test_customer_e_mails_carry_no_internal_field():
	"""Notifications to the customer's side name no field of permission level 1 or more, and
	escape what the customer wrote."""
	notifications = json.loads((APP / "fixtures" / "notification.json").read_text())
	checked = 0
	for n in notifications:
		to_customer = any(
			r.get("receiver_by_document_field") in ("contact_email", "email,attendees")
			for r in n.get("recipients", [])
		)
		if not to_customer:
			continue
		folder = n["document_type"].lower().replace(" ", "_")
		meta = json.loads((APP / "brm_app" / "doctype" / folder / f"{folder}.json").read_text())
		internal = {f["fieldname"] for f in meta["fields"] if f.get("permlevel")}
		used = set(re.findall(r"doc\.([a-z_]+)", n["message"] + (n.get("subject") or "")))
		assert not used & internal, (n["name"], used & internal)
		assert "{{ doc.subject }}" not in n["message"], n["name"]
		checked += 1
	assert checked >= 4


def test_print_formats_escape_plain_text_fields():
	"""Every value a print format writes is escaped, unless it is a rich-text field (sanitised
	on save), a translated label or a macro that escapes its own output."""
	rich = set()
	for path in (APP / "brm_app" / "doctype").glob("*/*.json"):
		meta = json.loads(path.read_text())
		if meta.get("doctype") == "DocType":
			rich |= {
				f["fieldname"] for f in meta["fields"] if f["fieldtype"] in ("Text Editor", "HTML Editor")
			}
	rich_re = re.compile(r"\.(" + "|".join(sorted(rich)) + r")\b")
	unescaped = []
	for path in (APP / "brm_app" / "print_format").glob("*/*.json"):
		html = json.loads(path.read_text()).get("html") or ""
		assert html, path
		for expr in re.findall(r"\{\{\s*(.+?)\s*\}\}", html):
			if expr.startswith(("row(", "met(", "_(")) or rich_re.search(expr) or expr.endswith("| e"):
				continue
			unescaped.append((path.parent.name, expr))
	assert unescaped == [], unescaped
