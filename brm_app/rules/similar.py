"""Similar complaints: which words to search for, how alike two complaints are, and how to
order what comes back (no frappe import).

How alike: the query's words found in a complaint, each weighted by how rare it is among
complaints (an idf weight from a sample, see ``Vocabulary``); a word found only in the
description counts half. The score is that sum over the query's total weight, 0..1."""

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: Words shorter or longer than MariaDB's InnoDB FULLTEXT index keeps (innodb_ft_min_token_size,
#: innodb_ft_max_token_size: 3 and 84 by default) are left out; longer texts are cut to the
#: first MAX_TERMS distinct words.
MIN_WORD = 3
MAX_WORD = 84
MAX_TERMS = 30
#: "Recent" complaints of other customers (desk only): received in the last RECENT_DAYS days.
RECENT_DAYS = 90
LIMIT = 5
#: InnoDB's default FULLTEXT stopwords of MIN_WORD letters or more, and English function words
#: that say nothing about what a complaint is about.
STOPWORDS = frozenset(
	"""about are com for from how that the this was what when where who will with und www
	and but not nor our ours you your yours they them their its has have had having been were
	being can could would should shall might must any all some such than then there these
	those into onto over under also very just only too out off per via yet did does doing
	his her hers him she which whom why here each both few more most other own same""".split()
)
#: A word found only in the description counts this much of one found in the subject.
DESCRIPTION_CREDIT = 0.5
#: Complaints scoring less than this (share of the query's weight) are not offered.
MIN_SCORE = 0.1
#: A FULLTEXT search costs about one row read per complaint it matches (InnoDB reads every
#: match to apply the other conditions): searched are the words estimated to occur, together,
#: in at most FULLTEXT_BUDGET complaints, at most FULLTEXT_TERMS of them, rarest first ...
FULLTEXT_BUDGET = 400
FULLTEXT_TERMS = 12
#: and, from the subject's other words, complaints holding all of at most GROUP_WORDS of them
#: that occur in at most FULLTEXT_POSTINGS complaints together (InnoDB reads the postings of
#: every word searched, a cost too, though far less per complaint than reading its row).
GROUP_WORDS = 4
FULLTEXT_POSTINGS = 10000

_TAGS = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+", re.UNICODE)


def plain_text(value: str | None) -> str:
	"""Text of a rich-text field: tags removed, entities decoded."""
	if not value:
		return ""
	if "<" in value:
		value = _TAGS.sub(" ", value)
	return html.unescape(value) if "&" in value else value


def words(text: str | None) -> list[str]:
	"""The words of a plain text worth matching on, lower case, in order (repeats kept)."""
	found = []
	for word in _WORD.findall((text or "").lower()):
		word = word.strip("_")
		if MIN_WORD <= len(word) <= MAX_WORD and word not in STOPWORDS:
			found.append(word)
	return found


def query_words(subject: str | None, description: str | None = None) -> list[str]:
	"""The words of a complaint to look for in others: subject first, each once, at most
	MAX_TERMS. Only letters and digits: no FULLTEXT operator can come through."""
	seen: dict[str, None] = {}
	for word in words(f"{subject or ''} {plain_text(description)}"):
		seen.setdefault(word)
		if len(seen) >= MAX_TERMS:
			break
	return list(seen)


def search_terms(subject: str | None, description: str | None = None) -> str:
	"""``query_words`` as one string ('' when nothing is worth searching for)."""
	return " ".join(query_words(subject, description))


@dataclass(frozen=True)
class Vocabulary:
	"""How common words are among complaints, estimated from a sample of ``sample`` of them
	(``rows`` in all). ``documents``: word -> the sampled complaints it occurs in, as the bits
	of an int (bit i: the i-th sampled complaint), for words met at least twice; any other word
	counts as occurring in half a sampled complaint."""

	rows: int = 0
	sample: int = 0
	documents: dict[str, int] = field(default_factory=dict)

	def share(self, *words: str) -> float:
		"""Share of the complaints holding all of ``words``."""
		floor = 0.5 / max(self.sample, 1)
		bits = [self.documents.get(word, 0) for word in words]
		if not all(bits):
			return floor
		both = bits[0]
		for other in bits[1:]:
			both &= other
		return max(both.bit_count() / self.sample, floor)

	def weight(self, word: str) -> float:
		"""idf-like: 0.7 for a word in every complaint, 8.3 for one unseen among 2,000."""
		return math.log(1 + 1 / self.share(word))

	def estimated_rows(self, *words: str) -> float:
		"""How many complaints hold all of ``words``."""
		return self.share(*words) * self.rows


