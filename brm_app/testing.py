"""Test-site preparation (hooks.before_tests runs only for the app under test)."""

import frappe
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
