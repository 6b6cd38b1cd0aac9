"""Shared pieces of brm_app's reports: which customers a user may see, month buckets, and
the grouped survey-answer counts from which every CSAT / NPS / CES figure is computed."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, add_months, get_datetime, getdate, today
from pypika import CustomFunction

from brm_app.rules import survey as rules

INVITATION = "Survey Invitation"
#: Figures of records deleted at the end of their retention period (brm_app.retention).
RETAINED = "Retained Figures"
RETAINED_ANSWER = "Retained Answer"

DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])


def month_of(field):
	"""SQL expression: 'YYYY-MM' of a date or datetime column."""
	return DateFormat(field, "%Y-%m")


def is_restricted(user: str | None = None) -> bool:
	"""Whether User Permissions limit which customers the user may see."""
	permissions = frappe.permissions.get_user_permissions(user or frappe.session.user)
	return bool(permissions.get("Customer") or permissions.get("Customer Portfolio"))


def customer_scope(filters) -> list[str] | None:
	"""The customers a report covers: the filters, intersected with what the user may read.
	None means every customer (no restriction applies)."""
	frappe.has_permission("Customer Portfolio", "read", throw=True)
	scope: set[str] | None = None

	def narrow(names):
		nonlocal scope
		names = set(names)
		scope = names if scope is None else scope & names

	if filters.get("customer"):
		narrow([filters.customer])
	if filters.get("relationship_manager"):
		narrow(
			frappe.get_all(
				"Customer Portfolio",
				filters={"relationship_manager": filters.relationship_manager},
				pluck="name",
			)
		)
	if is_restricted():
		narrow(frappe.get_list("Customer Portfolio", pluck="name", limit_page_length=0))
	return sorted(scope) if scope is not None else None


def where_customer(query, field, scope):
	"""Restrict ``query`` on ``field`` to the scope (None: no restriction)."""
	if scope is None:
		return query
	return query.where(field.isin(scope or [_("(no customer)")]))


def sources(doctype: str):
	"""The tables a report counts ``doctype`` from: its live records, and the figures kept of
	those deleted at the end of their retention period (same column names). Yields (table,
	condition or None); a report runs its grouped query on each and adds them (``merged``)."""
	yield frappe.qb.DocType(doctype), None
	R = frappe.qb.DocType(RETAINED)
	yield R, R.record_type == doctype


def run_on_sources(doctype: str, build, key: str | None = "grp") -> list:
	"""``build(table)`` -> grouped query; run on every source and add the counts per ``key``."""
	results = []
	for table, condition in sources(doctype):
		query = build(table)
		if condition is not None:
			query = query.where(condition)
		results.append(query.run(as_dict=True))
	return merged(results, key)


def merged(results: list[list], key: str | None = "grp") -> list:
	"""Grouped rows of several sources added per key (numbers summed; first-seen order kept)."""
	out: dict = {}
	for rows in results:
		for row in rows:
			k = row.get(key) if key else None
			if k not in out:
				out[k] = frappe._dict(row)
				continue
			target = out[k]
			for field, value in row.items():
				if field != key and (isinstance(value, NUMBER) or isinstance(target.get(field), NUMBER)):
					target[field] = _add(target.get(field), value)
	return list(out.values())


NUMBER = (int, float, Decimal)


def _add(a, b):
	if a is None or b is None:
		return b if a is None else a
	if isinstance(a, Decimal) != isinstance(b, Decimal):
		return float(a) + float(b)
	return a + b


# ---------------------------------------------------------------------- survey answers


GROUPINGS = ("customer", "dimension", "service", "survey", "month")


#: The grouped counts and sums ``answer_aggregates`` returns (``measures`` needs them all).
ANSWER_COLUMNS = (
	"rating_n", "rating_satisfied", "nps_n", "promoters", "detractors", "ces_n", "ces_sum",
	"weight_sum", "weighted_sum", "answers", "responses",
)  # fmt: skip


def answer_aggregates(
	group_by: str | None = None, filters: dict | None = None, columns: tuple | None = None
) -> list:
	"""Grouped counts and sums over the answers of responded invitations (one SQL query),
	from which ``measures`` applies the formulas. ``group_by`` is one of GROUPINGS; rows then
	carry it as ``grp``. ``filters``: survey, customer, dimension, service, from_date, to_date.
	``columns``: only these of ANSWER_COLUMNS (a report that shows a few counts over a million
	answers need not sum the rest)."""
	filters = frappe._dict(filters or {})
	if group_by and group_by not in GROUPINGS:
		frappe.throw(_("Cannot group by {0}.").format(group_by))
	columns = tuple(columns or ANSWER_COLUMNS)
	# Whole months before the current one from the monthly rollups (unless ``live``), the
	# rest from the answers (and the figures kept of deleted ones).
	results, parts = [], [filters]
	whole = split_period(filters)
	if whole:
		lo, hi = (d.date() for d in whole)
		results.append(answers_from_rollups(group_by, filters, columns, *whole))
		parts = []
		if getdate(filters.get("from_date") or "2000-01-01") < lo:
			parts.append(frappe._dict(filters, to_date=add_days(lo, -1)))
		if not filters.get("to_date") or getdate(filters.to_date) >= hi:
			parts.append(frappe._dict(filters, from_date=hi))
	R = frappe.qb.DocType(RETAINED)
	for part in parts:
		results.append(answer_query("Survey Answer", INVITATION, group_by, part, columns).run(as_dict=True))
		results.append(
			answer_query(RETAINED_ANSWER, RETAINED, group_by, part, columns)
			.where(R.record_type == INVITATION)
			.run(as_dict=True)
		)
	rows = merged(results, "grp" if group_by else None)
	if group_by:
		rows.sort(key=lambda r: (r.grp is None, str(r.grp or "")))
	return rows


def where_answer_filters(query, Inv, A, filters):
	"""The answer figures' filters (survey, customer, service, the customer scope, reference
	types, dimension) on the invitation table ``Inv`` and answer table ``A`` — for the live
	query and, both being the Survey Rollup, for the rollups: one place, so they cannot differ."""
	for field in ("survey", "customer", "service"):
		if filters.get(field):
			query = query.where(Inv[field] == filters[field])
	if filters.get("customers") is not None:
		query = query.where(Inv.customer.isin(list(filters.customers) or [""]))
	if filters.get("reference_doctypes"):
		query = query.where(Inv.reference_doctype.isin(list(filters.reference_doctypes)))
	if filters.get("dimension"):
		query = query.where(A.dimension == filters.dimension)
	return query


def answer_query(
	answer_doctype: str, invitation_doctype: str, group_by: str | None, filters, columns=ANSWER_COLUMNS
):
	A = frappe.qb.DocType(answer_doctype)
	Inv = frappe.qb.DocType(invitation_doctype)

	def when(cond, value=1):
		return Sum(Case().when(cond, value).else_(0))

	scored = A.has_score == 1
	norm = Case()
	for kind, (low, high) in rules.RANGES.items():
		norm = norm.when(A.kind == kind, (A.score - low) * 100.0 / (high - low))
	expressions = {
		"rating_n": when(scored & (A.kind == rules.RATING)),
		"rating_satisfied": when(scored & (A.kind == rules.RATING) & (A.score >= 4)),
		"nps_n": when(scored & (A.kind == rules.NPS)),
		"promoters": when(scored & (A.kind == rules.NPS) & (A.score >= 9)),
		"detractors": when(scored & (A.kind == rules.NPS) & (A.score <= 6)),
		"ces_n": when(scored & (A.kind == rules.CES)),
		"ces_sum": when(scored & (A.kind == rules.CES), A.score),
		"weight_sum": when(scored & (A.weight > 0), A.weight),
		"weighted_sum": Sum(Case().when(scored & (A.weight > 0), A.weight * norm).else_(0)),
		"answers": Count(A.name),
		"responses": Count(Inv.name).distinct(),
	}
	query = (
		frappe.qb.from_(A)
		.join(Inv)
		.on((A.parent == Inv.name) & (A.parenttype == invitation_doctype))
		.select(*(expressions[c].as_(c) for c in columns))
		.where(Inv.responded_on.isnotnull())
	)
	query = where_answer_filters(query, Inv, A, filters)
	if filters.get("from_date"):
		query = query.where(Inv.responded_on >= get_datetime(filters.from_date))
	if filters.get("to_date"):
		query = query.where(Inv.responded_on < add_days(get_datetime(filters.to_date), 1))
	if group_by:
		if group_by == "month":
			field = month_of(Inv.responded_on)
		elif group_by == "dimension":
			field = A.dimension
		else:
			field = Inv[group_by]
		query = query.select(field.as_("grp")).groupby(field)
	return query


#: The monthly survey rollups (brm_app/brm_app/doctype/survey_rollup): what they sum, and the
#: default set once they are built (until then answer figures are read live).
SURVEY_ROLLUP = "Survey Rollup"
SURVEY_ROLLUPS_BUILT = "brm_survey_rollups_built"
ROLLUP_ANSWER_SUMS = tuple(c for c in ANSWER_COLUMNS if c != "responses")


def answers_from_rollups(group_by: str | None, filters, columns: tuple, lo, hi) -> list:
	"""answer_aggregates' rows for responses in the whole months [lo, hi), from the rollups."""
	R = frappe.qb.DocType(SURVEY_ROLLUP)
	by_dimension = group_by == "dimension" or bool(filters.get("dimension"))
	expressions = {s: Sum(R[s]) for s in ROLLUP_ANSWER_SUMS}
	expressions["responses"] = Sum(R.responses if by_dimension else R.responses_all)
	query = (
		frappe.qb.from_(R)
		.select(*(expressions[c].as_(c) for c in columns))
		.where((R.month >= lo.date()) & (R.month < hi.date()))
	)
	query = where_answer_filters(query, R, R, filters)
	if group_by:
		field = month_of(R.month) if group_by == "month" else R[group_by]
		query = query.select(field.as_("grp")).groupby(field)
	rows = query.run(as_dict=True)
	for row in rows:  # counts as counts, as the live query gives them
		for c in columns:
			if c not in ("ces_sum", "weight_sum", "weighted_sum"):
				row[c] = int(row[c] or 0)
	return rows


