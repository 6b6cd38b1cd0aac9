"""Similar complaints, found with MariaDB FULLTEXT over subject and description.

Used while a complaint is recorded: in the desk (the customer's open complaints, then recent
ones of other customers) and on the portal's new-complaint page (the customer's own open
ones). The FULLTEXT query only proposes names; what the user sees goes through
``frappe.get_list``, so permissions apply as everywhere else."""

import frappe
from frappe.utils import add_days, now_datetime

from brm_app.rules import complaint as complaint_rules
from brm_app.rules import similar as rules

COMPLAINT = "Complaint"
FULLTEXT_INDEX = "brm_complaint_text"


def add_fulltext_index() -> None:
	"""FULLTEXT (subject, description) on Complaint, once (on_doctype_update and a patch)."""
	if frappe.db.db_type != "mariadb":
		return
	if not frappe.db.sql("show index from `tabComplaint` where Key_name = %s", FULLTEXT_INDEX):
		frappe.db.sql_ddl(
			f"alter table `tabComplaint` add fulltext index `{FULLTEXT_INDEX}` (subject, description)"
		)


def matches(
	terms: str,
	customers: list[str] | None = None,
	other_than: list[str] | None = None,
	open_only: bool = False,
	since=None,
	exclude: str | None = None,
	limit: int = 20,
) -> dict[str, float]:
	"""{name: relevance} of the complaints matching ``terms`` (best first, at most ``limit``)."""
	if not terms or customers == []:
		return {}
	# frappe.qb has no MATCH ... AGAINST: plain SQL, every value a parameter.
	conditions, values = [], {"terms": terms, "limit": limit}
	if customers:
		conditions.append("customer in %(customers)s")
		values["customers"] = tuple(customers)
	if other_than:
		conditions.append("customer not in %(other_than)s")
		values["other_than"] = tuple(other_than)
	if open_only:
		conditions.append("status in %(open)s")
		values["open"] = tuple(complaint_rules.OPEN_STATUSES)
	if since:
		conditions.append("received_on >= %(since)s")
		values["since"] = since
	if exclude:
		conditions.append("name != %(exclude)s")
		values["exclude"] = exclude
	where = "".join(f" and {c}" for c in conditions)
	rows = frappe.db.sql(
		f"""select name, match(subject, description) against (%(terms)s in natural language mode) as score
		from `tabComplaint`
		where match(subject, description) against (%(terms)s in natural language mode){where}
		order by score desc limit %(limit)s""",
		values,
	)
	return {name: float(score) for name, score in rows}


def visible(found: dict[str, float], limit: int = rules.LIMIT) -> list[dict]:
	"""The matches the user may read, best first, with what a list shows."""
	if not found:
		return []
	rows = frappe.get_list(
		COMPLAINT,
		filters={"name": ("in", list(found))},
		fields=["name", "subject", "customer", "status", "received_on"],
		limit_page_length=len(found),
	)
	for row in rows:
		row["score"] = found[row.name]
	return rules.rank(rows, limit)


def for_desk(
	subject: str | None, description: str | None, customer: str | None, exclude: str | None = None
) -> dict[str, list[dict]]:
	"""The customer's open complaints like this one, then recent ones of other customers."""
	terms = rules.search_terms(subject, description)
	own = visible(matches(terms, customers=[customer], open_only=True, exclude=exclude)) if customer else []
	since = add_days(now_datetime(), -rules.RECENT_DAYS)
	others = visible(
		matches(terms, other_than=[customer] if customer else None, since=since, exclude=exclude)
	)
	return {"own": own, "others": others}


def for_portal(subject: str | None, description: str | None, customers: list[str]) -> list[dict]:
	"""The customer's own open complaints like this one (nobody else's)."""
	terms = rules.search_terms(subject, description)
	return visible(matches(terms, customers=customers, open_only=True))
