from datetime import datetime

import pytest

from brm_app.rules import similar


def test_search_terms_take_subject_then_description_words_once():
	terms = similar.search_terms(
		"Invoice wrong again", "<p>The invoice for <b>May</b> is wrong &amp; late</p>"
	)
	assert terms == "invoice wrong again may late"


def test_short_words_stopwords_and_operators_do_not_reach_fulltext():
	terms = similar.search_terms('+login -"outage" ~x* (a) <b> and the', None)
	assert terms == "login outage"
	assert not set("+-~*()<>\"'@") & set(terms)


def test_words_too_long_for_the_index_are_left_out():
	assert similar.query_words("x" * 85 + " backup " + "y" * 84) == ["backup", "y" * 84]


def test_nothing_worth_searching():
	assert similar.search_terms("", "") == ""
	assert similar.search_terms("ok", "<p>a b</p>") == ""
	assert similar.query_words(None, None) == []


def test_long_texts_are_cut():
	words = [f"word{i}" for i in range(100)]
	assert len(similar.query_words(" ".join(words))) == similar.MAX_TERMS


def test_unicode_words_are_kept():
	assert similar.search_terms("Rechnung größer", "فاتورة خاطئة") == "rechnung größer فاتورة خاطئة"


def vocabulary():
	"""Of 10 sampled complaints (1,000 in all): 'outage' in all, 'invoice' in half, 'vpn' in
	one, 'login' and 'slow' in three each, together in two."""
	texts = ["outage invoice vpn", *["outage invoice"] * 4, "outage login slow", "outage login slow"]
	texts += ["outage login", "outage slow", "outage"]
	return similar.vocabulary_of(texts, rows=1000)


def test_vocabulary_shares_and_weights():
	v = vocabulary()
	assert v.sample == 10
	assert set(v.documents) == {"outage", "invoice", "login", "slow"}  # 'vpn' met once: rare
	assert v.share("outage") == 1.0
	assert v.share("invoice") == 0.5
	assert v.share("vpn") == v.share("unseen") == 0.05
	assert v.weight("outage") < v.weight("invoice") < v.weight("vpn")
	assert v.estimated_rows("invoice") == 500


def test_vocabulary_estimates_complaints_holding_several_words():
	v = vocabulary()
	assert v.estimated_rows("login", "slow") == 200
	assert v.estimated_rows("login", "outage", "slow") == 200
	assert v.estimated_rows("invoice", "login") == 50  # never together: at most half a sampled one
	assert v.estimated_rows("login", "unseen") == 50


def test_an_empty_vocabulary_weighs_every_word_alike():
	v = similar.Vocabulary()
	assert v.weight("anything") == v.weight("else") > 0
	assert v.estimated_rows("anything") == 0


def test_fulltext_takes_the_rarest_words_within_the_budget():
	v = vocabulary()
	query = ["outage", "invoice", "vpn", "ticket"]
	assert similar.fulltext_words(query, v, budget=120) == ["vpn", "ticket"]
	assert similar.fulltext_words(query, v, budget=600) == ["vpn", "ticket", "invoice"]
	assert similar.fulltext_words(query, v, budget=10_000, most=2) == ["vpn", "ticket"]
	assert similar.fulltext_words(query, v, budget=10) == []
	# a small site: every word is cheap to search
	assert similar.fulltext_words(query, similar.Vocabulary(rows=5, sample=5)) == query


def test_fulltext_query_adds_the_subjects_common_words_together_when_cheap():
	v = vocabulary()
	query = ["login", "slow", "outage", "vpn"]
	subject = ["login", "slow", "outage"]
	# 'vpn' (50) on its own; 'login' and 'slow' (300 each) only together (200)
	assert similar.fulltext_query(query, subject, v, budget=300) == "vpn (+login +slow)"
	assert similar.fulltext_query(query, subject, v, budget=200) == "vpn"
	# words in more complaints than ``postings`` together are not searched
	assert similar.fulltext_query(query, subject, v, budget=300, postings=600) == "vpn (+login +slow)"
	assert similar.fulltext_query(query, subject, v, budget=300, postings=500) == "vpn"
	assert similar.fulltext_query(["outage"], ["outage"], v, budget=300) == ""
	assert similar.fulltext_query([], [], v) == ""


def test_score_weighs_rare_words_and_the_subject_more():
	v = vocabulary()
	query = ["outage", "vpn"]
	both = similar.score(query, "VPN outage", None, v)
	assert both == pytest.approx(1.0)
	rare = similar.score(query, "vpn down", None, v)
	common = similar.score(query, "outage again", None, v)
	assert rare > common > 0
	assert similar.score(query, "Something", "<p>The <b>VPN</b> dropped</p>", v) == pytest.approx(
		rare * similar.DESCRIPTION_CREDIT
	)
	assert similar.score(query, "Invoice", "<p>wrong</p>", v) == 0
	assert similar.score([], "VPN", None, v) == 0


def test_best_keeps_good_enough_matches_best_first():
	v = vocabulary()
	rows = [
		{"name": "A", "subject": "outage", "received_on": datetime(2026, 1, 1)},
		{"name": "B", "subject": "VPN outage", "received_on": datetime(2026, 1, 1)},
		{"name": "C", "subject": "Invoice", "description": "<p>vpn</p>", "received_on": datetime(2026, 2, 1)},
		{"name": "D", "subject": "Invoice", "received_on": datetime(2026, 3, 1)},
	]
	found = similar.best(["vpn", "outage"], rows, v)
	assert [r["name"] for r in found] == ["B", "C", "A"]
	assert found[0]["score"] == pytest.approx(1.0)
	assert [r["name"] for r in similar.best(["vpn", "outage"], rows, v, min_score=0.5)] == ["B"]
	assert len(similar.best(["vpn", "outage"], rows, v, limit=1)) == 1


def test_rank_best_score_then_newest():
	rows = [
		{"name": "A", "score": 1.0, "received_on": datetime(2026, 1, 1)},
		{"name": "B", "score": 3.0, "received_on": datetime(2026, 1, 1)},
		{"name": "C", "score": 1.0, "received_on": datetime(2026, 2, 1)},
	]
	assert [r["name"] for r in similar.rank(rows)] == ["B", "C", "A"]
	assert len(similar.rank(rows * 3, limit=2)) == 2
