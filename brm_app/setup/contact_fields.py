"""The Contact's survey preference (issue 27): the contact's own opt-out, with its date and
reason, and the staff's exclusion. Custom fields, so an administrator sees and can move them
in Customize Form; made after install and migrate, removed on uninstall."""

import frappe

OPT_OUT = "brm_survey_opt_out"
OPT_OUT_ON = "brm_survey_opt_out_on"
OPT_OUT_REASON = "brm_survey_opt_out_reason"
EXCLUDED = "brm_survey_excluded"
FIELDS = [
	{
		"fieldname": "brm_surveys_section",
		"label": "Surveys",
		"fieldtype": "Section Break",
		"insert_after": "unsubscribed",
		"collapsible": 1,
	},
	{
		"fieldname": OPT_OUT,
		"label": "Asked Not to Receive Surveys",
		"fieldtype": "Check",
		"insert_after": "brm_surveys_section",
		"description": "Set by the contact (the link in every survey e-mail, or the portal's Surveys page); "
		"no survey of any kind is sent while it is set.",
	},
	{
		"fieldname": OPT_OUT_ON,
		"label": "Opted Out On",
		"fieldtype": "Datetime",
		"insert_after": OPT_OUT,
		"read_only": 1,
		"depends_on": f"eval:doc.{OPT_OUT}",
	},
	{
		"fieldname": OPT_OUT_REASON,
		"label": "Reason Given",
		"fieldtype": "Small Text",
		"insert_after": OPT_OUT_ON,
		"depends_on": f"eval:doc.{OPT_OUT}",
	},
	{"fieldname": "brm_surveys_cb", "fieldtype": "Column Break", "insert_after": OPT_OUT_REASON},
	{
		"fieldname": EXCLUDED,
		"label": "Exclude from Surveys",
		"fieldtype": "Check",
		"insert_after": "brm_surveys_cb",
		"description": "Set by staff (for example a contact who left, or one who must not be asked): "
		"no survey is sent to this contact.",
	},
]


def setup() -> None:
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	create_custom_fields({"Contact": FIELDS}, ignore_validate=True, update=True)


def teardown() -> None:
	for field in FIELDS:
		frappe.delete_doc("Custom Field", f"Contact-{field['fieldname']}", ignore_missing=True, force=True)
