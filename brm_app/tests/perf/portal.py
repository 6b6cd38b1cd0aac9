"""Benchmark: the customer portal's complaint list against Frappe's own REST list.

Target: ``/complaints`` for a customer with 1,000 complaints among 200,000 answers with a
p95 (over 200 sequential requests) at most 1.2 x the p95 of ``/api/resource/Complaint`` for
the same user, filters, order and page.

On a scratch site (never the CI test site; the data stays until ``unseed``)::

    bench --site SITE execute brm_app.tests.perf.portal.seed --kwargs '{"total": 200000, "own": 1000}'
    bench --site SITE execute brm_app.tests.perf.portal.explain
    # serve the site (gunicorn, several workers), then either, from the bench:
    bench --site SITE execute brm_app.tests.perf.portal.measure --kwargs '{"base_url": "http://SITE:PORT"}'
    # or from any Python 3 (standard library only):
    python brm_app/tests/perf/portal.py --base-url http://SITE:PORT --user U --password P
    bench --site SITE execute brm_app.tests.perf.portal.unseed

``seed`` and ``explain`` need a site (``bench execute``); ``measure`` only needs HTTP, and,
run through ``bench execute``, also prints the server-side timings of ``explain``.
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

COMPLAINT = "Complaint"
NAME_PREFIX = "CMP-BENCH-"
DEFAULT_CUSTOMER = "_Bench Portal Customer"
OTHER_PREFIX = "_Bench Portal Other"
EMPTY_CUSTOMER = "_Bench Portal Empty"
DEFAULT_USER = "bench.portal@example.com"
EMPTY_USER = "bench.portal.empty@example.com"
DEFAULT_PASSWORD = "Bench-Portal-2024!"
DEFAULT_BASE_URL = "http://brm-old.localhost:8010"

#: brm_app.rules.complaint.OPEN_STATUSES, repeated so that the HTTP client needs no imports
#: (``seed`` and ``explain`` check that the two agree).
OPEN_STATUSES = ("Open", "Acknowledged", "Investigating", "Resolution Proposed")
FINAL_STATUSES = ("Closed", "Rejected")
API_FIELDS = [
	"name",
	"subject",
	"status",
	"received_on",
	"acknowledge_by",
	"resolve_by",
	"closed_on",
	"customer",
]
PAGE_LENGTH = 20

SUBJECTS = (
	"Service outage not communicated",
	"Invoice does not match the contract",
	"Ticket closed without a fix",
	"Slow response from the service desk",
	"Monthly report delivered late",
	"Payroll run contained errors",
	"Backup restore took too long",
	"Engineer missed the agreed visit",
	"Change deployed without approval",
	"Escalation ignored for a week",
	"Password reset process is confusing",
	"Hosting performance degraded at month end",
)
SEVERITY_HOURS = {"Low": 72, "Medium": 24, "High": 8, "Critical": 4}
SEVERITY_WEIGHTS = {"Low": 20, "Medium": 50, "High": 22, "Critical": 8}
CHANNEL_WEIGHTS = {"Portal": 35, "E-mail": 30, "Phone": 15, "Meeting": 5, "Survey": 5, "Desk": 10}
OPEN_WEIGHTS = {"Open": 25, "Acknowledged": 25, "Investigating": 35, "Resolution Proposed": 15}

COLUMNS = [
	"name",
	"naming_series",
	"subject",
	"customer",
	"customer_name",
	"status",
	"workflow_state",
	"severity",
	"channel",
	"received_on",
	"acknowledge_by",
	"resolve_by",
	"is_overdue",
	"acknowledged_on",
	"investigation_started_on",
	"resolution_proposed_on",
	"closed_on",
	"description",
	"reopen_count",
	"escalation_level",
	"docstatus",
	"owner",
	"modified_by",
	"creation",
	"modified",
]


# ----------------------------------------------------------------------------- seed


def _check_statuses() -> None:
	from brm_app.rules import complaint as crules

	assert tuple(crules.OPEN_STATUSES) == OPEN_STATUSES, crules.OPEN_STATUSES
	assert set(crules.FINAL_STATUSES) == set(FINAL_STATUSES), crules.FINAL_STATUSES


def _workflow_states() -> dict[str, str]:
	"""Canonical status -> the active Workflow's state that sets it (the status itself without one)."""
	import frappe
	from frappe.model.workflow import get_workflow, get_workflow_name

	states = {s: s for s in (*OPEN_STATUSES, *FINAL_STATUSES)}
	if get_workflow_name(COMPLAINT):
		for row in reversed(get_workflow(COMPLAINT).states):
			if row.update_field == "status" and row.update_value in states:
				states[row.update_value] = row.state
	frappe.clear_messages()
	return states


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
	return rng.choices(list(weights), weights=list(weights.values()))[0]


