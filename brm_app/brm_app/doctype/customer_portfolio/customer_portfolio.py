# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Customer Portfolio: one per ERPNext Customer, owned by the Business Relationship Manager."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Case
from frappe.query_builder.functions import Max, Sum
from frappe.utils import getdate, now_datetime

from brm_app.customers import validate_contact_of_customer
from brm_app.rules import complaint as complaint_rules
from brm_app.rules import portfolio as rules
from brm_app.utils import keep_process_fields, strip_microseconds
from brm_app.validation import validate_links_with_fetches

#: Figures kept by the process (grouped refresh, survey evaluation, health), never by a request.
PROCESS_FIELDS = (
	"open_complaints",
	"complaints_last_12_months",
	"last_complaint_date",
	"compliments_last_12_months",
	"last_compliment_date",
	"stats_updated_on",
	"current_csat",
	"current_nps",
	"last_survey",
	"last_survey_response",
	"health_score",
	"health_band",
	"health_updated_on",
	"health_reasons",
)


class CustomerPortfolio(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.portfolio_decision_maker.portfolio_decision_maker import (
			PortfolioDecisionMaker,
		)
		from brm_app.brm_app.doctype.portfolio_performance_event.portfolio_performance_event import (
			PortfolioPerformanceEvent,
		)
		from brm_app.brm_app.doctype.portfolio_revenue.portfolio_revenue import PortfolioRevenue
		from brm_app.brm_app.doctype.portfolio_service.portfolio_service import PortfolioService

		authorised_representative: DF.Link | None
		business_description: DF.TextEditor | None
		complaints_last_12_months: DF.Int
		compliments_last_12_months: DF.Int
		currency: DF.Link | None
		current_csat: DF.Percent
		current_nps: DF.Float
		customer: DF.Link
		customer_name: DF.Data | None
		decision_makers: DF.Table[PortfolioDecisionMaker]
		future_services: DF.TextEditor | None
		health_band: DF.Literal["", "Healthy", "Watch", "At Risk"]
		health_reasons: DF.SmallText | None
		health_score: DF.Int
		health_updated_on: DF.Datetime | None
		key_business_outcomes: DF.TextEditor | None
		last_complaint_date: DF.Datetime | None
		last_compliment_date: DF.Datetime | None
		last_review_date: DF.Date | None
		last_survey: DF.Link | None
		last_survey_response: DF.Datetime | None
		next_review_date: DF.Date | None
		open_complaints: DF.Int
		past_performance: DF.TextEditor | None
		performance_events: DF.Table[PortfolioPerformanceEvent]
		relationship_manager: DF.Link | None
		relationship_status: DF.Literal["Prospect", "Active", "At Risk", "Dormant", "Ended"]
		revenue: DF.Table[PortfolioRevenue]
		review_frequency: DF.Literal["Monthly", "Quarterly", "Half-yearly", "Yearly"]
		services: DF.Table[PortfolioService]
		stats_updated_on: DF.Datetime | None
		tier: DF.Literal["Strategic", "Key", "Standard"]
	# end: auto-generated types

	def validate(self):
		keep_process_fields(self, PROCESS_FIELDS)
		strip_microseconds(self)
		validate_links_with_fetches(self)
		validate_contact_of_customer(self.authorised_representative, self.customer)
		seen = set()
		for row in self.decision_makers:
			validate_contact_of_customer(row.contact, self.customer)
			if row.contact in seen:
				frappe.throw(_("Row {0}: contact {1} is listed twice.").format(row.idx, row.contact))
			seen.add(row.contact)
		for row in self.revenue:
			row.currency = self.currency
		self.set_next_review_date()

	def set_next_review_date(self):
		before = self.get_doc_before_save()
		schedule_changed = (
			not before
			or before.last_review_date != self.last_review_date
			or before.review_frequency != self.review_frequency
		)
		if schedule_changed or not self.next_review_date:
			computed = rules.next_review_date(
				getdate(self.last_review_date) if self.last_review_date else None, self.review_frequency
			)
			if computed:
				self.next_review_date = computed

	def after_insert(self):
		refresh_stats([self.name])
		self.reload()

	def on_trash(self):
		"""The portfolio's health history and alerts go with it (they describe nothing else)."""
		frappe.db.delete("Portfolio Health Snapshot", {"portfolio": self.name})
		for alert in frappe.get_all("Health Alert", filters={"portfolio": self.name}, pluck="name"):
			frappe.delete_doc("Health Alert", alert, ignore_permissions=True, force=True)

	@frappe.whitelist(methods=["POST"])
	def refresh_health(self) -> int:
		"""Recompute the health score now (it is also recomputed every day)."""
		from brm_app.brm_app.doctype.customer_portfolio.health import refresh_health

		self.check_permission("read")
		return refresh_health([self.name])[self.name].score


def refresh_stats(customers: list[str] | None = None) -> None:
	"""Recompute the feedback figures of portfolios (all when ``customers`` is None).

	Two grouped SELECTs (complaints, compliments), whatever the number of portfolios, then the
	portfolios' rows updated by name in chunks. The SELECTs are plain reads, not part of an
	UPDATE: an UPDATE joined to them would share-lock every complaint of the customer and
	deadlock with staff saving two of its complaints at once (found by the battery). Two saves
	committing at the same moment may leave a figure one behind until the next save or the
	daily refresh.
	"""
	if customers is not None:
		customers = sorted({c for c in customers if c})
		if not customers:
			return
	now = now_datetime()
	since = rules.stats_window_start(now)
	final = list(complaint_rules.FINAL_STATUSES)

	def grouped(doctype: str) -> dict:
		T = frappe.qb.DocType(doctype)
		query = (
			frappe.qb.from_(T)
			.select(
				T.customer,
				Sum(Case().when(T.received_on >= since, 1).else_(0)).as_("recent"),
				Sum(Case().when(T.status.notin(final), 1).else_(0)).as_("open_count"),
				Max(T.received_on).as_("last_received"),
			)
			.groupby(T.customer)
		)
		if customers is not None:
			query = query.where(T.customer.isin(customers))
		return {row.customer: row for row in query.run(as_dict=True)}

	complaints = grouped("Complaint")
	compliments = grouped("Compliment")
	portfolios = frappe.get_all(
		"Customer Portfolio",
		filters={"name": ("in", customers)} if customers is not None else None,
		pluck="name",
	)
	none = frappe._dict()
	frappe.db.bulk_update(
		"Customer Portfolio",
		{
			name: {
				"open_complaints": int(complaints.get(name, none).open_count or 0),
				"complaints_last_12_months": int(complaints.get(name, none).recent or 0),
				"last_complaint_date": complaints.get(name, none).last_received,
				"compliments_last_12_months": int(compliments.get(name, none).recent or 0),
				"last_compliment_date": compliments.get(name, none).last_received,
				"stats_updated_on": now,
			}
			for name in portfolios
		},
		chunk_size=500,
		update_modified=False,
	)
	from brm_app.brm_app.doctype.customer_portfolio.health import clear_portfolio_cache

	clear_portfolio_cache(portfolios)


def refresh_all_stats() -> None:
	"""Daily: the 12-month window slides, so the figures of every portfolio are recomputed."""
	refresh_stats(None)


def refresh_portfolios_of(doc) -> None:
	"""Refresh the figures of the portfolios a complaint or compliment belongs (or belonged) to."""
	customers = {doc.customer}
	before = doc.get_doc_before_save()
	if before and before.customer:
		customers.add(before.customer)
	refresh_stats([c for c in customers if c])
