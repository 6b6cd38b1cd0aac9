from datetime import datetime, timedelta

from brm_app.rules import complaint as c
from brm_app.rules import escalation as e

NOW = datetime(2026, 3, 10, 12, 0, 0)
CHAIN = [
	e.EscalationLevel(level=1, after_hours=0, role="Business Relationship Manager"),
	e.EscalationLevel(level=2, after_hours=24, role="System Manager"),
	e.EscalationLevel(level=3, after_hours=72, user="ceo@example.com"),
]


def hours_ago(h):
	return NOW - timedelta(hours=h)


class TestBreach:
	def test_nothing_due_yet(self):
		assert e.breached_target(NOW, c.OPEN, NOW + timedelta(hours=1), None, NOW + timedelta(days=2)) is None

	def test_missed_acknowledgement(self):
		b = e.breached_target(NOW, c.OPEN, hours_ago(3), None, NOW + timedelta(days=2))
		assert b.target == e.ACKNOWLEDGE and b.hours_overdue == 3

	def test_acknowledged_late_is_no_longer_an_acknowledgement_breach(self):
		assert (
			e.breached_target(NOW, c.ACKNOWLEDGED, hours_ago(3), hours_ago(1), NOW + timedelta(days=1))
			is None
		)

	def test_longest_overdue_target_wins(self):
		b = e.breached_target(NOW, c.OPEN, hours_ago(50), None, hours_ago(2))
		assert b.target == e.ACKNOWLEDGE and b.hours_overdue == 50

	def test_resolution_clock_stops_while_customer_considers_proposal(self):
		assert (
			e.breached_target(NOW, c.RESOLUTION_PROPOSED, hours_ago(90), hours_ago(80), hours_ago(10)) is None
		)

	def test_final_complaints_never_breach(self):
		assert e.breached_target(NOW, c.CLOSED, hours_ago(90), None, hours_ago(10)) is None


class TestDecision:
	def test_first_level_right_after_breach(self):
		d = e.decide_escalation(NOW, c.OPEN, hours_ago(1), None, None, 0, CHAIN)
		assert d.level.level == 1

	def test_jumps_to_highest_due_level(self):
		d = e.decide_escalation(NOW, c.INVESTIGATING, None, hours_ago(100), hours_ago(30), 0, CHAIN)
		assert d.level.level == 2 and d.breach.target == e.RESOLVE

	def test_never_re_escalates_the_same_level(self):
		assert e.decide_escalation(NOW, c.OPEN, hours_ago(1), None, None, 1, CHAIN) is None

	def test_idempotent_when_applied_twice(self):
		first = e.decide_escalation(NOW, c.OPEN, hours_ago(80), None, None, 0, CHAIN)
		assert first.level.level == 3
		assert e.decide_escalation(NOW, c.OPEN, hours_ago(80), None, None, first.level.level, CHAIN) is None

	def test_no_chain_no_escalation(self):
		assert e.decide_escalation(NOW, c.OPEN, hours_ago(80), None, None, 0, []) is None

	def test_manual_escalation_goes_one_level_up(self):
		assert e.next_manual_level(0, CHAIN).level == 1
		assert e.next_manual_level(1, CHAIN).level == 2
		assert e.next_manual_level(3, CHAIN) is None


class TestChainValidation:
	def test_valid_chain(self):
		assert e.chain_errors(CHAIN) == []

	def test_problems_are_reported_with_their_level(self):
		bad = [
			e.EscalationLevel(level=1, after_hours=10, role="X"),
			e.EscalationLevel(level=1, after_hours=12, role="Y"),
			e.EscalationLevel(level=2, after_hours=5),
			e.EscalationLevel(level=0, after_hours=-1, role="Z"),
		]
		errors = e.chain_errors(bad)
		assert (e.DUPLICATE_LEVEL, 1) in errors
		assert (e.NO_RECIPIENT, 2) in errors
		assert (e.HOURS_NOT_INCREASING, 2) in errors
		assert (e.LEVEL_NOT_POSITIVE, 0) in errors
		assert (e.NEGATIVE_HOURS, 0) in errors


class TestOverdue:
	def test_unacknowledged_past_target_is_overdue(self):
		assert e.is_overdue(NOW, c.OPEN, hours_ago(1), None, NOW + timedelta(days=2))

	def test_acknowledged_in_time_and_not_yet_due_is_not(self):
		assert not e.is_overdue(NOW, c.ACKNOWLEDGED, hours_ago(1), hours_ago(2), NOW + timedelta(days=2))

	def test_proposed_resolution_stops_the_clock(self):
		assert not e.is_overdue(NOW, c.RESOLUTION_PROPOSED, hours_ago(50), hours_ago(49), hours_ago(1))

	def test_final_statuses_are_never_overdue(self):
		for status in (c.CLOSED, c.REJECTED):
			assert not e.is_overdue(NOW, status, hours_ago(50), None, hours_ago(1))


def test_nothing_is_missed_while_the_clock_is_paused():
	from datetime import datetime, timedelta

	from brm_app.rules import complaint as c
	from brm_app.rules import escalation as e

	now = datetime(2026, 12, 7, 12)
	due = now - timedelta(days=2)
	assert e.breached_target(now, c.WAITING, due, None, due, clock_paused=True) is None
	assert e.breached_target(now, c.WAITING, due, None, due, clock_paused=False) is not None, (
		"a policy whose clock does not stop while waiting (e.g. FCA DISP's eight weeks)"
	)
