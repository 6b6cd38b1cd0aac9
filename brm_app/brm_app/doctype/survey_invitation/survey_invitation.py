# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""One contact asked to answer one survey. Created by the survey, never by hand; the link's
token is stored only as a hash (for look-up) and encrypted (to repeat it in the reminder)."""

from frappe.model.document import Document


class SurveyInvitation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.survey_answer.survey_answer import SurveyAnswer

		answers: DF.Table[SurveyAnswer]
		below_minimum: DF.Check
		ces: DF.Float
		contact: DF.Link | None
		csat: DF.Percent
		customer: DF.Link
		email: DF.Data
		expires_on: DF.Datetime | None
		follow_up: DF.Link | None
		naming_series: DF.Literal["SINV-.YYYY.-"]
		nps: DF.Float
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		reminded_on: DF.Datetime | None
		responded_on: DF.Datetime | None
		sent_on: DF.Datetime | None
		service: DF.Link | None
		status: DF.Literal["Pending", "Sent", "Reminded", "Responded", "Expired"]
		survey: DF.Link
		token: DF.Password | None
		token_hash: DF.Data | None
		weighted_score: DF.Percent
	# end: auto-generated types

	pass
