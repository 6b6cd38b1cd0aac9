"""Benchmark: similar-complaint suggestions (brm_app/brm_app/doctype/complaint/similar.py) over the complaints of a site.

Run on a site seeded by ``brm_app.tests.perf.portal.seed`` (200,000 complaints)::

    bench --site <site> execute brm_app.tests.perf.similar.measure
    # the seeded texts have 12 distinct subjects and one description: give the benchmark
    # complaints realistic ones (seeded RNG, batched SQL; received dates, customers and
    # statuses unchanged), measure again, and put the seeded texts back
    bench --site <site> execute brm_app.tests.perf.similar.rewrite --kwargs '{"corpus": "realistic"}'
    bench --site <site> execute brm_app.tests.perf.similar.measure
    bench --site <site> execute brm_app.tests.perf.similar.rewrite --kwargs '{"corpus": "seeded"}'

``measure`` prints p50 / p95 (ms) of the desk suggestion (customer's open ones + other
customers' recent ones, as Administrator), of the portal suggestion (the customer's own open
ones), and of a bare natural-language FULLTEXT query over the whole table (what the first
version started from), for two sets of queries: ``typed`` (a subject only, as typed) and
``written`` (subject and description of a complaint from the realistic generator). Target
(issue 10): p95 <= 50 ms over 200,000 complaints. A measurement, not a test."""

import functools
import random
import time
from datetime import datetime

import frappe

from brm_app.tests.perf.portal import NAME_PREFIX, SUBJECTS, percentile

TYPED = (
	"outage not communicated to us",
	"invoice does not match",
	"ticket closed but nothing fixed",
	"service desk slow to respond",
	"backup restore too slow",
	"engineer did not come",
	"payroll errors again this month",
	"password reset confusing",
	"VPN keeps disconnecting",
	"Exchange mailbox very slow at Ghent office",
	"charged twice for licences",
	"printer fleet prints blank pages",
)

# ----------------------------------------------------------------------------- realistic texts

