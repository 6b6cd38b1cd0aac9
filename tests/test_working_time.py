import random
from datetime import date, datetime, time, timedelta

import pytest

from brm_app.rules import working_time as w

LONDON = "Europe/London"
SYDNEY = "Australia/Sydney"
NINE_TO_FIVE = w.Calendar.standard(LONDON)
EIGHT_TO_SIX = w.Calendar.standard(LONDON, start=time(8), end=time(18))
# 2026: Good Friday 3 April, Easter Monday 6 April, Early May bank holiday Monday 4 May.
BANK_HOLIDAYS = w.Calendar.standard(LONDON, holidays=(date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4)))
EVERY_DAY = w.Calendar.standard(LONDON, days=range(7))
NIGHT_SHIFT = w.Calendar(LONDON, ((4, time(22), time(6)),))  # Friday 22:00 to Saturday 06:00
WITH_LUNCH = w.Calendar(
	LONDON,
	tuple(p for day in range(5) for p in ((day, time(9), time(12, 30)), (day, time(13, 30), time(17, 30)))),
)

FRIDAY_1755 = datetime(2026, 3, 6, 17, 55)  # GMT, so UTC and London agree


def due(start, amount, unit, calendar=NINE_TO_FIVE, site=LONDON):
	return w.add_working_time(start, amount, unit, calendar, site_timezone=site)


def hours(start, end, calendar=NINE_TO_FIVE, site=LONDON):
	return w.working_time_between(start, end, calendar, site_timezone=site)


class TestBusinessHours:
	def test_friday_1755_plus_4_hours_on_nine_to_five_is_monday_1300(self):
		"""17:55 is after a 09:00-17:00 day: all four hours are Monday's, 09:00 to 13:00."""
		assert due(FRIDAY_1755, 4, w.BUSINESS_HOURS) == datetime(2026, 3, 9, 13, 0)

	def test_friday_1755_plus_4_hours_on_eight_to_six_is_monday_1155(self):
		"""The issue's Monday 11:55: five minutes left on Friday of an 08:00-18:00 day, then
		3 h 55 from Monday 08:00."""
		assert due(FRIDAY_1755, 4, w.BUSINESS_HOURS, EIGHT_TO_SIX) == datetime(2026, 3, 9, 11, 55)

	def test_inside_hours_counts_from_the_moment_received(self):
		assert due(datetime(2026, 3, 2, 10, 15), 3, w.BUSINESS_HOURS) == datetime(2026, 3, 2, 13, 15)

	def test_target_used_up_at_close_is_due_at_close_not_next_morning(self):
		assert due(datetime(2026, 3, 6, 9), 8, w.BUSINESS_HOURS) == datetime(2026, 3, 6, 17)

	def test_bank_holiday_monday_moves_it_to_tuesday(self):
		assert due(datetime(2026, 5, 1, 17, 55), 4, w.BUSINESS_HOURS, BANK_HOLIDAYS) == datetime(
			2026, 5, 5, 13
		)
		# Easter: Good Friday and Easter Monday both skipped.
		assert due(datetime(2026, 4, 2, 15), 4, w.BUSINESS_HOURS, BANK_HOLIDAYS) == datetime(2026, 4, 7, 11)

	def test_lunch_break_is_not_counted(self):
		assert due(datetime(2026, 3, 2, 11), 3, w.BUSINESS_HOURS, WITH_LUNCH) == datetime(2026, 3, 2, 15)
		assert hours(datetime(2026, 3, 2), datetime(2026, 3, 3), WITH_LUNCH) == timedelta(hours=7.5)

	def test_large_amounts_skip_whole_weeks_correctly(self):
		# 200 h = 25 working days: Monday 2 March + 5 weeks = Friday 3 April 17:00.
		assert due(datetime(2026, 3, 2, 9), 200, w.BUSINESS_HOURS) == datetime(2026, 4, 3, 17)
		# The same with Good Friday and Easter Monday off: two more days.
		assert due(datetime(2026, 3, 2, 9), 200, w.BUSINESS_HOURS, BANK_HOLIDAYS) == datetime(2026, 4, 7, 17)

	def test_zero_is_due_at_once_and_negative_is_refused(self):
		assert due(FRIDAY_1755, 0, w.BUSINESS_HOURS) == FRIDAY_1755
		with pytest.raises(ValueError):
			due(FRIDAY_1755, -1, w.BUSINESS_HOURS)
		with pytest.raises(ValueError):
			due(FRIDAY_1755, 1, "Fortnights")

	def test_calendar_without_hours_is_an_error_not_a_hang(self):
		with pytest.raises(ValueError):
			due(FRIDAY_1755, 1, w.BUSINESS_HOURS, w.Calendar(LONDON, ()))
		with pytest.raises(ValueError):
			w.Calendar(LONDON, ((7, time(9), time(17)),))


