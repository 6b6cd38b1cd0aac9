# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BRMComplaintTarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		acknowledge_within_hours: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		resolve_within_days: DF.Float
		severity: DF.Literal["Low", "Medium", "High", "Critical"]
	# end: auto-generated types
	pass