SYSTEMS = (
	"Exchange mailbox", "VPN gateway", "payroll module", "SAP interface", "Citrix workspace",
	"file server", "SharePoint intranet", "printer fleet", "Teams telephony", "CRM integration",
	"backup appliance", "firewall cluster", "guest WiFi", "laptop rollout", "Office licences",
	"ERP reporting", "SQL cluster", "web shop", "self-service portal", "MFA tokens",
	"Azure tenant", "domain controller", "call recording", "contact centre queue",
	"door access badges", "CCTV storage", "time registration", "expense claims app",
	"invoice scanning", "EDI link", "warehouse scanners", "label printers", "HR self-service",
	"learning platform", "document archive", "mobile device management", "antivirus console",
	"patch management", "monitoring dashboard", "ticket portal", "service desk phone line",
	"on-site support", "asset inventory", "software catalogue", "password vault",
	"single sign-on", "data warehouse", "BI dashboards", "e-mail signatures", "spam filter",
	"video conferencing rooms", "meeting room screens", "network switches", "internet uplink",
	"SD-WAN routers", "load balancer", "DNS service", "certificate renewal", "cloud storage",
	"test environment",
)  # fmt: skip
PROBLEMS = (
	"is down", "is very slow", "keeps disconnecting", "does not synchronise",
	"shows wrong figures", "rejects valid logins", "lost data after the update",
	"crashed twice today", "failed overnight", "returns error 500", "times out",
	"sends duplicate messages", "is missing records", "was changed without notice",
	"is still not repaired", "locks users out", "prints blank pages", "freezes at start-up",
	"cannot be reached from home", "drops calls", "is billed wrongly", "was charged twice",
	"licence expired", "certificate expired", "degraded after migration",
	"broke after the upgrade", "delivers reports late", "sends no alerts",
	"raises false alarms", "is not covered by the contract", "was configured incorrectly",
	"needs a daily workaround", "blocks the month-end close",
	"stopped after the maintenance window", "runs out of disk space", "runs an outdated version",
	"loses settings after reboot", "shows another customer's data", "is unusable on mobile",
	"ignores our retention policy",
)  # fmt: skip
SITES = (
	"Rotterdam office", "Antwerp warehouse", "head office", "Lyon plant", "Ghent office",
	"Utrecht branch", "Brussels showroom", "Lille depot", "Eindhoven lab", "Liege plant",
	"Amsterdam office", "Namur branch", "Breda warehouse", "Leuven campus", "Mechelen depot",
	"Zwolle office", "Hasselt branch", "Tilburg plant", "Bruges office", "Arnhem depot",
	"Groningen branch", "Mons warehouse", "Delft lab", "Kortrijk plant", "Nijmegen office",
)  # fmt: skip
TEAMS = (
	"finance", "sales", "logistics", "customer service", "HR", "production", "purchasing",
	"marketing", "legal", "planning", "quality", "maintenance", "reception", "management",
)  # fmt: skip
PEOPLE = (
	"Jansen", "Peeters", "De Vries", "Maes", "Dubois", "Claes", "Bakker", "Willems", "Visser",
	"Lambert", "Smit", "Mertens", "Meijer", "Dupont", "Mulder", "Jacobs", "Bos", "Goossens",
	"Vos", "Martin", "Hendriks", "Wouters", "Dekker", "Leroy", "Brouwer",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December",
)  # fmt: skip
SUBJECT_TEMPLATES = (
	"{system} {problem}",
	"{system} {problem}",
	"{system} {problem} at {site}",
	"{site}: {system} {problem}",
	"Again: {system} {problem}",
	"{system} {problem} since {weekday}",
	"Urgent - {system} {problem}",
	"Escalation: {system} {problem}",
	"{system}: {problem} (ticket {ticket})",
	"Invoice {invoice} for the {system} is wrong",
	"Charged for the {system} we cancelled in {month}",
	"Engineer did not show up at {site}",
	"No answer on ticket {ticket} about the {system}",
	"Complaint about {person} of the service desk",
	"Change on the {system} made without approval",
	"Monthly report for {month} delivered late",
)
SENTENCES = (
	"Since {weekday} the {system} {problem}.",
	"Our {team} team cannot work because of this.",
	"This is the {ordinal} time this {period} that this happens.",
	"We reported it on ticket {ticket} but nobody called back.",
	"{person} from your service desk promised a fix by {weekday}.",
	"The contract says {hours} hours to resolve this.",
	"Please send an engineer to the {site}.",
	"Invoice {invoice} lists {count} licences but we only use {count2}.",
	"Users at the {site} lose about {count} minutes a day.",
	"We expect a credit note for the downtime.",
	"The workaround you proposed does not help.",
	"Our own customers noticed it too and complained to us.",
	"After the maintenance on {weekday} the {system} {problem}.",
	"Nobody informed us about the planned change.",
	"We want a root cause analysis before the end of {month}.",
	"Your engineer {person} left without finishing the job.",
	"The {system} at the {site} and the {site2} are affected.",
	"Please escalate this to our account manager.",
	"It affects about {count} users in the {team} department.",
	"The report for {month} shows {count} incidents, we counted {count2}.",
	"We also see that the {system} {problem}.",
	"Could someone call {person} in our {team} team today?",
	"The same problem was closed in {month} without a real fix.",
	"We are losing orders because of this.",
	"This was not the case before the migration.",
	"Our auditors will ask about this.",
	"We are very disappointed with the service.",
	"The status page said everything was fine.",
)
ORDINALS = ("second", "third", "fourth", "fifth")
PERIODS = ("week", "month", "quarter")


@functools.cache
def _zipf(values: tuple) -> list[float]:
	return [1 / (rank + 1) for rank in range(len(values))]


def _choice(rng: random.Random, values: tuple):
	"""A value, the first ones far more often (Zipf), as words are in real complaints."""
	return rng.choices(values, weights=_zipf(values))[0]