def split_period(filters) -> tuple | None:
	"""The whole months before the current one inside the filters' period (from_date..to_date,
	either open), as (first, end) datetimes, or None (read live)."""
	if frappe.utils.cint(filters.get("live")) or not frappe.db.get_default(SURVEY_ROLLUPS_BUILT):
		return None
	start = get_datetime(filters.from_date) if filters.get("from_date") else get_datetime("2000-01-01")
	finish = (
		get_datetime(add_days(getdate(filters.to_date), 1))
		if filters.get("to_date")
		else get_datetime(add_days(frappe.utils.today(), 1))
	)
	return whole_months(start, finish)


def key_of(day, customer) -> str:
	"""A rollup key: the month of ``day`` and the customer ("YYYY-MM-01|customer")."""
	day = getdate(day)
	return f"{day.year:04d}-{day.month:02d}-01|{customer or ''}"


def whole_months(start, finish):
	"""The whole months inside [start, finish) before the current month, as (first, end)
	datetimes, or None: what a report reads from monthly rollups."""
	first = get_datetime(getdate(start).replace(day=1))
	if first < start:
		first = get_datetime(getdate(add_months(first, 1)))
	current = get_datetime(getdate(today()).replace(day=1))
	end = get_datetime(getdate(finish).replace(day=1))
	end = min(end, current)
	return (first, end) if first < end else None


