"""Records kept: periods and decisions (brm_app/rules/retention.py)."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from brm_app.rules.retention import (
	ANONYMISE,
	ANSWER_FIGURES,
	DEFAULT_RULES,
	RECORD_TYPES,
	SPECS,
	cutoff,
	ended_on,
	shift,
)

NOW = datetime(2026, 11, 23, 12, 0)


def test_shift_by_days_months_years():
	assert shift(NOW, -30, "Days") == datetime(2026, 10, 24, 12, 0)
	assert shift(datetime(2026, 3, 31), -1, "Months") == datetime(2026, 2, 28)
	assert shift(datetime(2024, 2, 29), 1, "Years") == datetime(2025, 2, 28)
	assert shift(NOW, -6, "Years") == datetime(2020, 11, 23, 12, 0)
	with pytest.raises(ValueError):
		shift(NOW, 1, "Weeks")


def test_one_day_inside_is_kept_one_day_past_is_acted_on():
	"""A record is due when it ended before the cutoff (the SQL of brm_app.retention applies it)."""
	edge = cutoff(NOW, 6, "Years")
	assert edge == datetime(2020, 11, 23, 12, 0)
	inside, past = datetime(2020, 11, 24, 12, 0), datetime(2020, 11, 22, 12, 0)
	assert not inside < edge
	assert past < edge
	assert not edge < edge  # exactly at the end: not yet past


def test_bad_periods_are_refused():
	with pytest.raises(ValueError):
		cutoff(NOW, 0, "Years")
	with pytest.raises(ValueError):
		cutoff(NOW, 1, "Weeks")


def test_end_of_a_record_follows_its_status():
	complaint = SPECS["Complaint"]
	assert ended_on({"status": "Closed", "closed_on": NOW}, complaint) == NOW
	assert ended_on({"status": "Resolution Proposed", "closed_on": NOW}, complaint) is None
	invitation = SPECS["Survey Invitation"]
	expired = datetime(2026, 1, 1)
	assert ended_on({"status": "Expired", "responded_on": None, "expires_on": expired}, invitation) == expired
	assert ended_on({"status": "Responded", "responded_on": NOW, "expires_on": expired}, invitation) == NOW


DOCTYPES = Path(__file__).resolve().parents[1] / "brm_app" / "brm_app" / "doctype"


def fields_of(doctype: str) -> dict:
	folder = doctype.lower().replace(" ", "_")
	meta = json.loads((DOCTYPES / folder / f"{folder}.json").read_text())
	return {f["fieldname"]: f for f in meta["fields"]}


@pytest.mark.parametrize("doctype", sorted(SPECS))
def test_every_field_named_in_the_rules_exists(doctype):
	"""The rules and the DocTypes stay in step: a renamed field would silently keep its data."""
	spec, fields = SPECS[doctype], fields_of(doctype)
	for name in (
		*spec.end_fields,
		*spec.personal,
		*spec.free_text,
		*spec.figures,
		"legal_hold",
		"anonymised_on",
	):
		assert name in fields, f"{doctype}.{name}"
	assert set(spec.end_statuses) <= set(fields["status"]["options"].split("\n"))
	for table, child_fields in spec.child_text.items():
		child = fields_of(fields[table]["options"])
		assert set(child_fields) <= set(child), f"{doctype}.{table}"
	retained = fields_of("Retained Figures")
	assert set(spec.figures) <= set(retained), f"Retained Figures lacks a figure of {doctype}"
	assert set(ANSWER_FIGURES) <= set(fields_of("Retained Answer"))


def test_defaults_cover_every_record_type():
	assert {rule[0] for rule in DEFAULT_RULES} == set(SPECS) == set(RECORD_TYPES)
	assert all(action == ANONYMISE for *_rest, action in DEFAULT_RULES), "no record deleted by default"
