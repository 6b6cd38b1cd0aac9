"""Benchmark: an incident that hits 2,000 portfolios (docs/incidents.md).

    bench --site <site> execute brm_app.tests.perf.incidents.run [--kwargs "{'portfolios': 2000}"]

Bulk-inserts customers, contacts and portfolios listing one service, raises an incident on it,
runs the notice planner and every chunk job in this process (as workers would, one after the
other), and prints the time and the peak memory of each chunk; then rolls everything back.
Use a test site.
"""

import time
import tracemalloc

import frappe
from frappe.utils import now_datetime

from brm_app.brm_app.doctype.service_incident import service_incident as module

PREFIX = "_Bench Incident"


def _seed(n: int) -> str:
	now = now_datetime()
	service = f"{PREFIX} Service"
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": service,
			"item_name": service,
			"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
			"stock_uom": "Nos",
			"is_stock_item": 0,
		}
	).insert(ignore_permissions=True)
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	customers = [f"{PREFIX} Customer {i:05d}" for i in range(n)]
	contacts = [f"{PREFIX} Contact {i:05d}" for i in range(n)]
	common = {"creation": now, "modified": now, "owner": "Administrator", "modified_by": "Administrator"}
	frappe.db.bulk_insert(
		"Customer",
		["name", "customer_name", "customer_type", "customer_group", "territory", *common],
		[(c, c, "Company", group, territory, *common.values()) for c in customers],
	)
	frappe.db.bulk_insert(
		"Contact",
		["name", "first_name", "email_id", *common],
		[(k, k, f"rep{i:05d}@bench-incident.example.com", *common.values()) for i, k in enumerate(contacts)],
	)
	frappe.db.bulk_insert(
		"Customer Portfolio",
		["name", "customer", "customer_name", "authorised_representative", "incident_notices", *common],
		[(c, c, c, k, 1, *common.values()) for c, k in zip(customers, contacts, strict=True)],
	)
	frappe.db.bulk_insert(
		"Portfolio Service",
		["name", "parent", "parenttype", "parentfield", "service", "idx", *common],
		[
			(
				frappe.generate_hash(length=12),
				c,
				"Customer Portfolio",
				"services",
				service,
				1,
				*common.values(),
			)
			for c in customers
		],
	)
	return service


def run(portfolios: int = 2000) -> dict:
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	chunks: list[dict] = []
	real_enqueue = frappe.enqueue
	planned: list[dict] = []

	def enqueue(method, **kwargs):  # collect the jobs instead of queueing them
		planned.append({"method": method, **kwargs})

	real_commit = frappe.db.commit
	frappe.db.commit = lambda *a, **k: None  # the chunk jobs commit; here everything rolls back
	try:
		service = _seed(portfolios)
		frappe.enqueue = enqueue
		started = time.perf_counter()
		doc = frappe.get_doc(
			{
				"doctype": "Service Incident",
				"title": f"{PREFIX} outage",
				"started_on": now_datetime(),
				"public_summary": "Benchmark",
				"services": [{"service": service}],
			}
		).insert()
		insert_seconds = time.perf_counter() - started
		started = time.perf_counter()
		notices = module.plan_notices(doc.name)
		plan_seconds = time.perf_counter() - started
		for job in [j for j in planned if j["method"].endswith("send_notice_chunk")]:
			tracemalloc.start()
			started = time.perf_counter()
			sent = module.send_notice_chunk(job["incident"], job["notices"])
			seconds = time.perf_counter() - started
			_current, peak = tracemalloc.get_traced_memory()
			tracemalloc.stop()
			chunks.append({"sent": sent, "seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 2)})
		result = {
			"portfolios": portfolios,
			"affected": len(doc.affected),
			"insert_seconds": round(insert_seconds, 2),
			"planned_notices": notices,
			"plan_seconds": round(plan_seconds, 2),
			"chunks": chunks,
			"sent": sum(c["sent"] for c in chunks),
			"notice_log": frappe.db.count("Service Incident Notice", {"service_incident": doc.name}),
		}
	finally:
		frappe.enqueue = real_enqueue
		frappe.db.commit = real_commit
		frappe.db.rollback()
	print(frappe.as_json(result))
	return result


def unseed() -> dict:
	"""Remove what an interrupted run (or one before commits were held back) left."""
	removed = {}
	incidents = frappe.get_all("Service Incident", filters={"title": ("like", f"{PREFIX}%")}, pluck="name")
	for name in incidents:
		frappe.db.delete("Service Incident Notice", {"service_incident": name})
		frappe.db.delete("Email Queue", {"reference_doctype": "Service Incident", "reference_name": name})
		frappe.db.delete("ToDo", {"reference_type": "Service Incident", "reference_name": name})
		for child in ("Service Incident Service", "Service Incident Update", "Service Incident Customer"):
			frappe.db.delete(child, {"parent": name})
		frappe.db.delete("Service Incident", {"name": name})
	removed["Service Incident"] = len(incidents)
	customers = frappe.get_all("Customer", filters={"name": ("like", f"{PREFIX}%")}, pluck="name")
	for table, field in (
		("Portfolio Service", "parent"),
		("Customer Portfolio", "name"),
		("Customer", "name"),
	):
		frappe.db.delete(table, {field: ("in", customers or [""])})
	frappe.db.delete("Contact", {"name": ("like", f"{PREFIX}%")})
	frappe.db.delete("Item", {"name": ("like", f"{PREFIX}%")})
	removed["Customer"] = len(customers)
	frappe.db.commit()  # nosemgrep: a clean-up command
	print(removed)
	return removed
