"""Similar complaints, suggested while one is recorded: in the desk (the customer's open
complaints, then recent ones of other customers) and on the portal's new-complaint page (the
customer's own open ones).

How alike two complaints are is brm_app.rules.similar (pure, in Python). The candidates of
each scope (the customer's open complaints; other customers' complaints of the last
RECENT_DAYS days):

- its newest complaints (OWN_SCAN, RECENT_SCAN), whatever their words, through the
  (customer, received_on) and received_on indexes; a customer usually has fewer open ones
  than that, so the portal needs nothing else;
- when the scope holds more: MariaDB FULLTEXT (subject, description), one boolean-mode query
  for both scopes, for what is cheap to search among the query's words
  (``rules.fulltext_query``: its rarer words, and the subject's other words together).
  InnoDB reads every complaint a FULLTEXT query matches, whatever else the query says, so
  words common among complaints are not searched alone: complaints sharing only those with
  the new one are offered from the newest ones.

Candidates are read with ``frappe.get_list``, so permissions apply as everywhere else; the
FULLTEXT query also carries the user's permission condition, so that its best matches are
taken among what the user may read. How common a word is comes from a sample of complaints,
cached for VOCABULARY_TTL seconds (``get_vocabulary``)."""

import frappe
from frappe.desk.reportview import get_match_cond
from frappe.utils import add_days, add_to_date, now_datetime
from frappe.utils.caching import site_cache

from brm_app.rules import complaint as complaint_rules
from brm_app.rules import similar as rules

COMPLAINT = "Complaint"
FULLTEXT_INDEX = "brm_complaint_text"
#: What is scored of a description: its first DESCRIPTION_CHARS characters (a complaint that came
#: by e-mail may carry a long thread).
DESCRIPTION_CHARS = 2000
FIELDS = [
	"name",
	"subject",
	"customer",
	"status",
	"received_on",
	f"left(description, {DESCRIPTION_CHARS}) as description",
]
#: The newest complaints scored whatever their words: the customer's open ones, other
#: customers' recent ones. Beyond them, only FULLTEXT matches.
OWN_SCAN = 200
RECENT_SCAN = 500
#: Best FULLTEXT matches scored, per scope (of at most FULLTEXT_SCAN read).
FULLTEXT_CANDIDATES = 50
FULLTEXT_SCAN = 500
VOCABULARY_KEY = "brm_app:similar_vocabulary:v2"
VOCABULARY_TTL = 6 * 3600
PROCESS_TTL = 300
#: The sample: SAMPLE_ROWS complaints from each of SAMPLE_SLICES points spread over the
#: complaints' received dates (each an index range read).
SAMPLE_SLICES = 200
SAMPLE_ROWS = 10


def add_fulltext_index() -> None:
	"""FULLTEXT (subject, description) on Complaint, once (on_doctype_update and a patch)."""
	if frappe.db.db_type != "mariadb":
		return
	if not frappe.db.sql("show index from `tabComplaint` where Key_name = %s", FULLTEXT_INDEX):
		frappe.db.sql_ddl(
			f"alter table `tabComplaint` add fulltext index `{FULLTEXT_INDEX}` (subject, description)"
		)


def check_fulltext_index(settled_minutes: int = 10) -> bool:
	"""Daily: whether the FULLTEXT index finds the newest complaint (received at least
	``settled_minutes`` ago) by a word of its subject. MariaDB's FULLTEXT cache was seen to stop
	taking new rows (after thousands of inserts rolled back); suggestions then come only from
	the newest complaints scanned. Not found: an Error Log says so and what to do (rebuilding
	the index locks the table for writes, so it is left to an administrator's quiet hour)."""
	if frappe.db.db_type != "mariadb":
		return True
	C = frappe.qb.DocType(COMPLAINT)
	newest = (
		frappe.qb.from_(C)
		.select(C.name, C.subject)
		.where(C.creation <= add_to_date(now_datetime(), minutes=-settled_minutes))
		.orderby(C.creation, order=frappe.qb.desc)
		.limit(20)
		.run(as_dict=True)
	)
	for row in newest:
		word = next((w for w in rules.query_words(row.subject) if len(w) >= 4), None)
		if not word:
			continue
		found = frappe.db.sql(
			"""select count(*) from `tabComplaint`
			where name = %s and match(subject, description) against (%s in boolean mode)""",
			(row.name, word),
		)[0][0]
		if not found:
			frappe.log_error(
				title="Similar complaints: the FULLTEXT index misses new complaints",
				message=(
					f"Complaint {row.name} is not found by the word '{word}' of its subject. "
					"Similar-complaint suggestions come only from the newest complaints until "
					"the index is rebuilt: run OPTIMIZE TABLE `tabComplaint` at a quiet time "
					"(it rebuilds the table and its indexes and blocks writes meanwhile)."
				),
			)
		return bool(found)
	return True


