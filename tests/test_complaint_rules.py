from datetime import datetime, timedelta

from brm_app.rules import complaint as r

T0 = datetime(2026, 3, 2, 9, 0, 0)


def facts(**kw):
	return r.ComplaintFacts(**kw)


class TestTargets:
	def test_targets_from_hours_and_days(self):
		ack, res = r.compute_targets(T0, 8, 5)
		assert ack == T0 + timedelta(hours=8)
		assert res == T0 + timedelta(days=5)

	def test_fractional_targets(self):
		ack, res = r.compute_targets(T0, 0.5, 1.5)
		assert ack == T0 + timedelta(minutes=30)
		assert res == T0 + timedelta(hours=36)

	def test_no_target_for_severity_means_no_due_date(self):
		assert r.compute_targets(T0, None, None) == (None, None)
		assert r.compute_targets(T0, 4, None) == (T0 + timedelta(hours=4), None)


class TestTransitions:
	def test_new_complaint_must_start_open(self):
		assert r.transition_errors(None, r.OPEN, facts()) == []
		assert r.transition_errors(None, r.CLOSED, facts(closing_reason="x")) == [r.NOT_ALLOWED]

	def test_unknown_status_is_refused(self):
		assert r.transition_errors(r.OPEN, "Escalated", facts()) == [r.NOT_ALLOWED]

	def test_unchanged_status_is_always_fine(self):
		assert r.transition_errors(r.INVESTIGATING, r.INVESTIGATING, facts()) == []

	def test_rejected_is_final(self):
		for status in r.STATUSES:
			if status != r.REJECTED:
				assert r.transition_errors(r.REJECTED, status, facts(closing_reason="x")) == [r.NOT_ALLOWED]

	def test_closed_only_reopens_by_appeal(self):
		for status in r.STATUSES:
			if status not in (r.CLOSED, r.INVESTIGATING):
				assert r.transition_errors(r.CLOSED, status, facts(closing_reason="x")) == [r.NOT_ALLOWED]

	def test_appeal_needs_the_customers_reason(self):
		assert r.transition_errors(r.CLOSED, r.INVESTIGATING, facts()) == [r.CUSTOMER_REASON_REQUIRED]
		assert (
			r.transition_errors(r.CLOSED, r.INVESTIGATING, facts(customer_rejection_reason="Still broken"))
			== []
		)

	def test_cannot_skip_to_resolution_proposed_from_open(self):
		assert r.transition_errors(r.OPEN, r.RESOLUTION_PROPOSED, facts(proposed_resolution="x")) == [
			r.NOT_ALLOWED
		]

	def test_proposing_needs_a_resolution_text(self):
		assert r.transition_errors(
			r.INVESTIGATING, r.RESOLUTION_PROPOSED, facts(proposed_resolution="  ")
		) == [r.RESOLUTION_REQUIRED]
		assert (
			r.transition_errors(r.INVESTIGATING, r.RESOLUTION_PROPOSED, facts(proposed_resolution="Refund"))
			== []
		)

	def test_rejecting_as_not_a_complaint_needs_reason(self):
		assert r.transition_errors(r.OPEN, r.REJECTED, facts()) == [r.REJECTION_REASON_REQUIRED]
		assert r.transition_errors(r.OPEN, r.REJECTED, facts(rejection_reason="A feature request")) == []

	def test_customer_rejection_needs_reason(self):
		assert r.transition_errors(r.RESOLUTION_PROPOSED, r.INVESTIGATING, facts()) == [
			r.CUSTOMER_REASON_REQUIRED
		]
		assert (
			r.transition_errors(r.RESOLUTION_PROPOSED, r.INVESTIGATING, facts(customer_rejection_reason="No"))
			== []
		)

	def test_accepting_closes_when_all_actions_done(self):
		assert r.transition_errors(r.RESOLUTION_PROPOSED, r.CLOSED, facts(open_actions=0)) == []

	def test_open_actions_block_closing_unless_reason(self):
		assert r.transition_errors(r.RESOLUTION_PROPOSED, r.CLOSED, facts(open_actions=2)) == [
			r.OPEN_ACTIONS_NEED_REASON
		]
		assert (
			r.transition_errors(
				r.RESOLUTION_PROPOSED, r.CLOSED, facts(open_actions=2, closing_reason="Tracked in CHG-1")
			)
			== []
		)

	def test_formal_close_without_customer_agreement_needs_reason_and_outcome(self):
		assert r.transition_errors(r.INVESTIGATING, r.CLOSED, facts()) == [
			r.OUTCOME_REQUIRED,
			r.CLOSING_REASON_REQUIRED,
		]
		assert (
			r.transition_errors(
				r.INVESTIGATING, r.CLOSED, facts(closing_reason="Customer unreachable", outcome="Withdrawn")
			)
			== []
		)
		assert r.transition_errors(r.INVESTIGATING, r.CLOSED, facts(closing_reason="x", outcome="Maybe")) == [
			r.OUTCOME_REQUIRED
		]
		# the customer's acceptance closes without a recorded outcome (the controller sets Upheld)
		assert r.transition_errors(r.RESOLUTION_PROPOSED, r.CLOSED, facts()) == []

	def test_waiting_for_the_customer(self):
		assert r.transition_errors(r.INVESTIGATING, r.WAITING, facts()) == [r.QUESTION_REQUIRED]
		assert r.transition_errors(r.ACKNOWLEDGED, r.WAITING, facts(waiting_question="Which site?")) == []
		assert r.transition_errors(r.WAITING, r.INVESTIGATING, facts()) == []
		assert r.transition_errors(r.OPEN, r.WAITING, facts(waiting_question="?")) == [r.NOT_ALLOWED]
		assert r.transition_errors(r.WAITING, r.RESOLUTION_PROPOSED, facts(proposed_resolution="x")) == [
			r.NOT_ALLOWED
		], "the answer comes first"
		assert r.WAITING in r.OPEN_STATUSES

	def test_reopen_detection(self):
		assert r.is_reopen(r.RESOLUTION_PROPOSED, r.INVESTIGATING)
		assert r.is_reopen(r.CLOSED, r.INVESTIGATING)
		assert not r.is_reopen(r.ACKNOWLEDGED, r.INVESTIGATING)
		assert r.is_appeal(r.CLOSED, r.INVESTIGATING)
		assert not r.is_appeal(r.RESOLUTION_PROPOSED, r.INVESTIGATING)

	def test_open_action_count_ignores_done_and_cancelled(self):
		assert r.open_action_count(["Open", "Done", "In Progress", "Cancelled", None]) == 3


