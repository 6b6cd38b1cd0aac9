"""Similar complaints: what to search for, and how to order what comes back (no frappe import)."""

import html
import re

#: Words shorter than MariaDB's InnoDB FULLTEXT minimum (innodb_ft_min_token_size, default 3)
#: are not indexed; longer texts are cut to the first MAX_TERMS distinct words.
MIN_WORD = 3
MAX_TERMS = 30
#: "Recent" complaints of other customers (desk only): received in the last RECENT_DAYS days.
RECENT_DAYS = 90
LIMIT = 5

_TAGS = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+", re.UNICODE)


def plain_text(value: str | None) -> str:
	"""Text of a rich-text field: tags removed, entities decoded."""
	return html.unescape(_TAGS.sub(" ", value or ""))


def search_terms(subject: str | None, description: str | None = None) -> str:
	"""The words of a complaint to match against others, subject first, each once, as a
	natural-language FULLTEXT query ('' when nothing is worth searching for). Only letters and
	digits: no FULLTEXT operator can come through."""
	seen, words = set(), []
	for word in _WORD.findall(f"{subject or ''} {plain_text(description)}".lower()):
		word = word.strip("_")
		if len(word) >= MIN_WORD and word not in seen:
			seen.add(word)
			words.append(word)
		if len(words) >= MAX_TERMS:
			break
	return " ".join(words)


def rank(rows: list[dict], limit: int = LIMIT) -> list[dict]:
	"""Best match first; among equal scores, the newest."""
	ordered = sorted(rows, key=lambda r: (-(r.get("score") or 0), _neg_time(r.get("received_on"))))
	return ordered[:limit]


def _neg_time(value) -> float:
	return -value.timestamp() if hasattr(value, "timestamp") else 0.0
