# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import json
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from brm_app.api import dashboard
from brm_app.brm_app.dashboard_chart_source.brm_csat_trend.brm_csat_trend import get as csat_trend
from brm_app.tests.utils import BRMTestCase, make_complaint, make_customer


class TestWorkspaceCardsAndCharts(BRMTestCase):
	def test_workspace_references_only_shipped_cards_and_charts(self):
		workspace = frappe.get_doc("Workspace", "Business Relationship")
		content = json.loads(workspace.content)
		cards = [b["data"]["number_card_name"] for b in content if b["type"] == "number_card"]
		charts = [b["data"]["chart_name"] for b in content if b["type"] == "chart"]
		self.assertEqual(len(cards), 7)
		for name in cards:
			self.assertEqual(frappe.db.get_value("Number Card", name, "module"), "BRM App", name)
		for name in charts:
			self.assertEqual(frappe.db.get_value("Dashboard Chart", name, "module"), "BRM App", name)
		self.assertFalse(frappe.db.exists("Workspace", "BRM"), "the old workspace is gone")

	def test_overdue_card_counts_missed_targets(self):
		make_customer("_Test BRM Card Customer")
		from frappe.desk.doctype.number_card.number_card import get_result

		card = frappe.get_doc("Number Card", "Overdue Complaints")

		def overdue():
			return get_result(card.as_json(), card.filters_json)

		before = overdue()
		make_complaint(
			"_Test BRM Card Customer", severity="Critical", received_on=now_datetime() - timedelta(days=5)
		)
		# Past both targets (above): counted once. Past only the acknowledgement target: counted.
		make_complaint(
			"_Test BRM Card Customer", severity="Medium", received_on=now_datetime() - timedelta(hours=30)
		)
		make_complaint("_Test BRM Card Customer", severity="Low")  # fresh: not overdue
		self.assertEqual(overdue(), before + 2)

	def test_survey_cards_and_trend_have_numbers(self):
		self.assertEqual(dashboard.csat_this_quarter()["fieldtype"], "Percent")
		self.assertIsInstance(dashboard.nps_this_quarter()["value"], int | float)
		trend = csat_trend()
		self.assertEqual(len(trend["labels"]), 12)
		self.assertEqual([d["name"] for d in trend["datasets"]], ["CSAT %", "NPS"])
