"""Get-or-create helpers for the people and master data the demo (and the tests) need.

Every record a helper creates is noted in the demo registry, so ``brm_app.demo.clear``
removes exactly what the demo made and nothing a site had before."""

import json

import frappe

REGISTRY_KEY = "brm_app_demo_records"

MANAGER = "brm.demo@example.com"
SUPPORT = "support.demo@example.com"
SERVICES = ["Managed Hosting", "Service Desk", "Payroll Processing"]
CUSTOMERS = {
	"Northwind Logistics": ("Strategic", "Active", "ops@northwind.example.com"),
	"Contoso Health": ("Key", "At Risk", "it.lead@contoso.example.com"),
	"Fabrikam Retail": ("Standard", "Active", "buyer@fabrikam.example.com"),
	"Adventure Works": ("Standard", "Prospect", "cio@adventure-works.example.com"),
}
MARK = "[demo]"


def note(doctype: str, name: str) -> None:
	"""Remember a record the demo created (only while the demo runs)."""
	if not frappe.flags.brm_demo:
		return
	registry = registered()
	registry.setdefault(doctype, [])
	if name not in registry[doctype]:
		registry[doctype].append(name)
		frappe.db.set_default(REGISTRY_KEY, json.dumps(registry))


def registered() -> dict[str, list[str]]:
	return json.loads(frappe.db.get_default(REGISTRY_KEY) or "{}")


def make_user(email: str, roles: list[str], user_type: str = "System User") -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0].replace(".", " ").title(),
				"send_welcome_email": 0,
				"user_type": user_type,
			}
		)
		user.insert(ignore_permissions=True)
		note("User", email)
	user = frappe.get_doc("User", email)
	user.add_roles(*roles)
	return email


def make_customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			}
		).insert(ignore_permissions=True)
		note("Customer", name)
	return name


def make_contact(customer: str, email: str, user: str | None = None) -> str:
	existing = frappe.db.get_value("Contact", {"email_id": email}, "name")
	if existing:
		# e.g. the Contact Frappe makes for a new website user: link it to the customer
		contact = frappe.get_doc("Contact", existing)
		if not any(link.link_doctype == "Customer" and link.link_name == customer for link in contact.links):
			contact.append("links", {"link_doctype": "Customer", "link_name": customer})
		contact.user = user or contact.user
		contact.save(ignore_permissions=True)
		return contact.name
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": email.split("@")[0].title(),
			"email_ids": [{"email_id": email, "is_primary": 1}],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
			"user": user,
		}
	).insert(ignore_permissions=True)
	note("Contact", contact.name)
	return contact.name


def make_portal_user(
	email: str, customers: list[str], via: str = "contact", password: str | None = None
) -> str:
	"""A customer's website user (Customer role), linked through a Contact of each customer or
	as a Portal User of each (ERPNext's two ways)."""
	make_user(email, ["Customer"], user_type="Website User")
	if password:
		from frappe.utils.password import update_password

		update_password(email, password)
	for customer in customers:
		if via == "contact":
			make_contact(customer, email, user=email)
		else:
			doc = frappe.get_doc("Customer", customer)
			if not any(row.user == email for row in doc.portal_users):
				doc.append("portal_users", {"user": email})
				doc.save(ignore_permissions=True)
	frappe.cache.hdel("portal_menu_items", email)
	return email


def make_service_item(code: str) -> str:
	if not frappe.db.exists("Item", code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": frappe.db.get_single_value("Stock Settings", "stock_uom") or "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
		note("Item", code)
	return code