class TestBusinessDays:
	"""FCA DISP: "by close of business on the third business day following the day on which
	it is received"; the day of receipt never counts."""

	def test_friday_evening_within_3_business_days_is_wednesday_close(self):
		assert due(FRIDAY_1755, 3, w.BUSINESS_DAYS) == datetime(2026, 3, 11, 17)

	def test_day_received_never_counts_even_before_opening(self):
		assert due(datetime(2026, 3, 2, 8), 3, w.BUSINESS_DAYS) == datetime(2026, 3, 5, 17)
		assert due(datetime(2026, 3, 2, 16), 3, w.BUSINESS_DAYS) == datetime(2026, 3, 5, 17)

	def test_weekend_receipt(self):
		assert due(datetime(2026, 3, 7, 12), 3, w.BUSINESS_DAYS) == datetime(2026, 3, 11, 17)

	def test_holidays_are_not_business_days(self):
		assert due(datetime(2026, 5, 1, 17, 55), 3, w.BUSINESS_DAYS, BANK_HOLIDAYS) == datetime(
			2026, 5, 7, 17
		)

	def test_part_days_round_up(self):
		assert due(FRIDAY_1755, 1.5, w.BUSINESS_DAYS) == due(FRIDAY_1755, 2, w.BUSINESS_DAYS)

	def test_close_of_business_with_a_night_shift_is_the_next_morning(self):
		assert due(datetime(2026, 3, 5, 12), 1, w.BUSINESS_DAYS, NIGHT_SHIFT) == datetime(2026, 3, 7, 6)

	def test_close_of_business_after_a_lunch_break(self):
		assert due(FRIDAY_1755, 1, w.BUSINESS_DAYS, WITH_LUNCH) == datetime(2026, 3, 9, 17, 30)


class TestAcrossMidnight:
	def test_counts_through_midnight(self):
		assert due(datetime(2026, 3, 6, 21), 3, w.BUSINESS_HOURS, NIGHT_SHIFT) == datetime(2026, 3, 7, 1)

	def test_received_during_the_shift_after_midnight(self):
		assert due(datetime(2026, 3, 7, 3), 1, w.BUSINESS_HOURS, NIGHT_SHIFT) == datetime(2026, 3, 7, 4)

	def test_next_shift_is_a_week_later(self):
		# 8 h this week, the last 2 h from next Friday 22:00.
		assert due(datetime(2026, 3, 6, 21), 10, w.BUSINESS_HOURS, NIGHT_SHIFT) == datetime(2026, 3, 14, 0)

	def test_holiday_on_the_start_day_cancels_the_shift(self):
		cal = w.Calendar(LONDON, NIGHT_SHIFT.hours, frozenset({date(2026, 3, 6)}))
		assert hours(datetime(2026, 3, 6), datetime(2026, 3, 8), cal) == timedelta(0)

	def test_holiday_on_the_end_day_does_not_cut_the_shift_short(self):
		"""A holiday is a date on which no period starts: the Friday night shift runs on into
		a Saturday holiday."""
		cal = w.Calendar(LONDON, NIGHT_SHIFT.hours, frozenset({date(2026, 3, 7)}))
		assert hours(datetime(2026, 3, 6), datetime(2026, 3, 8), cal) == timedelta(hours=8)

	def test_overlapping_periods_count_once(self):
		cal = w.Calendar(LONDON, ((4, time(22), time(6)), (5, time(5), time(7)), (5, time(6, 30), time(8))))
		assert hours(datetime(2026, 3, 6), datetime(2026, 3, 8), cal) == timedelta(hours=10)

	def test_round_the_clock_period(self):
		cal = w.Calendar(LONDON, ((0, time(9), time(9)),))
		assert hours(datetime(2026, 3, 2), datetime(2026, 3, 9), cal) == timedelta(hours=24)


