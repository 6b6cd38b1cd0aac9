from datetime import datetime

from brm_app.rules import handling_policy as hp
from brm_app.rules import working_time as wt

T = [
	hp.Target(hp.ACKNOWLEDGEMENT, 1, wt.BUSINESS_DAYS),
	hp.Target(hp.FINAL_RESPONSE, 8, wt.CALENDAR_DAYS),
	hp.Target(hp.ACKNOWLEDGEMENT, 4, wt.BUSINESS_HOURS, severity="Critical"),
	hp.Target(hp.SUMMARY_RESOLUTION, 3, wt.BUSINESS_DAYS, severity="Critical"),
]
LONDON = wt.Calendar.standard("Europe/London")


def test_targets_for_a_severity_fall_back_to_every_severity():
	critical = hp.targets_for(T, "Critical")
	assert (critical[hp.ACKNOWLEDGEMENT].amount, critical[hp.ACKNOWLEDGEMENT].unit) == (4, wt.BUSINESS_HOURS)
	assert critical[hp.FINAL_RESPONSE].amount == 8
	assert critical[hp.SUMMARY_RESOLUTION].amount == 3
	low = hp.targets_for(T, "Low")
	assert low[hp.ACKNOWLEDGEMENT].unit == wt.BUSINESS_DAYS
	assert hp.SUMMARY_RESOLUTION not in low, "summary resolution is optional"


def test_choose_policy_most_specific_first():
	scopes = [
		hp.Scope("FCA DISP", hp.COMPANY, "UK Ltd"),
		hp.Scope("Key accounts", hp.CUSTOMER_GROUP, "Key"),
		hp.Scope("Contract 42", hp.CUSTOMER, "Contoso"),
	]
	assert hp.choose_policy(scopes, "Contoso", "Key", "UK Ltd", "ISO 10002") == "Contract 42"
	assert hp.choose_policy(scopes, "Fabrikam", "Key", "UK Ltd", "ISO 10002") == "Key accounts"
	assert hp.choose_policy(scopes, "Fabrikam", "Retail", "UK Ltd", "ISO 10002") == "FCA DISP"
	assert hp.choose_policy(scopes, "Fabrikam", "Retail", "AU Pty", "ISO 10002") == "ISO 10002"
	assert hp.choose_policy([], None, None, None, None) is None


def test_scope_conflicts():
	scopes = [hp.Scope("A", hp.CUSTOMER, "Contoso"), hp.Scope("B", hp.CUSTOMER, "Contoso")]
	assert hp.scope_conflicts(scopes) == [(hp.CUSTOMER, "Contoso", ["A", "B"])]
	assert hp.scope_conflicts(scopes[:1]) == []


def test_due_dates_in_working_time_and_moved_by_a_pause():
	friday = datetime(2026, 12, 4, 17, 55)  # UTC = London in December
	due = hp.due_dates(friday, hp.targets_for(T, "Critical"), LONDON, "UTC")
	assert due[hp.ACKNOWLEDGEMENT] == datetime(2026, 12, 7, 13, 0), "4 business hours from Friday evening"
	assert due[hp.SUMMARY_RESOLUTION] == datetime(2026, 12, 9, 17, 0), "close of business, 3rd business day"
	assert due[hp.FINAL_RESPONSE] == datetime(2026, 12, 12, 17, 55), "calendar days ignore the weekend"
	pause = [(datetime(2026, 12, 7, 9, 0), datetime(2026, 12, 9, 9, 0))]  # two working days waited
	paused = hp.due_dates(friday, hp.targets_for(T, "Critical"), LONDON, "UTC", pause, friday)
	assert paused[hp.ACKNOWLEDGEMENT] == datetime(2026, 12, 9, 13, 0)
	assert paused[hp.SUMMARY_RESOLUTION] == datetime(2026, 12, 11, 17, 0)
	assert paused[hp.FINAL_RESPONSE] == datetime(2026, 12, 14, 17, 55)
	unpaused = hp.due_dates(friday, hp.targets_for(T, "Critical"), LONDON, "UTC", pause, friday, False)
	assert unpaused == due, "a policy where waiting does not stop the clock"


def test_on_time():
	due = datetime(2026, 12, 7, 13)
	assert hp.on_time(datetime(2026, 12, 7, 12), due) is True
	assert hp.on_time(datetime(2026, 12, 7, 14), due) is False
	assert hp.on_time(None, due) is None and hp.on_time(due, None) is None
