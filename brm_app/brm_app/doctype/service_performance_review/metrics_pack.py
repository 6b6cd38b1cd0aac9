"""The metrics pack of a Service Performance Review: what happened with a customer in a period.

Every figure is a grouped SQL count or sum (frappe.qb); the survey figures reuse the survey
evaluation's aggregate and formulas."""

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, get_datetime, getdate

from brm_app.rules import change as change_rules
from brm_app.rules import complaint as complaint_rules

MAJOR_PRIORITIES = ("High", "Urgent", "Critical")


def metrics_pack(customer: str, start, end) -> dict:
	"""Figures for ``customer`` from ``start`` to ``end`` (dates, inclusive)."""
	from brm_app.reporting import answer_aggregates, measures

	begin = get_datetime(getdate(start))
	finish = get_datetime(add_days(getdate(end), 1))  # exclusive upper bound
	final = list(complaint_rules.FINAL_STATUSES)

	def between(field):
		return (field >= begin) & (field < finish)

	def count_if(cond):
		return Sum(Case().when(cond, 1).else_(0))

	C = frappe.qb.DocType("Complaint")
	open_at_end = (
		(C.received_on < finish)
		& (C.closed_on.isnull() | (C.closed_on >= finish))
		& (C.status.notin(final) | C.closed_on.isnotnull())
	)
	complaints = (
		frappe.qb.from_(C)
		.select(
			count_if(between(C.received_on)).as_("received"),
			count_if(between(C.closed_on) & (C.status == complaint_rules.CLOSED)).as_("closed"),
			count_if(open_at_end).as_("open"),
			count_if(open_at_end & (C.resolve_by < finish)).as_("overdue"),
			count_if(between(C.escalated_on)).as_("escalated"),
		)
		.where(C.customer == customer)
		.run(as_dict=True)[0]
	)
	by_category = (
		frappe.qb.from_(C)
		.select(C.category, Count(C.name).as_("complaints"))
		.where((C.customer == customer) & between(C.received_on))
		.groupby(C.category)
		.orderby(Count(C.name), order=frappe.qb.desc)
		.run(as_dict=True)
	)

	K = frappe.qb.DocType("Compliment")
	compliments = (
		frappe.qb.from_(K)
		.select(Count(K.name))
		.where((K.customer == customer) & between(K.received_on))
		.run()[0][0]
	)

	I = frappe.qb.DocType("Issue")  # noqa: E741
	# ERPNext's SLA stamps sla_resolution_date; without that column, fall back to the last change.
	resolved_on = (
		I.sla_resolution_date if frappe.db.has_column("Issue", "sla_resolution_date") else I.modified
	)
	resolved = between(resolved_on) & I.status.isin(["Resolved", "Closed"])
	issues = (
		frappe.qb.from_(I)
		.select(
			count_if(between(I.opening_date)).as_("opened"),
			count_if(resolved).as_("resolved"),
			count_if(resolved & (I.agreement_status == "Fulfilled")).as_("sla_fulfilled"),
			count_if(resolved & (I.agreement_status == "Failed")).as_("sla_failed"),
			count_if(between(I.opening_date) & I.priority.isin(MAJOR_PRIORITIES)).as_("major"),
		)
		.where(I.customer == customer)
		.run(as_dict=True)[0]
	)

	Q = frappe.qb.DocType("Request for Change")
	S = frappe.qb.DocType("Request for Change CAB Sitting")
	changes = (
		frappe.qb.from_(Q)
		.select(
			count_if(between(Q.submitted_on)).as_("raised"),
			count_if(between(Q.implemented_on)).as_("implemented"),
		)
		.where(Q.customer == customer)
		.run(as_dict=True)[0]
	)
	decisions = dict(
		frappe.qb.from_(S)
		.join(Q)
		.on((Q.name == S.parent) & (S.parenttype == "Request for Change"))
		.select(S.decision, Count(S.parent).distinct())
		.where(
			(Q.customer == customer) & (S.sitting_date >= getdate(start)) & (S.sitting_date <= getdate(end))
		)
		.where(S.decision.isin([change_rules.APPROVED, change_rules.REJECTED]))
		.groupby(S.decision)
		.run()
	)

	Inc = frappe.qb.DocType("Service Incident")
	Hit = frappe.qb.DocType("Service Incident Customer")
	incidents = (
		frappe.qb.from_(Inc)
		.join(Hit)
		.on((Hit.parent == Inc.name) & (Hit.parenttype == "Service Incident"))
		.select(Inc.name, Inc.started_on, Hit.first_notice_on)
		.where((Hit.customer == customer) & between(Inc.started_on))
		.run(as_dict=True)
	)
	waits = [
		(get_datetime(r.first_notice_on) - get_datetime(r.started_on)).total_seconds() / 60
		for r in incidents
		if r.first_notice_on
	]
	incident_complaints = (
		frappe.qb.from_(C)
		.select(Count(C.name))
		.where((C.customer == customer) & C.service_incident.isin([r.name for r in incidents] or [""]))
		.run()[0][0]
	)

	R = frappe.qb.DocType("Portfolio Revenue")
	revenue = (
		frappe.qb.from_(R)
		.select(
			Sum(Case().when(R.revenue_type == "Actual", R.amount).else_(0)).as_("actual"),
			Sum(Case().when(R.revenue_type == "Projected", R.amount).else_(0)).as_("projected"),
		)
		.where(
			(R.parenttype == "Customer Portfolio")
			& (R.parent == customer)
			& (R.period_start >= getdate(start))
			& (R.period_start <= getdate(end))
		)
		.run(as_dict=True)[0]
	)

	# The health score at the period's start and end: the weekly snapshot of those weeks.
	Snap = frappe.qb.DocType("Portfolio Health Snapshot")
	health_at = {}
	for key, day in (("start", getdate(start)), ("end", getdate(end))):
		row = (
			frappe.qb.from_(Snap)
			.select(Snap.score)
			.where((Snap.portfolio == customer) & (Snap.week_ending >= day))
			.orderby(Snap.week_ending)
			.limit(1)
			.run()
		)
		health_at[key] = int(row[0][0]) if row else 0

	survey_row = (
		answer_aggregates(None, {"customer": customer, "from_date": start, "to_date": end}) or [None]
	)[0]
	survey = measures(survey_row) if survey_row and survey_row.answers else {}

	return {
		"complaints_received": int(complaints.received or 0),
		"complaints_closed": int(complaints.closed or 0),
		"complaints_open": int(complaints.open or 0),
		"complaints_overdue": int(complaints.overdue or 0),
		"complaints_escalated": int(complaints.escalated or 0),
		"complaints_by_category": [
			{"category": row.category, "complaints": row.complaints} for row in by_category if row.category
		],
		"compliments_received": int(compliments or 0),
		"survey_responses": int(survey_row.responses or 0) if survey_row else 0,
		"csat": survey.get("csat"),
		"nps": survey.get("nps"),
		"issues_opened": int(issues.opened or 0),
		"issues_resolved": int(issues.resolved or 0),
		"sla_fulfilled": int(issues.sla_fulfilled or 0),
		"sla_failed": int(issues.sla_failed or 0),
		"major_incidents": int(issues.major or 0),
		"incidents_affecting": len(incidents),
		"incident_complaints": int(incident_complaints or 0),
		"minutes_to_incident_notice": round(sum(waits) / len(waits)) if waits else 0,
		"changes_raised": int(changes.raised or 0),
		"changes_approved": int(decisions.get(change_rules.APPROVED) or 0),
		"changes_implemented": int(changes.implemented or 0),
		"changes_rejected": int(decisions.get(change_rules.REJECTED) or 0),
		"health_at_start": health_at["start"],
		"health_at_end": health_at["end"],
		"revenue_actual": revenue.actual or 0,
		"revenue_projected": revenue.projected or 0,
	}