class TestDaylightSaving:
	"""Europe/London: clocks go forward on Sunday 29 March 2026 (01:00 GMT -> 02:00 BST) and
	back on Sunday 25 October 2026 (02:00 BST -> 01:00 GMT)."""

	@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
	def test_nine_to_five_is_eight_hours_on_change_days(self, day):
		start = datetime.combine(day, time(0))
		assert hours(start, start + timedelta(days=1), EVERY_DAY) == timedelta(hours=8)
		# Measured from UTC too: the local day is still eight hours.
		assert hours(start - timedelta(hours=2), start + timedelta(hours=23), EVERY_DAY, site="UTC") == (
			timedelta(hours=8)
		)
		assert due(datetime.combine(day, time(9)), 8, w.BUSINESS_HOURS, EVERY_DAY) == datetime.combine(
			day, time(17)
		)

	def test_period_across_the_gap_is_shorter_and_across_the_fold_longer(self):
		night = w.Calendar(LONDON, ((5, time(22), time(6)),))  # Saturday night
		assert hours(datetime(2026, 3, 28), datetime(2026, 3, 30), night) == timedelta(hours=7)
		assert hours(datetime(2026, 10, 24), datetime(2026, 10, 26), night) == timedelta(hours=9)
		# 7 real hours from Saturday 22:00 GMT end at Sunday 06:00 BST.
		assert due(datetime(2026, 3, 28, 22), 7, w.BUSINESS_HOURS, night) == datetime(2026, 3, 29, 6)
		assert due(datetime(2026, 3, 28, 22), 7, w.BUSINESS_HOURS, night, site="UTC") == datetime(
			2026, 3, 29, 5
		)

	def test_business_hours_across_spring_forward_from_a_utc_site(self):
		# Friday 27 March 16:00 GMT (= UTC): 1 h on Friday, 3 h on Monday 09:00-12:00 BST = 11:00 UTC.
		assert due(datetime(2026, 3, 27, 16), 4, w.BUSINESS_HOURS, site="UTC") == datetime(2026, 3, 30, 11)

	def test_calendar_days_keep_the_local_clock(self):
		# 10:00 GMT Saturday + 1 calendar day = 10:00 BST Sunday, 23 real hours later.
		assert due(datetime(2026, 3, 28, 10), 1, w.CALENDAR_DAYS) == datetime(2026, 3, 29, 10)
		assert due(datetime(2026, 3, 28, 10), 1, w.CALENDAR_DAYS, site="UTC") == datetime(2026, 3, 29, 9)
		assert due(datetime(2026, 10, 24, 10), 1, w.CALENDAR_DAYS, site="UTC") == datetime(2026, 10, 25, 11)
		# 30 calendar days from 10:00 on 15 March end at 10:00 on 14 April, in BST.
		assert due(datetime(2026, 3, 15, 10), 30, w.CALENDAR_DAYS) == datetime(2026, 4, 14, 10)

	def test_calendar_hours_are_elapsed_hours(self):
		assert due(datetime(2026, 3, 28, 10), 24, w.CALENDAR_HOURS) == datetime(2026, 3, 29, 11)
		assert due(datetime(2026, 3, 28, 10), 24, w.CALENDAR_HOURS, site="UTC") == datetime(2026, 3, 29, 10)

	def test_period_starting_in_the_gap_starts_when_the_clock_shows_it_an_hour_later(self):
		cal = w.Calendar(LONDON, ((6, time(1, 30), time(4)),))
		# 01:30 does not exist on 29 March: read as 01:30 GMT = 02:30 BST; 02:30-04:00 BST = 1.5 h.
		assert hours(datetime(2026, 3, 29), datetime(2026, 3, 30), cal) == timedelta(hours=1.5)