def _slots(rng: random.Random) -> dict:
	count = rng.randrange(2, 400)
	return {
		"system": _choice(rng, SYSTEMS),
		"problem": _choice(rng, PROBLEMS),
		"site": _choice(rng, SITES),
		"site2": _choice(rng, SITES),
		"team": _choice(rng, TEAMS),
		"person": _choice(rng, PEOPLE),
		"weekday": rng.choice(WEEKDAYS),
		"month": rng.choice(MONTHS),
		"ordinal": rng.choice(ORDINALS),
		"period": rng.choice(PERIODS),
		"ticket": f"T-{rng.randrange(100000, 999999)}",
		"invoice": f"INV-{rng.randrange(2024, 2027)}-{rng.randrange(1, 99999):05d}",
		"hours": rng.choice((4, 8, 24, 48)),
		"count": count,
		"count2": max(1, count - rng.randrange(1, 50)),
	}


def _incident(received_on: datetime | None) -> dict:
	"""The week's incident (a system and a problem) that a share of that week's complaints are about."""
	year, week, _ = (received_on or datetime(2025, 1, 1)).isocalendar()
	rng = random.Random(year * 100 + week)
	return {"system": _choice(rng, SYSTEMS), "problem": _choice(rng, PROBLEMS)}


def realistic_text(rng: random.Random, received_on: datetime | None = None) -> tuple[str, str]:
	"""A complaint's subject and description (HTML), from the templates above; a fifth of a
	week's complaints are about that week's incident."""
	slots = _slots(rng)
	if rng.random() < 0.2:
		slots.update(_incident(received_on))
	subject = rng.choice(SUBJECT_TEMPLATES).format(**slots)
	subject = subject[0].upper() + subject[1:]
	sentences = [s.format(**slots) for s in rng.sample(SENTENCES, rng.randrange(2, 6))]
	if "{system}" not in " ".join(sentences) and rng.random() < 0.6:
		sentences.insert(0, SENTENCES[0].format(**slots))
	return subject[:140], f"<p>{' '.join(sentences)}</p>"


def _seeded_texts() -> dict[str, tuple[str, str]]:
	"""name -> the subject and description ``tests.perf.portal.seed`` gave each benchmark complaint
	(its generator is deterministic: run again with the same figures)."""
	from frappe.utils import now_datetime

	from brm_app.tests.perf import portal

	total, own = portal._counts(portal.DEFAULT_CUSTOMER)
	rows = portal._complaint_rows(total, own, portal.DEFAULT_CUSTOMER, ["x"], {}, now_datetime())
	subject, description = portal.COLUMNS.index("subject"), portal.COLUMNS.index("description")
	return {row[0]: (row[subject], row[description]) for row in rows}


def rewrite(corpus: str = "realistic", seed: int = 7, chunk_size: int = 5000) -> dict:
	"""Give the benchmark complaints (CMP-BENCH-*) ``realistic`` texts or back their ``seeded``
	ones, in batched SQL: a temporary table of the texts, one UPDATE ... JOIN, and the FULLTEXT
	index dropped first and built again afterwards (updating it row by row would leave 200,000
	deleted entries that every search then skips). Received dates, customers, statuses stay."""
	from brm_app.brm_app.doctype.complaint.similar import (
		FULLTEXT_INDEX,
		add_fulltext_index,
		forget_vocabulary,
	)

	if corpus not in ("realistic", "seeded"):
		raise ValueError(f"corpus: realistic or seeded, not {corpus!r}")
	t0 = time.perf_counter()
	rows = frappe.db.sql(
		"select name, received_on from `tabComplaint` where name like %s order by name", f"{NAME_PREFIX}%"
	)
	if corpus == "seeded":
		texts = _seeded_texts()
	else:
		rng = random.Random(int(seed))
		texts = {name: realistic_text(rng, received_on) for name, received_on in rows}
	frappe.db.sql("drop temporary table if exists `_brm_similar_texts`")
	frappe.db.sql(
		"""create temporary table `_brm_similar_texts` (name varchar(140) primary key,
		subject varchar(140), description longtext)"""
	)
	names = [name for name, _ in rows if name in texts]
	for start in range(0, len(names), int(chunk_size)):
		chunk = names[start : start + int(chunk_size)]
		values = [v for name in chunk for v in (name, *texts[name])]
		frappe.db.sql(
			"insert into `_brm_similar_texts` (name, subject, description) values "
			+ ", ".join(["(%s, %s, %s)"] * len(chunk)),
			values,
		)
	if frappe.db.sql("show index from `tabComplaint` where Key_name = %s", FULLTEXT_INDEX):
		frappe.db.sql_ddl(f"alter table `tabComplaint` drop index `{FULLTEXT_INDEX}`")
	frappe.db.sql(
		"""update `tabComplaint` c join `_brm_similar_texts` t on t.name = c.name
		set c.subject = t.subject, c.description = t.description"""
	)
	frappe.db.commit()
	add_fulltext_index()
	frappe.db.sql("drop temporary table if exists `_brm_similar_texts`")
	frappe.db.sql("analyze table `tabComplaint`")
	forget_vocabulary()
	result = {"corpus": corpus, "rewritten": len(names), "seconds": round(time.perf_counter() - t0, 1)}
	print(result)
	return result