def _status_for_age(rng: random.Random, age_days: float) -> str:
	"""Recent complaints are mostly open, older ones mostly closed."""
	final_share = 0.15 if age_days < 30 else 0.5 if age_days < 90 else 0.93
	if rng.random() < final_share:
		return "Rejected" if rng.random() < 0.08 else "Closed"
	return _pick(rng, OPEN_WEIGHTS)


def _complaint_rows(total: int, own: int, customer: str, others: list[str], names: dict, now: datetime):
	"""Rows for ``COLUMNS``, oldest first: ``own`` of ``total`` for ``customer``, at random positions."""
	rng = random.Random(20240601)
	states = _workflow_states()
	span = 730 * 86400
	received = sorted(now - timedelta(seconds=rng.randrange(span)) for _ in range(total))
	mine = set(rng.sample(range(total), own))
	for i, received_on in enumerate(received):
		cust = customer if i in mine else others[i % len(others)]
		age_days = (now - received_on).total_seconds() / 86400
		status = _status_for_age(rng, age_days)
		severity = _pick(rng, SEVERITY_WEIGHTS)
		acknowledge_by = received_on + timedelta(hours=SEVERITY_HOURS[severity])
		resolve_by = received_on + timedelta(days=10 if severity in ("Low", "Medium") else 5)
		steps = [None, None, None, None]  # acknowledged, investigating, proposed, closed
		order = ("Acknowledged", "Investigating", "Resolution Proposed")
		reached = 4 if status in FINAL_STATUSES else (order.index(status) + 1 if status in order else 0)
		at = received_on
		for step in range(reached):
			at = min(now, at + timedelta(hours=rng.randrange(1, 96)))
			steps[step] = at
		if status == "Rejected":
			steps = [steps[0], None, None, steps[3]]
		overdue = int(status in OPEN_STATUSES and resolve_by < now)
		rows = (
			f"{NAME_PREFIX}{i + 1:07d}",
			"CMP-.YYYY.-",
			f"{rng.choice(SUBJECTS)} (#{i + 1})",
			cust,
			names.get(cust, cust),
			status,
			states[status],
			severity,
			_pick(rng, CHANNEL_WEIGHTS),
			received_on,
			acknowledge_by,
			resolve_by,
			overdue,
			*steps,
			"<p>Synthetic complaint for the portal benchmark.</p>",
			0,
			0,
			0,
			"Administrator",
			"Administrator",
			received_on,
			max([received_on, *(s for s in steps if s)]),
		)
		yield rows


def _counts(customer: str) -> tuple[int, int]:
	import frappe

	total = frappe.db.sql("select count(*) from `tabComplaint` where name like %s", f"{NAME_PREFIX}%")[0][0]
	own = frappe.db.sql(
		"select count(*) from `tabComplaint` where name like %s and customer = %s",
		(f"{NAME_PREFIX}%", customer),
	)[0][0]
	return total, own


