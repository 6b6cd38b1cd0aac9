# Copyright (c) 2026, brm_app contributors and Contributors
# See license.txt

# import frappe
from frappe.tests.utils import FrappeTestCase


class TestSurveyTemplate(FrappeTestCase):
	pass
