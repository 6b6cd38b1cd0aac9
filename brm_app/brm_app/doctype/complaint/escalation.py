# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""The hourly complaint sweep: keep the stored overdue flag current and escalate overdue
complaints up the chain in BRM Settings (ISO 10002 escalation of unresolved complaints)."""

import frappe
from frappe import _

from brm_app.brm_app.doctype.brm_settings.brm_settings import get_escalation_chain
from brm_app.rules import complaint as rules
from brm_app.rules import escalation as esc_rules
from brm_app.utils import now

#: Complaints flagged per UPDATE statement.
FLAG_CHUNK = 500


def mark_overdue_complaints(at=None) -> int:
	"""Flag the open complaints whose targets have passed since they were last saved. Only time
	passing makes a complaint overdue; a change that ends it (an acknowledgement, a proposed
	resolution, closing) goes through ``validate``, which clears it. Returns how many.

	The candidates are read first (a plain SELECT takes no locks) and flagged by name, the
	conditions checked again under the row lock: one UPDATE with these conditions scans the
	table and, at MariaDB's REPEATABLE READ, locks every row it reads (a million complaints for
	a second each hour), so staff saving a complaint then would wait for the sweep."""
	at = at or now()
	C = frappe.qb.DocType("Complaint")
	newly_overdue = (
		(C.is_overdue == 0)
		& C.status.notin(list(rules.FINAL_STATUSES))
		& (C.clock_paused == 0)  # waiting for the customer under a policy that stops the clock
		& (
			(C.acknowledge_by.lt(at) & C.acknowledged_on.isnull())
			| (C.resolve_by.lt(at) & (C.status != rules.RESOLUTION_PROPOSED))
		)
	)
	names = frappe.qb.from_(C).select(C.name).where(newly_overdue).run(pluck=True)
	for start in range(0, len(names), FLAG_CHUNK):
		chunk = names[start : start + FLAG_CHUNK]
		frappe.qb.update(C).set(C.is_overdue, 1).where(C.name.isin(chunk) & newly_overdue).run()
	return len(names)


def escalate_overdue_complaints() -> int:
	"""Hourly: keep the overdue flag current and move every overdue complaint up the
	escalation chain (ISO 10002 escalation of unresolved complaints). Idempotent.

	A constant number of queries when nothing is overdue; each escalation runs in its own
	savepoint so one bad record does not stop the sweep.
	"""
	at = now()
	mark_overdue_complaints(at)
	chain = get_escalation_chain()
	if not chain:
		return 0
	C = frappe.qb.DocType("Complaint")
	candidates = (
		frappe.qb.from_(C)
		.select(
			C.name,
			C.status,
			C.acknowledge_by,
			C.acknowledged_on,
			C.resolve_by,
			C.escalation_level,
			C.clock_paused,
		)
		.where(C.is_overdue == 1)
		.where(C.status.notin(list(rules.FINAL_STATUSES)))
		.run(as_dict=True)
	)
	escalated = 0
	for row in candidates:
		decision = esc_rules.decide_escalation(
			at,
			row.status,
			row.acknowledge_by,
			row.acknowledged_on,
			row.resolve_by,
			row.escalation_level,
			chain,
			bool(row.clock_paused),
		)
		if not decision:
			continue
		savepoint = "brm_escalation"
		frappe.db.savepoint(savepoint)
		try:
			# Lock the complaint and decide again on what is stored now: a member of staff may
			# have acknowledged or escalated it since the list was read (nothing escalated
			# twice, no escalation lost to a concurrent save).
			doc = frappe.get_doc("Complaint", row.name, for_update=True)
			decision = esc_rules.decide_escalation(
				at,
				doc.status,
				doc.acknowledge_by,
				doc.acknowledged_on,
				doc.resolve_by,
				doc.escalation_level,
				chain,
				bool(doc.clock_paused),
			)
			if not decision:
				continue
			doc.escalate(decision.level, _reason(decision), automatic=True)
			escalated += 1
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(title=_("Complaint escalation failed for {0}").format(row.name))
			continue
		if not frappe.flags.in_test:
			# Each escalation is kept as it is made: the lock is held only that long, and a
			# sweep cut short (database restarted, worker killed) leaves no half-done work.
			frappe.db.commit()  # nosemgrep
	return escalated


def _reason(decision) -> str:
	hours = round(decision.breach.hours_overdue, 1)
	if decision.breach.target == esc_rules.ACKNOWLEDGE:
		return _("Not acknowledged: the acknowledgement target was missed by {0} hours.").format(hours)
	return _("Not resolved: the resolution target was missed by {0} hours.").format(hours)
