# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SurveyDimensionResult(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		answers: DF.Int
		ces: DF.Float
		csat: DF.Percent
		dimension: DF.Data | None
		nps: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		weighted_score: DF.Percent
	# end: auto-generated types
	pass
