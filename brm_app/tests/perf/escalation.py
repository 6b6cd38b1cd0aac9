"""Benchmark: cost of the hourly escalation sweep and the portfolio refresh as data grows.

    bench --site <site> execute brm_app.tests.perf.escalation.run

Bulk-inserts synthetic complaints (and portfolios), measures, prints ratios and rolls
everything back: nothing is left on the site. Use a test site.
"""

import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from brm_app.brm_app.doctype.complaint.escalation import escalate_overdue_complaints
from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_stats

CUSTOMER_PREFIX = "_Bench BRM Customer"


class Timer:
	"""Wall-clock seconds of a block. (Query counts are asserted in the test suite:
	``test_complaint.TestSweepQueries``, ``test_customer_portfolio.TestPortfolioFigures``.)"""

	def __enter__(self):
		self.t0 = time.perf_counter()
		return self

	def __exit__(self, *exc):
		self.seconds = time.perf_counter() - self.t0


def _make_customers(n: int) -> list[str]:
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	names = [f"{CUSTOMER_PREFIX} {i:04d}" for i in range(n)]
	now = now_datetime()
	frappe.db.bulk_insert(
		"Customer",
		["name", "customer_name", "customer_type", "customer_group", "territory", "creation", "modified"],
		[(c, c, "Company", group, territory, now, now) for c in names],
	)
	frappe.db.bulk_insert(
		"Customer Portfolio",
		["name", "customer", "customer_name", "creation", "modified"],
		[(c, c, c, now, now) for c in names],
	)
	return names


def _make_complaints(customers: list[str], n: int, overdue: int, start: int) -> None:
	"""n open complaints spread over customers; the first `overdue` missed acknowledgement."""
	now = now_datetime()
	rows = []
	for i in range(n):
		late = i < overdue
		received = now - timedelta(hours=30 if late else 1)
		ack_by = received + timedelta(hours=8 if late else 24)
		resolve_by = received + timedelta(days=10)
		rows.append(
			(
				f"BENCH-CMP-{start + i:07d}",
				customers[i % len(customers)],
				"Benchmark complaint",
				"Open",
				"Open",
				"Medium",
				received,
				ack_by,
				resolve_by,
				0,
				now,
				now,
			)
		)
	frappe.db.bulk_insert(
		"Complaint",
		[
			"name",
			"customer",
			"subject",
			"status",
			"workflow_state",
			"severity",
			"received_on",
			"acknowledge_by",
			"resolve_by",
			"escalation_level",
			"creation",
			"modified",
		],
		rows,
	)


def run(small: int = 1000, large: int = 4000, overdue: int = 50, portfolios: int = 100) -> dict:
	frappe.flags.mute_emails = True
	results = {}
	try:
		customers = _make_customers(portfolios)
		escalate_overdue_complaints()  # warm-up: caches, and whatever the site already had overdue

		# 1. Sweep over complaints none of which is overdue: should not grow with the count.
		_make_complaints(customers, small, 0, 0)
		with Timer() as quiet_small:
			escalate_overdue_complaints()
		_make_complaints(customers, large - small, 0, small)
		with Timer() as quiet_large:
			escalate_overdue_complaints()

		# 2. Sweep that escalates `overdue` complaints: cost per escalation.
		_make_complaints(customers, overdue, overdue, large)
		with Timer() as busy:
			escalated = escalate_overdue_complaints()
		with Timer() as rerun:
			again = escalate_overdue_complaints()

		# 3. Portfolio refresh: one grouped statement, whatever the number of complaints.
		with Timer() as refresh_all:
			refresh_stats(None)

		results = {
			"open complaints": large + overdue,
			f"sweep, nothing overdue, {small} vs {large} complaints: seconds": (
				round(quiet_small.seconds, 4),
				round(quiet_large.seconds, 4),
			),
			f"sweep time ratio large/small (complaints x{large // small})": round(
				quiet_large.seconds / max(quiet_small.seconds, 1e-6), 2
			),
			"escalated in one sweep": escalated,
			"seconds per escalation": round(busy.seconds / max(escalated, 1), 4),
			"second sweep escalated (idempotent: 0)": again,
			"second sweep seconds": round(rerun.seconds, 4),
			f"portfolio refresh ({portfolios} portfolios): seconds": round(refresh_all.seconds, 4),
		}
		for key, value in results.items():
			print(f"{key}: {value}")
	finally:
		frappe.db.rollback()
	return results


