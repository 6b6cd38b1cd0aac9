# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Monthly survey answer rollups (issue 29; docs/rollups.md): per month of response x customer
x survey x service x reference type (Complaint, Issue, HD Ticket, none) x dimension, exactly
the counts and sums ``reporting.answer_aggregates`` returns, so CSAT, NPS, CES and the
weighted score are computed from sums, never from averages.

Responses are invitations, not answers, so two counts are kept: ``responses``, the
invitations with an answer of the row's dimension (right when grouping or filtering by
dimension), and ``responses_all``, each invitation counted once, on the row of its first
dimension (right for every other grouping).

Kept current (a responded, changed, moved or deleted invitation marks its month and customer,
before and after; one deduplicated job rebuilds the keys), reconciled nightly and rebuilt by
``rebuild_all`` exactly as the complaint rollups are (complaint_rollup.py)."""

from datetime import date

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, add_months, get_datetime, getdate

from brm_app.brm_app.doctype.complaint_rollup import upkeep
from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import month_start, no_customer
from brm_app.brm_app.doctype.complaint_rollup.complaint_rollup import write_rows as _write_rows
from brm_app.reporting import ROLLUP_ANSWER_SUMS, answer_query, merged, month_of
from brm_app.reporting import SURVEY_ROLLUP as ROLLUP
from brm_app.reporting import SURVEY_ROLLUPS_BUILT as BUILT

DIRTY = "brm_survey_rollup_dirty"
DIMS = ("customer", "survey", "service", "reference_doctype", "dimension")
#: What answer_aggregates returns, summed from the rollups (``responses`` is chosen by grouping).
ANSWER_SUMS = ROLLUP_ANSWER_SUMS
SUMS = (*ANSWER_SUMS, "responses", "responses_all")
RECONCILE_MONTHS = 3
INVITATION, RETAINED = "Survey Invitation", "Retained Figures"
#: (answer table, invitation table) of the live records and of the figures kept of deleted ones
SOURCES = (("Survey Answer", INVITATION), ("Retained Answer", RETAINED))


# ---------------------------------------------------------------------- kept current


def mark_dirty(doc, method=None) -> None:
	"""doc_events of Survey Invitation (after every change, after delete): its month of
	response and customer, before and after the change, for the rebuild job."""
	mark_keys(upkeep.keys_of(doc, "responded_on"))


def mark_keys(keys) -> None:
	upkeep.mark(keys, DIRTY, "brm_app.brm_app.doctype.survey_rollup.survey_rollup.flush")


def flush() -> int:
	"""Background job (and hourly): rebuild the marked keys, a batch at a time."""
	return upkeep.flush(ROLLUP, DIRTY, rebuild_keys)


def rebuild_keys(keys: list[str]) -> None:
	for key in sorted(set(keys)):
		month, customer = key.split("|", 1)
		start = getdate(month)
		rows = live_rows(start, getdate(add_months(start, 1)), customer or None)
		R = frappe.qb.DocType(ROLLUP)
		query = frappe.qb.from_(R).delete().where(R.month == start)
		query = query.where(R.customer == customer) if customer else query.where(no_customer(R.customer))
		query.run()
		write_rows(rows)


def write_rows(rows: list) -> None:
	_write_rows(rows, ROLLUP, DIMS, SUMS)


def live_rows(start: date, end: date, customer: str | None = None, every_customer: bool = False) -> list:
	"""The rollup rows the answers of invitations responded in [start, end) give (live and
	kept) — for one customer (None: invitations without one) or ``every_customer``."""
	filters = frappe._dict(from_date=start, to_date=add_days(end, -1))
	rows = []
	for answer_doctype, invitation_doctype in SOURCES:
		A, Inv = frappe.qb.DocType(answer_doctype), frappe.qb.DocType(invitation_doctype)
		fields = [month_of(Inv.responded_on), *(Inv[d] for d in DIMS[:-1]), A.dimension]
		query = answer_query(answer_doctype, invitation_doctype, None, filters, (*ANSWER_SUMS, "responses"))
		query = query.select(*(f.as_(n) for f, n in zip(fields, ("m", *DIMS), strict=True))).groupby(*fields)
		if invitation_doctype == RETAINED:
			query = query.where(Inv.record_type == INVITATION)
		if not every_customer:
			query = (
				query.where(Inv.customer == customer) if customer else query.where(no_customer(Inv.customer))
			)
		rows += _keyed(query.run(as_dict=True))
		rows += _keyed(
			_first_dimension_counts(answer_doctype, invitation_doctype, start, end, customer, every_customer)
		)
	rows = merged([rows], "k")
	for row in rows:  # '' and NULL alike: no customer
		row.customer = row.customer or None
	return rows


def _keyed(rows: list) -> list:
	for row in rows:
		row.k = "|".join([row.m] + [str(row.get(d) or "") for d in DIMS])
	return rows


def _first_dimension_counts(answer_doctype, invitation_doctype, start, end, customer, every_customer) -> list:
	"""``responses_all``: each responded invitation once, on the row of its first dimension
	(frappe.qb has no derived tables: plain SQL, every value a parameter)."""
	conditions = ["i.responded_on >= %(start)s", "i.responded_on < %(end)s"]
	if invitation_doctype == RETAINED:
		conditions.append("i.record_type = %(record_type)s")
	if not every_customer:
		conditions.append("i.customer = %(customer)s" if customer else "ifnull(i.customer, '') = ''")
	return frappe.db.sql(
		f"""select m, customer, survey, service, reference_doctype, nullif(d, '') as dimension,
			count(*) as responses_all
		from (
			select date_format(i.responded_on, '%%Y-%%m') as m, i.customer, i.survey, i.service,
				i.reference_doctype, min(ifnull(a.dimension, '')) as d
			from `tab{answer_doctype}` a
			join `tab{invitation_doctype}` i on a.parent = i.name and a.parenttype = %(parenttype)s
			where {" and ".join(conditions)}
			group by i.name
		) first_dimensions
		group by m, customer, survey, service, reference_doctype, d""",
		{
			"start": get_datetime(start),
			"end": get_datetime(end),
			"customer": customer,
			"record_type": INVITATION,
			"parenttype": invitation_doctype,
		},
		as_dict=True,
	)


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
	brm_app.brm_app.doctype.survey_rollup.survey_rollup.rebuild_all``). Returns the rows written."""
	frappe.db.set_default(BUILT, None)  # answer figures are read live until the build is complete
	frappe.db.delete(ROLLUP)
	firsts = [
		frappe.db.sql("select min(responded_on) from `tabSurvey Invitation`")[0][0],
		frappe.db.sql(f"select min(responded_on) from `tab{RETAINED}` where record_type = %s", INVITATION)[0][
			0
		],
	]
	firsts = [getdate(d) for d in firsts if d]
	written = 0
	if firsts:
		first = month = month_start(min(firsts))
		end = month_start(frappe.utils.today())
		while month <= end:
			following = getdate(add_months(month, 1))
			rows = live_rows(month, following, every_customer=True)
			write_rows(rows)
			written += len(rows)
			if not frappe.flags.in_test:
				frappe.db.commit()  # nosemgrep: a month at a time
			frappe.publish_progress(
				100 * (month - first).days / max(1, (end - first).days), title="Survey rollups"
			)
			month = following
	frappe.db.set_default(BUILT, "1")
	return written


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
	rebuilt and logged (Error Log "Survey rollups repaired"). Returns the keys repaired."""
	end = getdate(add_months(month_start(frappe.utils.today()), 1))
	start = getdate(add_months(end, -(months + 1)))
	live = {row.k: row for row in live_rows(start, end, every_customer=True)}
	R = frappe.qb.DocType(ROLLUP)
	stored = (
		frappe.qb.from_(R)
		.select(R.month, *(R[d] for d in DIMS), *(R[s] for s in SUMS))
		.where((R.month >= start) & (R.month < end))
		.run(as_dict=True)
	)
	wrong = upkeep.differing_keys(live, stored, DIMS, SUMS)
	if wrong:
		rebuild_keys(sorted(wrong))
		frappe.log_error(title="Survey rollups repaired", message="\n".join(sorted(wrong)))
	return sorted(wrong)


class SurveyRollup(Document):
	pass
