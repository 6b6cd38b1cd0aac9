"""Shared pieces of brm_app's reports: which customers a user may see, month buckets, and
the grouped survey-answer counts from which every CSAT / NPS / CES figure is computed."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, get_datetime
from pypika import CustomFunction

from brm_app.rules import survey as rules

INVITATION = "Survey Invitation"

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


# ---------------------------------------------------------------------- survey answers


GROUPINGS = ("customer", "dimension", "service", "survey", "month")


def answer_aggregates(group_by: str | None = None, filters: dict | None = None) -> list:
	"""Grouped counts and sums over the answers of responded invitations (one SQL query),
	from which ``measures`` applies the formulas. ``group_by`` is one of GROUPINGS; rows then
	carry it as ``grp``. ``filters``: survey, customer, dimension, service, from_date, to_date."""
	filters = frappe._dict(filters or {})
	A = frappe.qb.DocType("Survey Answer")
	Inv = frappe.qb.DocType(INVITATION)

	def when(cond, value=1):
		return Sum(Case().when(cond, value).else_(0))

	scored = A.has_score == 1
	norm = Case()
	for kind, (low, high) in rules.RANGES.items():
		norm = norm.when(A.kind == kind, (A.score - low) * 100.0 / (high - low))
	query = (
		frappe.qb.from_(A)
		.join(Inv)
		.on((A.parent == Inv.name) & (A.parenttype == INVITATION))
		.select(
			when(scored & (A.kind == rules.RATING)).as_("rating_n"),
			when(scored & (A.kind == rules.RATING) & (A.score >= 4)).as_("rating_satisfied"),
			when(scored & (A.kind == rules.NPS)).as_("nps_n"),
			when(scored & (A.kind == rules.NPS) & (A.score >= 9)).as_("promoters"),
			when(scored & (A.kind == rules.NPS) & (A.score <= 6)).as_("detractors"),
			when(scored & (A.kind == rules.CES)).as_("ces_n"),
			when(scored & (A.kind == rules.CES), A.score).as_("ces_sum"),
			when(scored & (A.weight > 0), A.weight).as_("weight_sum"),
			Sum(Case().when(scored & (A.weight > 0), A.weight * norm).else_(0)).as_("weighted_sum"),
			Count(A.name).as_("answers"),
			Count(Inv.name).distinct().as_("responses"),
		)
		.where(Inv.responded_on.isnotnull())
	)
	for field in ("survey", "customer", "service"):
		if filters.get(field):
			query = query.where(Inv[field] == filters[field])
	if filters.get("customers") is not None:
		query = query.where(Inv.customer.isin(list(filters.customers) or [""]))
	if filters.get("reference_doctypes"):
		query = query.where(Inv.reference_doctype.isin(list(filters.reference_doctypes)))
	if filters.get("dimension"):
		query = query.where(A.dimension == filters.dimension)
	if filters.get("from_date"):
		query = query.where(Inv.responded_on >= get_datetime(filters.from_date))
	if filters.get("to_date"):
		query = query.where(Inv.responded_on < add_days(get_datetime(filters.to_date), 1))
	if group_by:
		if group_by not in GROUPINGS:
			frappe.throw(_("Cannot group by {0}.").format(group_by))
		if group_by == "month":
			field = month_of(Inv.responded_on)
		elif group_by == "dimension":
			field = A.dimension
		else:
			field = Inv[group_by]
		query = query.select(field.as_("grp")).groupby(field).orderby(field)
	return query.run(as_dict=True)


def measures(row) -> dict:
	"""The formulas of brm-spec.md applied to one row of grouped counts."""
	return {
		"csat": rules.csat_from_counts(row.rating_satisfied, row.rating_n),
		"nps": rules.nps_from_counts(row.promoters, row.detractors, row.nps_n),
		"ces": rules.mean(row.ces_sum, row.ces_n),
		"weighted_score": rules.mean(row.weighted_sum, row.weight_sum),
	}
