# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintCategory(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		default_owner: DF.Link | None
		default_severity: DF.Literal["", "Low", "Medium", "High", "Critical"]
		description: DF.SmallText | None
		disabled: DF.Check
	# end: auto-generated types

	pass
