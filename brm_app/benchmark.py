"""Benchmark: cost of the hourly escalation sweep and the portfolio refresh as data grows.

    bench --site <site> execute brm_app.benchmark.run

Bulk-inserts synthetic complaints (and portfolios), measures, prints ratios and rolls
everything back: nothing is left on the site. Use a test site.
"""

import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from brm_app.brm_app.doctype.complaint.complaint import escalate_overdue_complaints
from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_stats

CUSTOMER_PREFIX = "_Bench BRM Customer"


class QueryCounter:
	def __enter__(self):
		self.start_count = frappe.db.transaction_writes
		self.queries = 0
		self._sql = frappe.db.sql

		def counting_sql(*args, **kwargs):
			self.queries += 1
			return self._sql(*args, **kwargs)

		frappe.db.sql = counting_sql
		self.t0 = time.perf_counter()
		return self

	def __exit__(self, *exc):
		self.seconds = time.perf_counter() - self.t0
		frappe.db.sql = self._sql


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
		with QueryCounter() as quiet_small:
			escalate_overdue_complaints()
		_make_complaints(customers, large - small, 0, small)
		with QueryCounter() as quiet_large:
			escalate_overdue_complaints()

		# 2. Sweep that escalates `overdue` complaints: cost per escalation.
		_make_complaints(customers, overdue, overdue, large)
		with QueryCounter() as busy:
			escalated = escalate_overdue_complaints()
		with QueryCounter() as rerun:
			again = escalate_overdue_complaints()

		# 3. Portfolio refresh: grouped queries, whatever the number of complaints.
		with QueryCounter() as refresh_all:
			refresh_stats(None)

		results = {
			"open complaints": large + overdue,
			f"sweep, nothing overdue, {small} vs {large} complaints: seconds": (
				round(quiet_small.seconds, 4),
				round(quiet_large.seconds, 4),
			),
			"sweep, nothing overdue: queries (small, large)": (quiet_small.queries, quiet_large.queries),
			f"sweep time ratio large/small (complaints x{large // small})": round(
				quiet_large.seconds / max(quiet_small.seconds, 1e-6), 2
			),
			"escalated in one sweep": escalated,
			"seconds per escalation": round(busy.seconds / max(escalated, 1), 4),
			"second sweep escalated (idempotent: 0)": again,
			"second sweep seconds": round(rerun.seconds, 4),
			f"portfolio refresh ({portfolios} portfolios): seconds, queries": (
				round(refresh_all.seconds, 4),
				refresh_all.queries,
			),
		}
		for key, value in results.items():
			print(f"{key}: {value}")
	finally:
		frappe.db.rollback()
	return results
