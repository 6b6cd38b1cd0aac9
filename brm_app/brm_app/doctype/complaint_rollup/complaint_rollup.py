# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Monthly complaint rollups (issue 29, first part; docs/rollups.md): per month of receipt x
customer x category x severity x service x root cause, exactly the counts and sums Complaint
Analysis needs (averages and percentages are computed from sums, never from averages).

- **Kept current**: a complaint's change marks its (month, customer) keys, before and after
  the change, in a Redis set; one deduplicated background job rebuilds the marked keys in
  batches from the live records and the figures kept of deleted ones (``flush``).
- **Never silently wrong**: the nightly ``reconcile`` compares the last months with the live
  GROUP BY, repairs any difference and logs it (Error Log "Complaint rollups repaired").
- ``rebuild_all`` (``bench --site S execute brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.rebuild_all``) and patch
  ``v0_12.complaint_rollups`` build them, a month at a time.

Reports read rollups for whole months before the current one and the live query for the rest
(``live=1`` forces the live query everywhere, for audit).
"""

from datetime import date

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, add_months, get_datetime, getdate, now_datetime, today
from pypika import CustomFunction
from pypika.functions import Cast

from brm_app.brm_app.doctype.complaint_rollup import upkeep
from brm_app.reporting import RETAINED, sources, whole_months
from brm_app.rules import complaint as rules

ROLLUP = "Complaint Rollup"
#: Set once every month has been built (``rebuild_all``): until then reports read live.
BUILT = "brm_complaint_rollups_built"
DIRTY = "brm_complaint_rollup_dirty"
DIMS = ("customer", "category", "severity", "service", "root_cause_category")
#: What complaints are split by besides the customer.
SPLIT = DIMS[1:]
#: The three grains of the table: per customer and split (Detail), per customer, per split for
#: every customer added up. A report reads the smallest that answers it (``grain_for``).
DETAIL, PER_CUSTOMER, ALL = "Detail", "Customer", "All Customers"
#: Per customer over a quarter and a year (month: its first month), the sums of its Customer
#: rows: a year by customer reads 10,000 rows at 10,000 customers, not 120,000.
CUSTOMER_QUARTER, CUSTOMER_YEAR = "Customer Quarter", "Customer Year"
PERIOD_GRAINS = ((CUSTOMER_YEAR, 12), (CUSTOMER_QUARTER, 3))
#: Months the nightly reconcile checks (the current one and these before it).
RECONCILE_MONTHS = 3


def complaint_sums(C) -> dict:
	"""The grouped counts and sums of complaints (live table or kept figures), by name: what
	the rollups store and what Complaint Analysis adds up. ``open`` is as of the last change
	of each complaint (which marks its key)."""

	def count_if(cond):
		return Sum(Case().when(cond, 1).else_(0))

	resolve_time = Case().when(C.status == rules.CLOSED, C.time_to_resolve)
	net_time = Case().when(C.status == rules.CLOSED, C.time_to_resolve_net)
	return {
		"received": Count(C.name),
		"open": count_if(C.status.isin(list(rules.OPEN_STATUSES))),
		"closed": count_if(C.status == rules.CLOSED),
		"rejected": count_if(C.status == rules.REJECTED),
		"escalated": count_if(C.escalation_level > 0),
		"reopened": count_if(C.reopen_count > 0),
		"ack_seconds": Sum(C.time_to_acknowledge),
		"ack_n": Count(C.time_to_acknowledge),
		"resolve_seconds": Sum(resolve_time),
		"resolve_n": Count(resolve_time),
		"acknowledged": count_if(C.acknowledged_on.isnotnull()),
		"ack_on_time": count_if(C.acknowledged_on.isnotnull() & (C.acknowledged_on <= C.acknowledge_by)),
		"resolved": count_if(C.status == rules.CLOSED),
		"resolved_on_time": count_if((C.status == rules.CLOSED) & (C.closed_on <= C.resolve_by)),
		"summary_due": count_if(C.summary_by.isnotnull() & (C.status == rules.CLOSED)),
		"summary_on_time": count_if((C.status == rules.CLOSED) & (C.closed_on <= C.summary_by)),
		"final_responses": count_if(C.final_response_sent_on.isnotnull()),
		"final_on_time": count_if(C.final_response_sent_on <= C.resolve_by),
		"with_outcome": count_if(C.outcome.isin(list(rules.OUTCOMES))),
		"upheld": count_if(C.outcome.isin(["Upheld", "Partly Upheld"])),
		"redress_total": Sum(C.redress_amount),
		"resolve_net_seconds": Sum(net_time),
		"resolve_net_n": Count(net_time),
	}


SUMS = (
	"received", "open", "closed", "rejected", "escalated", "reopened", "ack_seconds", "ack_n",
	"resolve_seconds", "resolve_n", "acknowledged", "ack_on_time", "resolved", "resolved_on_time",
	"summary_due", "summary_on_time", "final_responses", "final_on_time", "with_outcome", "upheld",
	"redress_total", "resolve_net_seconds", "resolve_net_n",
)  # fmt: skip
#: The sums that are counts (the others are seconds and money).
COUNTS = frozenset(SUMS) - {"ack_seconds", "resolve_seconds", "resolve_net_seconds", "redress_total"}


def month_start(value) -> date:
	day = getdate(value)
	return date(day.year, day.month, 1)


def no_customer(field):
	"""A record without a customer: NULL or '' (both are one key)."""
	return field.isnull() | (field == "")


# ---------------------------------------------------------------------- kept current


def mark_dirty(doc, method=None) -> None:
	"""doc_events of Complaint (after every change, after delete): its month of receipt and
	customer, before and after the change, for the rebuild job."""
	mark_keys(upkeep.keys_of(doc, "received_on"))


def mark_keys(keys) -> None:
	upkeep.mark(keys, DIRTY, "brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.flush")


def flush() -> int:
	"""Background job (and hourly): rebuild the marked keys, a batch at a time."""
	return upkeep.flush(ROLLUP, DIRTY, rebuild_keys)


def rebuild_keys(keys: list[str]) -> None:
	"""The rollup rows of each (month, customer) key, from the live records and the kept
	figures (one grouped query per source and key): its Detail rows and its Customer row
	rewritten, the All Customers rows of the month moved by the difference."""
	R = frappe.qb.DocType(ROLLUP)
	for key in sorted(set(keys)):
		month, customer = key.split("|", 1)
		start = getdate(month)
		rows = live_rows(start, getdate(add_months(start, 1)), customer or None)
		mine = (R.month == start) & (R.customer == customer if customer else no_customer(R.customer))
		old = (
			frappe.qb.from_(R)
			.select(*(R[d] for d in SPLIT), *(R[s] for s in SUMS))
			.where(mine & (R.grain == DETAIL))
			.run(as_dict=True)
		)
		frappe.qb.from_(R).delete().where(mine & R.grain.isin([DETAIL, PER_CUSTOMER])).run()
		write_grains(rows, {(customer or None,): total(rows, month[:7], customer=customer or None)}, {})
		_move_totals(start, old, rows)
		_move_periods(start, customer or None, old, rows)


def period_start(month: date, months: int) -> date:
	"""The first month of the quarter (3) or year (12) holding ``month``."""
	return date(month.year, (month.month - 1) // months * months + 1, 1)


def _move_periods(month: date, customer: str | None, old: list, new: list) -> None:
	"""The customer's quarter and year rows moved by the change of its month's total (one
	statement; a row is made where there was none)."""
	R = frappe.qb.DocType(ROLLUP)
	move = {s: sum(float(r.get(s) or 0) for r in new) - sum(float(r.get(s) or 0) for r in old) for s in SUMS}
	move = {s: v for s, v in move.items() if abs(v) > 1e-9}
	if not move:
		return
	starts = {grain: period_start(month, months) for grain, months in PERIOD_GRAINS}
	where = (R.customer == customer if customer else no_customer(R.customer)) & (
		((R.grain == CUSTOMER_QUARTER) & (R.month == starts[CUSTOMER_QUARTER]))
		| ((R.grain == CUSTOMER_YEAR) & (R.month == starts[CUSTOMER_YEAR]))
	)
	query = frappe.qb.update(R).where(where)
	for s, v in move.items():
		query = query.set(R[s], R[s] + v)
	query.run()
	if frappe.db._cursor.rowcount != len(starts):  # one missing (or, after a merge, twice)
		_write_periods(customer, [starts[CUSTOMER_QUARTER]], [starts[CUSTOMER_YEAR]])


def _write_periods(customer: str | bool | None, quarters: list[date], years: list[date]) -> None:
	"""The quarter and year rows of those periods made again from the Customer rows, for one
	customer (None: complaints without one) or every customer (``customer`` False)."""
	R = frappe.qb.DocType(ROLLUP)
	mine = (
		(R.customer == customer if customer else no_customer(R.customer)) if customer is not False else None
	)
	for grain, months, starts in ((CUSTOMER_QUARTER, 3, quarters), (CUSTOMER_YEAR, 12, years)):
		for first in sorted(set(starts)):
			last = getdate(add_months(first, months))
			where = (R.grain == grain) & (R.month == first)
			frappe.qb.from_(R).delete().where(where if mine is None else where & mine).run()
			where = (R.grain == PER_CUSTOMER) & (R.month >= first) & (R.month < last)
			rows = (
				frappe.qb.from_(R)
				.select(R.customer, *(Sum(R[s]).as_(s) for s in SUMS))
				.where(where if mine is None else where & mine)
				.groupby(R.customer)
				.run(as_dict=True)
			)
			for row in rows:
				row.m, row.grain = first.strftime("%Y-%m"), grain
			write_rows([r for r in rows if float(r.received or 0)], dims=("grain", *DIMS))


def total(rows: list, month: str, **dims) -> frappe._dict:
	"""One row adding up ``rows`` (their sums), with ``dims``."""
	row = frappe._dict(m=month, **dims)
	for s in SUMS:
		row[s] = sum(float(r.get(s) or 0) for r in rows)
	return row


def _move_totals(month: date, old: list, new: list) -> None:
	"""The All Customers rows of ``month`` moved by (new - old) per split (one statement per
	split that changed; a row is made where there was none, removed when nothing is left)."""
	R = frappe.qb.DocType(ROLLUP)
	moves: dict[tuple, dict] = {}
	for rows, sign in ((old, -1), (new, 1)):
		for row in rows:
			move = moves.setdefault(tuple(row.get(d) for d in SPLIT), dict.fromkeys(SUMS, 0.0))
			for s in SUMS:
				move[s] += sign * float(row.get(s) or 0)
	for split, move in moves.items():
		changed = {s: v for s, v in move.items() if abs(v) > 1e-9}
		if not changed:
			continue
		where = (R.grain == ALL) & (R.month == month)
		for d, value in zip(SPLIT, split, strict=True):
			where &= R[d].isnull() if value is None else (R[d] == value)
		query = frappe.qb.update(R).where(where)
		for s, v in changed.items():
			query = query.set(R[s], R[s] + v)
		query.run()
		if not frappe.db._cursor.rowcount:
			row = frappe._dict(
				m=month.strftime("%Y-%m"), grain=ALL, customer=None, **dict(zip(SPLIT, split, strict=True))
			)
			row.update(move)
			write_rows([row], dims=("grain", *DIMS))
		elif move["received"] < 0:
			frappe.qb.from_(R).delete().where(where & (R.received < 0.5)).run()


def write_grains(detail: list, per_customer: dict, every_customer: dict) -> None:
	"""Insert Detail rows and the Customer and All Customers rows given (dicts of rows)."""
	rows = []
	for grain, group in (
		(DETAIL, detail),
		(PER_CUSTOMER, per_customer.values()),
		(ALL, every_customer.values()),
	):
		for row in group:
			if grain != DETAIL and not float(row.get("received") or 0):
				continue
			row.grain = grain
			rows.append(row)
	write_rows(rows, dims=("grain", *DIMS))


def derived_grains(detail: list) -> tuple[dict, dict]:
	"""The Customer and All Customers rows of Detail rows (of one or more months)."""
	per_customer: dict[tuple, frappe._dict] = {}
	every_customer: dict[tuple, frappe._dict] = {}
	for row in detail:
		for rows, key, dims in (
			(per_customer, (row.m, row.get("customer")), {"customer": row.get("customer")}),
			(every_customer, (row.m, *(row.get(d) for d in SPLIT)), {d: row.get(d) for d in SPLIT}),
		):
			into = rows.get(key)
			if into is None:
				into = rows[key] = frappe._dict(m=row.m, **dims, **dict.fromkeys(SUMS, 0.0))
			for s in SUMS:
				into[s] += float(row.get(s) or 0)
	return per_customer, every_customer


def live_rows(start: date, end: date, customer: str | None = None, every_customer: bool = False) -> list:
	"""The rollup rows the live records and kept figures give for receipt in [start, end) —
	for one customer (None: complaints without one) or ``every_customer``."""
	from brm_app.reporting import merged, month_of

	results = []
	for table, condition in sources("Complaint"):
		sums = complaint_sums(table)
		month = month_of(table.received_on)
		query = (
			frappe.qb.from_(table)
			.select(month.as_("m"), *(table[d].as_(d) for d in DIMS), *(v.as_(k) for k, v in sums.items()))
			.where((table.received_on >= get_datetime(start)) & (table.received_on < get_datetime(end)))
			.groupby(month, *(table[d] for d in DIMS))
		)
		if not every_customer:
			query = (
				query.where(table.customer == customer)
				if customer
				else query.where(no_customer(table.customer))
			)
		if condition is not None:
			query = query.where(condition)
		for row in query.run(as_dict=True):
			row.k = "|".join([row.m] + [str(row.get(d) or "") for d in DIMS])
			results.append(row)
	rows = merged([results], "k")
	for row in rows:  # '' and NULL alike: no customer
		row.customer = row.customer or None
	return rows


def write_rows(rows: list, doctype: str = ROLLUP, dims: tuple = DIMS, sums: tuple = SUMS) -> None:
	"""Insert rollup rows (``m``: "YYYY-MM", the dimensions, the sums) in one statement."""
	if not rows:
		return
	now = frappe.utils.now()
	fields = ["name", "creation", "modified", "owner", "modified_by", "month", *dims, *sums]
	values = [
		(
			frappe.generate_hash(length=12),
			now,
			now,
			"Administrator",
			"Administrator",
			f"{row.m}-01",
			*(row.get(d) for d in dims),
			*(float(row.get(s) or 0) for s in sums),
		)
		for row in rows
	]
	frappe.db.bulk_insert(doctype, fields, values)


# ---------------------------------------------------------------------- build and reconcile


def rebuild_all() -> int:
	"""Every month's rollups from scratch (``_rebuild_all``), holding the table's writer lock."""
	with upkeep.exclusive(ROLLUP, wait=600) as held:
		if not held:
			frappe.throw(
				_("The {0} table is being rebuilt or updated; try again in a few minutes.").format(_(ROLLUP))
			)
		return _rebuild_all()


def _rebuild_all() -> int:
	"""Every month's rollups from scratch, a month at a time (``bench --site S execute
	brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.rebuild_all``). Returns the rows written."""
	frappe.db.set_default(BUILT, None)  # reports read live until the build is complete
	frappe.db.delete(ROLLUP)
	first = frappe.db.sql("select min(received_on) from `tabComplaint`")[0][0]
	kept = frappe.db.sql(f"select min(received_on) from `tab{RETAINED}` where record_type = 'Complaint'")[0][
		0
	]
	starts = [getdate(d) for d in (first, kept) if d]
	if not starts:
		frappe.db.set_default(BUILT, "1")
		return 0
	month, end, written = month_start(min(starts)), month_start(frappe.utils.today()), 0
	while month <= end:
		following = getdate(add_months(month, 1))
		rows = live_rows(month, following, every_customer=True)
		write_grains(rows, *derived_grains(rows))
		written += len(rows)
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: a month at a time
		frappe.publish_progress(
			100 * (month - month_start(min(starts))).days / max(1, (end - month_start(min(starts))).days),
			title="Complaint rollups",
		)
		month = following
	first = month_start(min(starts))
	_write_periods(
		False,
		[getdate(add_months(period_start(first, 3), 3 * i)) for i in range((end.year - first.year) * 4 + 5)],
		[date(year, 1, 1) for year in range(first.year, end.year + 1)],
	)
	frappe.db.set_default(BUILT, "1")
	return written


def built() -> bool:
	return bool(frappe.db.get_default(BUILT))


def reconcile(months: int = RECONCILE_MONTHS) -> list[str]:
	"""Nightly (``_reconcile``), holding the table's writer lock, after the keys still marked
	are rebuilt (a change not yet rebuilt is not a repair)."""
	with upkeep.exclusive(ROLLUP, wait=600) as held:
		if not held:
			return []
		upkeep.drain(DIRTY, rebuild_keys)
		return _reconcile(months)


def _reconcile(months: int = RECONCILE_MONTHS) -> list[str]:
	"""Nightly: the last months' rollups against the live GROUP BY; any key that differs is
	rebuilt and logged. Returns the keys repaired (none: nothing written)."""
	end = getdate(add_months(month_start(frappe.utils.today()), 1))
	start = getdate(add_months(end, -(months + 1)))
	live = {row.k: row for row in live_rows(start, end, every_customer=True)}
	R = frappe.qb.DocType(ROLLUP)
	stored = (
		frappe.qb.from_(R)
		.select(R.month, *(R[d] for d in DIMS), *(R[s] for s in SUMS))
		.where((R.month >= start) & (R.month < end) & (R.grain == DETAIL))
		.run(as_dict=True)
	)
	wrong = upkeep.differing_keys(live, stored, DIMS, SUMS)
	if wrong:
		rebuild_keys(sorted(wrong))
	# the Customer and All Customers rows against the Detail rows they add up
	per_customer, every_customer = derived_grains(list(live.values()))
	expected = {
		(grain, row.m, *(row.get(d) for d in DIMS)): row
		for grain, rows in ((PER_CUSTOMER, per_customer), (ALL, every_customer))
		for row in rows.values()
		if float(row.received or 0)
	}
	found, duplicated = {}, set()
	for row in (
		frappe.qb.from_(R)
		.select(R.grain, R.month, *(R[d] for d in DIMS), *(R[s] for s in SUMS))
		.where((R.month >= start) & (R.month < end) & R.grain.isin([PER_CUSTOMER, ALL]))
		.run(as_dict=True)
	):
		k = (row.grain, getdate(row.month).strftime("%Y-%m"), *(row.get(d) for d in DIMS))
		if k in found:
			duplicated.add(k[1])
		found[k] = row
	repaired_months = set(duplicated)
	for k in set(expected) | set(found):
		a, b = expected.get(k), found.get(k)
		if (
			not a
			or not b
			or any(round(float(a.get(s) or 0), 6) != round(float(b.get(s) or 0), 6) for s in SUMS)
		):
			repaired_months.add(k[1])
	for month in sorted(repaired_months):
		first = getdate(f"{month}-01")
		frappe.qb.from_(R).delete().where((R.month == first) & R.grain.isin([PER_CUSTOMER, ALL])).run()
		rows = [row for row in live.values() if row.m == month]
		write_grains([], *derived_grains(rows))
		wrong.add(f"{month}-01|(totals)")
	# the quarter and year rows against the Customer rows they add up
	for grain, months_ in PERIOD_GRAINS:
		for first in sorted(
			{period_start(getdate(add_months(start, i)), months_) for i in range(months + 1)}
		):
			last = getdate(add_months(first, months_))
			expected_rows = (
				frappe.qb.from_(R)
				.select(R.customer, *(Sum(R[s]).as_(s) for s in SUMS))
				.where((R.grain == PER_CUSTOMER) & (R.month >= first) & (R.month < last))
				.groupby(R.customer)
				.run(as_dict=True)
			)
			stored_rows = (
				frappe.qb.from_(R)
				.select(R.customer, *(R[s] for s in SUMS))
				.where((R.grain == grain) & (R.month == first))
				.run(as_dict=True)
			)

			def figures(rows):
				return {
					r.customer: tuple(round(float(r.get(s) or 0), 6) for s in SUMS)
					for r in rows
					if float(r.received or 0)
				}

			if figures(expected_rows) != figures(stored_rows) or len(stored_rows) != len(
				{r.customer for r in stored_rows}
			):
				_write_periods(False, [first] if months_ == 3 else [], [first] if months_ == 12 else [])
				wrong.add(f"{first.isoformat()}|({grain.lower()})")
	if wrong:
		frappe.log_error(
			title="Complaint rollups repaired",
			message="\n".join(sorted(wrong)),
		)
	return sorted(wrong)


DateDiff = CustomFunction("DATEDIFF", ["end", "start"])
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])


def covering(R, grain: str, lo: date, hi: date, group: str | None):
	"""The condition reading the months [lo, hi) once at ``grain``: for the Customer grain not
	grouped by month, whole years from the year rows and whole quarters from the quarter rows."""
	if grain != PER_CUSTOMER or group == "month":
		return (R.grain == grain) & (R.month >= lo) & (R.month < hi)
	chosen: dict[str, list[date]] = {}
	month = lo
	while month < hi:
		for period, months in (*PERIOD_GRAINS, (PER_CUSTOMER, 1)):
			following = getdate(add_months(month, months))
			if period_start(month, months) == month and following <= hi:
				chosen.setdefault(period, []).append(month)
				month = following
				break
	condition = None
	for period, starts in chosen.items():
		part = (R.grain == period) & R.month.isin(starts)
		condition = part if condition is None else condition | part
	return condition


def grain_for(group: str | None, scope) -> str:
	"""The smallest grain that answers a grouping (None, "month", "customer" or a split) for a
	customer scope (None: every customer)."""
	if group in (None, "month", "customer"):
		return PER_CUSTOMER if scope is not None or group == "customer" else ALL
	return ALL if scope is None else DETAIL


def complaint_figures(group: str | None, start, finish, scope, live: bool = False, ages: bool = True) -> list:
	"""The figures of complaints received in [start, finish), grouped by ``group`` (a field of
	the rollups: customer, category, severity, service, root_cause_category; or "month";
	None: one row): from the monthly rollups for whole months before the current one, from the
	live records (and the figures kept of deleted ones) for the rest; ``live`` reads the live
	records for the whole period (audit). The ages of open complaints (``ages``) grow every
	day: live, except for months that ended more than 90 days ago (``_ages``). Read by
	Complaint Analysis and BRM KPIs."""
	from frappe.query_builder.terms import ValueWrapper

	from brm_app.reporting import merged, month_of, run_on_sources, where_customer

	def grouping(T, stored_month=False):
		if group is None:
			return ValueWrapper("all")
		if group == "month":
			return DateFormat(T.month, "%Y-%m") if stored_month else month_of(T.received_on)
		return T[group]

	def grouped(query, field):
		return query if group is None else query.groupby(field)

	def live_query(lo, hi):
		def build(C):
			field = grouping(C)
			query = (
				frappe.qb.from_(C)
				.select(field.as_("grp"), *(v.as_(k) for k, v in complaint_sums(C).items()))
				.where((C.received_on >= lo) & (C.received_on < hi))
			)
			return where_customer(grouped(query, field), C.customer, scope)

		return run_on_sources("Complaint", build)

	results = []
	whole = None if live or not built() else whole_months(start, finish)
	if whole:
		lo, hi = whole
		R = frappe.qb.DocType(ROLLUP)
		field = grouping(R, stored_month=True)
		query = (
			frappe.qb.from_(R)
			.select(
				field.as_("grp"),
				# counts as integers: read and added faster than decimals
				*((Cast(Sum(R[s]), "SIGNED") if s in COUNTS else Sum(R[s])).as_(s) for s in SUMS),
			)
			.where(covering(R, grain_for(group, scope), lo.date(), hi.date(), group))
		)
		results.append(where_customer(grouped(query, field), R.customer, scope).run(as_dict=True))
		for lo_, hi_ in ((start, lo), (hi, finish)):
			if lo_ < hi_:
				results.append(live_query(lo_, hi_))
	else:
		results.append(live_query(start, finish))
	rows = [r for r in merged(results, "grp") if r.get("received")]
	if group is None and not rows:
		rows = [frappe._dict(grp="all")]

	# the rollups' open counts of the whole months, for the ages (no second read when all of
	# those months ended more than 90 days ago)
	open_of_whole = {r.grp: r.open for r in results[0]} if whole else None
	by_group = _ages(grouping, grouped, start, finish, scope, whole, group, open_of_whole) if ages else {}
	for row in rows:
		for bucket in ("age_0_7", "age_8_30", "age_31_90", "age_over_90"):
			row[bucket] = int((by_group.get(row.grp) or {}).get(bucket) or 0)
		for key in SUMS:  # the same numbers whichever way they were read (no sum: 0)
			value = row.get(key)
			if value is None:
				row[key] = 0
			elif type(value) is float and value.is_integer():
				row[key] = int(value)
		row["redress_total"] = float(row.get("redress_total") or 0)
	return rows


AGES = ("age_0_7", "age_8_30", "age_31_90", "age_over_90")


def _ages(grouping, grouped, start, finish, scope, whole, group, open_of_whole=None) -> dict:
	"""The ages of the open complaints received in [start, finish), per group. A complaint
	received in a whole month that ended more than 90 days ago is over 90 days old whatever
	today is: those months are the rollups' open counts; the rest is read live (the months of
	the last 90 days, partial months at the edges)."""
	from brm_app.reporting import where_customer

	ranges, old = [(start, finish)], None
	if whole:
		lo, hi = whole
		cut = min(hi, get_datetime(month_start(add_days(today(), -90))))
		if lo < cut:
			old, ranges = (lo, cut), [(start, lo), (cut, finish)]
	C = frappe.qb.DocType("Complaint")
	field = grouping(C)
	age = DateDiff(now_datetime(), C.received_on)
	is_open = C.status.isin(list(rules.OPEN_STATUSES))
	by_group: dict = {}

	def add(rows):
		for r in rows:
			into = by_group.setdefault(r.grp, dict.fromkeys(AGES, 0))
			for bucket in AGES:
				into[bucket] += int(r.get(bucket) or 0)

	for lo_, hi_ in ranges:
		if lo_ >= hi_:
			continue
		query = (
			frappe.qb.from_(C)
			.select(
				field.as_("grp"),
				count_if(age <= 7).as_("age_0_7"),
				count_if((age > 7) & (age <= 30)).as_("age_8_30"),
				count_if((age > 30) & (age <= 90)).as_("age_31_90"),
				count_if(age > 90).as_("age_over_90"),
			)
			.where(is_open & (C.received_on >= lo_) & (C.received_on < hi_))
		)
		add(where_customer(grouped(query, field), C.customer, scope).run(as_dict=True))
	if old and old == whole and open_of_whole is not None:
		add(frappe._dict(grp=grp, age_over_90=n) for grp, n in open_of_whole.items())
	elif old:
		R = frappe.qb.DocType(ROLLUP)
		field = grouping(R, stored_month=True)
		query = (
			frappe.qb.from_(R)
			.select(field.as_("grp"), Sum(R.open).as_("age_over_90"))
			.where(covering(R, grain_for(group, scope), old[0].date(), old[1].date(), group))
		)
		add(where_customer(grouped(query, field), R.customer, scope).run(as_dict=True))
	return by_group


def received_by_month_and(field: str, start, finish, scope, live: bool = False) -> list:
	"""Complaints received in [start, finish) per month and ``field`` (a dimension of the
	rollups) as rows (month "YYYY-MM", value, n): whole past months from the rollups, the rest
	live (and from the figures kept of deleted complaints). Read by BRM Metrics."""
	from brm_app.reporting import month_of, where_customer

	def live_part(lo, hi):
		rows = []
		for table, condition in sources("Complaint"):
			month = month_of(table.received_on)
			query = (
				frappe.qb.from_(table)
				.select(month.as_("month"), table[field].as_("value"), Count(table.name).as_("n"))
				.where((table.received_on >= lo) & (table.received_on < hi))
				.groupby(month, table[field])
			)
			query = where_customer(query, table.customer, scope)
			rows += (query.where(condition) if condition is not None else query).run(as_dict=True)
		return rows

	whole = None if live or not built() else whole_months(start, finish)
	if not whole:
		return live_part(start, finish)
	lo, hi = whole
	R = frappe.qb.DocType(ROLLUP)
	month = DateFormat(R.month, "%Y-%m")
	query = (
		frappe.qb.from_(R)
		.select(month.as_("month"), R[field].as_("value"), Sum(R.received).as_("n"))
		.where((R.month >= lo.date()) & (R.month < hi.date()) & (R.grain == grain_for(field, scope)))
		.groupby(month, R[field])
	)
	rows = where_customer(query, R.customer, scope).run(as_dict=True)
	for row in rows:
		row.n = int(row.n or 0)
	for lo_, hi_ in ((start, lo), (hi, finish)):
		if lo_ < hi_:
			rows += live_part(lo_, hi_)
	return rows


def count_if(cond):
	return Sum(Case().when(cond, 1).else_(0))


def on_doctype_update():
	frappe.db.add_index(ROLLUP, ["grain", "month"])


class ComplaintRollup(Document):
	pass
