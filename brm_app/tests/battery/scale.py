"""The battery's scale figures (issue 12), on a scratch site: never the CI test site, the data
stays until ``unseed``.

    bench --site SCRATCH execute brm_app.tests.battery.scale.seed     # 1M complaints, 1M answers, 10k portfolios, 1M Issues
    bench --site SCRATCH execute brm_app.tests.battery.scale.measure
    bench --site SCRATCH execute brm_app.tests.battery.scale.unseed

or ``python -m brm_app.tests.battery.run --cases scale --scale-site SCRATCH`` (seeds what is missing,
measures, prints the table). Rows are bulk-inserted in chunks of 10,000 (names SCALE-...), with
the fields the reports read filled the way the process fills them.
"""

import random
import re
import time
from datetime import timedelta

import frappe
from frappe.utils import get_datetime, now_datetime

from brm_app.tests.battery.site import emit

CUSTOMER_PREFIX = "_Scale Customer"
YEAR_START = get_datetime("2025-01-01")
CHUNK = 10_000
#: The five answers of one response (so 1,000,000 answers are 200,000 responses).
ANSWER_KINDS = (
	("Rating 1-5", 1, 5),
	("Rating 1-5", 1, 5),
	("NPS 0-10", 0, 10),
	("CES 1-7", 1, 7),
	("Free Text", 0, 0),
)


def _count(doctype: str, prefix: str) -> int:
	return frappe.db.sql(f"select count(*) from `tab{doctype}` where name like %s", f"{prefix}%")[0][0]


def _customers(n: int) -> list[str]:
	names = [f"{CUSTOMER_PREFIX} {i:05d}" for i in range(n)]
	have = set(frappe.get_all("Customer", filters={"name": ("like", f"{CUSTOMER_PREFIX}%")}, pluck="name"))
	missing = [c for c in names if c not in have]
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	now = now_datetime()
	for start in range(0, len(missing), CHUNK):
		part = missing[start : start + CHUNK]
		frappe.db.bulk_insert(
			"Customer",
			["name", "customer_name", "customer_type", "customer_group", "territory", "creation", "modified"],
			[(c, c, "Company", group, territory, now, now) for c in part],
		)
		frappe.db.bulk_insert(
			"Customer Portfolio",
			["name", "customer", "customer_name", "relationship_status", "creation", "modified"],
			[(c, c, c, "Active", now, now) for c in part],
		)
	frappe.db.commit()
	return names


def _complaints(customers: list[str], n: int) -> None:
	rng = random.Random(7)
	categories = frappe.get_all("Complaint Category", pluck="name") or [None]
	fields = [
		"name", "naming_series", "customer", "customer_name", "subject", "status", "workflow_state", "severity",
		"category", "channel", "received_on", "acknowledge_by", "resolve_by", "acknowledged_on", "closed_on",
		"time_to_acknowledge", "time_to_resolve", "escalation_level", "reopen_count", "is_overdue",
		"creation", "modified",
	]  # fmt: skip
	states = {
		"Open": "Open",
		"Investigating": "Under Investigation",
		"Closed": "Closed",
		"Rejected": "Rejected",
	}
	now = now_datetime()
	start = _count("Complaint", "SCALE-C-")
	rows = []
	for i in range(start, n):
		received = YEAR_START + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
		status = rng.choice(["Open", "Investigating", "Closed", "Closed", "Closed", "Rejected"])
		ack_after = timedelta(hours=rng.uniform(0.5, 30))
		acknowledged = received + ack_after
		closed = received + timedelta(days=rng.uniform(1, 20)) if status == "Closed" else None
		rows.append(
			(
				f"SCALE-C-{i:07d}", "CMP-.YYYY.-", customers[i % len(customers)], customers[i % len(customers)],
				"Scale complaint", status, states[status], rng.choice(["Low", "Medium", "High", "Critical"]),
				rng.choice(categories), rng.choice(["Portal", "E-mail", "Phone"]), received,
				received + timedelta(hours=24),
				# open ones are not overdue: the sweep must find nothing to do
				received + timedelta(days=10) if status in ("Closed", "Rejected") else now + timedelta(days=3650),
				acknowledged, closed, ack_after.total_seconds(),
				(closed - received).total_seconds() if closed else None,
				int(rng.random() < 0.05), int(rng.random() < 0.02), 0, now, now,
			)
		)  # fmt: skip
		if len(rows) == CHUNK:
			frappe.db.bulk_insert("Complaint", fields, rows)
			frappe.db.commit()
			rows = []
	if rows:
		frappe.db.bulk_insert("Complaint", fields, rows)
	frappe.db.commit()