class TestCalendarUnits:
	def test_calendar_days_ignore_holidays_and_weekends(self):
		start = datetime(2026, 4, 2, 15)
		assert due(start, 5, w.CALENDAR_DAYS, BANK_HOLIDAYS) == datetime(2026, 4, 7, 15)
		assert due(start, 5, w.CALENDAR_DAYS, BANK_HOLIDAYS) == due(start, 5, w.CALENDAR_DAYS, EVERY_DAY)
		assert due(start, 36, w.CALENDAR_HOURS, BANK_HOLIDAYS) == datetime(2026, 4, 4, 3)

	def test_fractions(self):
		assert due(datetime(2026, 3, 2, 9), 1.5, w.CALENDAR_DAYS) == datetime(2026, 3, 3, 21)
		assert due(datetime(2026, 3, 2, 9), 0.25, w.CALENDAR_HOURS) == datetime(2026, 3, 2, 9, 15)


class TestTimezones:
	def test_late_evening_utc_is_next_morning_in_sydney(self):
		sydney = w.Calendar.standard(SYDNEY)
		# Monday 23:00 UTC = Tuesday 10:00 AEDT (UTC+11): due Tuesday 14:00 AEDT = 03:00 UTC.
		assert w.add_working_time(datetime(2026, 3, 2, 23), 4, w.BUSINESS_HOURS, sydney) == datetime(
			2026, 3, 3, 3
		)
		# Friday 23:00 UTC is Saturday in Sydney: Monday 09:00-13:00 AEDT, Sunday 22:00-02:00 UTC.
		assert w.add_working_time(datetime(2026, 3, 6, 23), 4, w.BUSINESS_HOURS, sydney) == datetime(
			2026, 3, 9, 2
		)
		# The same moment is still Friday evening for a London calendar: Monday 13:00.
		assert w.add_working_time(datetime(2026, 3, 6, 23), 4, w.BUSINESS_HOURS, NINE_TO_FIVE) == datetime(
			2026, 3, 9, 13
		)

	def test_business_days_count_from_the_calendars_date(self):
		sydney = w.Calendar.standard(SYDNEY)
		# Received Tuesday 10:00 in Sydney (Monday 23:00 UTC): day 0 is Tuesday, due Friday 17:00 AEDT.
		assert w.add_working_time(datetime(2026, 3, 2, 23), 3, w.BUSINESS_DAYS, sydney) == datetime(
			2026, 3, 6, 6
		)

	def test_site_timezone_only_changes_how_moments_are_written(self):
		sydney = w.Calendar.standard(SYDNEY)
		received_utc = datetime(2026, 3, 2, 23)
		received_sydney = datetime(2026, 3, 3, 10)
		assert w.add_working_time(received_sydney, 4, w.BUSINESS_HOURS, sydney, SYDNEY) == datetime(
			2026, 3, 3, 14
		)
		assert w.add_working_time(received_utc, 4, w.BUSINESS_HOURS, sydney, "UTC") == datetime(2026, 3, 3, 3)


