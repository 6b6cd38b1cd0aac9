"""Recurring themes in complaints: periods, trends and frequent terms (no frappe import)."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

#: Words that say nothing about what went wrong (English; subjects are short).
STOPWORDS = frozenset(
	"""
	about after again all also and any are been before being but can cannot could did does
	doing done dont each even ever every for from get gets getting got had has have having
	her here him his how into its just last like made make many more most much must need
	needs never not now off once one only other our out over please same she should since
	some still such than that the their them then there these they this those through too
	under until very was way were what when where which while who why will with within
	would yet you your yours complaint complaints issue issues problem problems re fw fwd
	""".split()
)
MIN_TERM = 4
RISING, FALLING, NEW, STEADY, GONE = "Rising", "Falling", "New", "Steady", "Gone"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def previous_period(start: date, end: date) -> tuple[date, date]:
	"""The period of the same length just before [start, end] (both days included)."""
	days = (end - start).days + 1
	return start - timedelta(days=days), start - timedelta(days=1)


@dataclass(frozen=True)
class Trend:
	change: int
	change_pct: float | None
	label: str


def trend(current: int, previous: int) -> Trend:
	"""How a theme moved against the previous period."""
	change = current - previous
	if not previous:
		return Trend(change, None, NEW if current else STEADY)
	if not current:
		return Trend(change, -100.0, GONE)
	pct = 100.0 * change / previous
	label = RISING if change > 0 else FALLING if change < 0 else STEADY
	return Trend(change, round(pct, 1), label)


def terms(text: str | None) -> set[str]:
	"""The telling words of a subject, each once: letters only, at least MIN_TERM long, no
	stopwords, lower case."""
	return {
		w for w in (m.lower() for m in _WORD.findall(text or "")) if len(w) >= MIN_TERM and w not in STOPWORDS
	}


@dataclass
class TermCount:
	current: int = 0
	previous: int = 0
	customers: set = field(default_factory=set)
	open: int = 0


def count_terms(rows: Iterable[tuple[str | None, str | None, bool, bool]]) -> dict[str, TermCount]:
	"""rows: (subject, customer, in the current period, open now) → per term, how many
	complaints mention it in each period, which customers (current period) and how many of
	them are open."""
	counts: dict[str, TermCount] = {}
	for subject, customer, current, is_open in rows:
		for term in terms(subject):
			count = counts.setdefault(term, TermCount())
			if current:
				count.current += 1
				count.open += int(bool(is_open))
				if customer:
					count.customers.add(customer)
			else:
				count.previous += 1
	return counts


def top_terms(counts: dict[str, TermCount], limit: int, min_complaints: int = 2) -> list[str]:
	"""The terms of at least ``min_complaints`` complaints this period, most frequent first
	(then most customers, then alphabetical), at most ``limit``."""
	ranked = Counter({t: c.current for t, c in counts.items() if c.current >= min_complaints})
	return sorted(ranked, key=lambda t: (-ranked[t], -len(counts[t].customers), t))[:limit]
