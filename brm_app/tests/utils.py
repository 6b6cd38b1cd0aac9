"""Test-site preparation (hooks.before_tests runs only for the app under test)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from brm_app.demo.records import (  # noqa: F401
	make_contact,
	make_customer,
	make_portal_user,
	make_service_item,
	make_user,
)
from brm_app.setup.install import after_install, after_sync


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
		# Complaints run under BRM Settings' calendar-time targets unless a test chooses a
		# handling policy (complaint_handling_policy's tests; the shipped default is ISO 10002).
		frappe.db.set_single_value("BRM Settings", "default_handling_policy", None)
		frappe.clear_document_cache("BRM Settings", "BRM Settings")

	def setUp(self):
		frappe.db.savepoint("brm_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="brm_test")


BRM_ROLE = "Business Relationship Manager"
BRM_USER_ROLE = "BRM User"


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


def set_survey_policy(**values) -> None:
	"""BRM Settings > Survey Contact Policy for a test: the shipped values, with ``values``
	(field names without the ``survey_`` prefix, e.g. ``min_gap_days=0``) over them."""
	from brm_app.setup.install import CONTACT_POLICY_DEFAULTS

	policy = dict(CONTACT_POLICY_DEFAULTS)
	policy.update({f"survey_{key}": value for key, value in values.items()})
	for field, value in policy.items():
		frappe.db.set_single_value("BRM Settings", field, value)
	frappe.clear_document_cache("BRM Settings", "BRM Settings")


def set_responded_on(invitation: str, when) -> None:
	"""Date a response for a test (past the controller): its survey rollup keys, the month it
	had and the month it gets, are rebuilt as a change would rebuild them."""
	from brm_app.brm_app.doctype.survey_rollup.survey_rollup import mark_keys
	from brm_app.reporting import key_of

	before = frappe.db.get_value("Survey Invitation", invitation, ["responded_on", "customer"], as_dict=True)
	frappe.db.set_value("Survey Invitation", invitation, "responded_on", when)
	mark_keys({key_of(d, before.customer) for d in (before.responded_on, when) if d})
