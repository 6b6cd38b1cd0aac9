# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SurveyCustomerResult(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		below_minimum: DF.Check
		ces: DF.Float
		csat: DF.Percent
		customer: DF.Link | None
		follow_up: DF.Link | None
		invited: DF.Int
		nps: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		responded: DF.Int
		weighted_score: DF.Percent
	# end: auto-generated types
	pass