# ---------------------------------------------------------------------- BRM Metrics report


def run_metrics(
	complaints: int = 200_000, answers: int = 200_000, portfolios: int = 5_000, repeat: int = 3
) -> dict:
	"""Time the yearly BRM Metrics report against the bare GROUP BY SQL it needs, on a large
	synthetic data set (rolled back afterwards). Target: report <= 1.5 x bare SQL.

	    bench --site <test-site> execute brm_app.tests.perf.escalation.run_metrics
	    bench --site <test-site> execute brm_app.tests.perf.escalation.run_metrics --kwargs '{"complaints": 20000, "answers": 20000, "portfolios": 500}'
	"""
	from brm_app.brm_app.report.brm_metrics.brm_metrics import execute

	frappe.flags.mute_emails = True
	try:
		t0 = time.perf_counter()
		customers = _make_customers(portfolios)
		_bulk_complaints(customers, complaints)
		_bulk_answers(customers, answers)
		built = time.perf_counter() - t0
		start, end = "2025-01-01", "2025-12-31"
		bare_sql = metrics_bare_sql()
		params = {"s": start, "e": "2026-01-01"}

		def best(fn):
			times = []
			for _ in range(repeat):
				t = time.perf_counter()
				fn()
				times.append(time.perf_counter() - t)
			return min(times)

		bare = best(lambda: [frappe.db.sql(q, params) for q in bare_sql])
		report = best(lambda: execute({"from_date": start, "to_date": end}))
		rows = execute({"from_date": start, "to_date": end})[1]
		results = {
			"complaints": complaints,
			"survey answers": answers,
			"portfolios": portfolios,
			"data set built in seconds": round(built, 1),
			f"bare SQL seconds (best of {repeat})": round(bare, 3),
			f"BRM Metrics report seconds (best of {repeat})": round(report, 3),
			"ratio report / bare SQL (target <= 1.5)": round(report / bare, 2),
			"report rows (12 months + 4 quarters + 1 year)": len(rows),
			"year complaints": rows[-1]["complaints"] if rows else 0,
		}
		for key, value in results.items():
			print(f"{key}: {value}")
	finally:
		frappe.db.rollback()
	return results


def metrics_bare_sql() -> list[str]:
	"""The bare GROUP BY statements the yearly BRM Metrics report needs (%(s)s, %(e)s: the year)."""
	return [
		"""select date_format(received_on, '%%Y-%%m'), category, count(name) from `tabComplaint`
		where received_on >= %(s)s and received_on < %(e)s group by 1, 2""",
		"""select date_format(received_on, '%%Y-%%m'), count(name) from `tabCompliment`
		where received_on >= %(s)s and received_on < %(e)s group by 1""",
		"""select date_format(raised_on, '%%Y-%%m'), count(name) from `tabCustomer Requirement`
		where raised_on >= %(s)s and raised_on < %(e)s group by 1""",
		"""select date_format(transaction_date, '%%Y-%%m'), count(name) from `tabOpportunity`
		where opportunity_from = 'Customer' and transaction_date >= %(s)s and transaction_date < %(e)s group by 1""",
		"""select date_format(i.responded_on, '%%Y-%%m'),
			sum(a.kind = 'Rating 1-5'), sum(a.kind = 'Rating 1-5' and a.score >= 4),
			sum(a.kind = 'NPS 0-10'), sum(a.kind = 'NPS 0-10' and a.score >= 9), sum(a.kind = 'NPS 0-10' and a.score <= 6),
			count(distinct i.name)
		from `tabSurvey Answer` a join `tabSurvey Invitation` i on a.parent = i.name and a.parenttype = 'Survey Invitation'
		where i.responded_on >= %(s)s and i.responded_on < %(e)s group by 1""",
	]


