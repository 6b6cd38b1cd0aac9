"""Both apps on one site: the HD Customer → ERPNext Customer field and the agent view's "Raise
complaint" (a standard HD Form Script), made after brm_app's install and migrate and after
Helpdesk's install, removed with either."""

import frappe

from brm_app.integrations.helpdesk.mapping import (
	HD_CUSTOMER,
	HD_CUSTOMER_FIELD,
	HD_TICKET,
	helpdesk_installed,
)

FORM_SCRIPT = "Raise Complaint (brm_app)"

FORM_SCRIPT_JS = """function setupForm({ doc, call, toast }) {
	// brm_app: raise a complaint from this ticket (brm_app.api.complaint.raise_from_ticket), or a
	// service incident when the ticket is a major failure (docs/incidents.md).
	return {
		actions: [
			{
				label: __("Raise complaint"),
				icon: "alert-triangle",
				onClick: () =>
					call("brm_app.api.complaint.raise_from_ticket", { doctype: "HD Ticket", name: String(doc.name) })
						.then((r) => {
							const text = r.created
								? __("Complaint {0} raised.").format(r.name)
								: __("This ticket already has an open complaint: {0}.").format(r.name);
							toast.success(text);
							if (r.can_open) window.open("/app/complaint/" + encodeURIComponent(r.name), "_blank");
						})
						.catch((e) =>
							toast.error((e && e.messages && e.messages[0]) || __("The complaint could not be raised."))
						),
			},
			{
				// a major failure: a Service Incident in the desk, this ticket carried over
				label: __("Raise service incident"),
				icon: "zap",
				onClick: () =>
					window.open(
						"/app/service-incident/new?" +
							new URLSearchParams({ title: doc.subject || "", hd_ticket: String(doc.name) }).toString(),
						"_blank"
					),
			},
		],
	};
}
"""


def setup() -> None:
	"""Both apps on one site: the HD Customer → Customer field and the agent view's action.
	Called after brm_app's install and migrate, and after Helpdesk's install."""
	if not helpdesk_installed():
		return
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	create_custom_fields(
		{
			HD_CUSTOMER: [
				{
					"fieldname": HD_CUSTOMER_FIELD,
					"label": "ERPNext Customer",
					"fieldtype": "Link",
					"options": "Customer",
					"insert_after": "domain",
					"description": "The ERPNext Customer this Helpdesk customer is (brm_app). Empty: the Customer of the same name.",
				}
			]
		},
		ignore_validate=True,
	)
	if frappe.db.exists("DocType", "HD Form Script"):
		values = {"dt": HD_TICKET, "apply_to": "Form", "script": FORM_SCRIPT_JS}
		if frappe.db.exists("HD Form Script", FORM_SCRIPT):
			frappe.db.set_value("HD Form Script", FORM_SCRIPT, values)  # enabled as the admin left it
		else:
			# Not "is_standard": Helpdesk 1.14 reserves that for its field dependencies (toggling a
			# standard script of another name fails there); an administrator may edit or disable it.
			frappe.get_doc({"doctype": "HD Form Script", "enabled": 1, **values}).insert(
				ignore_permissions=True, set_name=FORM_SCRIPT
			)


def teardown() -> None:
	"""brm_app leaves Helpdesk as it found it."""
	if frappe.db.exists("Custom Field", {"dt": HD_CUSTOMER, "fieldname": HD_CUSTOMER_FIELD}):
		frappe.delete_doc(
			"Custom Field", f"{HD_CUSTOMER}-{HD_CUSTOMER_FIELD}", ignore_missing=True, force=True
		)
	if frappe.db.exists("DocType", "HD Form Script"):
		frappe.delete_doc("HD Form Script", FORM_SCRIPT, ignore_missing=True, force=True)


def after_app_install(app_name: str) -> None:
	if app_name == "helpdesk":
		setup()


def before_app_uninstall(app_name: str) -> None:
	if app_name == "helpdesk":
		teardown()