def seed(
	total: int = 200_000,
	own: int = 1_000,
	customer: str = DEFAULT_CUSTOMER,
	other_customers: int = 50,
	user: str = DEFAULT_USER,
	password: str = DEFAULT_PASSWORD,
	chunk_size: int = 5_000,
) -> dict:
	"""Customers, a portal user with a password (and one whose customer has no complaint), and
	``total`` complaints of which ``own`` belong to ``customer``. Skips what is already there."""
	import frappe
	from frappe.utils import now_datetime

	from brm_app.tests.utils import make_customer, make_portal_user

	_check_statuses()
	total, own, other_customers = int(total), int(own), int(other_customers)
	t0 = time.perf_counter()
	frappe.flags.mute_emails = True
	others = [make_customer(f"{OTHER_PREFIX} {i:03d}") for i in range(1, other_customers + 1)]
	make_customer(customer)
	make_customer(EMPTY_CUSTOMER)
	make_portal_user(user, [customer], password=password)
	make_portal_user(EMPTY_USER, [EMPTY_CUSTOMER], password=password)
	frappe.db.commit()
	t_master = time.perf_counter() - t0

	existing = _counts(customer)
	inserted = 0
	t_insert = 0.0
	if existing == (total, own):
		print(f"already seeded: {total} benchmark complaints, {own} of {customer}; nothing inserted")
	else:
		if existing[0]:
			print(
				f"removing {existing[0]} benchmark complaints seeded with other figures ({existing[1]} own)"
			)
			_delete_complaints()
		names = dict(
			frappe.get_all(
				"Customer",
				filters={"name": ("in", [customer, *others])},
				fields=["name", "customer_name"],
				as_list=True,
			)
		)
		t1 = time.perf_counter()
		rows = _complaint_rows(total, own, customer, others, names, now_datetime().replace(microsecond=0))
		frappe.db.bulk_insert(COMPLAINT, COLUMNS, rows, chunk_size=int(chunk_size))
		frappe.db.commit()
		t_insert = time.perf_counter() - t1
		inserted = total
	frappe.db.sql("analyze table `tabComplaint`")

	total_now, own_now = _counts(customer)
	open_own = frappe.db.count(COMPLAINT, {"customer": customer, "status": ("in", OPEN_STATUSES)})
	result = {
		"customer": customer,
		"user": user,
		"empty user": EMPTY_USER,
		"complaints on site": frappe.db.count(COMPLAINT),
		"benchmark complaints": total_now,
		"of the customer": own_now,
		"open, of the customer": open_own,
		"inserted": inserted,
		"seconds, customers and users": round(t_master, 2),
		"seconds, complaints": round(t_insert, 2),
	}
	for key, value in result.items():
		print(f"{key}: {value}")
	return result


def _delete_complaints() -> None:
	import frappe

	frappe.db.sql("delete from `tabComplaint` where name like %s", f"{NAME_PREFIX}%")


def unseed(customer: str = DEFAULT_CUSTOMER) -> None:
	"""Remove the benchmark complaints (the customers and users stay: they are cheap)."""
	import frappe

	_delete_complaints()
	frappe.db.commit()
	print("benchmark complaints removed; counts now:", _counts(customer))


# ----------------------------------------------------------------------------- server side


def _api_args(customer: str) -> dict:
	return {
		"fields": API_FIELDS,
		"filters": [["customer", "=", customer], ["status", "in", list(OPEN_STATUSES)]],
		"order_by": "received_on desc",
		"limit_page_length": PAGE_LENGTH,
	}


class _Capture:
	"""The SELECTs on tabComplaint that run inside the block (frappe.db.sql wrapped)."""

	def __enter__(self):
		import frappe

		self.queries = []
		self.db = frappe.db
		original = frappe.db.sql

		def sql(query, *args, **kwargs):
			text = str(query)
			if "`tabComplaint`" in text:
				self.queries.append((text, args[0] if args else kwargs.get("values", ())))
			return original(query, *args, **kwargs)

		self.db.sql = sql
		return self

	def __exit__(self, *exc):
		del self.db.sql