def _bulk_complaints(customers: list[str], n: int) -> None:
	import random

	rng = random.Random(7)
	categories = frappe.get_all("Complaint Category", pluck="name") or [None]
	now = now_datetime()
	fields = [
		"name",
		"customer",
		"subject",
		"status",
		"severity",
		"category",
		"received_on",
		"creation",
		"modified",
	]
	chunk = []
	for i in range(n):
		received = frappe.utils.get_datetime("2025-01-01") + timedelta(
			minutes=rng.randrange(0, 60 * 24 * 365)
		)
		chunk.append(
			(
				f"BENCH-M-{i:07d}",
				customers[i % len(customers)],
				"Benchmark complaint",
				rng.choice(["Open", "Investigating", "Closed", "Closed", "Rejected"]),
				rng.choice(["Low", "Medium", "High", "Critical"]),
				rng.choice(categories),
				received,
				now,
				now,
			)
		)
		if len(chunk) == 10_000:
			frappe.db.bulk_insert("Complaint", fields, chunk)
			chunk = []
	if chunk:
		frappe.db.bulk_insert("Complaint", fields, chunk)


def _bulk_answers(customers: list[str], n: int) -> None:
	"""n answers: five per responded invitation (rating, rating, NPS, CES, text)."""
	import random

	rng = random.Random(11)
	now = now_datetime()
	survey = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"title": "Benchmark survey",
			"template": _bench_template(),
			"audience": "Chosen Customers",
			"customers": [{"customer": customers[0]}],
		}
	).insert(ignore_permissions=True)
	kinds = [
		("Rating 1-5", 1, 5),
		("Rating 1-5", 1, 5),
		("NPS 0-10", 0, 10),
		("CES 1-7", 1, 7),
		("Free Text", 0, 0),
	]
	invitations, rows = [], []
	for i in range(n // len(kinds)):
		name = f"BENCH-INV-{i:07d}"
		responded = frappe.utils.get_datetime("2025-01-01") + timedelta(
			minutes=rng.randrange(0, 60 * 24 * 365)
		)
		invitations.append(
			(
				name,
				survey.name,
				customers[i % len(customers)],
				"b@example.com",
				"Responded",
				responded,
				f"h{i}",
				now,
				now,
			)
		)
		for idx, (kind, low, high) in enumerate(kinds, start=1):
			scored = kind != "Free Text"
			rows.append(
				(
					f"{name}-{idx}",
					name,
					"Survey Invitation",
					"answers",
					idx,
					kind,
					"Benchmark",
					1,
					int(scored),
					rng.randint(low, high) if scored else 0,
					now,
					now,
				)
			)
		if len(rows) >= 10_000:
			_flush_answers(invitations, rows)
			invitations, rows = [], []
	_flush_answers(invitations, rows)


def _flush_answers(invitations, rows) -> None:
	if invitations:
		frappe.db.bulk_insert(
			"Survey Invitation",
			[
				"name",
				"survey",
				"customer",
				"email",
				"status",
				"responded_on",
				"token_hash",
				"creation",
				"modified",
			],
			invitations,
		)
	if rows:
		frappe.db.bulk_insert(
			"Survey Answer",
			[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"kind",
				"dimension",
				"weight",
				"has_score",
				"score",
				"creation",
				"modified",
			],
			rows,
		)


def _bench_template() -> str:
	name = "Benchmark Template"
	if not frappe.db.exists("Survey Template", name):
		frappe.get_doc(
			{
				"doctype": "Survey Template",
				"template_name": name,
				"questions": [{"question": "How satisfied are you?", "kind": "Rating 1-5"}],
			}
		).insert(ignore_permissions=True)
	return name
