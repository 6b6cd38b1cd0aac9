"""One contact policy across every survey source (issue 27): the pure decision."""

from datetime import datetime, timedelta

from brm_app.rules import contact_policy as p

NOW = datetime(2026, 12, 7, 10, 0)
POLICY = p.Policy(max_surveys=2, period_days=90, min_gap_days=30, quiet_days_after_complaint=14)


def days_ago(n: float) -> datetime:
	return NOW - timedelta(days=n)


def test_a_contact_never_asked_is_asked():
	assert p.decide(POLICY, p.ContactState(), p.Request(p.RELATIONSHIP), NOW) == p.SEND


def test_a_relationship_survey_holds_back_a_transactional_one_inside_the_gap():
	state = p.ContactState(asked=(p.Asked(days_ago(10), p.RELATIONSHIP),))
	decision = p.decide(POLICY, state, p.Request(p.TRANSACTIONAL, complaint="CMP-1"), NOW)
	assert (decision.send, decision.reason) == (False, p.RECENTLY_ASKED)
	assert decision.retry_on == days_ago(10) + timedelta(days=30)
	assert p.decide(POLICY, state, p.Request(p.HELPDESK_RATING), NOW + timedelta(days=21)).send


def test_at_most_n_in_the_rolling_period_across_sources():
	state = p.ContactState(
		asked=(p.Asked(days_ago(80), p.HELPDESK_RATING), p.Asked(days_ago(40), p.TRANSACTIONAL))
	)
	decision = p.decide(POLICY, state, p.Request(p.RELATIONSHIP), NOW)
	assert (decision.send, decision.reason) == (False, p.TOO_MANY)
	assert decision.retry_on == days_ago(80) + timedelta(days=90)
	assert p.decide(POLICY, state, p.Request(p.RELATIONSHIP), NOW + timedelta(days=11)).send


def test_opting_out_stops_every_source_and_every_reminder():
	state = p.ContactState(opted_out=True)
	for source in p.SOURCES:
		assert p.decide(POLICY, state, p.Request(source), NOW).reason == p.OPTED_OUT
	assert not p.may_remind(POLICY, 0, state)
	assert p.may_remind(POLICY, 0, p.ContactState())
	assert not p.may_remind(POLICY, 1, p.ContactState()), "one reminder at most"


def test_a_serious_complaint_open_postpones_and_says_so():
	decision = p.decide(POLICY, p.ContactState(serious_complaint_open=True), p.Request(p.RELATIONSHIP), NOW)
	assert decision.postponed and decision.reason == p.QUIET_COMPLAINT_OPEN
	relaxed = p.Policy(quiet_while_serious_complaint=False)
	assert p.decide(relaxed, p.ContactState(serious_complaint_open=True), p.Request(p.RELATIONSHIP), NOW).send


def test_after_a_complaint_closes_only_its_own_survey_goes():
	state = p.ContactState(closed_complaints=(("CMP-7", days_ago(3)),))
	own = p.decide(POLICY, state, p.Request(p.TRANSACTIONAL, complaint="CMP-7"), NOW)
	other = p.decide(POLICY, state, p.Request(p.RELATIONSHIP), NOW)
	assert own.send
	assert other.postponed and other.reason == p.QUIET_AFTER_COMPLAINT
	assert other.retry_on == days_ago(3) + timedelta(days=14)
	assert p.decide(POLICY, state, p.Request(p.RELATIONSHIP), NOW + timedelta(days=12)).send


def test_the_first_reason_is_reported_and_the_summary_counts_them():
	decisions = [
		p.decide(POLICY, p.ContactState(), p.Request(p.RELATIONSHIP), NOW),
		p.decide(
			POLICY,
			p.ContactState(opted_out=True, serious_complaint_open=True),
			p.Request(p.RELATIONSHIP),
			NOW,
		),
		p.decide(
			POLICY,
			p.ContactState(asked=(p.Asked(days_ago(1), p.RELATIONSHIP),)),
			p.Request(p.RELATIONSHIP),
			NOW,
		),
		p.decide(
			POLICY,
			p.ContactState(asked=(p.Asked(days_ago(2), p.TRANSACTIONAL),)),
			p.Request(p.RELATIONSHIP),
			NOW,
		),
	]
	assert decisions[1].reason == p.OPTED_OUT, "opted out comes before any quiet period"
	assert p.held_back_summary(decisions) == (1, 3, [(p.RECENTLY_ASKED, 2), (p.OPTED_OUT, 1)])


def test_a_survey_planned_in_the_future_does_not_count_yet():
	state = p.ContactState(asked=(p.Asked(NOW + timedelta(days=5), p.RELATIONSHIP),))
	assert p.decide(POLICY, state, p.Request(p.TRANSACTIONAL), NOW).send
