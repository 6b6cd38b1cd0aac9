"""Test-site preparation (hooks.before_tests runs only for the app under test)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from brm_app.install import after_install, after_sync


def before_tests():
	"""Complete ERPNext's setup wizard on a fresh site, and make sure brm_app's defaults exist."""
	frappe.clear_cache()
	if not frappe.db.a_row_exists("Company"):
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		year = now_datetime().year
		setup_complete(
			{
				"currency": "USD",
				"full_name": "Test User",
				"company_name": "BRM Test Company",
				"timezone": "UTC",
				"company_abbr": "BTC",
				"industry": "Services",
				"country": "United States",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"language": "english",
				"company_tagline": "Testing",
				"email": "test@example.com",
				"password": "test",
				"chart_of_accounts": "Standard",
			}
		)
	if not frappe.get_single("BRM Settings").complaint_targets:
		after_install()
	after_sync()
	frappe.db.commit()  # nosemgrep: before_tests runs outside any test transaction


# ---------------------------------------------------------------------- test base class and data


class BRMTestCase(FrappeTestCase):
	"""FrappeTestCase with each test isolated in a savepoint and e-mail muted.

	Frappe sends some e-mails at once in tests (Notification Log) and that path commits, which
	would break the rollback; muted, the mail is still queued (assertable) but never sent.
	"""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.flags.mute_emails = True

	def setUp(self):
		frappe.db.savepoint("brm_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="brm_test")


BRM_ROLE = "Business Relationship Manager"
BRM_USER_ROLE = "BRM User"


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
	return contact.name


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
	return code


def make_outgoing_email_account() -> str:
	"""A default outgoing account, so notifications and e-mails are queued in tests."""
	name = "_Test BRM Outgoing"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": "brm-outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	return name


def make_portfolio(customer: str, **values) -> "frappe.model.document.Document":
	if frappe.db.exists("Customer Portfolio", customer):
		return frappe.get_doc("Customer Portfolio", customer)
	return frappe.get_doc({"doctype": "Customer Portfolio", "customer": customer, **values}).insert()


def make_complaint(customer: str, **values) -> "frappe.model.document.Document":
	return frappe.get_doc(
		{"doctype": "Complaint", "customer": customer, "subject": "Service outage not communicated", **values}
	).insert()
