"""What a customer sees of a complaint in the portal, and what a customer may send."""

from datetime import datetime, timedelta

import pytest

from brm_app.rules import complaint as c
from brm_app.rules import portal as p

T0 = datetime(2026, 11, 2, 9, 0)


class TestNextStep:
	def test_open_says_when_we_reply(self):
		step = p.next_step(c.OPEN, T0 + timedelta(hours=24), T0 + timedelta(days=10), None, 30)
		assert step == p.NextStep(p.ACKNOWLEDGE_BY, T0 + timedelta(hours=24))

	def test_open_without_target(self):
		assert p.next_step(c.OPEN, None, None, None, 30).code == p.WORKING_ON_IT

	@pytest.mark.parametrize("status", [c.ACKNOWLEDGED, c.INVESTIGATING])
	def test_in_progress_says_when_we_aim_to_resolve(self, status):
		assert p.next_step(status, T0, T0 + timedelta(days=10), None, 30) == p.NextStep(
			p.RESOLVE_BY, T0 + timedelta(days=10)
		)

	def test_proposed_waits_for_the_customer(self):
		assert p.next_step(c.RESOLUTION_PROPOSED, T0, T0, None, 30).code == p.YOUR_RESPONSE

	def test_closed_offers_the_appeal_period(self):
		assert p.next_step(c.CLOSED, T0, T0, T0, 30) == p.NextStep(p.APPEAL_UNTIL, T0 + timedelta(days=30))
		assert p.next_step(c.CLOSED, T0, T0, T0, 0).code == p.NOTHING

	def test_rejected_has_no_next_step(self):
		assert p.next_step(c.REJECTED, T0, T0, T0, 30).code == p.NOTHING

	def test_a_past_date_is_never_promised(self):
		now = T0 + timedelta(days=11)
		assert p.next_step(c.OPEN, T0, T0 + timedelta(days=10), None, 30, now) == p.NextStep(p.REPLY_LATE, T0)
		assert p.next_step(c.INVESTIGATING, T0, T0 + timedelta(days=10), None, 30, now).code == p.RESOLVE_LATE
		assert p.next_step(c.INVESTIGATING, T0, T0 + timedelta(days=12), None, 30, now).code == p.RESOLVE_BY

	def test_waiting_asks_for_the_answer(self):
		assert p.next_step(c.WAITING, T0, T0, None, 30, T0).code == p.YOUR_ANSWER

	def test_every_status_has_a_customer_label(self):
		assert set(p.CUSTOMER_STATUS) == set(c.STATUSES)


class TestReplyAndAppeal:
	def test_open_complaints_take_replies(self):
		for status in c.OPEN_STATUSES:
			assert p.can_reply(status, None, T0, 30)
			assert not p.can_appeal(status, None, T0, 30)

	def test_closed_takes_an_appeal_within_the_period_only(self):
		closed = T0 - timedelta(days=30)
		assert p.can_appeal(c.CLOSED, closed, T0, 30)
		assert p.can_reply(c.CLOSED, closed, T0, 30)
		assert not p.can_appeal(c.CLOSED, closed, T0 + timedelta(seconds=1), 30)
		assert not p.can_reply(c.CLOSED, closed, T0 + timedelta(seconds=1), 30)

	def test_no_appeal_period_means_no_appeal(self):
		assert not p.can_appeal(c.CLOSED, T0, T0, 0)

	def test_rejected_takes_no_reply(self):
		assert not p.can_reply(c.REJECTED, T0, T0, 30)


class TestTimeline:
	def keys_and_states(self, steps):
		return [(s.key, s.state) for s in steps]

	def test_new_complaint(self):
		steps = p.timeline(c.OPEN, T0, None, None, None, None)
		assert self.keys_and_states(steps) == [
			(p.RECEIVED, p.CURRENT),
			(p.ACKNOWLEDGED, p.PENDING),
			(p.INVESTIGATING, p.PENDING),
			(p.PROPOSED, p.PENDING),
			(p.CLOSED, p.PENDING),
		]
		assert steps[0].on == T0

	def test_closed_after_skipping_investigation(self):
		t = [T0 + timedelta(days=d) for d in range(4)]
		steps = p.timeline(c.CLOSED, t[0], t[1], None, t[2], t[3])
		assert self.keys_and_states(steps) == [
			(p.RECEIVED, p.DONE),
			(p.ACKNOWLEDGED, p.DONE),
			(p.INVESTIGATING, p.SKIPPED),
			(p.PROPOSED, p.DONE),
			(p.CLOSED, p.DONE),
		]
		assert [s.on for s in steps] == [t[0], t[1], None, t[2], t[3]]

	def test_rejected_ends_at_rejected(self):
		steps = p.timeline(c.REJECTED, T0, T0, None, None, T0)
		assert steps[-1].key == p.REJECTED and steps[-1].state == p.DONE
		assert [s.state for s in steps[1:4]] == [p.DONE, p.SKIPPED, p.SKIPPED]

	def test_reopened_complaint_shows_investigation_current(self):
		steps = p.timeline(c.INVESTIGATING, T0, T0, T0, T0, None)
		assert steps[2].state == p.CURRENT
		assert steps[3].state == p.PENDING and steps[3].on is None


class TestInput:
	def test_text_limits(self):
		assert p.text_error("", 10, required=True) == p.REQUIRED
		assert p.text_error("   ", 10, required=True) == p.REQUIRED
		assert p.text_error(None, 10) is None
		assert p.text_error("x" * 10, 10) is None
		assert p.text_error("x" * 11, 10) == p.TOO_LONG

	def test_files(self):
		allowed = p.parse_extensions(p.DEFAULT_FILE_TYPES)
		assert p.file_error("report.PDF", 100, allowed, 1000) is None
		assert p.file_error("tool.exe", 100, allowed, 1000) == p.FILE_TYPE
		assert p.file_error("noextension", 100, allowed, 1000) == p.FILE_TYPE
		assert p.file_error("big.pdf", 1001, allowed, 1000) == p.FILE_SIZE
		assert p.file_error("empty.pdf", 0, allowed, 1000) == p.FILE_SIZE

	def test_parse_extensions(self):
		assert p.parse_extensions(" .PDF, png;jpg  txt ") == {"pdf", "png", "jpg", "txt"}
		assert p.parse_extensions(None) == set()

	def test_a_request_naming_another_customer_files_for_the_users_own(self):
		assert p.choose_customer("Other Ltd", ["Mine Ltd"]) == "Mine Ltd"
		assert p.choose_customer("Second", ["First", "Second"]) == "Second"
		assert p.choose_customer(None, ["First", "Second"]) == "First"
		assert p.choose_customer("Any", []) is None
