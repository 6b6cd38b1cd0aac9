# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintEscalation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		automatic: DF.Check
		escalated_on: DF.Datetime | None
		escalated_to: DF.Link | None
		escalated_to_role: DF.Link | None
		level: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reason: DF.SmallText | None
	# end: auto-generated types
	pass
