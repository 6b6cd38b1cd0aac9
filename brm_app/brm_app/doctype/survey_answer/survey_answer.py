# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SurveyAnswer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		choice: DF.Data | None
		comment: DF.SmallText | None
		dimension: DF.Data | None
		has_score: DF.Check
		kind: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		question: DF.SmallText | None
		question_key: DF.Data | None
		score: DF.Int
		weight: DF.Float
	# end: auto-generated types
	pass
