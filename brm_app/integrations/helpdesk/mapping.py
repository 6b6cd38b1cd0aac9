"""Helpdesk's names, whether it is installed, and HD Customer → ERPNext Customer. Imports
nothing of Helpdesk: it is detected at run time."""

import frappe

HD_TICKET = "HD Ticket"
HD_CUSTOMER = "HD Customer"
#: Custom field on HD Customer (made when both apps are installed): its ERPNext Customer.
HD_CUSTOMER_FIELD = "erpnext_customer"


def helpdesk_installed() -> bool:
	return "helpdesk" in frappe.get_installed_apps()


def erpnext_customer_of_hd_customer(hd_customer: str | None) -> str | None:
	"""HD Customer → ERPNext Customer: the custom field "ERPNext Customer" when set, else the
	Customer of the same name (Helpdesk names HD Customers by their customer name)."""
	if not hd_customer:
		return None
	if frappe.get_meta(HD_CUSTOMER).has_field(HD_CUSTOMER_FIELD):
		linked = frappe.db.get_value(HD_CUSTOMER, hd_customer, HD_CUSTOMER_FIELD)
		if linked:
			return linked
	return hd_customer if frappe.db.exists("Customer", hd_customer) else None
