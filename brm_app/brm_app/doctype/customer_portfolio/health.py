"""Customer health score: computed daily for every portfolio, stored with its reasons.

The inputs are gathered with grouped SQL queries (one per source); the score itself is the
pure ``brm_app.rules.metrics.health_score``."""

import json

import frappe
from frappe import _, _lt
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import (
	add_days,
	add_months,
	cint,
	date_diff,
	flt,
	get_datetime,
	getdate,
	now_datetime,
	today,
)

from brm_app.rules import change as change_rules
from brm_app.rules import complaint as complaint_rules
from brm_app.rules import health as history
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


def gather(customers: list[str], at=None) -> dict[str, rules.HealthInputs]:
	"""The inputs of the health score of each customer, as of ``at`` (now when None): records
	are counted by their dates, so a past week's score is recomputed from what existed then."""
	if not customers:
		return {}
	now = get_datetime(at) if at else now_datetime()
	current = at is None
	year_ago = add_months(now, -12)
	minimum = flt(frappe.db.get_single_value("BRM Settings", "minimum_csat")) or 80.0
	open_status = list(complaint_rules.OPEN_STATUSES)

	def count_if(cond):
		return Sum(Case().when(cond, 1).else_(0))

	inputs = {c: rules.HealthInputs(minimum_csat=minimum) for c in customers}

	C = frappe.qb.DocType("Complaint")
	# open then: received by then and not ended by then (now: an open status)
	open_then = (
		C.status.isin(open_status)
		if current
		else ((C.received_on <= now) & (C.closed_on.isnull() | (C.closed_on > now)))
	)
	escalated_then = (C.escalation_level > 0) if current else (C.escalated_on <= now)
	for row in (
		frappe.qb.from_(C)
		.select(
			C.customer,
			count_if((C.received_on >= year_ago) & (C.received_on <= now)).as_("recent"),
			count_if(open_then & C.severity.isin(["High", "Critical"])).as_("serious"),
			count_if(open_then & escalated_then).as_("escalated"),
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
		.where(I.customer.isin(customers) & (resolved_on >= year_ago) & (resolved_on <= now))
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
		.where(
			Hit.customer.isin(customers) & (Inc.started_on >= add_days(now, -90)) & (Inc.started_on <= now)
		)
		.groupby(Hit.customer)
		.run(as_dict=True)
	):
		inputs[row.customer].incidents_90d = cint(row.n)

	Q = frappe.qb.DocType("Request for Change")
	long_wait = Q.submitted_on < add_days(now, -change_rules.LONG_WAIT_DAYS)
	waiting_then = (
		Q.status.isin(list(change_rules.WITH_CHANGE_MANAGEMENT)) & long_wait
		if current
		else (
			long_wait
			& (Q.implemented_on.isnull() | (Q.implemented_on > now))
			& (Q.closed_on.isnull() | (Q.closed_on > now))
		)
	)
	for row in (
		frappe.qb.from_(Q)
		.select(
			Q.customer,
			count_if(
				(Q.status == change_rules.REJECTED)
				& (Q.decided_on >= add_days(now, -change_rules.RECENT_REJECTION_DAYS))
				& (Q.decided_on <= now)
			).as_("rejected"),
			count_if(waiting_then).as_("waiting"),
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
		.where(R.period_start <= getdate(now))
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
				& (
					A.status.isin(["Open", "In Progress"])
					if current
					else (A.status.isin(["Open", "In Progress"]) | (A.completed_on > getdate(now)))
				)
				& (A.due_date < getdate(now))
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
		.where(S.evaluated_on <= now)
		.orderby(S.evaluated_on, order=frappe.qb.desc)
		.run(as_dict=True)
	):
		n = seen.get(row.customer, 0)
		if n == 0:
			inputs[row.customer].csat, inputs[row.customer].nps = flt(row.csat), flt(row.nps)
		elif n == 1:
			inputs[row.customer].previous_csat = flt(row.csat)
		seen[row.customer] = n + 1

	held_by_then = {}
	if not current:
		held_by_then = {
			row.customer: row.held_on
			for row in frappe.qb.from_(R)
			.select(R.customer, Max(R.held_on).as_("held_on"))
			.where(R.customer.isin(customers) & (R.docstatus == 1) & (R.held_on <= now))
			.groupby(R.customer)
			.run(as_dict=True)
		}
	for p in frappe.get_all(
		"Customer Portfolio",
		filters={"name": ("in", customers)},
		fields=["name", "last_review_date", "review_frequency"],
	):
		i = inputs[p.name]
		last = p.last_review_date
		if not current:  # the latest review known to have been held by then
			known = [getdate(d) for d in (held_by_then.get(p.name), last) if d and getdate(d) <= getdate(now)]
			last = max(known) if known else None
		i.days_since_review = date_diff(getdate(now), last) if last else None
		i.review_every_days = int(REVIEW_FREQUENCY_MONTHS.get(p.review_frequency or "", 3) * 30.5)
	return inputs


FACTOR_LABELS = {
	"no_satisfaction_data": _lt("No satisfaction data"),
	"csat_below_minimum": _lt("CSAT below minimum"),
	"csat_falling": _lt("CSAT falling"),
	"nps_negative": _lt("Negative NPS"),
	"complaints": _lt("Complaints in 12 months"),
	"serious_complaints_open": _lt("Serious complaints open"),
	"escalated_complaints_open": _lt("Escalated complaints open"),
	"sla_failures": _lt("SLA failures"),
	"overdue_actions": _lt("Overdue review actions"),
	"never_reviewed": _lt("Never reviewed"),
	"review_overdue": _lt("Review overdue"),
	"incidents": _lt("Service incidents"),
	"changes_rejected": _lt("Changes rejected"),
	"changes_waiting": _lt("Changes waiting"),
	history.FLOOR: _lt("Score floor (0)"),
}


def factor_label(code: str) -> str:
	return str(FACTOR_LABELS.get(code, code))


def moved_text(moved: list[tuple[str, int]]) -> str:
	return "; ".join(f"{factor_label(code)} ({delta:+d})" for code, delta in moved)


def snapshot_row(portfolio: str, week, score: int, parts: dict[str, int], taken_on) -> tuple:
	"""One row of SNAPSHOT_FIELDS: the band and the costliest factor follow from the parts."""
	worst = min((p for p in parts.items() if p[0] != history.FLOOR), key=lambda p: p[1], default=None)
	return (
		frappe.generate_hash(length=12),
		portfolio,
		week,
		score,
		history.band_of(score),
		worst[0] if worst and worst[1] < 0 else None,
		json.dumps(parts, sort_keys=True),
		taken_on,
		taken_on,
		taken_on,
		"Administrator",
		"Administrator",
	)


def _snapshot_rows(week, results: dict, taken_on) -> list[tuple]:
	return [
		snapshot_row(customer, week, health.score, history.contributions(health.reasons), taken_on)
		for customer, health in results.items()
	]


SNAPSHOT_FIELDS = [
	"name",
	"portfolio",
	"week_ending",
	"score",
	"band",
	"top_factor",
	"factors",
	"taken_on",
	"creation",
	"modified",
	"owner",
	"modified_by",
]


def write_snapshots(week, results: dict, taken_on) -> None:
	"""This week's snapshot of each portfolio, replaced when the job runs again in the week:
	one DELETE and one multi-row INSERT per 500 portfolios."""
	names = list(results)
	rows = _snapshot_rows(week, results, taken_on)
	S = frappe.qb.DocType("Portfolio Health Snapshot")
	for i in range(0, len(names), 500):
		frappe.qb.from_(S).delete().where(
			(S.week_ending == week) & S.portfolio.isin(names[i : i + 500])
		).run()
	frappe.db.bulk_insert("Portfolio Health Snapshot", SNAPSHOT_FIELDS, rows, chunk_size=500)


def load_history(customers: list[str], upto, weeks: int = history.HISTORY_WEEKS) -> dict[str, list]:
	"""Each portfolio's weekly snapshots up to ``upto`` (a week end), oldest first."""
	S = frappe.qb.DocType("Portfolio Health Snapshot")
	out: dict[str, list] = {c: [] for c in customers}
	for i in range(0, len(customers), 1000):
		for row in (
			frappe.qb.from_(S)
			.select(S.portfolio, S.week_ending, S.score, S.band, S.factors)
			.where(
				S.portfolio.isin(customers[i : i + 1000])
				& (S.week_ending <= upto)
				& (S.week_ending > add_days(upto, -7 * weeks))
			)
			.orderby(S.portfolio)
			.orderby(S.week_ending)
			.run(as_dict=True)
		):
			row.factors = json.loads(row.factors or "{}")
			out[row.portfolio].append(row)
	return out


def _peers() -> tuple[dict, dict, dict]:
	"""Every portfolio's tier and customer group, and the sorted scores of each."""
	P = frappe.qb.DocType("Customer Portfolio")
	Cu = frappe.qb.DocType("Customer")
	rows = (
		frappe.qb.from_(P)
		.left_join(Cu)
		.on(Cu.name == P.customer)
		.select(P.name, P.tier, Cu.customer_group, P.health_score)
		.where(P.health_score.isnotnull())
		.run(as_dict=True)
	)
	of, by_tier, by_group = {}, {}, {}
	for r in rows:
		of[r.name] = (r.tier, r.customer_group)
		by_tier.setdefault(r.tier, []).append(cint(r.health_score))
		by_group.setdefault(r.customer_group, []).append(cint(r.health_score))
	for d in (by_tier, by_group):
		for v in d.values():
			v.sort()
	return of, by_tier, by_group


def refresh_health(customers: list[str] | None = None, alerts: bool = True) -> dict:
	"""Recompute and store the health of the given portfolios (all when None): the score and
	its reasons on the portfolio, this week's snapshot, the trend, what moved it, the
	projection, the percentiles among peers, and the alerts its rules call for."""
	if customers is None:
		customers = frappe.get_all("Customer Portfolio", pluck="name")
	now = now_datetime()
	week = history.week_ending(getdate(now))
	stored_band = dict(
		frappe.get_all(
			"Customer Portfolio",
			filters={"name": ("in", customers)},
			fields=["name", "health_band"],
			as_list=True,
		)
	)
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
	write_snapshots(week, results, now)
	past = load_history(list(results), week)
	for customer, snaps in past.items():
		scores = [s.score for s in snaps]
		update = updates[customer]
		before = snaps[-5] if len(snaps) >= 5 else (snaps[0] if len(snaps) > 1 else None)
		update["health_trend"] = scores[-1] - before.score if before else 0
		update["health_moved"] = (
			moved_text(history.what_moved(before.factors, snaps[-1].factors)) if before else None
		)
		if stored_band.get(customer) and stored_band[customer] != update["health_band"]:
			update["health_band_changed_on"] = getdate(now)  # else: the day it last changed stays
		projection = history.project(scores)
		update["health_projection"] = projection.score if projection else 0
		update["health_projected_band"] = projection.band if projection else None
		update["health_projection_range"] = f"{projection.low} - {projection.high}" if projection else None
	# One UPDATE per 1,000 portfolios (10,000 portfolios: 10 statements, not 10,000).
	frappe.db.bulk_update("Customer Portfolio", updates, chunk_size=1000, update_modified=False)
	of, by_tier, by_group = _peers()
	ranks = {}
	for customer in results:
		tier, group = of.get(customer, (None, None))
		score = results[customer].score
		ranks[customer] = {
			"health_tier_percentile": history.percentile(score, by_tier.get(tier, [])) or 0,
			"health_group_percentile": history.percentile(score, by_group.get(group, [])) or 0,
		}
	frappe.db.bulk_update("Customer Portfolio", ranks, chunk_size=1000, update_modified=False)
	if alerts:
		raise_alerts(past, results, getdate(now))
	clear_portfolio_cache(list(updates))
	return results


def alert_rules() -> list:
	return [
		row
		for row in frappe.get_all(
			"BRM Health Alert Rule",
			filters={"parent": "BRM Settings", "parenttype": "BRM Settings", "enabled": 1},
			fields=["kind", "points", "weeks", "due_in_days"],
			order_by="idx",
		)
	]


def raise_alerts(past: dict, results: dict, today_date) -> list[str]:
	"""Open a Health Alert, assigned to the relationship manager, for each portfolio that a
	rule of BRM Settings calls for — at most one open alert per portfolio and rule."""
	rules_ = alert_rules()
	if not rules_:
		return []
	due: list[tuple[str, object]] = []
	for customer, snaps in past.items():
		scores = [s.score for s in snaps]
		projection = history.project(scores)
		for row in rules_:
			rule = history.AlertRule(row.kind, cint(row.points) or 10, cint(row.weeks) or 4)
			if history.alert_due(rule, scores, projection):
				due.append((customer, row))
	if not due:
		return []
	A = frappe.qb.DocType("Health Alert")
	# Open, or raised within the rule's window (a closed alert is not raised again while the
	# condition that raised it lasts: "drops 10 in 4 weeks" stays true for 4 weeks).
	windows = {row.kind: history.alert_window_days(row.kind, cint(row.weeks) or 4) for row in rules_}
	open_ = {
		(r.portfolio, r.kind)
		for r in frappe.qb.from_(A)
		.select(A.portfolio, A.kind, A.status, A.raised_on)
		.where(A.portfolio.isin(list({c for c, _r in due})))
		.where((A.status == "Open") | (A.raised_on > add_days(today_date, -max(windows.values()))))
		.run(as_dict=True)
		if r.status == "Open"
		or getdate(r.raised_on) > getdate(add_days(today_date, -windows.get(r.kind, 28)))
	}
	managers = dict(
		frappe.get_all(
			"Customer Portfolio",
			filters={"name": ("in", list({c for c, _r in due}))},
			fields=["name", "relationship_manager"],
			as_list=True,
		)
	)
	made = []
	for customer, row in due:
		if (customer, row.kind) in open_:
			continue
		open_.add((customer, row.kind))
		health = results[customer]
		alert = frappe.get_doc(
			{
				"doctype": "Health Alert",
				"portfolio": customer,
				"relationship_manager": managers.get(customer),
				"kind": row.kind,
				"raised_on": today_date,
				"due_on": add_days(today_date, cint(row.due_in_days) or 7),
				"score": health.score,
				"reasons": "\n".join(reason_text(code, facts) for code, _p, facts in health.reasons),
			}
		).insert(ignore_permissions=True)
		if alert.relationship_manager:
			from frappe.desk.form.assign_to import add as assign

			assign(
				{
					"doctype": "Health Alert",
					"name": alert.name,
					"assign_to": [alert.relationship_manager],
					"date": alert.due_on,
					"description": _("Health of {0}: {1}").format(customer, _(row.kind)),
				},
				ignore_permissions=True,
			)
		made.append(alert.name)
	return made


def backfill_history(weeks: int = history.HISTORY_WEEKS, customers: list[str] | None = None) -> int:
	"""Snapshots for the past ``weeks`` weeks (before this one) where none exist, computed from
	the records dated by each week's end. Returns the number of snapshots written."""
	if customers is None:
		customers = frappe.get_all("Customer Portfolio", pluck="name")
	if not customers:
		return 0
	this_week = history.week_ending(getdate(today()))
	S = frappe.qb.DocType("Portfolio Health Snapshot")
	written = 0
	for k in range(weeks, 0, -1):
		week = add_days(this_week, -7 * k)
		for i in range(0, len(customers), 500):
			chunk = customers[i : i + 500]
			have = set(
				frappe.qb.from_(S)
				.select(S.portfolio)
				.where((S.week_ending == week) & S.portfolio.isin(chunk))
				.run(pluck=True)
			)
			todo = [c for c in chunk if c not in have]
			if not todo:
				continue
			at = get_datetime(f"{week} 23:59:59")
			results = {c: rules.health_score(i_) for c, i_ in gather(todo, at=at).items()}
			frappe.db.bulk_insert(
				"Portfolio Health Snapshot",
				SNAPSHOT_FIELDS,
				_snapshot_rows(week, results, now_datetime()),
				chunk_size=500,
			)
			written += len(results)
	return written


def backfill_all() -> None:
	"""Install / migrate: the last 12 weeks from the records that exist, then today's figures."""
	backfill_history()
	refresh_health(None, alerts=False)


@frappe.whitelist()
def get_health_history(portfolio: str) -> dict:
	"""The weekly scores of a portfolio, with what moved it and where it is heading, for the
	form's chart (desk users who may read the portfolio)."""
	if not frappe.has_permission("Customer Portfolio", "read", portfolio):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	week = history.week_ending(getdate(today()))
	snaps = load_history([portfolio], week).get(portfolio, [])
	scores = [s.score for s in snaps]
	projection = history.project(scores)

	def since(n: int):
		if len(snaps) <= n:
			return None
		before, now_ = snaps[-1 - n], snaps[-1]
		return {
			"change": now_.score - before.score,
			"moved": [
				{"factor": factor_label(c), "points": d}
				for c, d in history.what_moved(before.factors, now_.factors)
			],
		}

	return {
		"weeks": [str(s.week_ending) for s in snaps],
		"scores": scores,
		"bands": [s.band for s in snaps],
		"since_last_week": since(1),
		"since_4_weeks": since(4),
		"projection": projection.__dict__ if projection else None,
		"min_weeks": history.MIN_WEEKS,
		"watch_line": 75,
		"at_risk_line": 50,
	}


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