def vocabulary_of(texts: Iterable[str], rows: int, keep_from: int = 2) -> Vocabulary:
	"""A Vocabulary from sampled complaint texts (subject and plain description each)."""
	documents: dict[str, int] = {}
	sample = 0
	for text in texts:
		bit = 1 << sample
		sample += 1
		for word in set(words(text)):
			documents[word] = documents.get(word, 0) | bit
	return Vocabulary(
		rows=rows,
		sample=sample,
		documents={w: bits for w, bits in documents.items() if bits.bit_count() >= keep_from},
	)


def fulltext_words(
	query: Sequence[str],
	vocabulary: Vocabulary,
	budget: float = FULLTEXT_BUDGET,
	most: int = FULLTEXT_TERMS,
) -> list[str]:
	"""The query's words worth a FULLTEXT search on their own: rarest first, while the
	complaints they are estimated to occur in stay within ``budget`` together."""
	chosen, total = [], 0.0
	for word in sorted(query, key=vocabulary.share):
		rows = vocabulary.estimated_rows(word)
		if len(chosen) >= most or total + rows > budget:
			break
		chosen.append(word)
		total += rows
	return chosen


def fulltext_query(
	query: Sequence[str],
	subject: Sequence[str],
	vocabulary: Vocabulary,
	budget: float = FULLTEXT_BUDGET,
	postings: float = FULLTEXT_POSTINGS,
) -> str:
	"""A boolean-mode FULLTEXT query ('' for none) for what is cheap to search among the
	query's words: its rarer words, any of them (``fulltext_words``), and the complaints holding
	all of the fewest of the subject's other words (rarest first, at most GROUP_WORDS, found in
	at most ``postings`` complaints together) whose estimated matches fit in what is left of
	``budget``. Common words alone are left to the scan of the newest complaints."""
	rare = fulltext_words(query, vocabulary, budget)
	left = budget - sum(vocabulary.estimated_rows(w) for w in rare)
	group: list[str] = []
	read = 0.0
	for word in sorted((w for w in subject if w not in rare), key=vocabulary.share)[:GROUP_WORDS]:
		read += vocabulary.estimated_rows(word)
		if read > postings:
			group = []
			break
		group.append(word)
		if len(group) >= 2 and vocabulary.estimated_rows(*group) <= left:
			break
	else:
		group = []
	terms = list(rare)
	if group:
		terms.append("(" + " ".join(f"+{w}" for w in group) + ")")
	return " ".join(terms)


def score(
	query: Sequence[str], subject: str | None, description: str | None, vocabulary: Vocabulary
) -> float:
	"""How much of the query's weight a complaint carries, 0..1 (see the module's docstring)."""
	return _Scorer(query, vocabulary)(subject, description)


class _Scorer:
	def __init__(self, query: Sequence[str], vocabulary: Vocabulary):
		self.weights = {word: vocabulary.weight(word) for word in query}
		self.total = sum(self.weights.values())

	def __call__(self, subject: str | None, description: str | None) -> float:
		if not self.total:
			return 0.0
		weights = self.weights
		in_subject = weights.keys() & _tokens(subject)
		in_description = weights.keys() & _tokens(plain_text(description))
		found = sum(weights[w] for w in in_subject)
		found += DESCRIPTION_CREDIT * sum(weights[w] for w in in_description - in_subject)
		return found / self.total


def _tokens(text: str | None) -> set[str]:
	# No length or stopword filter: the query's words passed those already.
	return set(_WORD.findall(text.lower())) if text else set()


def best(
	query: Sequence[str],
	rows: Iterable[dict],
	vocabulary: Vocabulary,
	limit: int = LIMIT,
	min_score: float = MIN_SCORE,
) -> list[dict]:
	"""Rows (with subject and description) scored against the query, at least ``min_score``,
	best first (``rank``), at most ``limit``; each gets its ``score``."""
	scorer = _Scorer(query, vocabulary)
	scored = []
	for row in rows:
		row["score"] = scorer(row.get("subject"), row.get("description"))
		if row["score"] >= min_score:
			scored.append(row)
	return rank(scored, limit)


def rank(rows: list[dict], limit: int = LIMIT) -> list[dict]:
	"""Best match first; among equal scores, the newest."""
	ordered = sorted(rows, key=lambda r: (-(r.get("score") or 0), _neg_time(r.get("received_on"))))
	return ordered[:limit]


def _neg_time(value) -> float:
	return -value.timestamp() if hasattr(value, "timestamp") else 0.0