def for_desk(
	subject: str | None, description: str | None, customer: str | None, exclude: str | None = None
) -> dict[str, list[dict]]:
	"""The customer's open complaints like this one, then recent ones of other customers."""
	query = rules.query_words(subject, description)
	if not query:
		return {"own": [], "others": []}
	scopes = {"others": _Scope.recent_of_others(customer, exclude, RECENT_SCAN)}
	if customer:
		scopes["own"] = _Scope.open_of([customer], exclude, OWN_SCAN)
	found = _similar(query, rules.query_words(subject), scopes)
	return {"own": found.get("own", []), "others": found["others"]}


def for_portal(subject: str | None, description: str | None, customers: list[str]) -> list[dict]:
	"""The customer's own open complaints like this one (nobody else's)."""
	query = rules.query_words(subject, description)
	if not query or not customers:
		return []
	scope = _Scope.open_of(customers, None, OWN_SCAN)
	return _similar(query, rules.query_words(subject), {"own": scope})["own"]


class _Scope:
	"""Which complaints to look among: as ``frappe.get_list`` filters and as an SQL condition
	(parameters prefixed by the scope's key), and how many of the newest to score."""

	def __init__(self, newest: int, exclude: str | None):
		self.newest, self.filters, self.conditions, self.values = newest, [], [], {}
		if exclude:
			self.add(["name", "!=", exclude], "name != %(exclude)s", exclude=exclude)

	def add(self, filter_: list, condition: str, **values) -> None:
		self.filters.append(filter_)
		self.conditions.append(condition)
		self.values.update(values)

	def where(self, key: str) -> tuple[str, dict]:
		sql = " and ".join(self.conditions)
		for name in self.values:
			sql = sql.replace(f"%({name})s", f"%({key}_{name})s")
		return f"({sql})", {f"{key}_{name}": value for name, value in self.values.items()}

	@classmethod
	def open_of(cls, customers: list[str], exclude: str | None, newest: int) -> "_Scope":
		scope = cls(newest, exclude)
		scope.add(["customer", "in", customers], "customer in %(customers)s", customers=tuple(customers))
		statuses = tuple(complaint_rules.OPEN_STATUSES)
		scope.add(["status", "in", list(statuses)], "status in %(open)s", open=statuses)
		return scope

	@classmethod
	def recent_of_others(cls, customer: str | None, exclude: str | None, newest: int) -> "_Scope":
		scope = cls(newest, exclude)
		since = add_days(now_datetime(), -rules.RECENT_DAYS)
		scope.add(["received_on", ">=", since], "received_on >= %(since)s", since=since)
		if customer:
			scope.add(["customer", "!=", customer], "ifnull(customer, '') != %(customer)s", customer=customer)
		return scope


def _similar(query: list[str], subject: list[str], scopes: dict[str, _Scope]) -> dict[str, list[dict]]:
	"""The best matches of the query in each scope: its newest complaints and, when it holds
	more, the FULLTEXT matches of what is cheap to search for (one query for all scopes)."""
	vocabulary = get_vocabulary()
	rows = {
		key: {row.name: row for row in _read(scope.filters, scope.newest)} for key, scope in scopes.items()
	}
	beyond = {key: scope for key, scope in scopes.items() if len(rows[key]) >= scope.newest}
	found = _fulltext(rules.fulltext_query(query, subject, vocabulary), beyond)
	names = {name for key, matches in found.items() for name in matches if name not in rows[key]}
	if names:
		readable = {row.name: row for row in _read([["name", "in", list(names)]], len(names))}
		for key, matches in found.items():
			rows[key].update((name, readable[name]) for name in matches if name in readable)
	best = {}
	for key, candidates in rows.items():
		best[key] = rules.best(query, candidates.values(), vocabulary)
		for row in best[key]:
			row.pop("description", None)
	return best