def _answers(customers: list[str], n: int) -> None:
	from brm_app.tests.perf.escalation import _bench_template

	rng = random.Random(11)
	now = now_datetime()
	survey = frappe.db.get_value("Satisfaction Survey", {"title": "Scale survey"}, "name")
	if not survey:
		survey = (
			frappe.get_doc(
				{
					"doctype": "Satisfaction Survey",
					"title": "Scale survey",
					"template": _bench_template(),
					"audience": "Chosen Customers",
					"customers": [{"customer": customers[0]}],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	start = _count("Survey Invitation", "SCALE-INV-")
	invitations, rows = [], []
	for i in range(start, n // len(ANSWER_KINDS)):
		name = f"SCALE-INV-{i:07d}"
		responded = YEAR_START + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
		customer = customers[i % len(customers)]
		invitations.append((name, survey, customer, "Responded", responded, f"h{i}", now, now))
		for idx, (kind, low, high) in enumerate(ANSWER_KINDS, start=1):
			scored = kind != "Free Text"
			score = rng.randint(low, high) if scored else 0
			rows.append(
				(
					f"{name}-{idx}",
					name,
					"Survey Invitation",
					"answers",
					idx,
					kind,
					"Scale",
					1,
					int(scored),
					score,
					now,
					now,
				)
			)
		if len(rows) >= CHUNK:
			_flush(invitations, rows)
			invitations, rows = [], []
	_flush(invitations, rows)


def _flush(invitations, rows) -> None:
	if invitations:
		frappe.db.bulk_insert(
			"Survey Invitation",
			["name", "survey", "customer", "status", "responded_on", "token_hash", "creation", "modified"],
			invitations,
		)
	if rows:
		frappe.db.bulk_insert(
			"Survey Answer",
			["name", "parent", "parenttype", "parentfield", "idx", "kind", "dimension", "weight", "has_score", "score", "creation", "modified"],
			rows,
		)  # fmt: skip
	frappe.db.commit()


def _issues(customers: list[str], n: int) -> str:
	"""Issues of the same shape as the complaints (customer, status, priority, type, a year)."""
	rng = random.Random(13)
	company = frappe.db.get_value("Company", {}, "name")
	priorities = frappe.get_all("Issue Priority", pluck="name") or [None]
	types = frappe.get_all("Issue Type", pluck="name") or [None]
	now = now_datetime()
	start = _count("Issue", "SCALE-ISS-")
	fields = [
		"name", "naming_series", "subject", "status", "priority", "issue_type", "customer", "company",
		"opening_date", "opening_time", "creation", "modified", "raised_by",
	]  # fmt: skip
	rows = []
	for i in range(start, n):
		opened = YEAR_START + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
		rows.append(
			(
				f"SCALE-ISS-{i:07d}", "ISS-.YYYY.-", "Scale issue", rng.choice(["Open", "Replied", "Resolved", "Closed"]),
				rng.choice(priorities), rng.choice(types), customers[i % len(customers)], company,
				opened.date(), opened.time(), opened, now, "scale@example.com",
			)
		)  # fmt: skip
		if len(rows) == CHUNK:
			frappe.db.bulk_insert("Issue", fields, rows)
			frappe.db.commit()
			rows = []
	if rows:
		frappe.db.bulk_insert("Issue", fields, rows)
	frappe.db.commit()
	return company


def seed(
	complaints: int = 1_000_000, answers: int = 1_000_000, portfolios: int = 10_000, issues: int = 1_000_000
) -> dict:
	"""Add what is missing of the data set (idempotent; resumes where a cut-off run stopped)."""
	frappe.set_user("Administrator")
	started = time.perf_counter()
	customers = _customers(portfolios)
	before = (_count("Complaint", "SCALE-C-"), _count("Survey Answer", "SCALE-INV-"))
	_complaints(customers, complaints)
	_answers(customers, answers)
	_issues(customers, issues)
	seeded = time.perf_counter() - started
	# rows bulk-inserted past the controllers: the monthly rollups are built afresh (as the
	# upgrade patch builds them), timed
	rollups = {}
	if before != (_count("Complaint", "SCALE-C-"), _count("Survey Answer", "SCALE-INV-")) or not all(
		frappe.db.count(rollup) for rollup in ("Complaint Rollup", "Survey Rollup")
	):
		from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import rebuild_all as complaints_
		from brm_app.brm_app.doctype.survey_rollup.survey_rollup import rebuild_all as answers_

		for label, build in (("complaint_rollups", complaints_), ("survey_rollups", answers_)):
			begun = time.perf_counter()
			rows = build()
			frappe.db.commit()
			rollups[label] = {"rows": rows, "seconds": round(time.perf_counter() - begun, 1)}
	return emit(
		{
			"seconds": round(seeded, 1),
			"rollups": rollups,
			"complaints": _count("Complaint", "SCALE-C-"),
			"answers": _count("Survey Answer", "SCALE-INV-"),
			"portfolios": _count("Customer Portfolio", CUSTOMER_PREFIX),
			"issues": _count("Issue", "SCALE-ISS-"),
		}
	)


def unseed() -> dict:
	frappe.set_user("Administrator")
	for doctype, prefix in (
		("Survey Answer", "SCALE-INV-"),
		("Survey Invitation", "SCALE-INV-"),
		("Complaint", "SCALE-C-"),
		("Issue", "SCALE-ISS-"),
		("Customer Portfolio", CUSTOMER_PREFIX),
		("Customer", CUSTOMER_PREFIX),
	):
		while frappe.db.sql(f"delete from `tab{doctype}` where name like %s limit 50000", f"{prefix}%"):
			frappe.db.commit()
			if not _count(doctype, prefix):
				break
	frappe.db.commit()
	return emit({"removed": True})


# ---------------------------------------------------------------------- measuring


class QueryCounter:
	"""Counts the SQL statements run inside the block (frappe.db.sql) and the seconds spent in
	them, by the first table each reads (``statements``: label -> [count, seconds])."""

	def __enter__(self):
		self.count = 0
		self.sql_seconds = 0.0
		self.statements = {}
		self.original = frappe.db.sql

		def counting(query, *args, **kwargs):
			self.count += 1
			started = time.perf_counter()
			try:
				return self.original(query, *args, **kwargs)
			finally:
				took = time.perf_counter() - started
				self.sql_seconds += took
				found = re.search(r"from\s+`?tab([^`]+)`?", str(query), re.I)
				entry = self.statements.setdefault(found.group(1) if found else "other", [0, 0.0])
				entry[0] += 1
				entry[1] += took

		frappe.db.sql = counting
		self.started = time.perf_counter()
		return self

	def __exit__(self, *exc):
		self.seconds = time.perf_counter() - self.started
		frappe.db.sql = self.original


def best(fn, repeat: int) -> float:
	times = []
	for _ in range(repeat):
		started = time.perf_counter()
		fn()
		times.append(time.perf_counter() - started)
	return min(times)


#: The bare SQL Complaint Analysis needs (grouped by customer), written by hand.
COMPLAINT_ANALYSIS_SQL = """
select customer, count(name), sum(status in ('Open','Acknowledged','Investigating','Resolution Proposed')),
	sum(status = 'Closed'), sum(status = 'Rejected'), sum(escalation_level > 0), sum(reopen_count > 0),
	sum(time_to_acknowledge), count(time_to_acknowledge),
	sum(case when status = 'Closed' then time_to_resolve end), count(case when status = 'Closed' then time_to_resolve end),
	sum(acknowledged_on is not null), sum(acknowledged_on is not null and acknowledged_on <= acknowledge_by),
	sum(status = 'Closed' and closed_on <= resolve_by),
	sum(status in ('Open','Acknowledged','Investigating','Resolution Proposed') and datediff(now(), received_on) <= 7),
	sum(status in ('Open','Acknowledged','Investigating','Resolution Proposed') and datediff(now(), received_on) between 8 and 30),
	sum(status in ('Open','Acknowledged','Investigating','Resolution Proposed') and datediff(now(), received_on) between 31 and 90),
	sum(status in ('Open','Acknowledged','Investigating','Resolution Proposed') and datediff(now(), received_on) > 90)
from `tabComplaint` where received_on >= %(s)s and received_on < %(e)s group by customer
"""


def measure(repeat: int = 3) -> dict:
	"""The scale figures on the seeded data (nothing is changed except the portfolios' and
	health figures, which the daily jobs recompute anyway)."""
	from erpnext.support.report.issue_analytics.issue_analytics import execute as issue_analytics

	from brm_app.brm_app.doctype.complaint.escalation import escalate_overdue_complaints
	from brm_app.brm_app.doctype.customer_portfolio.customer_portfolio import refresh_all_stats
	from brm_app.brm_app.doctype.customer_portfolio.health import refresh_all_health
	from brm_app.brm_app.report.brm_metrics.brm_metrics import execute as brm_metrics
	from brm_app.brm_app.report.complaint_analysis.complaint_analysis import execute as complaint_analysis
	from brm_app.tests.perf.escalation import metrics_bare_sql

	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	figures = {
		"complaints": frappe.db.count("Complaint"),
		"answers": frappe.db.count("Survey Answer"),
		"portfolios": frappe.db.count("Customer Portfolio"),
		"issues": frappe.db.count("Issue"),
	}
	params = {"s": "2025-01-01", "e": "2026-01-01"}
	year = {"from_date": "2025-01-01", "to_date": "2025-12-31"}
	# BRM Metrics, yearly: from the monthly rollups (as a user opens it) and live (the Live
	# filter: the grouped queries over the records), beside the bare GROUP BY they replace
	bare = best(lambda: [frappe.db.sql(q, params) for q in metrics_bare_sql()], repeat)
	live = best(lambda: brm_metrics({**year, "live": 1}), repeat)
	report = best(lambda: brm_metrics(year), repeat)
	same = _same(brm_metrics(year)[1], brm_metrics({**year, "live": 1})[1])
	with QueryCounter() as profile:  # where the report's time goes
		brm_metrics(year)
	figures["metrics"] = {
		"bare": bare,
		"live": live,
		"report": report,
		"ratio": report / bare,
		"speedup": bare / report,
		"same_as_live": same,
		"statements": profile.count,
		"sql_seconds": profile.sql_seconds,
		"python_seconds": profile.seconds - profile.sql_seconds,
		"by_table": sorted(
			([t, n, round(sec, 2)] for t, (n, sec) in profile.statements.items()), key=lambda r: -r[2]
		),
	}
	# Complaint Analysis against its bare SQL and against ERPNext's Issue Analytics
	bare = best(lambda: frappe.db.sql(COMPLAINT_ANALYSIS_SQL, params), repeat)
	by_customer = {**year, "group_by": "Customer"}
	live = best(lambda: complaint_analysis({**by_customer, "live": 1}), repeat)
	report = best(lambda: complaint_analysis(by_customer), repeat)
	same = _same(complaint_analysis(by_customer)[1], complaint_analysis({**by_customer, "live": 1})[1])
	company = frappe.db.get_value("Company", {}, "name")
	started = time.perf_counter()
	issue_rows = issue_analytics(
		frappe._dict({**year, "company": company, "based_on": "Customer", "range": "Monthly"})
	)[1]
	issue = time.perf_counter() - started
	figures["analysis"] = {
		"bare": bare,
		"live": live,
		"report": report,
		"ratio": report / bare,
		"speedup": bare / report,
		"same_as_live": same,
		"issue_analytics": issue,
		"issue_rows": len(issue_rows),
		"vs_issue": report / issue,
	}
	# Escalation sweep with nothing overdue, counted on its second run: the first after a cache
	# flush also reads the settings' and DocTypes' metadata (about 55 statements, once)
	escalate_overdue_complaints()
	frappe.db.rollback()
	with QueryCounter() as sweep:
		escalated = escalate_overdue_complaints()
	figures["sweep"] = {"queries": sweep.count, "seconds": sweep.seconds, "escalated": escalated}
	frappe.db.rollback()
	# Portfolio figures and health of every portfolio
	with QueryCounter() as stats:
		refresh_all_stats()
	with QueryCounter() as health:
		refresh_all_health()
	frappe.db.commit()
	figures["refresh"] = {
		"stats_queries": stats.count,
		"stats_seconds": stats.seconds,
		"health_queries": health.count,
		"health_seconds": health.seconds,
	}
	figures["upkeep"] = rollup_upkeep()
	# Read-replica safety and prepared reports
	figures["read_only"] = read_only_reports()
	figures["prepared"] = prepared_reports()
	return emit(figures)


def _same(a: list, b: list) -> bool:
	"""Whether two reports' rows carry the same figures (numbers compared to 6 places)."""

	def norm(rows):
		return sorted(
			(
				tuple(
					sorted(
						(k, round(float(v), 6) if isinstance(v, (int, float)) else str(v))
						for k, v in dict(row).items()
					)
				)
				for row in rows
			),
			key=str,
		)

	return norm(a) == norm(b)


def rollup_upkeep(samples: int = 200) -> dict:
	"""What keeping the rollups current costs per complaint save, on this data set: the work in
	the request (marking the complaint's month and customer: a Redis set and a deduplicated
	enqueue) and in the background job (rebuilding that key from the records), p50 and p95 of
	``samples`` saves of different complaints. Nothing is changed (the job's rebuild writes
	the same rows, rolled back)."""
	from brm_app.brm_app.doctype.complaint_rollup import complaint_rollup as rollup

	names = frappe.db.sql(
		"select name from `tabComplaint` where name like 'SCALE-C-%%' order by rand(5) limit %s", samples
	)
	request, job = [], []
	for (name,) in names:
		doc = frappe.get_doc("Complaint", name)
		started = time.perf_counter()
		rollup.mark_dirty(doc)
		request.append(time.perf_counter() - started)
		started = time.perf_counter()
		rollup.rebuild_keys([frappe.cache.spop(rollup.DIRTY).decode()])
		job.append(time.perf_counter() - started)
		frappe.db.rollback()
	frappe.cache.delete_value(rollup.DIRTY)

	def pct(values, p):
		values = sorted(values)
		return values[min(len(values) - 1, round(p * (len(values) - 1)))] * 1000

	total = [a + b for a, b in zip(request, job, strict=True)]
	return {
		"samples": len(total),
		"request_p95_ms": pct(request, 0.95),
		"job_p50_ms": pct(job, 0.5),
		"job_p95_ms": pct(job, 0.95),
		"total_p95_ms": pct(total, 0.95),
	}


HEAVY_REPORTS = {
	"BRM Metrics": {"from_date": "2025-01-01", "to_date": "2025-12-31"},
	"Complaint Analysis": {"from_date": "2025-01-01", "to_date": "2025-12-31", "group_by": "Customer"},
	"BRM KPIs": {"from_date": "2025-01-01", "to_date": "2025-12-31"},
	"Customer Satisfaction": {"from_date": "2025-01-01", "to_date": "2025-12-31"},
}


def read_only_reports() -> dict:
	"""Each heavy report run inside a READ ONLY transaction (what a replica allows): any write
	would fail. Returns report -> "ok" or the error."""
	from frappe.desk.query_report import run

	result = {}
	for name, filters in HEAVY_REPORTS.items():
		frappe.db.rollback()
		frappe.db.sql("START TRANSACTION READ ONLY")
		try:
			run(name, filters=filters, ignore_prepared_report=True)
			result[name] = "ok"
		except Exception as e:
			result[name] = f"{type(e).__name__}: {e}"[:200]
		finally:
			frappe.db.rollback()
	return result


def prepared_reports() -> dict:
	"""Each heavy report run as a Prepared Report (the background job, run here): its status
	and seconds."""
	from frappe.core.doctype.prepared_report import prepared_report as module

	result = {}
	for name, filters in HEAVY_REPORTS.items():
		doc = frappe.get_doc(
			{"doctype": "Prepared Report", "report_name": name, "filters": frappe.as_json(filters)}
		)
		doc.flags.ignore_permissions = True
		original = module.enqueue
		module.enqueue = lambda *a, **k: None  # run it here instead of on a worker
		try:
			doc.insert()
		finally:
			module.enqueue = original
		frappe.db.commit()
		started = time.perf_counter()
		module.generate_report(doc.name)
		seconds = time.perf_counter() - started
		status = frappe.db.get_value("Prepared Report", doc.name, "status")
		result[name] = {"status": status, "seconds": round(seconds, 2)}
		frappe.delete_doc("Prepared Report", doc.name, ignore_permissions=True, force=True)
		frappe.db.commit()
	return result
