import ast
from datetime import date, datetime
from pathlib import Path

import pytest

from brm_app.rules import compliment as k
from brm_app.rules import portfolio as p


class TestReviewSchedule:
	@pytest.mark.parametrize(
		"frequency, expected",
		[
			("Monthly", date(2026, 2, 15)),
			("Quarterly", date(2026, 4, 15)),
			("Half-yearly", date(2026, 7, 15)),
			("Yearly", date(2027, 1, 15)),
		],
	)
	def test_next_review_from_frequency(self, frequency, expected):
		assert p.next_review_date(date(2026, 1, 15), frequency) == expected

	def test_month_end_is_clamped(self):
		assert p.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
		assert p.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
		assert p.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)

	def test_no_last_review_no_next(self):
		assert p.next_review_date(None, "Monthly") is None
		assert p.next_review_date(date(2026, 1, 1), None) is None

	def test_stats_window_is_twelve_months(self):
		assert p.stats_window_start(datetime(2026, 11, 23, 10, 0)) == datetime(2025, 11, 23, 10, 0)

	def test_review_overdue(self):
		assert p.review_overdue(date(2026, 1, 1), date(2026, 1, 2))
		assert not p.review_overdue(None, date(2026, 1, 2))


class TestCompliment:
	def test_lifecycle_order(self):
		assert k.transition_errors(None, k.NEW, None, 0) == []
		assert k.transition_errors(k.NEW, k.ACKNOWLEDGED, "Notable", 1) == [k.NOT_ALLOWED]
		assert k.transition_errors(k.NEW, k.EVALUATED, "Notable", 1) == []
		assert k.transition_errors(k.EVALUATED, k.ACKNOWLEDGED, "Notable", 1) == []

	def test_evaluation_required(self):
		assert k.transition_errors(k.NEW, k.EVALUATED, "", 1) == [k.EVALUATION_REQUIRED]

	def test_someone_must_be_praised_to_acknowledge(self):
		assert k.transition_errors(k.EVALUATED, k.ACKNOWLEDGED, "Routine", 0) == [k.PRAISED_REQUIRED]

	def test_praised_users_resolves_people_and_teams(self):
		users = k.praised_users(
			[("User", "ann@x.com"), ("Employee", "EMP-1"), ("Employee", "EMP-2"), ("Department", "Support")],
			employee_users={"EMP-1": "bob@x.com", "EMP-2": None},
			department_users={"Support": ["cat@x.com", "ann@x.com"]},
		)
		assert users == ["ann@x.com", "bob@x.com", "cat@x.com"]


def test_rules_never_import_frappe():
	"""The rules package must stay importable without Frappe."""
	rules_dir = Path(__file__).resolve().parents[1] / "brm_app" / "rules"
	for path in rules_dir.glob("*.py"):
		tree = ast.parse(path.read_text())
		for node in ast.walk(tree):
			names = []
			if isinstance(node, ast.Import):
				names = [a.name for a in node.names]
			elif isinstance(node, ast.ImportFrom):
				names = [node.module or ""]
			assert not any(n == "frappe" or n.startswith("frappe.") for n in names), path.name
