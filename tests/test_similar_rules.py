from datetime import datetime

from brm_app.rules import similar


def test_search_terms_take_subject_then_description_words_once():
	terms = similar.search_terms(
		"Invoice wrong again", "<p>The invoice for <b>May</b> is wrong &amp; late</p>"
	)
	assert terms == "invoice wrong again the for may late"


def test_short_words_and_operators_do_not_reach_fulltext():
	terms = similar.search_terms('+login -"outage" ~x* (a) <b>', None)
	assert terms == "login outage"
	assert not set("+-~*()<>\"'@") & set(terms)


def test_nothing_worth_searching():
	assert similar.search_terms("", "") == ""
	assert similar.search_terms("ok", "<p>a b</p>") == ""


def test_long_texts_are_cut():
	words = [f"word{i}" for i in range(100)]
	assert len(similar.search_terms(" ".join(words)).split()) == similar.MAX_TERMS


def test_unicode_words_are_kept():
	assert similar.search_terms("Rechnung größer", "فاتورة خاطئة") == "rechnung größer فاتورة خاطئة"


def test_rank_best_score_then_newest():
	rows = [
		{"name": "A", "score": 1.0, "received_on": datetime(2026, 1, 1)},
		{"name": "B", "score": 3.0, "received_on": datetime(2026, 1, 1)},
		{"name": "C", "score": 1.0, "received_on": datetime(2026, 2, 1)},
	]
	assert [r["name"] for r in similar.rank(rows)] == ["B", "C", "A"]
	assert len(similar.rank(rows * 3, limit=2)) == 2
