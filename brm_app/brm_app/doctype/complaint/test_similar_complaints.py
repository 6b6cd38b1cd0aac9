# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Similar complaints while one is recorded (brm_app/brm_app/doctype/complaint/similar.py).

InnoDB indexes FULLTEXT at commit, so this module commits its complaints in setUpClass and
deletes them (and commits) in tearDownClass; nothing else of it is committed."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from brm_app.api.complaint import similar_complaints
from brm_app.brm_app.doctype.complaint import similar
from brm_app.brm_app.doctype.complaint.similar import for_desk, for_portal
from brm_app.tests.utils import BRM_USER_ROLE, make_customer, make_portal_user, make_user

A, B = "_Test Similar Alpha", "_Test Similar Bravo"


class TestSimilarComplaints(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.flags.mute_emails = True
		cls.names = {}
		for customer in (A, B):
			make_customer(customer)
		plans = {
			"own_open": (A, "Nightly backup failed again", 1, "Open"),
			"own_closed": (A, "Nightly backup failed in spring", 30, "Closed"),
			"own_other_topic": (A, "Invoice lists a wrong address", 2, "Open"),
			"other_recent": (B, "Backup of the payroll server failed overnight", 5, "Open"),
			"other_old": (B, "Backup failed at the old data centre", 200, "Closed"),
		}
		for key, (customer, subject, days_ago, status) in plans.items():
			doc = frappe.get_doc(
				{
					"doctype": "Complaint",
					"customer": customer,
					"subject": subject,
					"description": f"<p>{subject}: we need it fixed.</p>",
					"received_on": add_days(now_datetime(), -days_ago).replace(microsecond=0),
				}
			).insert(ignore_permissions=True)
			if status != "Open":
				frappe.db.set_value("Complaint", doc.name, "status", status, update_modified=False)
			cls.names[key] = doc.name
		frappe.db.commit()
		# MariaDB 10.11's FULLTEXT cache was seen to stop taking new rows on the test site after
		# thousands of inserts rolled back by earlier tests (new complaints not found, old ones
		# still found; recreating the table restores it). Such a site proves nothing about this
		# module: its index is rebuilt, as OPTIMIZE TABLE would, before the tests.
		if not cls.indexed(cls.names["own_other_topic"], "invoice"):
			frappe.db.sql_ddl("alter table `tabComplaint` force")
			assert cls.indexed(cls.names["own_other_topic"], "invoice"), (
				"FULLTEXT does not index new complaints"
			)
		# How common words are was perhaps sampled (and cached for hours) while an earlier test
		# held other complaints: sample these.
		similar.forget_vocabulary()

	@staticmethod
	def indexed(name: str, word: str) -> bool:
		return bool(
			frappe.db.sql(
				"""select count(*) from `tabComplaint`
				where name = %s and match(subject, description) against (%s in boolean mode)""",
				(name, word),
			)[0][0]
		)

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for name in cls.names.values():
			frappe.delete_doc("Complaint", name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
		similar.forget_vocabulary()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def names_of(self, rows):
		return [r["name"] for r in rows]

	def test_desk_offers_the_customers_open_ones_first_then_recent_ones_of_others(self):
		found = for_desk("Backup failed", None, A)
		self.assertEqual(self.names_of(found["own"]), [self.names["own_open"]])
		others = self.names_of(found["others"])
		self.assertIn(self.names["other_recent"], others)
		self.assertNotIn(self.names["other_old"], others, "older than 90 days")
		self.assertFalse({self.names["own_open"], self.names["own_closed"]} & set(others))

	def test_the_description_counts_and_the_record_itself_is_left_out(self):
		found = for_desk("Something odd", "<p>The <b>payroll</b> server backup</p>", B)
		self.assertIn(self.names["other_recent"], self.names_of(found["own"]))
		found = for_desk("Backup failed", None, A, exclude=self.names["own_open"])
		self.assertEqual(found["own"], [])

	def test_the_portal_offers_only_the_customers_own_open_complaints(self):
		self.assertEqual(self.names_of(for_portal("backup failed", None, [A])), [self.names["own_open"]])
		self.assertEqual(for_portal("backup failed", None, []), [])

	def test_a_user_sees_only_what_they_may_read(self):
		user = make_user("similar.restricted@example.com", [BRM_USER_ROLE])
		frappe.get_doc(
			{"doctype": "User Permission", "user": user, "allow": "Customer", "for_value": B}
		).insert(ignore_permissions=True)
		frappe.set_user(user)
		found = similar_complaints(subject="Backup failed", customer=A)
		self.assertEqual(found["own"], [])
		self.assertEqual({r["customer"] for r in found["others"]}, {B})

	def test_beyond_the_newest_ones_fulltext_finds_them_within_the_users_scope(self):
		# Score only the newest complaint of each scope: the rest must come from FULLTEXT.
		fulltext = patch.object(similar, "_fulltext", wraps=similar._fulltext)
		with patch.object(similar, "OWN_SCAN", 1), patch.object(similar, "RECENT_SCAN", 1), fulltext as ft:
			found = for_desk("Invoice lists a wrong address", None, A)  # not A's newest open one
			self.assertEqual(self.names_of(found["own"]), [self.names["own_other_topic"]])
			self.assertTrue(ft.call_args.args[0], "a FULLTEXT query was made")
			found = for_desk("Nightly backup failed overnight", None, A)
			others = self.names_of(found["others"])
			self.assertIn(self.names["other_recent"], others)
			self.assertNotIn(self.names["other_old"], others, "older than 90 days")
			self.assertFalse({self.names["own_open"], self.names["own_closed"]} & set(others))
			found = for_desk("Nightly backup failed overnight", None, A, exclude=self.names["own_open"])
			self.assertNotIn(self.names["own_open"], self.names_of(found["own"]))
			self.assertEqual(
				self.names_of(for_portal("nightly backup", None, [B])), [self.names["other_recent"]]
			)

			user = make_user("similar.restricted@example.com", [BRM_USER_ROLE])
			frappe.get_doc(
				{"doctype": "User Permission", "user": user, "allow": "Customer", "for_value": A}
			).insert(ignore_permissions=True)
			frappe.set_user(user)
			found = for_desk("Nightly backup failed overnight", None, B)
			self.assertEqual(found["own"], [])
			self.assertIn(self.names["own_open"], self.names_of(found["others"]))
			self.assertEqual({r["customer"] for r in found["others"]}, {A})

	def test_the_vocabulary_is_sampled_once_and_cached(self):
		similar.forget_vocabulary()
		vocabulary = similar.get_vocabulary()
		self.assertEqual(vocabulary.rows, frappe.db.count("Complaint"))
		self.assertGreater(vocabulary.sample, 0)
		with patch.object(similar, "sample_vocabulary") as sample:
			self.assertIs(similar.get_vocabulary(), vocabulary)  # kept by the process
			similar._held_vocabulary.clear_cache()
			frappe.local.cache.clear()
			self.assertEqual(similar.get_vocabulary(), vocabulary)  # shared through the cache
			sample.assert_not_called()

	def test_website_users_cannot_ask_the_desk_method(self):
		user = make_portal_user("similar.customer@example.com", [A])
		frappe.set_user(user)
		with self.assertRaises(frappe.PermissionError):
			similar_complaints(subject="Backup failed", customer=A)

	def test_odd_input_finds_nothing_and_breaks_nothing(self):
		for subject in ('+backup -"failed" ~x* (a) <b>', "'; drop table tabComplaint; --", "😀 ✓", "", None):
			found = for_desk(subject, "<script>alert(1)</script>", A)
			self.assertIsInstance(found["own"], list)
		self.assertEqual(for_desk("ab", None, A), {"own": [], "others": []})

	def test_the_daily_check_finds_new_complaints_in_the_index_and_says_when_it_does_not(self):
		self.assertTrue(similar.check_fulltext_index(settled_minutes=0))
		logs = frappe.db.count("Error Log")
		real = frappe.db.sql

		def unindexed(query, *args, **kwargs):  # the index of a site whose cache stopped
			return ((0,),) if "match(subject, description)" in str(query) else real(query, *args, **kwargs)

		with patch.object(frappe.db, "sql", unindexed):
			self.assertFalse(similar.check_fulltext_index(settled_minutes=0))
		self.assertEqual(frappe.db.count("Error Log"), logs + 1)
		self.assertTrue(
			frappe.db.exists("Error Log", {"method": ("like", "%FULLTEXT index misses new complaints%")})
		)
