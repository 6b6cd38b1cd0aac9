# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PortfolioDecisionMaker(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		authority: DF.Literal[
			"Decision Maker", "Budget Holder", "Technical Approver", "Influencer", "User Representative"
		]
		authority_notes: DF.SmallText | None
		contact: DF.Link
		designation: DF.Data | None
		full_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