class TestBetween:
	def test_empty_and_reversed_spans_are_zero(self):
		assert hours(FRIDAY_1755, FRIDAY_1755) == timedelta(0)
		assert hours(FRIDAY_1755, FRIDAY_1755 - timedelta(days=3)) == timedelta(0)

	def test_a_week(self):
		assert hours(datetime(2026, 3, 2), datetime(2026, 3, 9)) == timedelta(hours=40)
		assert hours(datetime(2026, 1, 1), datetime(2027, 1, 1)) == timedelta(hours=261 * 8)

	@pytest.mark.parametrize(
		"calendar",
		[NINE_TO_FIVE, BANK_HOLIDAYS, WITH_LUNCH, NIGHT_SHIFT, EVERY_DAY, w.Calendar.standard(SYDNEY)],
		ids=["nine-to-five", "bank-holidays", "lunch", "night-shift", "every-day", "sydney"],
	)
	def test_measuring_up_to_the_due_gives_back_the_amount(self, calendar):
		rnd = random.Random(28)
		year = datetime(2026, 1, 1)
		for _ in range(300):
			start = year + timedelta(minutes=rnd.randrange(365 * 24 * 60))
			minutes = rnd.randrange(0, 80 * 60)
			end = w.add_working_time(start, minutes / 60, w.BUSINESS_HOURS, calendar)
			assert w.working_time_between(start, end, calendar) == timedelta(minutes=minutes), (
				start,
				minutes,
			)
			if minutes:
				# The earliest such moment: a minute less is not enough.
				before = w.working_time_between(start, end - timedelta(minutes=1), calendar)
				assert before < timedelta(minutes=minutes)


MONDAY_9 = datetime(2026, 3, 2, 9)
TWO_DAYS_PAUSE = [(datetime(2026, 3, 3, 9), datetime(2026, 3, 5, 9))]  # all Tuesday and Wednesday


def paused(amount, unit, pauses, now=datetime(2026, 6, 1), calendar=NINE_TO_FIVE, received=MONDAY_9):
	return w.due_with_pauses(received, amount, unit, calendar, pauses, now, site_timezone=LONDON)


class TestPauses:
	def test_two_working_days_of_pause_move_later_targets_two_working_days(self):
		assert paused(12, w.BUSINESS_HOURS, TWO_DAYS_PAUSE) == datetime(2026, 3, 5, 13)  # not Tue 13:00
		assert paused(20, w.BUSINESS_HOURS, TWO_DAYS_PAUSE) == datetime(2026, 3, 6, 13)  # not Wed 13:00
		assert paused(3, w.BUSINESS_DAYS, TWO_DAYS_PAUSE) == datetime(2026, 3, 9, 17)  # not Thu 17:00
		assert paused(5, w.BUSINESS_DAYS, TWO_DAYS_PAUSE) == datetime(2026, 3, 11, 17)  # not Mon 17:00

	def test_targets_due_before_the_pause_do_not_move(self):
		assert paused(4, w.BUSINESS_HOURS, TWO_DAYS_PAUSE) == datetime(2026, 3, 2, 13)

	def test_calendar_units_move_by_the_pauses_length(self):
		assert paused(10, w.CALENDAR_DAYS, TWO_DAYS_PAUSE) == datetime(2026, 3, 14, 9)
		assert paused(72, w.CALENDAR_HOURS, TWO_DAYS_PAUSE) == datetime(2026, 3, 7, 9)

	def test_pause_out_of_hours_costs_nothing_in_business_time(self):
		weekend = [(datetime(2026, 3, 6, 17), datetime(2026, 3, 9, 9))]
		assert paused(40, w.BUSINESS_HOURS, weekend) == datetime(2026, 3, 6, 17)
		assert paused(7, w.CALENDAR_DAYS, weekend) == datetime(2026, 3, 12, 1)

	def test_overlapping_pauses_count_once(self):
		overlapping = [
			(datetime(2026, 3, 3, 9), datetime(2026, 3, 4, 12)),
			(datetime(2026, 3, 4, 10), datetime(2026, 3, 5, 9)),
			(datetime(2026, 3, 3, 11), datetime(2026, 3, 3, 12)),
		]
		assert paused(20, w.BUSINESS_HOURS, overlapping) == paused(20, w.BUSINESS_HOURS, TWO_DAYS_PAUSE)

	def test_a_pause_the_moved_due_runs_into_also_counts(self):
		# The first pause moves the due from Tuesday 13:00 to Thursday 13:00, into the second.
		pauses = [*TWO_DAYS_PAUSE, (datetime(2026, 3, 5, 12), datetime(2026, 3, 5, 15))]
		assert paused(12, w.BUSINESS_HOURS, pauses) == datetime(2026, 3, 5, 16)

	def test_open_pause_counts_up_to_now(self):
		open_pause = [(datetime(2026, 3, 3, 9), None)]
		# Three working hours paused so far: Tuesday 13:00 becomes 16:00, and moves on while paused.
		assert paused(12, w.BUSINESS_HOURS, open_pause, now=datetime(2026, 3, 3, 12)) == datetime(
			2026, 3, 3, 16
		)
		assert paused(12, w.BUSINESS_HOURS, open_pause, now=datetime(2026, 3, 5, 9)) == datetime(
			2026, 3, 5, 13
		)
		# "now" before the pause began: nothing paused yet.
		assert paused(12, w.BUSINESS_HOURS, open_pause, now=datetime(2026, 3, 3, 8)) == datetime(
			2026, 3, 3, 13
		)

	def test_pause_before_receipt_or_after_due_changes_nothing(self):
		early = [(datetime(2026, 2, 27, 9), datetime(2026, 3, 2, 9))]
		late = [(datetime(2026, 3, 2, 14), datetime(2026, 3, 4, 9))]
		assert paused(4, w.BUSINESS_HOURS, early) == datetime(2026, 3, 2, 13)
		assert paused(4, w.BUSINESS_HOURS, late) == datetime(2026, 3, 2, 13)

	def test_random_pauses_leave_exactly_the_target_unpaused(self):
		"""Whatever the pauses, the working time between receipt and due that no pause
		covers is the target, and the due is the earliest such moment."""
		rnd = random.Random(2028)
		for _ in range(200):
			received = datetime(2026, 1, 5) + timedelta(minutes=rnd.randrange(300 * 24 * 60))
			pauses = []
			for _p in range(rnd.randrange(4)):
				start = received + timedelta(minutes=rnd.randrange(-600, 14 * 24 * 60))
				pauses.append((start, start + timedelta(minutes=rnd.randrange(1, 5 * 24 * 60))))
			minutes = rnd.randrange(1, 50 * 60)
			due_at = w.due_with_pauses(
				received, minutes / 60, w.BUSINESS_HOURS, NINE_TO_FIVE, pauses, received
			)
			assert unpaused(received, due_at, pauses) == timedelta(minutes=minutes), (received, pauses)
			assert unpaused(received, due_at - timedelta(minutes=1), pauses) < timedelta(minutes=minutes)


