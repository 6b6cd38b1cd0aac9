# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplimentRecipient(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		praised_doctype: DF.Link
		praised_label: DF.Data | None
		praised_name: DF.DynamicLink
	# end: auto-generated types
	pass