def measures(row) -> dict:
	"""The survey formulas (docs/design.md: CSAT, NPS, CES, response rate) applied to one row of
	grouped counts."""
	return {
		"csat": rules.csat_from_counts(row.rating_satisfied, row.rating_n),
		"nps": rules.nps_from_counts(row.promoters, row.detractors, row.nps_n),
		"ces": rules.mean(row.ces_sum, row.ces_n),
		"weighted_score": rules.mean(row.weighted_sum, row.weight_sum),
	}


# ---------------------------------------------------------------------- who answered (issue 27)

#: What a survey's response rate can be broken down by.
RESPONSE_BREAKDOWNS = ("channel", "language", "customer", "tier", "source", "survey")


def _asked_invitations(filters, doctype: str = INVITATION):
	"""The invitations that asked someone (sent or answered; not held back by the contact
	policy, not still waiting to go), with the filters of ``answer_aggregates``; dates are when
	they were sent.
	``doctype`` RETAINED: the figures kept of invitations deleted at the end of their period."""
	from frappe.query_builder.functions import Coalesce

	Inv = frappe.qb.DocType(doctype)
	# asked: sent, or answered elsewhere (a Helpdesk rating); one never sent is not counted
	sent = Coalesce(Inv.sent_on, Inv.responded_on)
	query = (
		frappe.qb.from_(Inv).where(Inv.status.notin((rules.HELD_BACK, rules.PENDING))).where(sent.isnotnull())
	)
	if doctype == RETAINED:
		query = query.where(Inv.record_type == INVITATION)
	for field in ("survey", "customer", "service"):
		if filters.get(field):
			query = query.where(Inv[field] == filters[field])
	if filters.get("customers") is not None:
		query = query.where(Inv.customer.isin(list(filters.customers) or [""]))
	if filters.get("from_date"):
		query = query.where(sent >= get_datetime(filters.from_date))
	if filters.get("to_date"):
		query = query.where(sent < add_days(get_datetime(filters.to_date), 1))
	return Inv, query