class TestMilestones:
	def test_first_response_stamps_acknowledgement(self):
		assert r.milestone_stamps(r.OPEN, r.ACKNOWLEDGED, T0) == {"acknowledged_on": T0}

	def test_investigation_start_is_stamped_once(self):
		assert r.milestone_stamps(r.OPEN, r.INVESTIGATING, T0) == {
			"acknowledged_on": T0,
			"investigation_started_on": T0,
		}
		earlier = T0 - timedelta(days=2)
		assert (
			r.milestone_stamps(
				r.RESOLUTION_PROPOSED,
				r.INVESTIGATING,
				T0,
				acknowledged_on=earlier,
				investigation_started_on=earlier,
			)
			== {}
		)

	def test_appeal_clears_the_closure_and_closing_again_restamps_it(self):
		closed = T0 - timedelta(days=3)
		stamps = r.milestone_stamps(
			r.CLOSED,
			r.INVESTIGATING,
			T0,
			acknowledged_on=closed,
			investigation_started_on=closed,
			closed_on=closed,
		)
		assert stamps == {"closed_on": None}
		assert r.milestone_stamps(r.RESOLUTION_PROPOSED, r.CLOSED, T0, acknowledged_on=closed) == {
			"closed_on": T0
		}

	def test_stamps_are_set_once(self):
		earlier = T0 - timedelta(days=1)
		stamps = r.milestone_stamps(
			r.INVESTIGATING,
			r.RESOLUTION_PROPOSED,
			T0,
			acknowledged_on=earlier,
			resolution_proposed_on=earlier,
		)
		assert stamps == {}

	def test_closing_stamps_closed_on(self):
		stamps = r.milestone_stamps(r.RESOLUTION_PROPOSED, r.CLOSED, T0, acknowledged_on=T0)
		assert stamps == {"closed_on": T0}

	def test_rejection_from_open_acknowledges_and_ends(self):
		assert r.milestone_stamps(r.OPEN, r.REJECTED, T0) == {"acknowledged_on": T0, "closed_on": T0}

	def test_no_change_no_stamps(self):
		assert r.milestone_stamps(r.OPEN, r.OPEN, T0) == {}

	def test_elapsed_seconds(self):
		assert r.elapsed_seconds(T0, T0 + timedelta(hours=2)) == 7200
		assert r.elapsed_seconds(T0, None) is None
		assert r.elapsed_seconds(T0 + timedelta(seconds=5), T0) == 0