def _read(filters: list, limit: int) -> list[dict]:
	return frappe.get_list(
		COMPLAINT, filters=filters, fields=FIELDS, order_by="received_on desc", limit_page_length=limit
	)


def _fulltext(terms: str, scopes: dict[str, _Scope]) -> dict[str, list[str]]:
	"""Per scope, the names of the best matches of the boolean-mode FULLTEXT query ``terms``
	(at most FULLTEXT_CANDIDATES) among the complaints the user may read. One query: InnoDB
	reads every complaint that matches, whichever scope asks."""
	if not terms or not scopes:
		return {}
	# frappe.qb has no MATCH ... AGAINST: plain SQL, every value a parameter; the permission
	# condition is Frappe's own (get_match_cond escapes its values).
	values = {"terms": terms, "limit": FULLTEXT_SCAN}
	conditions = []
	for key, scope in scopes.items():
		condition, scope_values = scope.where(key)
		conditions.append(condition)
		values.update(scope_values)
	match = "match(subject, description) against (%(terms)s in boolean mode)"
	rows = frappe.db.sql(
		f"""select name, {", ".join(conditions)} from `tabComplaint`
		where {match} and ({" or ".join(conditions)}){get_match_cond(COMPLAINT)}
		order by {match} desc limit %(limit)s""",
		values,
	)
	found = {key: [] for key in scopes}
	for name, *in_scope in rows:
		for key, inside in zip(scopes, in_scope, strict=True):
			if inside and len(found[key]) < FULLTEXT_CANDIDATES:
				found[key].append(name)
	return found


def get_vocabulary() -> rules.Vocabulary:
	"""How common words are among complaints: a sample, shared through the cache for
	VOCABULARY_TTL seconds and kept by each process for PROCESS_TTL seconds."""
	return _held_vocabulary()


@site_cache(ttl=PROCESS_TTL)
def _held_vocabulary() -> rules.Vocabulary:
	cached = frappe.cache.get_value(VOCABULARY_KEY)
	if not cached:
		cached = sample_vocabulary()
		frappe.cache.set_value(VOCABULARY_KEY, cached, expires_in_sec=VOCABULARY_TTL)
	return rules.Vocabulary(**cached)


def forget_vocabulary() -> None:
	"""Sample again at the next suggestion (after complaints' texts were changed in bulk)."""
	frappe.cache.delete_value(VOCABULARY_KEY)
	_held_vocabulary.clear_cache()


def sample_vocabulary() -> dict:
	"""The Vocabulary's fields from up to SAMPLE_SLICES x SAMPLE_ROWS complaints spread over
	time (all of them on a small site)."""
	rows = frappe.db.sql("select count(*) from `tabComplaint`")[0][0]
	if rows <= SAMPLE_SLICES * SAMPLE_ROWS:
		sampled = frappe.db.sql("select subject, description from `tabComplaint`")
	else:
		first, last = frappe.db.sql("select min(received_on), max(received_on) from `tabComplaint`")[0]
		step = (last - first) / SAMPLE_SLICES
		sampled = []
		for i in range(SAMPLE_SLICES):
			sampled += frappe.db.sql(
				"""select subject, description from `tabComplaint`
				where received_on >= %s order by received_on limit %s""",
				(first + step * i, SAMPLE_ROWS),
			)
	texts = (f"{subject or ''} {rules.plain_text(description)}" for subject, description in sampled)
	vocabulary = rules.vocabulary_of(texts, rows)
	return {"rows": vocabulary.rows, "sample": vocabulary.sample, "documents": vocabulary.documents}
