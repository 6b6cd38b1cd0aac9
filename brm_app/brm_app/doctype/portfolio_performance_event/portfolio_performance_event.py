# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PortfolioPerformanceEvent(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText
		event_date: DF.Date
		event_type: DF.Literal["Major Event", "Breach", "Achievement", "Performance Note"]
		issue: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		service: DF.Link | None
	# end: auto-generated types
	pass
