"""Customer health score: computed daily for every portfolio, stored with its reasons.

The inputs are gathered with grouped SQL queries (one per source); the score itself is the
pure ``brm_app.rules.metrics.health_score``."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import add_days, add_months, cint, date_diff, flt, getdate, now_datetime, today

from brm_app.rules import change as change_rules
from brm_app.rules import complaint as complaint_rules
from brm_app.rules import metrics as rules
from brm_app.rules.portfolio import REVIEW_FREQUENCY_MONTHS


def reason_text(code: str, facts: dict) -> str:
	return {
		"no_satisfaction_data": _("No satisfaction survey answered yet"),
		"csat_below_minimum": _("CSAT {csat}% is below the minimum of {minimum}%"),
		"csat_falling": _("CSAT fell from {previous}% to {csat}%"),
		"nps_negative": _("NPS is negative ({nps})"),
		"complaints": _("{count} complaint(s) in the last 12 months"),
		"serious_complaints_open": _("{count} high or critical complaint(s) open"),
		"escalated_complaints_open": _("{count} escalated complaint(s) open"),
		"sla_failures": _("{rate}% of resolved Issues failed their SLA ({failed})"),
		"overdue_actions": _("{count} review action item(s) overdue"),
		"never_reviewed": _("No service review held yet"),
		"review_overdue": _("Last service review was {days} days ago"),
		"incidents": _("{count} service incident(s) hit this customer in the last 90 days"),
		"changes_rejected": _("{count} request(s) for change rejected by the change board recently"),
		"changes_waiting": _(
			"{count} request(s) for change waiting on the change process for over two months"
		),
	}[code].format(**facts)


def gather(customers: list[str]) -> dict[str, rules.HealthInputs]:
	if not customers:
		return {}
	now = now_datetime()
	year_ago = add_months(now, -12)
	minimum = flt(frappe.db.get_single_value("BRM Settings", "minimum_csat")) or 80.0
	open_status = list(complaint_rules.OPEN_STATUSES)

	def count_if(cond):
		return Sum(Case().when(cond, 1).else_(0))

	inputs = {c: rules.HealthInputs(minimum_csat=minimum) for c in customers}

	C = frappe.qb.DocType("Complaint")
	for row in (
		frappe.qb.from_(C)
		.select(
			C.customer,
			count_if(C.received_on >= year_ago).as_("recent"),
			count_if(C.status.isin(open_status) & C.severity.isin(["High", "Critical"])).as_("serious"),
			count_if(C.status.isin(open_status) & (C.escalation_level > 0)).as_("escalated"),
		)
		.where(C.customer.isin(customers))
		.groupby(C.customer)
		.run(as_dict=True)
	):
		i = inputs[row.customer]
		i.complaints_12m, i.open_serious_complaints, i.open_escalated_complaints = (
			cint(row.recent),
			cint(row.serious),
			cint(row.escalated),
		)

	I = frappe.qb.DocType("Issue")  # noqa: E741
	resolved_on = (
		I.sla_resolution_date if frappe.db.has_column("Issue", "sla_resolution_date") else I.modified
	)
	for row in (
		frappe.qb.from_(I)
		.select(
			I.customer,
			count_if(I.agreement_status == "Fulfilled").as_("met"),
			count_if(I.agreement_status == "Failed").as_("failed"),
		)
		.where(I.customer.isin(customers) & (resolved_on >= year_ago))
		.groupby(I.customer)
		.run(as_dict=True)
	):
		inputs[row.customer].sla_met, inputs[row.customer].sla_failed = cint(row.met), cint(row.failed)

	Inc = frappe.qb.DocType("Service Incident")
	Hit = frappe.qb.DocType("Service Incident Customer")
	for row in (
		frappe.qb.from_(Inc)
		.join(Hit)
		.on((Hit.parent == Inc.name) & (Hit.parenttype == "Service Incident"))
		.select(Hit.customer, Count(Inc.name).distinct().as_("n"))
		.where(Hit.customer.isin(customers) & (Inc.started_on >= add_days(now, -90)))
		.groupby(Hit.customer)
		.run(as_dict=True)
	):
		inputs[row.customer].incidents_90d = cint(row.n)

	Q = frappe.qb.DocType("Request for Change")
	for row in (
		frappe.qb.from_(Q)
		.select(
			Q.customer,
			count_if(
				(Q.status == change_rules.REJECTED)
				& (Q.decided_on >= add_days(now, -change_rules.RECENT_REJECTION_DAYS))
			).as_("rejected"),
			count_if(
				Q.status.isin(list(change_rules.WITH_CHANGE_MANAGEMENT))
				& (Q.submitted_on < add_days(now, -change_rules.LONG_WAIT_DAYS))
			).as_("waiting"),
		)
		.where(Q.customer.isin(customers))
		.groupby(Q.customer)
		.run(as_dict=True)
	):
		inputs[row.customer].changes_rejected = cint(row.rejected)
		inputs[row.customer].changes_waiting = cint(row.waiting)

	# Overdue open action items of each customer's latest review.
	R = frappe.qb.DocType("Service Performance Review")
	latest = {
		row.customer: row.period_start
		for row in frappe.qb.from_(R)
		.select(R.customer, Max(R.period_start).as_("period_start"))
		.where(R.customer.isin(customers) & (R.docstatus < 2) & (R.status != "Cancelled"))
		.groupby(R.customer)
		.run(as_dict=True)
	}
	if latest:
		A = frappe.qb.DocType("Review Action Item")
		for row in (
			frappe.qb.from_(A)
			.join(R)
			.on(A.parent == R.name)
			.select(R.customer, R.period_start, Count(A.name).as_("overdue"))
			.where(
				R.customer.isin(list(latest))
				& (A.parenttype == "Service Performance Review")
				& A.status.isin(["Open", "In Progress"])
				& (A.due_date < getdate(today()))
			)
			.groupby(R.customer, R.period_start)
			.run(as_dict=True)
		):
			if latest.get(row.customer) == row.period_start:
				inputs[row.customer].overdue_actions = cint(row.overdue)

	# Satisfaction: the two latest evaluated survey results with answers, per customer.
	S = frappe.qb.DocType("Satisfaction Survey")
	Res = frappe.qb.DocType("Survey Customer Result")
	seen: dict[str, int] = {}
	for row in (
		frappe.qb.from_(Res)
		.join(S)
		.on(Res.parent == S.name)
		.select(Res.customer, Res.csat, Res.nps)
		.where(Res.customer.isin(customers) & (Res.responded > 0) & (S.status == "Evaluated"))
		.orderby(S.evaluated_on, order=frappe.qb.desc)
		.run(as_dict=True)
	):
		n = seen.get(row.customer, 0)
		if n == 0:
			inputs[row.customer].csat, inputs[row.customer].nps = flt(row.csat), flt(row.nps)
		elif n == 1:
			inputs[row.customer].previous_csat = flt(row.csat)
		seen[row.customer] = n + 1

	for p in frappe.get_all(
		"Customer Portfolio",
		filters={"name": ("in", customers)},
		fields=["name", "last_review_date", "review_frequency"],
	):
		i = inputs[p.name]
		i.days_since_review = date_diff(today(), p.last_review_date) if p.last_review_date else None
		i.review_every_days = int(REVIEW_FREQUENCY_MONTHS.get(p.review_frequency or "", 3) * 30.5)
	return inputs


def refresh_health(customers: list[str] | None = None) -> dict:
	"""Recompute and store the health of the given portfolios (all when None)."""
	if customers is None:
		customers = frappe.get_all("Customer Portfolio", pluck="name")
	now = now_datetime()
	results, updates = {}, {}
	for customer, inputs in gather(customers).items():
		health = rules.health_score(inputs)
		updates[customer] = {
			"health_score": health.score,
			"health_band": health.band,
			"health_reasons": "\n".join(reason_text(code, facts) for code, _points, facts in health.reasons),
			"health_updated_on": now,
		}
		results[customer] = health
	# One UPDATE per 500 portfolios (10,000 portfolios: 20 statements, not 10,000).
	frappe.db.bulk_update("Customer Portfolio", updates, chunk_size=500, update_modified=False)
	clear_portfolio_cache(list(updates))
	return results


def clear_portfolio_cache(names: list[str]) -> None:
	"""Cached portfolios are read again after a refresh (all at once when there are many)."""
	if len(names) > 100:
		frappe.clear_document_cache("Customer Portfolio")
	else:
		for name in names:
			frappe.clear_document_cache("Customer Portfolio", name)


def refresh_all_health() -> None:
	"""Daily scheduler job."""
	refresh_health(None)
