"""Benchmark: similar-complaint suggestions (brm_app/similar.py) over the complaints of a site.

Run on a site seeded by ``brm_app.benchmark_portal.seed`` (200,000 complaints)::

    bench --site <site> execute brm_app.benchmark_similar.measure

Prints p50 / p95 (ms) of the desk suggestion (customer's open ones + other customers' recent
ones, as Administrator), of the portal suggestion (the customer's own open ones), and of the
bare FULLTEXT query they start from. Target (issue 10): p95 <= 50 ms over 200,000 complaints.
A measurement, not a test."""

import random
import time

import frappe

from brm_app.benchmark_portal import SUBJECTS, percentile

TYPED = (
	"outage not communicated to us",
	"invoice does not match",
	"ticket closed but nothing fixed",
	"service desk slow to respond",
	"backup restore too slow",
	"engineer did not come",
	"payroll errors again this month",
	"password reset confusing",
)


def _times(fn, queries: list[str]) -> list[float]:
	times = []
	for query in queries:
		start = time.perf_counter()
		fn(query)
		times.append((time.perf_counter() - start) * 1000)
	return times


def measure(runs: int = 200, seed: int = 1) -> dict:
	from brm_app.rules.similar import search_terms
	from brm_app.similar import for_desk, for_portal, matches

	frappe.set_user("Administrator")
	total = frappe.db.count("Complaint")
	customers = [
		row[0]
		for row in frappe.db.sql(
			"select customer from `tabComplaint` group by customer order by count(*) desc limit 20"
		)
	]
	rng = random.Random(seed)
	queries = [rng.choice(TYPED + SUBJECTS) for _ in range(runs)]
	picks = [rng.choice(customers) for _ in range(runs)]
	for fn in (lambda q: for_desk(q, None, picks[0]),):  # warm the caches once
		fn(queries[0])
	it = iter(picks)
	desk = _times(lambda q: for_desk(q, None, next(it)), queries)
	it = iter(picks)
	portal = _times(lambda q: for_portal(q, None, [next(it)]), queries)
	bare = _times(lambda q: matches(search_terms(q)), queries)
	result = {"complaints": total, "runs": runs}
	for label, times in (("desk", desk), ("portal", portal), ("bare_fulltext", bare)):
		result[label] = {"p50": round(percentile(times, 50), 1), "p95": round(percentile(times, 95), 1)}
	print(result)
	return result
