"""Benchmark and back-test of customer health over time (docs/health.md).

    bench --site <test-site> execute brm_app.tests.perf.health.run
    bench --site <test-site> execute brm_app.tests.perf.health.run --kwargs '{"portfolios": 10000, "weeks": 52}'
    bench --site <demo-site> execute brm_app.tests.perf.health.backtest_site

``run`` bulk-inserts synthetic portfolios with a year of weekly snapshots, times the daily
job's weekly write and the At-risk Customers report (with its trend columns) beside a bare
GROUP BY over the snapshots, counts their statements, back-tests the projection on the seeded
history, prints the figures and rolls everything back. ``backtest_site`` back-tests the
projection on the snapshots a site already has (the demo's year)."""

import random
import time
from unittest.mock import patch

import frappe
from frappe.query_builder.functions import Count, Max
from frappe.utils import add_days, getdate, now_datetime, today

from brm_app.brm_app.doctype.customer_portfolio import health
from brm_app.rules import health as history
from brm_app.rules.metrics import health_score
from brm_app.tests.perf.escalation import CUSTOMER_PREFIX, _make_customers


class Measured:
	"""Wall-clock seconds and SQL statements of a block."""

	def __enter__(self):
		self.statements = 0
		original = frappe.db.sql

		def counting(*args, **kwargs):
			self.statements += 1
			return original(*args, **kwargs)

		self._patch = patch.object(frappe.db, "sql", counting)
		self._patch.start()
		self.t0 = time.perf_counter()
		return self

	def __exit__(self, *exc):
		self.seconds = time.perf_counter() - self.t0
		self._patch.stop()


def _histories(n: int, weeks: int, around: int, seed: int = 26) -> list[list[int]]:
	"""Weekly scores: most portfolios steady around ``around`` (the score of a portfolio with
	no records, so the job raises no alerts), one in ten sliding, one in ten recovering."""
	rnd = random.Random(seed)
	out = []
	for i in range(n):
		kind = i % 10
		start = around if kind > 1 else rnd.randint(40, 95)
		step = -rnd.uniform(0.5, 2.5) if kind == 0 else rnd.uniform(0.5, 2.5) if kind == 1 else 0
		scores, value = [], float(start)
		for _w in range(weeks):
			value = max(0, min(100, value + step + rnd.uniform(-3, 3)))
			scores.append(round(value))
		if kind > 1:
			scores[-4:] = [around] * 4
		out.append(scores)
	return out


def _seed_snapshots(names: list[str], histories: list[list[int]]) -> None:
	this_week = history.week_ending(getdate(today()))
	now = now_datetime()
	rows = []
	for name, scores in zip(names, histories, strict=True):
		n = len(scores)
		for k, score in enumerate(scores):
			rows.append(
				health.snapshot_row(
					name, add_days(this_week, -7 * (n - k)), score, {"complaints": score - 100}, now
				)
			)
			if len(rows) >= 20000:
				frappe.db.bulk_insert(
					"Portfolio Health Snapshot", health.SNAPSHOT_FIELDS, rows, chunk_size=5000
				)
				rows = []
	if rows:
		frappe.db.bulk_insert("Portfolio Health Snapshot", health.SNAPSHOT_FIELDS, rows, chunk_size=5000)


def _print_backtest(label: str, result: history.Backtest) -> None:
	print(
		f"{label}: {result.forecasts} forecasts 60 days ahead; projected band reached "
		f"{result.share(result.band_hits)}% (band unchanged: {result.share(result.baseline_hits)}%); "
		f"score within the range {result.share(result.in_range)}%"
	)


def run(portfolios: int = 2000, weeks: int = 52) -> dict:
	from brm_app.brm_app.report.at_risk_customers.at_risk_customers import execute

	frappe.flags.mute_emails = True
	results = {}
	try:
		names = _make_customers(portfolios)
		blank = health_score(health.gather(names[:1])[names[0]]).score
		histories = _histories(portfolios, weeks, blank)
		_seed_snapshots(names, histories)
		health.refresh_health(names[:10])  # warm-up: caches

		with Measured() as write:
			health.refresh_health(None)
		with Measured() as again:
			health.refresh_health(None)
		S = frappe.qb.DocType("Portfolio Health Snapshot")
		bare_query = (
			frappe.qb.from_(S).select(S.portfolio, Max(S.week_ending), Count("*")).groupby(S.portfolio)
		)
		bare_query.run()  # warm
		with Measured() as bare:
			bare_query.run()
		frappe.db.set_value(
			"Customer Portfolio",
			{"name": ("like", f"{CUSTOMER_PREFIX}%")},
			{"health_band": "At Risk"},
			update_modified=False,
		)
		execute({})  # warm
		with Measured() as report:
			rows = execute({})[1]
		total = frappe.db.count("Portfolio Health Snapshot")
		results = {
			"portfolios": portfolios,
			"snapshots on the site": total,
			"daily job (weekly write + trend + projection + percentiles + alerts): seconds": round(
				write.seconds, 2
			),
			"daily job: SQL statements": write.statements,
			"daily job again in the same week: seconds, statements": (
				round(again.seconds, 2),
				again.statements,
			),
			"alerts raised": frappe.db.count("Health Alert", {"portfolio": ("like", f"{CUSTOMER_PREFIX}%")}),
			"At-risk report rows": len(rows),
			"At-risk report with trend columns: seconds, statements": (
				round(report.seconds, 4),
				report.statements,
			),
			"bare GROUP BY over the snapshots: seconds": round(bare.seconds, 4),
			"report / bare GROUP BY (target <= 1.5)": round(report.seconds / max(bare.seconds, 1e-6), 2),
		}
		for key, value in results.items():
			print(f"{key}: {value}")
		_print_backtest("seeded history", history.backtest(histories))
	finally:
		frappe.db.rollback()
	return results


def backtest_site() -> dict:
	"""The projection replayed on every portfolio's stored weekly history (e.g. the demo's year)."""
	S = frappe.qb.DocType("Portfolio Health Snapshot")
	series: dict[str, list[int]] = {}
	for portfolio, score in (
		frappe.qb.from_(S).select(S.portfolio, S.score).orderby(S.portfolio).orderby(S.week_ending).run()
	):
		series.setdefault(portfolio, []).append(score)
	result = history.backtest(list(series.values()))
	_print_backtest(f"{frappe.local.site} ({len(series)} portfolios)", result)
	return result.__dict__
