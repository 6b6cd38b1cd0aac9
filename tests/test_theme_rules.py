"""Recurring themes: periods, trends, terms (brm_app/rules/themes.py)."""

from datetime import date

from brm_app.rules.themes import count_terms, previous_period, terms, top_terms, trend


def test_previous_period_has_the_same_length_just_before():
	assert previous_period(date(2026, 10, 1), date(2026, 10, 31)) == (date(2026, 8, 31), date(2026, 9, 30))
	assert previous_period(date(2026, 3, 1), date(2026, 3, 1)) == (date(2026, 2, 28), date(2026, 2, 28))


def test_trend_labels():
	assert trend(3, 1).label == "Rising" and trend(3, 1).change_pct == 200.0
	assert trend(1, 4).label == "Falling" and trend(1, 4).change_pct == -75.0
	assert trend(2, 0).label == "New" and trend(2, 0).change_pct is None
	assert trend(0, 2).label == "Gone" and trend(0, 2).change == -2
	assert trend(2, 2).label == "Steady" and trend(0, 0).label == "Steady"


def test_terms_are_telling_words_once():
	assert terms("Backups FAILED again, please fix the backups!") == {"backups", "failed"}
	assert terms(None) == set()
	assert terms("VPN 2FA ok") == set()  # short words and digits say little
	assert terms("Übertragung fehlgeschlagen") == {"übertragung", "fehlgeschlagen"}


def test_count_and_rank_terms():
	rows = [
		("Backup failed", "A", True, True),
		("Backup slow", "B", True, False),
		("backup failed", "A", False, False),
		("Invoice wrong", "A", True, True),
	]
	counts = count_terms(rows)
	assert (counts["backup"].current, counts["backup"].previous) == (2, 1)
	assert counts["backup"].customers == {"A", "B"} and counts["backup"].open == 1
	assert top_terms(counts, limit=10) == ["backup"]  # at least two complaints this period
	assert top_terms(counts, limit=10, min_complaints=1)[:1] == ["backup"]