def _list_queries(customer: str, user: str) -> dict[str, str]:
	"""The SQL the portal page and the REST list run for ``user``, permission condition included."""
	import frappe
	import frappe.client

	from brm_app.portal.complaints import complaint_list

	frappe.set_user(user)
	try:
		with _Capture() as portal:
			complaint_list([customer], 1, "open", None)
		with _Capture() as api:
			frappe.client.get_list(COMPLAINT, **_api_args(customer))
	finally:
		frappe.set_user("Administrator")
	result = {}
	for label, capture in (("portal", portal), ("api", api)):
		selects = [q for q in capture.queries if q[0].lstrip().lower().startswith("select")]
		query, values = selects[-1]
		result[label] = frappe.db.mogrify(query, values) if values else query
	return result


def _median_ms(fn, repeat: int) -> float:
	times = []
	for _ in range(repeat):
		t0 = time.perf_counter()
		fn()
		times.append((time.perf_counter() - t0) * 1000)
	return round(statistics.median(times), 2)


def _render_page(user: str, path: str = "/complaints") -> str:
	import frappe
	from frappe.utils import set_request
	from frappe.website.serve import get_response

	frappe.set_user(user)
	try:
		set_request(method="GET", path=path)
		frappe.local.form_dict = frappe._dict(frappe.local.request.args.items())
		frappe.local.response = frappe._dict()
		response = get_response()
		return frappe.safe_decode(response.get_data())
	finally:
		frappe.set_user("Administrator")
		frappe.local.request = None


def server_timings(customer: str = DEFAULT_CUSTOMER, user: str = DEFAULT_USER, repeat: int = 30) -> dict:
	"""Median in-process milliseconds: raw SQL of both lists, complaint_list, frappe.client.get_list
	and the whole page rendered (no HTTP, no login), for ``user`` and for a user without complaints."""
	import frappe
	import frappe.client

	from brm_app.customers import get_customers_for_user
	from brm_app.portal.complaints import complaint_list

	queries = _list_queries(customer, user)

	def as_user(fn, who=user):
		def run():
			frappe.set_user(who)
			try:
				fn()
			finally:
				frappe.set_user("Administrator")

		return run

	timings = {
		"SQL, portal list": _median_ms(lambda: frappe.db.sql(queries["portal"]), repeat),
		"SQL, REST list": _median_ms(lambda: frappe.db.sql(queries["api"]), repeat),
		"get_customers_for_user": _median_ms(as_user(lambda: get_customers_for_user()), repeat),
		"complaint_list": _median_ms(as_user(lambda: complaint_list([customer], 1, "open", None)), repeat),
		"frappe.client.get_list": _median_ms(
			as_user(lambda: frappe.client.get_list(COMPLAINT, **_api_args(customer))), repeat
		),
	}
	try:
		_render_page(user)  # warm the caches
		timings["page rendered in-process"] = _median_ms(lambda: _render_page(user), repeat)
		if frappe.db.exists("User", EMPTY_USER):
			_render_page(EMPTY_USER)
			timings["page rendered in-process, user without complaints"] = _median_ms(
				lambda: _render_page(EMPTY_USER), repeat
			)
	except Exception as e:
		timings["page rendered in-process"] = f"not measured: {e!r}"
	print(f"server side, median of {repeat} (ms):")
	for key, value in timings.items():
		print(f"  {key}: {value}")
	return timings