# ----------------------------------------------------------------------------- measure


def corpus_facts() -> dict:
	"""What the measured complaints are like."""
	from frappe.utils import add_days, now_datetime

	from brm_app.brm_app.doctype.complaint.similar import get_vocabulary
	from brm_app.rules.similar import RECENT_DAYS

	since = add_days(now_datetime(), -RECENT_DAYS)
	vocabulary = get_vocabulary()
	common = sorted(((w, vocabulary.share(w)) for w in vocabulary.documents), key=lambda item: -item[1])
	return {
		"complaints": frappe.db.count("Complaint"),
		f"received in the last {RECENT_DAYS} days": frappe.db.count(
			"Complaint", {"received_on": (">=", since)}
		),
		"sampled words (met twice or more)": len(common),
		"words in >= 5% of sampled complaints": sum(1 for _, share in common if share >= 0.05),
		"most common": ", ".join(f"{w} {share:.0%}" for w, share in common[:6]),
	}


def bare_fulltext(terms: str, limit: int = 20) -> list:
	"""The first version's starting point: natural-language FULLTEXT over the whole table."""
	if not terms:
		return []
	return frappe.db.sql(
		"""select name, match(subject, description) against (%(terms)s in natural language mode) as score
		from `tabComplaint` where match(subject, description) against (%(terms)s in natural language mode)
		order by score desc limit %(limit)s""",
		{"terms": terms, "limit": limit},
	)


def _times(fn, queries: list) -> list[float]:
	times = []
	for query in queries:
		start = time.perf_counter()
		fn(query)
		times.append((time.perf_counter() - start) * 1000)
	return times


def measure(runs: int = 200, seed: int = 1, sets: str = "typed,written", bare: int = 1) -> dict:
	"""p50 / p95 (ms) of desk, portal and bare FULLTEXT over ``runs`` queries of each set."""
	from brm_app.brm_app.doctype.complaint.similar import for_desk, for_portal
	from brm_app.rules.similar import search_terms

	frappe.set_user("Administrator")
	facts = corpus_facts()  # also fills the vocabulary cache, as the site's first suggestion would
	customers = [
		row[0]
		for row in frappe.db.sql(
			"select customer from `tabComplaint` group by customer order by count(*) desc limit 20"
		)
	]
	result = {"corpus": facts, "runs": int(runs)}
	for name in sets.split(","):
		rng = random.Random(seed)
		if name == "typed":
			queries = [(rng.choice(TYPED + SUBJECTS), None) for _ in range(int(runs))]
		else:
			queries = [realistic_text(rng) for _ in range(int(runs))]
		cases = [(*query, rng.choice(customers)) for query in queries]
		for_desk(*cases[0])  # warm the caches once
		timings = {
			"desk": _times(lambda c: for_desk(*c), cases),
			"portal": _times(lambda c: for_portal(c[0], c[1], [c[2]]), cases),
		}
		if int(bare):
			timings["bare_fulltext"] = _times(lambda c: bare_fulltext(search_terms(c[0], c[1])), cases)
		result[name] = {
			label: {"p50": round(percentile(times, 50), 1), "p95": round(percentile(times, 95), 1)}
			for label, times in timings.items()
		}
	print(result)
	return result
