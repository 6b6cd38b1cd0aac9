# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""A complaint handling policy (issue 28; docs/clocks.md): per severity the targets for
acknowledgement, summary resolution and final response in business hours, business days or
calendar days; the working calendar (this policy's hours and an ERPNext Holiday List, or the
customer's Service Level Agreement); whether waiting for the customer stops the clock; the final
response and the customer's rights. Shipped as data: ISO 10002 (the default), UK FCA DISP,
ASIC RG 271 and CFPB examples."""

from datetime import date, time, timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, get_datetime, get_time, getdate
from frappe.utils.data import get_system_timezone

from brm_app.rules import handling_policy as rules
from brm_app.rules import working_time as wt

POLICY = "Complaint Handling Policy"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ComplaintHandlingPolicy(Document):
	def validate(self):
		if not any(
			row.target == rules.FINAL_RESPONSE and not row.severity for row in self.targets
		) and not all(
			any(row.target == rules.FINAL_RESPONSE and row.severity == s for row in self.targets)
			for s in ("Low", "Medium", "High", "Critical")
		):
			frappe.throw(
				_("Give a final response target for every severity (a row with Severity empty covers all)."),
				title=_("Final Response Target Missing"),
			)
		seen = set()
		for row in self.targets:
			if flt(row.amount) <= 0:
				frappe.throw(_("Targets, row {0}: the time must be more than 0.").format(row.idx))
			key = (row.target, row.severity or "")
			if key in seen:
				frappe.throw(
					_("Targets, row {0}: this target is already given for that severity.").format(row.idx)
				)
			seen.add(key)
		business = any(row.unit in wt.BUSINESS_UNITS for row in self.targets)
		# the policy's hours are also the calendar of a customer without a Service Level Agreement
		if business and not self.working_hours:
			frappe.throw(
				_("Business hours and days need working hours: add them under Working Calendar."),
				title=_("No Working Hours"),
			)
		for row in self.working_hours:
			if get_time(row.start_time) == get_time(row.end_time):
				frappe.throw(_("Working Hours, row {0}: From and To are the same.").format(row.idx))
		if self.timezone:
			try:
				wt.Calendar(self.timezone, ())
			except (ValueError, KeyError):  # zoneinfo's not-found error is a KeyError
				frappe.throw(_("{0} is not a time zone.").format(frappe.bold(self.timezone)))
		self.validate_scope()

	def validate_scope(self):
		others = [
			rules.Scope(r.parent, r.applies_to, r.value)
			for r in frappe.get_all(
				"Complaint Policy Scope",
				filters={"parenttype": POLICY, "parent": ("!=", self.name)},
				fields=["parent", "applies_to", "value"],
			)
		]
		mine = [rules.Scope(self.name, r.applies_to, r.value) for r in self.scope]
		for applies_to, value, policies in rules.scope_conflicts(others + mine):
			if self.name in policies:
				frappe.throw(
					_(
						"{0} {1} is already under the policy {2}: a customer's complaints run under one policy."
					).format(
						_(applies_to), frappe.bold(value), ", ".join(p for p in policies if p != self.name)
					),
					title=_("Policy Already Applies"),
				)

	@frappe.whitelist(methods=["POST"])
	def recompute_open_complaints(self) -> None:
		"""Put the open complaints this policy applies to under it and recompute their due dates
		(an administrator's choice: a changed policy never moves dates silently). In the
		background, where which complaints it applies to is worked out too."""
		self.check_permission("write")
		frappe.only_for(("System Manager", "Business Relationship Manager"))
		frappe.enqueue(
			recompute_complaints,
			policy=self.name,
			queue="long",
			job_id=f"brm_policy_recompute::{self.name}",
			deduplicate=not frappe.flags.in_test,
			now=frappe.flags.in_test,
		)


# ---------------------------------------------------------------------- which policy, which calendar


def policy_scopes() -> list[rules.Scope]:
	"""Every enabled policy's scope rows (one small query: policies are few)."""
	P = frappe.qb.DocType(POLICY)
	S = frappe.qb.DocType("Complaint Policy Scope")
	rows = (
		frappe.qb.from_(S)
		.join(P)
		.on(P.name == S.parent)
		.select(S.parent, S.applies_to, S.value)
		.where((S.parenttype == POLICY) & (P.disabled == 0))
		.run()
	)
	return [rules.Scope(*row) for row in rows]


def policy_for(customer: str | None, company: str | None = None) -> str | None:
	"""The policy a customer's complaints run under (most specific scope, else BRM Settings'
	default)."""
	group = frappe.db.get_value("Customer", customer, "customer_group") if customer else None
	company = company or frappe.db.get_default("company")  # the site's, not the recording user's
	default = frappe.db.get_single_value("BRM Settings", "default_handling_policy")
	if default and frappe.db.get_value(POLICY, default, "disabled"):
		default = None
	return rules.choose_policy(policy_scopes(), customer, group, company, default)


def holidays_of(holiday_list: str | None) -> frozenset[date]:
	"""The dates of an ERPNext Holiday List (weekly offs included: no work starts on them)."""
	if not holiday_list:
		return frozenset()
	return frozenset(
		getdate(d)
		for d in frappe.get_all(
			"Holiday", filters={"parent": holiday_list, "parenttype": "Holiday List"}, pluck="holiday_date"
		)
	)


def _hours(rows, day_field: str) -> tuple[tuple[int, time, time], ...]:
	out = []
	for row in rows:
		day = row.get(day_field)
		if day in WEEKDAYS:
			out.append((WEEKDAYS.index(day), _as_time(row.start_time), _as_time(row.end_time)))
	return tuple(out)


def _as_time(value) -> time:
	if isinstance(value, timedelta):
		seconds = int(value.total_seconds()) % 86400
		return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
	return get_time(value)


def customer_sla(customer: str | None) -> str | None:
	"""The customer's enabled ERPNext Service Level Agreement, if it has one of its own."""
	if not customer or not frappe.db.exists("DocType", "Service Level Agreement"):
		return None
	return frappe.db.get_value(
		"Service Level Agreement",
		{"entity_type": "Customer", "entity": customer, "enabled": 1},
		"name",
	)


def calendar_for(policy, customer: str | None = None) -> tuple[wt.Calendar, str]:
	"""The working calendar of a policy for a customer, and where it came from (for the
	complaint's clock explanation)."""
	timezone = policy.timezone or get_system_timezone()
	if policy.calendar_from == "Customer's Service Level Agreement":
		sla = customer_sla(customer)
		if sla:
			doc = frappe.get_cached_doc("Service Level Agreement", sla)
			hours = _hours(doc.support_and_resolution, "workday")
			if hours:
				return (
					wt.Calendar(timezone, hours, holidays_of(doc.holiday_list)),
					_("Service Level Agreement {0}").format(sla),
				)
	hours = _hours(policy.working_hours, "weekday")
	if not hours:  # calendar-day targets only: any hours do
		hours = tuple((d, time(0), time(0)) for d in range(7))
	return (
		wt.Calendar(timezone, hours, holidays_of(policy.holiday_list)),
		_("policy {0}").format(policy.name),
	)


def policy_targets(policy) -> list[rules.Target]:
	return [
		rules.Target(row.target, flt(row.amount), row.unit, row.severity or None) for row in policy.targets
	]


def complaint_due_dates(complaint, pauses=None, now=None) -> tuple[dict, str]:
	"""The complaint's due date per target under its policy, and how they were reached (shown
	on the complaint's clock)."""
	policy = frappe.get_cached_doc(POLICY, complaint.handling_policy)
	calendar, source = calendar_for(policy, complaint.customer)
	targets = rules.targets_for(policy_targets(policy), complaint.severity)
	site_tz = get_system_timezone()
	received = get_datetime(complaint.received_on)
	due = rules.due_dates(
		received,
		targets,
		calendar,
		site_tz,
		pauses,
		get_datetime(now) if now else received,
		bool(cint(policy.pause_while_waiting)),
	)
	lines = [
		_("Policy: {0}; working calendar from {1}: {2}.").format(policy.name, source, calendar.describe())
	]
	for kind in rules.TARGETS:
		t = targets.get(kind)
		if t and due[kind]:
			lines.append(
				_("{0}: within {1} {2} of receipt, due {3}.").format(
					_(kind), _number(t.amount), _(t.unit).lower(), frappe.utils.format_datetime(due[kind])
				)
			)
	active = [p for p in (pauses or []) if p[0]] if cint(policy.pause_while_waiting) else []
	if active:
		lines.append(
			_(
				"Waiting for the customer stopped the clock {0} times; the due dates moved by the working time waited."
			).format(len(active))
		)
	return due, "\n".join(lines)


def _number(value: float) -> str:
	return str(int(value)) if float(value).is_integer() else str(value)


def complaints_for(policy: str) -> list[str]:
	"""Open complaints under ``policy``, or under none whose customer it now applies to (the
	scopes, the default and the customers' groups read once)."""
	from brm_app.rules import complaint as complaint_rules

	rows = frappe.get_all(
		"Complaint",
		filters={"status": ("in", list(complaint_rules.OPEN_STATUSES))},
		fields=["name", "customer", "handling_policy"],
	)
	scopes = policy_scopes()
	default = frappe.db.get_single_value("BRM Settings", "default_handling_policy")
	company = frappe.db.get_default("company")
	customers = sorted({r.customer for r in rows if r.customer and not r.handling_policy})
	groups = (
		dict(
			frappe.get_all("Customer", {"name": ("in", customers)}, ["name", "customer_group"], as_list=True)
		)
		if customers
		else {}
	)
	return [
		r.name
		for r in rows
		if r.handling_policy == policy
		or (
			not r.handling_policy
			and rules.choose_policy(scopes, r.customer, groups.get(r.customer), company, default) == policy
		)
	]


def recompute_complaints(policy: str, names: list[str] | None = None) -> int:
	"""Background job: each complaint under ``policy`` with its due dates recomputed, noted on
	its timeline."""
	from brm_app.rules import complaint as complaint_rules
	from brm_app.utils import process_update

	if names is None:
		names = complaints_for(policy)
	done = 0
	for name in names:
		doc = frappe.get_doc("Complaint", name)
		before = (doc.acknowledge_by, doc.summary_by, doc.resolve_by)
		with process_update(doc, complaint_rules.PROCESS_FIELDS, loaded_by_server=True):
			doc.handling_policy = policy
			doc.compute_due_dates()
		if (doc.acknowledge_by, doc.summary_by, doc.resolve_by) != before:
			doc.add_comment("Info", _("Due dates recomputed under the handling policy {0}.").format(policy))
		done += 1
	return done
