# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SurveyQuestion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		comment_required_at_or_below: DF.Int
		dimension: DF.Data | None
		kind: DF.Literal["Rating 1-5", "NPS 0-10", "CES 1-7", "Yes/No", "Choice", "Free Text"]
		mandatory: DF.Check
		options: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		question: DF.SmallText
		weight: DF.Float
	# end: auto-generated types
	pass