def explain(customer: str = DEFAULT_CUSTOMER, user: str = DEFAULT_USER, repeat: int = 30) -> dict:
	"""EXPLAIN (and ANALYZE: rows really read) of the list query the portal and the REST list run,
	with the ``customer in (...)`` condition the Customer role's permission hook adds."""
	import frappe

	_check_statuses()
	if not frappe.db.exists("User", user):
		raise SystemExit(f"{user} does not exist: run seed first")
	queries = _list_queries(customer, user)
	result = {}
	for label, query in queries.items():
		print(f"--- {label}\n{' '.join(query.split())}")
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		analyzed = frappe.db.sql(f"analyze {query}", as_dict=True)
		for row, real in zip(plan, analyzed, strict=False):
			print(
				f"  table={row.get('table')} type={row.get('type')} possible_keys={row.get('possible_keys')}"
				f" key={row.get('key')} key_len={row.get('key_len')} rows={row.get('rows')}"
				f" r_rows={real.get('r_rows')} r_filtered={real.get('r_filtered')} Extra={row.get('Extra')}"
			)
		result[label] = [
			{"key": row.get("key"), "rows": row.get("rows"), "r_rows": real.get("r_rows")}
			for row, real in zip(plan, analyzed, strict=False)
		]
	print("--- indexes of tabComplaint")
	for row in frappe.db.sql("show index from `tabComplaint`", as_dict=True):
		print(f"  {row.Key_name}: seq {row.Seq_in_index} {row.Column_name} (cardinality {row.Cardinality})")
	result["timings"] = server_timings(customer, user, repeat)
	return result


# ----------------------------------------------------------------------------- HTTP client


class Client:
	"""A minimal cookie-keeping HTTP client (standard library; a new connection per request,
	as gunicorn's sync workers close the connection after each response anyway)."""

	def __init__(self, base_url: str, host: str | None = None, timeout: float = 120):
		parts = urlsplit(base_url)
		self.scheme = parts.scheme or "http"
		self.netloc = parts.netloc
		self.host = host or parts.netloc
		self.timeout = timeout
		self.cookies: dict[str, str] = {}

	def request(self, method: str, path: str, body: dict | None = None, accept: str = "text/html"):
		conn_class = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
		conn = conn_class(self.netloc, timeout=self.timeout)
		headers = {"Host": self.host, "Accept": accept, "Connection": "close"}
		if self.cookies:
			headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
		data = None
		if body is not None:
			data = urlencode(body).encode()
			headers["Content-Type"] = "application/x-www-form-urlencoded"
		try:
			conn.request(method, path, body=data, headers=headers)
			response = conn.getresponse()
			content = response.read()
			for header in response.headers.get_all("Set-Cookie") or []:
				cookie = SimpleCookie()
				cookie.load(header)
				for key, morsel in cookie.items():
					self.cookies[key] = morsel.value
			return response.status, content
		finally:
			conn.close()

	def login(self, user: str, password: str) -> None:
		status, content = self.request(
			"POST", "/api/method/login", {"usr": user, "pwd": password}, accept="application/json"
		)
		if status != 200 or "sid" not in self.cookies or self.cookies["sid"] == "Guest":
			raise SystemExit(f"login as {user} failed: HTTP {status} {content[:300]!r}")


def percentile(values: list[float], p: float) -> float:
	"""Linear interpolation between closest ranks (numpy's default)."""
	ordered = sorted(values)
	k = (len(ordered) - 1) * p / 100
	lo = int(k)
	hi = min(lo + 1, len(ordered) - 1)
	return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _summary(times: list[float]) -> dict:
	return {
		"p50": round(percentile(times, 50), 1),
		"p95": round(percentile(times, 95), 1),
		"max": round(max(times), 1),
		"mean": round(statistics.fmean(times), 1),
	}


def _page_names(html: bytes) -> list[str]:
	text = html.decode("utf-8", "replace")
	names = []
	for chunk in text.split('href="/complaints/')[1:]:
		name = chunk.split('"', 1)[0]
		if name != "new" and name not in names:
			names.append(name)
	return names