def response_rates(by: str, filters: dict | None = None) -> list:
	"""Invited, responded and response rate per channel (how the answer came: e-mail link,
	portal, Helpdesk rating), language, customer, customer tier or source (one grouped
	query). By channel every row's "invited" is all invited: the rate is the share of them
	who answered that way."""
	if by not in RESPONSE_BREAKDOWNS:
		frappe.throw(_("Cannot break the response rate down by {0}.").format(by))
	filters = frappe._dict(filters or {})
	Inv, query = _asked_invitations(filters)
	responded = Sum(Case().when(Inv.responded_on.isnotnull(), 1).else_(0))
	if by == "channel":
		total = (query.select(Count(Inv.name)).run() or [[0]])[0][0] or 0
		rows = (
			query.select(Inv.channel.as_("value"), Count(Inv.name).as_("responded"))
			.where(Inv.responded_on.isnotnull())
			.groupby(Inv.channel)
			.run(as_dict=True)
		)
		for row in rows:
			row.invited = total
	else:
		if by == "tier":
			P = frappe.qb.DocType("Customer Portfolio")
			field = P.tier
			query = query.left_join(P).on(P.name == Inv.customer)
		else:
			field = Inv[by]
		rows = (
			query.select(field.as_("value"), Count(Inv.name).as_("invited"), responded.as_("responded"))
			.groupby(field)
			.run(as_dict=True)
		)
		if by in ("customer", "survey"):  # with the invitations deleted at the end of their period
			R, kept = _asked_invitations(filters, RETAINED)
			kept_rows = (
				kept.select(
					R[by].as_("value"),
					Count(R.name).as_("invited"),
					Sum(Case().when(R.responded_on.isnotnull(), 1).else_(0)).as_("responded"),
				)
				.groupby(R[by])
				.run(as_dict=True)
			)
			rows = merged([rows, kept_rows], "value")
	for row in rows:
		row.responded = int(row.responded or 0)
		row.invited = int(row.invited or 0)
		row.response_rate = rules.response_rate(row.responded, row.invited)
	rows.sort(key=lambda r: (-r.invited, str(r.value or "")))
	return rows


def non_respondents(filters: dict | None = None, limit: int = 500) -> list:
	"""Contacts invited who have not answered (yet): for the relationship manager to call."""
	filters = frappe._dict(filters or {})
	Inv, query = _asked_invitations(filters)
	return (
		query.select(
			Inv.name.as_("invitation"),
			Inv.survey,
			Inv.customer,
			Inv.contact,
			Inv.email,
			Inv.status,
			Inv.sent_on,
			Inv.reminders,
			Inv.expires_on,
			Inv.language,
		)
		.where(Inv.responded_on.isnull())
		.orderby(Inv.customer)
		.orderby(Inv.sent_on)
		.limit(limit)
		.run(as_dict=True)
	)
