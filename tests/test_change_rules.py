"""Requests for change: the lifecycle, the information round trip, the customer's view."""

from datetime import datetime

import pytest

from brm_app.rules import change as c

READY = c.ChangeFacts(description="Add SSO", business_justification="Staff log in twice a day")


def test_every_status_has_transitions_and_a_customer_label():
	assert set(c.ALLOWED_TRANSITIONS) == set(c.STATUSES)
	assert set(c.CUSTOMER_STATUS) == set(c.STATUSES)
	for status in c.FINAL_STATUSES:
		assert c.ALLOWED_TRANSITIONS[status] == frozenset()


def test_the_main_line_runs_from_draft_to_closed():
	steps = [
		(c.DRAFT, c.SUBMITTED, READY),
		(c.SUBMITTED, c.UNDER_ASSESSMENT, READY),
		(c.UNDER_ASSESSMENT, c.AWAITING_CAB, READY),
		(c.AWAITING_CAB, c.APPROVED, c.ChangeFacts(last_cab_decision=c.APPROVED)),
		(
			c.APPROVED,
			c.SCHEDULED,
			c.ChangeFacts(planned_start=datetime(2027, 1, 4, 20), planned_end=datetime(2027, 1, 4, 23)),
		),
		(c.SCHEDULED, c.IMPLEMENTED, c.ChangeFacts(implemented_on=datetime(2027, 1, 4, 22))),
		(c.IMPLEMENTED, c.CLOSED, c.ChangeFacts(customer_confirmation=c.CONFIRMED)),
	]
	for old, new, facts in steps:
		assert c.transition_errors(old, new, facts) == [], (old, new)


@pytest.mark.parametrize(
	"old, new, facts, error",
	[
		(c.DRAFT, c.SUBMITTED, c.ChangeFacts(), c.DESCRIPTION_REQUIRED),
		(c.DRAFT, c.SUBMITTED, c.ChangeFacts(description="x"), c.JUSTIFICATION_REQUIRED),
		(
			c.DRAFT,
			c.SUBMITTED,
			c.ChangeFacts(description="x", business_justification="y", sla_change=True),
			c.SLA_DETAILS_REQUIRED,
		),
		(c.AWAITING_CAB, c.APPROVED, c.ChangeFacts(), c.CAB_DECISION_REQUIRED),
		(c.AWAITING_CAB, c.APPROVED, c.ChangeFacts(last_cab_decision=c.REJECTED), c.CAB_DECISION_DIFFERS),
		(c.APPROVED, c.SCHEDULED, c.ChangeFacts(), c.WINDOW_REQUIRED),
		(
			c.APPROVED,
			c.SCHEDULED,
			c.ChangeFacts(planned_start=datetime(2027, 1, 5), planned_end=datetime(2027, 1, 4)),
			c.WINDOW_BACKWARDS,
		),
		(c.SCHEDULED, c.IMPLEMENTED, c.ChangeFacts(), c.IMPLEMENTED_ON_REQUIRED),
		(
			c.SCHEDULED,
			c.IMPLEMENTED,
			c.ChangeFacts(implemented_on=datetime(2027, 1, 4), sla_change=True),
			c.SLA_NOT_DONE,
		),
		(c.IMPLEMENTED, c.CLOSED, c.ChangeFacts(), c.CONFIRMATION_REQUIRED),
		(c.UNDER_ASSESSMENT, c.INFORMATION_NEEDED, c.ChangeFacts(), c.QUESTION_REQUIRED),
		(c.DRAFT, c.APPROVED, READY, c.NOT_ALLOWED),
		(c.CLOSED, c.SUBMITTED, READY, c.NOT_ALLOWED),
		(None, c.APPROVED, READY, c.NOT_ALLOWED),
	],
)
def test_preconditions(old, new, facts, error):
	assert error in c.transition_errors(old, new, facts)


def test_information_needed_returns_where_it_was_asked():
	asked = c.ChangeFacts(information_request="Which sites?", asked_from=c.AWAITING_CAB)
	assert c.transition_errors(c.AWAITING_CAB, c.INFORMATION_NEEDED, asked) == []
	assert c.after_answer(c.AWAITING_CAB) == c.AWAITING_CAB
	assert c.transition_errors(c.INFORMATION_NEEDED, c.AWAITING_CAB, asked) == []
	assert c.ANSWER_NOT_RETURN in c.transition_errors(c.INFORMATION_NEEDED, c.SCHEDULED, asked)
	assert c.transition_errors(c.INFORMATION_NEEDED, c.WITHDRAWN, asked) == []
	assert c.after_answer(None) == c.SUBMITTED


def test_a_change_that_did_not_deliver_goes_back_to_be_scheduled():
	assert c.after_confirmation(c.CONFIRMED) == c.CLOSED
	assert c.after_confirmation(c.NOT_DELIVERED) == c.SCHEDULED
	window = dict(planned_start=datetime(2027, 2, 1), planned_end=datetime(2027, 2, 1, 2))
	said = c.ChangeFacts(customer_confirmation=c.NOT_DELIVERED, **window)
	assert c.transition_errors(c.IMPLEMENTED, c.SCHEDULED, said) == []
	# only on the customer's word, never by staff alone
	unsaid = c.transition_errors(c.IMPLEMENTED, c.SCHEDULED, c.ChangeFacts(**window))
	assert c.NOT_DELIVERED_REQUIRED in unsaid


def test_the_portal_timeline():
	assert c.timeline(c.SUBMITTED)[0] == (c.SUBMITTED, "current")
	assert [s for _, s in c.timeline(c.CLOSED)] == ["done"] * len(c.TIMELINE)
	states = dict(c.timeline(c.INFORMATION_NEEDED, asked_from=c.AWAITING_CAB))
	assert states[c.AWAITING_CAB] == "current" and states[c.SUBMITTED] == "done"
	assert dict(c.timeline(c.REJECTED))[c.APPROVED] == "pending"
	asked_when_scheduled = dict(c.timeline(c.INFORMATION_NEEDED, asked_from=c.SCHEDULED))
	assert asked_when_scheduled[c.SCHEDULED] == "current" and asked_when_scheduled[c.APPROVED] == "done"
	assert c.returns_from_question(c.INFORMATION_NEEDED, c.APPROVED)
	assert not c.returns_from_question(c.AWAITING_CAB, c.APPROVED)


def test_what_the_customer_may_do():
	assert c.customer_can_answer(c.INFORMATION_NEEDED) and not c.customer_can_answer(c.SUBMITTED)
	assert c.customer_can_confirm(c.IMPLEMENTED) and not c.customer_can_confirm(c.SCHEDULED)
	assert c.customer_can_withdraw(c.SUBMITTED) and not c.customer_can_withdraw(c.APPROVED)
