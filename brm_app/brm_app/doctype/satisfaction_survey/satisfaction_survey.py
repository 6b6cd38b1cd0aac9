# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""One survey run: Draft -> Scheduled -> Open -> Closed -> Evaluated."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today


class SatisfactionSurvey(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.satisfaction_survey_customer.satisfaction_survey_customer import (
			SatisfactionSurveyCustomer,
		)
		from brm_app.brm_app.doctype.survey_customer_result.survey_customer_result import SurveyCustomerResult
		from brm_app.brm_app.doctype.survey_dimension_result.survey_dimension_result import (
			SurveyDimensionResult,
		)
		from brm_app.brm_app.doctype.survey_service_result.survey_service_result import SurveyServiceResult

		audience: DF.Literal["All Active Portfolios", "Customer Group", "Chosen Customers"]
		ces: DF.Float
		contacts_to_ask: DF.Literal["Authorised Representatives", "All Contacts"]
		csat: DF.Percent
		customer_group: DF.Link | None
		customer_results: DF.Table[SurveyCustomerResult]
		customers: DF.Table[SatisfactionSurveyCustomer]
		dimension_results: DF.Table[SurveyDimensionResult]
		evaluated_on: DF.Datetime | None
		expires_after_days: DF.Int
		invited: DF.Int
		kind: DF.Literal["Relationship", "Transactional"]
		meets_minimum: DF.Check
		min_days_between_surveys: DF.Int
		minimum_csat: DF.Percent
		naming_series: DF.Literal["SRV-.YYYY.-"]
		nps: DF.Float
		period_end: DF.Date | None
		period_start: DF.Date | None
		remind_after_days: DF.Int
		repeat_yearly: DF.Check
		responded: DF.Int
		response_rate: DF.Percent
		sampling_percent: DF.Percent
		send_on: DF.Date | None
		service_results: DF.Table[SurveyServiceResult]
		status: DF.Literal["Draft", "Scheduled", "Open", "Closed", "Evaluated"]
		template: DF.Link
		title: DF.Data
		weighted_score: DF.Percent
	# end: auto-generated types

	def validate(self):
		if self.is_new() and self.status != "Scheduled":
			self.status = "Draft"  # a yearly repeat is created already Scheduled
		if frappe.db.get_value("Survey Template", self.template, "disabled"):
			frappe.throw(_("Survey Template {0} is disabled.").format(frappe.bold(self.template)))
		if not 0 <= (self.sampling_percent or 0) <= 100:
			frappe.throw(_("Sampling % must be between 0 and 100."))
		if self.period_start and self.period_end and getdate(self.period_end) < getdate(self.period_start):
			frappe.throw(_("The period ends before it starts."))
		if self.kind == "Relationship":
			if self.audience == "Customer Group" and not self.customer_group:
				frappe.throw(_("Choose the customer group to ask."))
			if self.audience == "Chosen Customers" and not self.customers:
				frappe.throw(_("Choose the customers to ask."))
		for field in ("expires_after_days", "remind_after_days", "min_days_between_surveys"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))

	def _require(self, *statuses):
		if self.status not in statuses:
			frappe.throw(
				_("This survey is {0}; that is only possible when it is {1}.").format(
					_(self.status), " / ".join(_(s) for s in statuses)
				)
			)

	@frappe.whitelist()
	def schedule(self) -> str:
		"""Send automatically on the send date (daily job)."""
		self.check_permission("write")
		self._require("Draft")
		if not self.send_on:
			frappe.throw(_("Set the date to send on first."))
		self.status = "Scheduled"
		self.save()
		return self.status

	@frappe.whitelist()
	def send_now(self) -> str:
		"""Open the survey: a relationship survey invites its audience in the background; a
		transactional survey waits for closed complaints and resolved Issues."""
		from brm_app.surveys import has_outgoing_email, open_survey

		self.check_permission("write")
		self._require("Draft", "Scheduled")
		if not has_outgoing_email():
			frappe.throw(
				_("Set up an outgoing Email Account first: the invitations are sent by e-mail."),
				title=_("No E-mail Account"),
			)
		if not self.send_on or getdate(self.send_on) > getdate(today()):
			self.send_on = today()
		self.save()
		open_survey(self.name)
		self.reload()
		return self.status

	@frappe.whitelist()
	def close(self) -> str:
		"""Stop answering: unanswered invitations expire."""
		self.check_permission("write")
		self._require("Open")
		frappe.db.set_value(
			"Survey Invitation",
			{"survey": self.name, "responded_on": ("is", "not set")},
			"status",
			"Expired",
		)
		self.status = "Closed"
		self.save()
		return self.status

	@frappe.whitelist()
	def evaluate(self) -> str:
		"""Compute the results (again) from the responses."""
		from brm_app.surveys import evaluate_survey

		self.check_permission("write")
		self._require("Open", "Closed", "Evaluated")
		evaluate_survey(self.name)
		self.reload()
		return self.status
