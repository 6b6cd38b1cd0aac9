# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""What keeps both rollup tables (Complaint Rollup, Survey Rollup) right besides their own
rebuilds: one writer at a time, and renamed customers, categories, services and surveys."""

from contextlib import contextmanager

import frappe

from brm_app.reporting import key_of

#: What a rename changes past the links Frappe updates itself: the rollups' and the kept
#: figures' plain-text names.
RENAMED = {
	"Customer": (
		("Complaint Rollup", "customer"),
		("Survey Rollup", "customer"),
		("Retained Figures", "customer"),
	),
	"Complaint Category": (("Complaint Rollup", "category"), ("Retained Figures", "category")),
	"Item": (("Complaint Rollup", "service"), ("Survey Rollup", "service"), ("Retained Figures", "service")),
	"Satisfaction Survey": (("Survey Rollup", "survey"), ("Retained Figures", "survey")),
}


@contextmanager
def exclusive(table: str, wait: int = 60):
	"""Hold the table's writer lock (a MariaDB named lock, so across workers and machines)
	for the block; yields whether it was had within ``wait`` seconds. The rebuild job, the
	nightly reconcile and a full rebuild move the totals by differences: two at once would
	count a change twice. The transaction is committed first, so the block reads what the
	previous holder wrote. Tests run in one transaction and one process: no lock."""
	if frappe.flags.in_test:
		yield True
		return
	name = f"{frappe.conf.db_name}:brm_rollup:{table}"
	frappe.db.commit()  # nosemgrep: a fresh snapshot once the lock is held
	if not frappe.db.sql("select get_lock(%s, %s)", (name, wait))[0][0]:
		yield False
		return
	try:
		yield True
	finally:
		frappe.db.sql("select release_lock(%s)", name)


def after_rename(doc, method=None, old: str | None = None, new: str | None = None, merge: bool = False):
	"""doc_events after_rename: the rollups and kept figures follow the new name (their names
	are plain text, which Frappe's rename does not touch). Merged into another record, their
	rows would stand twice for one key: both rollups are rebuilt in the background."""
	if not old or not new or old == new:
		return
	for table, field in RENAMED.get(doc.doctype, ()):
		frappe.db.sql(f"update `tab{table}` set `{field}` = %s where `{field}` = %s", (new, old))
	if merge:
		for rebuild in (
			"brm_app.brm_app.doctype.complaint_rollup.complaint_rollup.rebuild_all",
			"brm_app.brm_app.doctype.survey_rollup.survey_rollup.rebuild_all",
		):
			frappe.enqueue(rebuild, queue="long", timeout=7200, enqueue_after_commit=True)


FLUSH_BATCH = 200


def drain(dirty: str, rebuild) -> int:
	"""Rebuild the keys marked in the Redis set ``dirty``, a batch at a time, until none is
	left; a batch that fails is marked again (and its work rolled back)."""
	done = 0
	while True:
		keys = []
		while len(keys) < FLUSH_BATCH and (key := frappe.cache.spop(dirty)):
			keys.append(key.decode() if isinstance(key, bytes) else key)
		if not keys:
			return done
		try:
			rebuild(keys)
		except Exception:
			if not frappe.flags.in_test:
				frappe.db.rollback()
			frappe.cache.sadd(dirty, *keys)
			raise
		done += len(keys)
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: each batch of keys is rebuilt and kept


def flush(table: str, dirty: str, rebuild) -> int:
	"""The rebuild job: drain the marked keys holding the table's writer lock. When another
	writer holds it past a minute (a full rebuild), the keys wait for the hourly flush."""
	with exclusive(table) as held:
		return drain(dirty, rebuild) if held else 0


def keys_of(doc, date_field: str) -> set[str]:
	"""A record's (month, customer) keys before and after its change ("YYYY-MM-01|customer")."""
	keys = set()
	for version in (doc, doc.get_doc_before_save() if hasattr(doc, "get_doc_before_save") else None):
		if version and version.get(date_field):
			keys.add(key_of(version.get(date_field), version.get("customer")))
	return keys


def mark(keys, dirty: str, flush_method: str) -> None:
	"""Mark keys for the rebuild job and queue it once (after the commit; in tests at once:
	the change is in the database already)."""
	if not keys:
		return
	frappe.cache.sadd(dirty, *keys)
	frappe.enqueue(
		flush_method,
		queue="short",
		job_id=dirty,
		deduplicate=not frappe.flags.in_test,
		enqueue_after_commit=not frappe.flags.in_test,
		now=frappe.flags.in_test,
	)


def differing_keys(live: dict, stored_rows: list, dims: tuple, sums: tuple) -> set[str]:
	"""The (month, customer) keys whose stored rollup rows differ from the live rows (keyed
	"YYYY-MM|dim|dim…"), or are stored twice (the sums would count them twice)."""

	def k(row):
		return "|".join([row.m] + [str(row.get(d) or "") for d in dims])

	stored, wrong = {}, set()
	for row in stored_rows:
		row.m = row.month.strftime("%Y-%m")
		if k(row) in stored:
			wrong.add(key_of(row.month, row.customer))
		stored[k(row)] = row
	for key in set(live) | set(stored):
		a, b = live.get(key), stored.get(key)
		if (
			not a
			or not b
			or any(round(float(a.get(s) or 0), 6) != round(float(b.get(s) or 0), 6) for s in sums)
		):
			row = a or b
			wrong.add(key_of(f"{row.m}-01", row.customer))
	return wrong
