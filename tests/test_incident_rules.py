"""Service incidents: who is affected, notices once each, the survey quiet period, figures."""

from datetime import date, datetime, timedelta

from brm_app.rules import incident as r

START = datetime(2026, 11, 3, 10, 42)


def test_affected_from_portfolio_services():
	rows = [
		r.ServiceRow("Alpha", "Hosting"),
		r.ServiceRow("Bravo", "Hosting", ended_on=date(2026, 10, 31)),  # no longer provided
		r.ServiceRow("Charlie", "Desk"),
		r.ServiceRow("Delta", "Hosting", ended_on=date(2026, 11, 3)),  # ends that day: still hit
		r.ServiceRow("Alpha", "Desk"),
	]
	assert r.affected_customers(rows, {"Hosting"}, START) == ["Alpha", "Delta"]
	assert r.affected_customers(rows, {"Hosting"}, START, added={"Echo"}) == ["Alpha", "Delta", "Echo"]
	assert r.affected_customers(rows, set(), START) == []


def test_each_recipient_gets_each_update_once():
	sent = {(0, "a@x"), (0, "b@x")}
	assert r.due_notices([1], sent, ["a@x", "b@x"]) == [(1, "a@x"), (1, "b@x")]
	assert r.due_notices([1], sent | {(1, "a@x"), (1, "b@x")}, ["a@x", "b@x"]) == []
	assert r.due_notices([], set(), ["c@x"]) == [(0, "c@x")]
	# update 1 was deleted after it went out; the new one is number 3, never a re-used 2
	assert r.next_update_no([2]) == 3 and r.next_update_no([]) == 1
	assert r.due_notices([2, 3], {(0, "a@x"), (1, "a@x"), (2, "a@x")}, ["a@x"]) == [(3, "a@x")]


def test_surveys_wait_during_an_incident_and_its_quiet_period():
	open_incident = [(START, None)]
	assert r.in_quiet_period(open_incident, START + timedelta(days=40), 7)
	assert not r.in_quiet_period(open_incident, START - timedelta(hours=1), 7), "not before it started"
	ended = [(START, START + timedelta(hours=5))]
	assert r.in_quiet_period(ended, START + timedelta(days=7), 7)
	assert not r.in_quiet_period(ended, START + timedelta(days=8), 7)
	assert r.quiet_until(ended, 7) == START + timedelta(hours=5, days=7)
	assert r.quiet_until(open_incident, 7) == datetime.max
	assert r.quiet_until([], 7) is None


def test_transitions():
	facts = r.IncidentFacts(started_on=START)
	assert r.transition_errors(None, r.OPEN, facts) == []
	assert r.END_REQUIRED in r.transition_errors(r.OPEN, r.RESOLVED, facts)
	ended = r.IncidentFacts(started_on=START, ended_on=START + timedelta(hours=2))
	assert r.transition_errors(r.OPEN, r.RESOLVED, ended) == []
	assert set(r.transition_errors(r.RESOLVED, r.CLOSED, ended)) == {
		r.ROOT_CAUSE_REQUIRED,
		r.SUMMARY_REQUIRED,
	}
	backwards = r.IncidentFacts(started_on=START, ended_on=START - timedelta(hours=1))
	assert r.END_BEFORE_START in r.transition_errors(r.OPEN, r.RESOLVED, backwards)
	assert r.transition_errors(r.CLOSED, r.OPEN, ended) == [r.NOT_ALLOWED]
	assert r.transition_errors(r.RESOLVED, r.OPEN, ended) == []


def test_figures():
	assert r.minutes_between(START, START + timedelta(minutes=18)) == 18
	assert r.minutes_between(START, None) is None
	notice = {"Alpha": START + timedelta(minutes=10), "Bravo": START + timedelta(minutes=50)}
	complaint = {"Alpha": START + timedelta(minutes=30), "Bravo": START + timedelta(minutes=20)}
	assert r.notified_first_share(notice, complaint) == 50.0
	assert r.notified_first_share(notice, {}) is None
