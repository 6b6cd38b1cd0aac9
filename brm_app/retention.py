"""Records kept (docs/records-kept.md): at the end of its retention period a record is
anonymised or deleted as BRM Settings say, never before, never while under legal hold, and
every action is written to the Retention Log.

The rules (periods, what is personal, what is a figure) are in ``brm_app.rules.retention``.
Here: which records are due (one SQL query per record type), the actions, the daily job
(long queue, in chunks, a savepoint per record), the preview in BRM Settings and the hooks
of Frappe's Personal Data Deletion Request."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.query_builder import Criterion
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import cint, get_datetime, getdate

from brm_app.rules import retention as rules
from brm_app.utils import now

LOG = "Retention Log"
RETAINED = "Retained Figures"
PORTFOLIO = "Customer Portfolio"
INVITATION = "Survey Invitation"
SURVEY = "Satisfaction Survey"
COMPLAINT = "Complaint"
HOLD_ROLES = ("Business Relationship Manager", "System Manager")
CHUNK = 200
#: Frappe records that hang off a record and may hold personal data or old values.
TRACES = (
	# doctype, reference-type field, reference-name field
	("Comment", "reference_doctype", "reference_name"),
	("Version", "ref_doctype", "docname"),
	("ToDo", "reference_type", "reference_name"),
	("Notification Log", "document_type", "document_name"),
	("Email Queue", "reference_doctype", "reference_name"),
	("Activity Log", "reference_doctype", "reference_name"),
	("View Log", "reference_doctype", "reference_name"),
	("DocShare", "share_doctype", "share_name"),
	("Document Follow", "ref_doctype", "ref_docname"),
)


# ---------------------------------------------------------------------- the rules in force


def rules_in_force() -> list[frappe._dict]:
	"""The enabled rules of BRM Settings."""
	return [
		frappe._dict(
			record_type=row.record_type,
			keep_for=cint(row.keep_for),
			unit=row.unit,
			action=row.action,
			label=describe_rule(row),
		)
		for row in frappe.get_single("BRM Settings").retention_rules
		if row.enabled and row.record_type in rules.SPECS
	]


def describe_rule(row) -> str:
	return _("{0}: {1} {2} after the end, then {3}").format(
		_(row.record_type), cint(row.keep_for), _(row.unit).lower(), _(row.action).lower()
	)


RULE_FIELDS = ("record_type", "keep_for", "unit", "action", "enabled")
RULES_ROLE = "System Manager"
#: The weekly health history is kept at least this long (the chart and projection use 12).
MIN_HEALTH_WEEKS = 13
SNAPSHOT = "Portfolio Health Snapshot"
DEFAULT_HEALTH_WEEKS = 104


def health_weeks(settings) -> int:
	"""The period set in BRM Settings (unset on a site from before 0.9: the default)."""
	return cint(settings.get("health_history_weeks")) or DEFAULT_HEALTH_WEEKS


def rule_rows(doc) -> list[tuple]:
	return sorted(tuple(row.get(f) for f in RULE_FIELDS) for row in (doc.get("retention_rules") or []))


def validate_rules(settings) -> None:
	"""BRM Settings: only a System Manager changes the retention rules (they decide what is
	destroyed); one rule per record type, none shorter than its minimum. Every change is in
	the settings' history (Version, track changes)."""
	before = settings.get_doc_before_save()
	if (
		before is not None
		and (rule_rows(settings) != rule_rows(before) or health_weeks(settings) != health_weeks(before))
		and not frappe.flags.in_install
		and RULES_ROLE not in frappe.get_roles()
	):
		frappe.throw(
			_("Only a System Manager can change the retention rules."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	settings.health_history_weeks = health_weeks(settings)
	if settings.health_history_weeks < MIN_HEALTH_WEEKS:
		frappe.throw(
			_("Keep the weekly health history at least {0} weeks.").format(MIN_HEALTH_WEEKS),
			title=_("Retention Too Short"),
		)
	seen = set()
	for row in settings.get("retention_rules") or []:
		if row.record_type in seen:
			frappe.throw(_("{0} has more than one retention rule.").format(frappe.bold(_(row.record_type))))
		seen.add(row.record_type)
		if cint(row.keep_for) < 1:
			frappe.throw(
				_("Row {0}: keep {1} for at least 1 {2}.").format(
					row.idx, _(row.record_type), _(row.unit or rules.YEARS).lower()
				)
			)
		if rules.below_minimum(row.record_type, cint(row.keep_for), row.unit or rules.YEARS):
			amount, unit = rules.MINIMUM_KEEP[row.record_type]
			frappe.throw(
				_("Row {0}: {1} must be kept at least {2} {3}.").format(
					row.idx, _(row.record_type), amount, _(unit).lower()
				),
				title=_("Retention Too Short"),
			)


def add_default_rules(settings) -> None:
	"""The shipped rules (docs/records-kept.md), where BRM Settings has none yet."""
	if settings.get("retention_rules"):
		return
	for record_type, keep_for, unit, action in rules.DEFAULT_RULES:
		settings.append(
			"retention_rules",
			{"record_type": record_type, "keep_for": keep_for, "unit": unit, "action": action, "enabled": 1},
		)


# ---------------------------------------------------------------------- which records are due


def _end(T, spec):
	fields = [T[f] for f in spec.end_fields]
	return fields[0] if len(fields) == 1 else Coalesce(*fields)


def _held_customers():
	P = frappe.qb.DocType(PORTFOLIO)
	return frappe.qb.from_(P).select(P.name).where(P.legal_hold == 1)


def _hold_condition(T, spec):
	"""SQL: the record is under legal hold (its own, its customer's, or for a survey one of
	its invitations')."""
	conditions = [T.legal_hold == 1]
	if spec.customer_field:
		customer = T[spec.customer_field]
		# (NULL-safe: a record without a customer is not held through one)
		conditions.append(customer.isnotnull() & customer.isin(_held_customers()))
	if spec.doctype == SURVEY:
		Inv = frappe.qb.DocType(INVITATION)
		held = (
			frappe.qb.from_(Inv)
			.select(Inv.survey)
			.where(Inv.survey.isnotnull())
			.where((Inv.legal_hold == 1) | (Inv.customer.isnotnull() & Inv.customer.isin(_held_customers())))
		)
		conditions.append(T.name.isin(held))
	if spec.doctype == COMPLAINT:
		Inv = frappe.qb.DocType(INVITATION)
		held = (
			frappe.qb.from_(Inv)
			.select(Inv.reference_name)
			.where(
				(Inv.reference_doctype == COMPLAINT) & Inv.reference_name.isnotnull() & (Inv.legal_hold == 1)
			)
		)
		conditions.append(T.name.isin(held))
	return Criterion.any(conditions)


def due_query(rule, at=None, held: bool = False):
	"""Records of the rule's type past their period at ``at`` (default now): not under hold,
	or (``held``) only those under hold. Anonymising skips records already anonymised."""
	spec = rules.SPECS[rule.record_type]
	T = frappe.qb.DocType(spec.doctype)
	limit = rules.cutoff(get_datetime(at or now()), rule.keep_for, rule.unit)
	end = _end(T, spec)
	query = (
		frappe.qb.from_(T)
		.where(T.status.isin(list(spec.end_statuses)))
		.where(end.isnotnull() & (end < limit))
	)
	if rule.action == rules.ANONYMISE:
		query = query.where(T.anonymised_on.isnull())
	hold = _hold_condition(T, spec)
	return query.where(hold if held else hold.negate()), T


def due(rule, at=None, limit: int | None = None, exclude=()) -> list[str]:
	query, T = due_query(rule, at)
	if exclude:
		query = query.where(T.name.notin(list(exclude)))
	query = query.select(T.name).orderby(T.name)
	if limit:
		query = query.limit(limit)
	return query.run(pluck=True)


@frappe.whitelist()
def preview(at: str | None = None) -> list[dict]:
	"""BRM Settings' preview: per rule, how many records the next run would anonymise or delete,
	and how many are past their period but held."""
	require_role(HOLD_ROLES)
	out = []
	for rule in rules_in_force():
		counts = {}
		for held in (False, True):
			query, T = due_query(rule, at, held)
			counts[held] = query.select(Count(T.name)).run()[0][0]
		out.append(
			{
				"record_type": rule.record_type,
				"rule": rule.label,
				"action": rule.action,
				"due": counts[False],
				"held": counts[True],
				"cutoff": rules.cutoff(get_datetime(at or now()), rule.keep_for, rule.unit),
			}
		)
	return out


def require_role(roles) -> None:
	"""Refuse users without one of ``roles`` (frappe.only_for does nothing in tests)."""
	if not set(roles) & set(frappe.get_roles()):
		frappe.throw(
			_("Only a {0} can do this.").format(_(" or ").join(_(r) for r in roles)), frappe.PermissionError
		)


# ---------------------------------------------------------------------- the run


def run_retention() -> None:
	"""Scheduler (daily, long queue): act on every record past its period."""
	run()


@frappe.whitelist(methods=["POST"])
def run_now() -> str:
	"""BRM Settings' "Run Now": the same job, on the long queue, once at a time."""
	require_role(("System Manager",))
	job = frappe.enqueue(
		"brm_app.retention.run", queue="long", timeout=6 * 3600, job_id="brm_retention", deduplicate=True
	)
	return _("Retention run queued.") if job else _("A retention run is already under way.")


def run(at=None, chunk: int = CHUNK, commit: bool | None = None) -> dict:
	"""Act on every due record, rule by rule, ``chunk`` records at a time. Each record is
	acted on and logged under its own savepoint: one that fails is rolled back alone (Error
	Log) and the run goes on. Returns {record type: {"done": n, "failed": n}}."""
	commit = (not frappe.flags.in_test) if commit is None else commit
	run_id = frappe.generate_hash(length=10)
	at = get_datetime(at or now())
	summary = {}
	for rule in rules_in_force():
		done, failed = 0, set()
		while names := due(rule, at, chunk, exclude=failed):
			for name in names:
				savepoint = "brm_retention"
				frappe.db.savepoint(savepoint)
				try:
					act(rule.record_type, name, rule.action, rule=rule.label, run_id=run_id)
					done += 1
				except Exception:
					frappe.db.rollback(save_point=savepoint)
					failed.add(name)
					frappe.log_error(
						title=_("Retention: {0} {1} not processed").format(rule.record_type, name)
					)
			if commit:
				frappe.db.commit()
		summary[rule.record_type] = {"done": done, "failed": len(failed)}
	# (not in the summary of records acted on: snapshots are figures, deleted in bulk, unlogged)
	prune_health_history(at, commit=commit)
	return summary


def prune_health_history(at=None, commit: bool = False, batch: int = 10000) -> int:
	"""Delete the weekly health snapshots older than BRM Settings' period, except those of
	portfolios under legal hold: grouped DELETEs of ``batch`` rows. Returns how many went."""
	weeks = max(
		MIN_HEALTH_WEEKS,
		cint(frappe.db.get_single_value("BRM Settings", "health_history_weeks")) or DEFAULT_HEALTH_WEEKS,
	)
	limit = getdate(get_datetime(at or now())) - timedelta(weeks=weeks)
	S = frappe.qb.DocType(SNAPSHOT)
	gone = 0
	while True:
		names = (
			frappe.qb.from_(S)
			.select(S.name)
			.where((S.week_ending < limit) & S.portfolio.notin(_held_customers()))
			.limit(batch)
			.run(pluck=True)
		)
		if not names:
			return gone
		frappe.qb.from_(S).delete().where(S.name.isin(names)).run()
		gone += len(names)
		if commit:
			frappe.db.commit()


def act(doctype: str, name: str, action: str, rule: str, run_id: str) -> None:
	"""Anonymise or delete one record (and what hangs off it), and log it."""
	spec = rules.SPECS[doctype]
	values = frappe.db.get_value(
		doctype,
		name,
		["status", *spec.end_fields, *([spec.customer_field] if spec.customer_field else [])],
		as_dict=True,
	)
	entry = {
		"record_type": doctype,
		"record_name": name,
		"customer": values.get(spec.customer_field) if spec.customer_field else None,
		"action": action,
		"rule": rule,
		"ended_on": rules.ended_on(values, spec),
		"run": run_id,
	}
	frappe.flags.in_retention = True
	try:
		if action == rules.DELETE:
			delete(doctype, name)
		else:
			anonymise(doctype, name)
	finally:
		frappe.flags.in_retention = False
	write_log(**entry)


def write_log(**entry) -> None:
	frappe.get_doc({"doctype": LOG, "acted_on": now(), "acted_by": frappe.session.user, **entry}).insert(
		ignore_permissions=True
	)


# ---------------------------------------------------------------------- anonymise


def anonymise(doctype: str, name: str) -> None:
	"""Remove names, e-mail addresses, phone numbers and free text from the record, its child
	rows, attachments, e-mails, comments and versions; keep dates, category, severity,
	status, times and scores. A survey's invitations go with it."""
	spec = rules.SPECS[doctype]
	meta = frappe.get_meta(doctype)
	if doctype == SURVEY:
		for invitation in frappe.get_all(
			INVITATION, {"survey": name, "anonymised_on": ("is", "not set")}, pluck="name"
		):
			anonymise(INVITATION, invitation)
	values = {f: None for f in spec.personal if meta.has_field(f)}
	values.update({f: _blank(meta, f) for f in spec.free_text if meta.has_field(f)})
	values["anonymised_on"] = now()
	frappe.db.set_value(doctype, name, values, update_modified=False)
	for table, fields in spec.child_text.items():
		child_meta = frappe.get_meta(meta.get_field(table).options)
		child_values = {f: _blank(child_meta, f) for f in fields if child_meta.has_field(f)}
		C = frappe.qb.DocType(child_meta.name)
		query = frappe.qb.update(C).where((C.parent == name) & (C.parenttype == doctype))
		for f, v in child_values.items():
			query = query.set(C[f], v)
		query.run()
	if doctype == INVITATION:
		frappe.db.delete("__Auth", {"doctype": INVITATION, "name": name})
	remove_traces(doctype, name)
	frappe.clear_document_cache(doctype, name)


def _blank(meta, fieldname: str):
	"""What an anonymised field holds: nothing, or a marker where the form requires a value."""
	df = meta.get_field(fieldname)
	return _("(anonymised)") if df.reqd and df.fieldtype not in ("Link", "Dynamic Link") else None


def remove_traces(doctype: str, name: str) -> None:
	"""E-mails (and their attachments), attachments, comments, versions, assignments and
	notifications of the record: they repeat its personal data."""
	# E-mails about the record go; e-mails about something else that merely appear on its
	# timeline lose that link only (below).
	for communication in frappe.get_all(
		"Communication", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.delete_doc(
			"Communication", communication, force=True, ignore_permissions=True, delete_permanently=True
		)
	for file in frappe.get_all(
		"File", {"attached_to_doctype": doctype, "attached_to_name": name}, pluck="name"
	):
		frappe.delete_doc("File", file, force=True, ignore_permissions=True, delete_permanently=True)
	delete_references(doctype, name)
	frappe.db.delete("Communication Link", {"link_doctype": doctype, "link_name": name})


def delete_references(doctype: str, name: str) -> None:
	"""The Frappe records of TRACES that refer to the record (e-mails' recipients and the
	global search entry too)."""
	queued = frappe.get_all(
		"Email Queue", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	)
	if queued:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
	frappe.db.delete("__global_search", {"doctype": doctype, "name": name})
	for trace, type_field, name_field in TRACES:
		if frappe.db.table_exists(trace) and frappe.db.has_column(trace, name_field):
			frappe.db.delete(trace, {type_field: doctype, name_field: name})


# ---------------------------------------------------------------------- delete


def delete(doctype: str, name: str) -> None:
	"""Delete the record and everything that hangs off it (a survey's or a complaint's
	invitations and answers, attachments, e-mails, comments, versions), keeping the figures
	the reports count in Retained Figures; links from other records are cleared."""
	if doctype == SURVEY:
		for invitation in frappe.get_all(INVITATION, {"survey": name}, pluck="name"):
			delete(INVITATION, invitation)
	if doctype == COMPLAINT:
		for invitation in frappe.get_all(
			INVITATION, {"reference_doctype": COMPLAINT, "reference_name": name}, pluck="name"
		):
			delete(INVITATION, invitation)
	keep_figures(doctype, name)
	remove_traces(doctype, name)
	unlink(doctype, name)
	if frappe.db.get_value(doctype, name, "docstatus") == 1:
		# A submitted record (approved review) is cancelled first, as Frappe only deletes drafts
		# and cancelled documents.
		frappe.db.set_value(doctype, name, "docstatus", 2, update_modified=False)
	frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.db.delete("__Auth", {"doctype": doctype, "name": name})
	delete_references(doctype, name)


def keep_figures(doctype: str, name: str) -> None:
	spec = rules.SPECS[doctype]
	if not spec.figures:
		return
	values = frappe.db.get_value(doctype, name, list(spec.figures), as_dict=True)
	doc = frappe.get_doc({"doctype": RETAINED, "record_type": doctype, **values})
	if doctype == INVITATION:
		for answer in frappe.get_all(
			"Survey Answer",
			{"parent": name, "parenttype": INVITATION},
			list(rules.ANSWER_FIGURES),
			order_by="idx",
		):
			doc.append("answers", answer)
	doc.insert(ignore_permissions=True)
	# Frappe stores an empty number as 0; a time never measured must stay NULL (not counted).
	empty = [f for f in spec.figures if values.get(f) is None]
	if empty:
		frappe.db.set_value(RETAINED, doc.name, dict.fromkeys(empty), update_modified=False)


def unlink(doctype: str, name: str) -> None:
	"""Clear every link and dynamic link to the record from other records."""
	from frappe.model.dynamic_links import get_dynamic_link_map
	from frappe.model.rename_doc import get_link_fields

	for link in get_link_fields(doctype):
		if link.issingle:
			if frappe.db.get_single_value(link.parent, link.fieldname) == name:
				frappe.db.set_single_value(link.parent, link.fieldname, None)
		else:
			T = frappe.qb.DocType(link.parent)
			frappe.qb.update(T).set(T[link.fieldname], None).where(T[link.fieldname] == name).run()
	for df in get_dynamic_link_map().get(doctype, []):
		if frappe.get_meta(df.parent).issingle:
			continue
		T = frappe.qb.DocType(df.parent)
		frappe.qb.update(T).set(T[df.fieldname], None).where(
			(T[df.options] == doctype) & (T[df.fieldname] == name)
		).run()


# ---------------------------------------------------------------------- legal hold


def validate_record(doc, method=None) -> None:
	"""doc_event (validate, before_update_after_submit) of the records kept: only a Business
	Relationship Manager or System Manager sets or clears a legal hold; the anonymisation stamp
	is the job's; an anonymised record no longer changes."""
	before = doc.get_doc_before_save()
	if frappe.flags.in_retention:
		return
	if doc.meta.has_field("anonymised_on"):
		doc.anonymised_on = before.anonymised_on if before else None
		if before and before.anonymised_on and _changed_beyond_hold(doc, before):
			frappe.throw(
				_(
					"{0} {1} was anonymised at the end of its retention period and can no longer be changed."
				).format(_(doc.doctype), doc.name)
			)
	held_before = cint(before.get("legal_hold") if before else 0)
	held = cint(doc.get("legal_hold"))
	if held and not held_before and not set(HOLD_ROLES) & set(frappe.get_roles()):
		frappe.throw(
			_("Only a Business Relationship Manager or System Manager can set a legal hold."),
			frappe.PermissionError,
		)
	if held_before and not held and RULES_ROLE not in frappe.get_roles():
		frappe.throw(
			_("Only a System Manager can clear a legal hold."),
			frappe.PermissionError,
		)


def refuse_deleting_held(doc, method=None) -> None:
	"""doc_event (on_trash) of the records kept and Customer Portfolio: a record under legal
	hold (or a portfolio holding all its customer's records) is deleted by a System Manager only
	— deleting it would drop the hold, as clearing it would."""
	if frappe.flags.in_retention or not cint(doc.get("legal_hold")):
		return
	if RULES_ROLE not in frappe.get_roles():
		frappe.throw(
			_("{0} {1} is under legal hold: only a System Manager can delete it.").format(
				_(doc.doctype), doc.name
			),
			frappe.PermissionError,
		)


def _changed_beyond_hold(doc, before) -> bool:
	"""Whether a save changes more than the legal hold (all an anonymised record may change)."""
	for df in doc.meta.fields:
		if df.fieldname in ("legal_hold", "legal_hold_reason") or df.fieldtype in (
			"Section Break",
			"Column Break",
			"Tab Break",
			"HTML",
			"Table",
		):
			continue
		if (doc.get(df.fieldname) or None) != (before.get(df.fieldname) or None):
			return True
	return False


# ---------------------------------------------------------------------- personal data requests


#: Where a person's own records are found: doctype, field holding their e-mail address.
PERSON_FIELDS = (
	(COMPLAINT, "contact_email"),
	(COMPLAINT, "raised_by"),
	("Compliment", "contact_email"),
	("Customer Requirement", "contact_email"),
	("Request for Change", "contact_email"),
	(INVITATION, "email"),
)


def on_deletion_request_change(doc, method=None) -> None:
	"""doc_event (on_change) of Personal Data Deletion Request: once Frappe has redacted the
	person's name and e-mail address (status Deleted; the hooks' ``user_data_fields`` find the
	records and put the request's name in place of the address), anonymise those records
	entirely, free text included. Records under legal hold keep their text."""
	if doc.status != "Deleted":
		return
	addresses = [doc.name, doc.email]
	rule = _("Personal Data Deletion Request {0}").format(doc.name)
	done = set()
	for doctype, field in PERSON_FIELDS:
		spec = rules.SPECS[doctype]
		T = frappe.qb.DocType(doctype)
		query = (
			frappe.qb.from_(T)
			.select(T.name)
			.where(T[field].isin(addresses) & T.anonymised_on.isnull())
			# Records still in progress keep working (Frappe has replaced the person's name and
			# address in them); the rest of their content goes with their retention rule.
			.where(T.status.isin(list(spec.end_statuses)))
			.where(_hold_condition(T, spec).negate())
		)
		for name in query.run(pluck=True):
			if (doctype, name) not in done:
				done.add((doctype, name))
				act(doctype, name, rules.ANONYMISE, rule=rule, run_id=doc.name)
