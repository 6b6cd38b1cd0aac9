"""Every whitelisted method a website user can reach was looked at (issue 22, item 5)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from brm_app.security import gate, review


class TestEveryDoorReviewed(FrappeTestCase):
	def test_no_whitelisted_method_is_unreviewed(self):
		reviewed = review.reviewed()
		methods = review.whitelisted_methods()
		self.assertGreater(len(methods), 500, "the enumeration found Frappe's and ERPNext's methods")
		new = sorted(set(methods) - set(reviewed))
		self.assertEqual(
			new,
			[],
			"Whitelisted methods nobody reviewed for website users: look at each (does it reach "
			"brm_app's records without naming their DocType?), then run "
			"`bench --site <site> execute brm_app.security.review.write_reviewed`.",
		)

	def test_the_review_holds_what_the_gate_does(self):
		reviewed = review.reviewed()
		for method, kind in reviewed.items():
			self.assertEqual(kind, review.category(method), method)
		self.assertEqual({m for m, k in reviewed.items() if k == "portal"}, set(gate.PORTAL_METHODS))
		for method in (m for m, k in reviewed.items() if k in ("refused", "desk-only")):
			self.assertIsNotNone(gate.decide("website@example.com", f"/api/method/{method}", {}), method)

	def test_portal_methods_exist(self):
		for method in gate.PORTAL_METHODS:
			self.assertTrue(callable(frappe.get_attr(method)), method)
