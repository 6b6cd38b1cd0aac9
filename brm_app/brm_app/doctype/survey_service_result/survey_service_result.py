# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SurveyServiceResult(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		ces: DF.Float
		csat: DF.Percent
		nps: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		responses: DF.Int
		service: DF.Link | None
		weighted_score: DF.Percent
	# end: auto-generated types
	pass