def unpaused(start, end, pauses):
	"""Working time in [start, end) outside every pause, measured gap by gap."""
	total, at = timedelta(0), start
	for pause_start, pause_end in sorted(pauses):
		if pause_start > at:
			total += w.working_time_between(at, min(pause_start, end), NINE_TO_FIVE)
		at = max(at, pause_end)
		if at >= end:
			return total
	return total + w.working_time_between(at, end, NINE_TO_FIVE)


class TestExplain:
	def test_steps_name_the_rule_each_pause_and_the_due(self):
		steps = w.explain(
			MONDAY_9,
			3,
			w.BUSINESS_DAYS,
			NINE_TO_FIVE,
			[*TWO_DAYS_PAUSE, (datetime(2026, 3, 9, 10), None)],
			now=datetime(2026, 3, 9, 12),
		)
		assert steps[0].startswith("Received Mon 2026-03-02 09:00 (UTC)")
		assert "Mon 09:00-17:00" in steps[1]
		assert "close of business on working day 3" in steps[2]
		assert "Thu 2026-03-05 17:00" in steps[2]
		assert "16:00 h of working time added" in steps[3]
		assert "still paused" in steps[4] and "2:00 h" in steps[4]
		assert steps[-1].startswith("Due Tue 2026-03-10 11:00 (UTC)")

	def test_calendar_units_say_hours_and_holidays_do_not_apply(self):
		steps = w.explain(MONDAY_9, 10, w.CALENDAR_DAYS, BANK_HOLIDAYS)
		assert "do not apply" in steps[1]
		assert steps[-1].startswith("Due Thu 2026-03-12 09:00")