def measure(
	base_url: str = DEFAULT_BASE_URL,
	user: str = DEFAULT_USER,
	password: str = DEFAULT_PASSWORD,
	requests: int = 200,
	warmup: int = 20,
	customer: str = DEFAULT_CUSTOMER,
	host: str | None = None,
	page: str = "/complaints",
	target: float = 1.2,
	reference_page: str | None = None,
) -> dict:
	"""Log in, then alternate the portal page and the REST list (``requests`` timed of each after
	``warmup`` untimed), sequentially; print p50/p95/max (ms) and p95(page) / p95(api).

	``reference_page`` (e.g. Frappe's own "/me") is timed in the same rounds too, as the floor
	of any server-rendered portal page."""
	requests, warmup = int(requests), int(warmup)
	client = Client(base_url, host)
	client.login(user, password)
	api_path = "/api/resource/Complaint?" + urlencode(
		{
			key: json.dumps(value) if isinstance(value, list) else value
			for key, value in _api_args(customer).items()
		}
	)

	def timed(path: str, accept: str):
		t0 = time.perf_counter()
		status, content = client.request("GET", path, accept=accept)
		elapsed = (time.perf_counter() - t0) * 1000
		if status != 200:
			raise SystemExit(f"GET {path}: HTTP {status} {content[:300]!r}")
		return elapsed, content

	page_times, api_times, reference_times = [], [], []
	page_rows = api_rows = None
	for i in range(warmup + requests):
		page_ms, html = timed(page, "text/html")
		api_ms, payload = timed(api_path, "application/json")
		reference_ms = timed(reference_page, "text/html")[0] if reference_page else None
		if i >= warmup:
			page_times.append(page_ms)
			api_times.append(api_ms)
			if reference_page:
				reference_times.append(reference_ms)
		else:
			page_rows = _page_names(html)
			api_rows = [row["name"] for row in json.loads(payload)["data"]]
	if page_rows is not None:
		same = page_rows == api_rows
		print(f"rows: page {len(page_rows)}, api {len(api_rows)}, same complaints in the same order: {same}")
		if not same:
			print(f"  page: {page_rows[:5]}...\n  api:  {api_rows[:5]}...")
	result = {"page": _summary(page_times), "api": _summary(api_times)}
	result["ratio p95 page/api"] = round(result["page"]["p95"] / result["api"]["p95"], 2)
	result["ratio p50 page/api"] = round(result["page"]["p50"] / result["api"]["p50"], 2)
	labels = {"page": page, "api": "REST list"}
	if reference_page:
		result["reference"] = _summary(reference_times)
		result["ratio p95 page/reference"] = round(result["page"]["p95"] / result["reference"]["p95"], 2)
		labels["reference"] = reference_page
	print(f"{requests} requests each after {warmup} warm-up, sequential, alternating; ms:")
	for label, name in labels.items():
		s = result[label]
		print(
			f"  {name:16} p50 {s['p50']:8.1f}  p95 {s['p95']:8.1f}  max {s['max']:8.1f}  mean {s['mean']:8.1f}"
		)
	verdict = "meets" if result["ratio p95 page/api"] <= target else "misses"
	print(
		f"p95 page / p95 api = {result['ratio p95 page/api']} ({verdict} the target {target});"
		f" p50 ratio {result['ratio p50 page/api']}"
	)

	if reference_page:
		print(f"p95 page / p95 {reference_page} = {result['ratio p95 page/reference']}")

	if "frappe" in sys.modules and getattr(sys.modules["frappe"], "db", None):
		result["server"] = server_timings(customer, user)
	return result


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--base-url", default=DEFAULT_BASE_URL)
	parser.add_argument("--host", help="Host header, if base-url names an address (default: from base-url)")
	parser.add_argument("--user", default=DEFAULT_USER)
	parser.add_argument("--password", default=DEFAULT_PASSWORD)
	parser.add_argument("--customer", default=DEFAULT_CUSTOMER)
	parser.add_argument("--requests", type=int, default=200)
	parser.add_argument("--warmup", type=int, default=20)
	parser.add_argument("--page", default="/complaints")
	parser.add_argument("--reference-page", help='a page timed in the same rounds, e.g. "/me"')
	parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
	args = parser.parse_args(argv)
	result = measure(
		args.base_url,
		args.user,
		args.password,
		args.requests,
		args.warmup,
		args.customer,
		args.host,
		args.page,
		reference_page=args.reference_page,
	)
	if args.json:
		print(json.dumps(result, indent=1))
	return 0


if __name__ == "__main__":
	sys.exit(main())
