"""Working-time arithmetic for complaint clocks (issue 28): when is a target due, how much
working time lies between two moments, and how pauses ("stop the clock") move a due date.

Pure Python: no ``frappe`` import. Every moment a caller passes or gets back is a naive
datetime in the *site* timezone (``site_timezone``, "UTC" unless told); inside, moments are
whole microseconds since the Unix epoch, and working periods are read in the *calendar's*
timezone with :mod:`zoneinfo`, so a 09:00-17:00 working day is eight hours on a daylight-saving
change day too, and a night shift across the spring-forward gap is an hour shorter.

The rules a complaint handler can quote:

- **Business hours** count only time inside working periods. A target that is used up exactly
  at the end of a period is due at that end (Friday 17:00), not at the next start (Monday 09:00).
- **Business days** follow the FCA's DISP wording, "by close of business on the third business
  day following the day on which it is received": the day of receipt never counts, whatever
  the hour (a complaint on Friday 17:55, or on Saturday, or on Monday 08:00, is all "day 0");
  the due is the end of the last working period that starts on the Nth working day after it.
  A part day rounds up (1.5 business days is 2): the unit of the rule is the whole day.
- **Holidays** are local dates on which no working period *starts*. A night shift that starts
  the evening before a holiday and runs past midnight still runs to its end: the people on it
  came in on a working day.
- **Calendar days** keep the local clock time: 30 calendar days from 10:00 is 10:00 thirty
  local dates later, across a daylight-saving change too (29 or 31 real days' worth of hours
  in that case). **Calendar hours** are elapsed real hours. Neither looks at holidays.
- A local time that does not exist (in the spring-forward gap) is read with the offset before
  the change, so it lands that much later on the clock; one that happens twice (in the
  fall-back hour) is its first occurrence.
- **Pauses** stop the clock: the due moves later by the working time (business units) or the
  elapsed time (calendar units; local clock time for calendar days) the pauses cover before
  the due. Overlapping pauses count once. A pause still open (no end) counts up to ``now``:
  the due is the one the complaint would have if the clock restarted now, and it keeps moving
  while the pause lasts; the caller shows "paused" beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as _tz
from functools import lru_cache
from zoneinfo import ZoneInfo

BUSINESS_HOURS = "Business Hours"
BUSINESS_DAYS = "Business Days"
CALENDAR_DAYS = "Calendar Days"
CALENDAR_HOURS = "Calendar Hours"
UNITS = (BUSINESS_HOURS, BUSINESS_DAYS, CALENDAR_DAYS, CALENDAR_HOURS)
BUSINESS_UNITS = frozenset({BUSINESS_HOURS, BUSINESS_DAYS})

#: A stop of the clock: (start, end), naive in the site timezone; end None while it lasts.
Pause = tuple[datetime, datetime | None]

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: How far the arithmetic looks for working time before it calls a calendar empty.
MAX_SEARCH_DAYS = 3660

_ONE_US = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)
_HOUR_US = 3_600_000_000
_DAY_US = 24 * _HOUR_US
_EPOCH = datetime(1970, 1, 1, tzinfo=_tz.utc)
_NAIVE_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Calendar:
	"""When the organisation works: ``hours`` are (weekday 0=Monday..6, start, end) in the local
	time of ``timezone``; an end at or before its start runs past midnight into the next day
	((4, 22:00, 06:00) is Friday 22:00 to Saturday 06:00); several periods a day make breaks.
	``holidays`` are local dates on which no period starts."""

	timezone: str
	hours: tuple[tuple[int, time, time], ...]
	holidays: frozenset[date] = frozenset()

	def __post_init__(self):
		hours = tuple((int(day), start, end) for day, start, end in self.hours)
		for day, start, end in hours:
			if not 0 <= day <= 6:
				raise ValueError(f"weekday {day} is not 0 (Monday) to 6 (Sunday)")
			if not isinstance(start, time) or not isinstance(end, time):
				raise TypeError("working periods start and end at a datetime.time")
		object.__setattr__(self, "hours", tuple(sorted(hours)))
		object.__setattr__(self, "holidays", frozenset(self.holidays))
		_zone(self.timezone)  # an unknown timezone fails here, not on first use

	@classmethod
	def standard(
		cls,
		timezone: str,
		start: time = time(9),
		end: time = time(17),
		days=(0, 1, 2, 3, 4),
		holidays=(),
	) -> Calendar:
		"""The same working period on each of ``days`` (Monday to Friday unless told)."""
		return cls(timezone, tuple((day, start, end) for day in days), frozenset(holidays))

	def describe(self) -> str:
		"""One line a person can check against the organisation's published hours."""
		periods = ", ".join(
			f"{WEEKDAY_NAMES[day]} {start:%H:%M}-{end:%H:%M}{' (next day)' if end <= start else ''}"
			for day, start, end in self.hours
		)
		holidays = ", ".join(d.isoformat() for d in sorted(self.holidays)) or "none"
		return f"{self.timezone}: {periods or 'no working periods'}; holidays: {holidays}"


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
	return ZoneInfo(name)


def _to_us(moment: datetime, zone: tzinfo) -> int:
	"""Microseconds since the epoch of a moment, naive ones read in ``zone``."""
	if moment.tzinfo is None:
		moment = moment.replace(tzinfo=zone)
	return (moment - _EPOCH) // _ONE_US


def _from_us(us: int, zone: tzinfo) -> datetime:
	"""The naive local time in ``zone`` of a moment."""
	return (_EPOCH + timedelta(microseconds=us)).astimezone(zone).replace(tzinfo=None)


def _local_us(us: int, zone: tzinfo) -> int:
	"""A moment as local wall-clock microseconds (what calendar days count in)."""
	return (_from_us(us, zone) - _NAIVE_EPOCH) // _ONE_US


def _from_local_us(local: int, zone: tzinfo) -> int:
	return _to_us(_NAIVE_EPOCH + timedelta(microseconds=local), zone)


def _merge(spans) -> list[tuple[int, int]]:
	"""Sorted, non-overlapping spans; empty ones dropped, touching ones joined."""
	merged: list[list[int]] = []
	for start, end in sorted(s for s in spans if s[1] > s[0]):
		if merged and start <= merged[-1][1]:
			merged[-1][1] = max(merged[-1][1], end)
		else:
			merged.append([start, end])
	return [(s, e) for s, e in merged]


class _Prepared:
	"""A calendar's working periods as moments, worked out once per local date and week."""

	CACHE_LIMIT = 20000

	def __init__(self, calendar: Calendar):
		self.zone = _zone(calendar.timezone)
		self.holidays = calendar.holidays
		by_day: list[list[tuple[time, time]]] = [[] for _ in range(7)]
		for day, start, end in calendar.hours:
			by_day[day].append((start, end))
		self.by_day = tuple(tuple(periods) for periods in by_day)
		self.empty = not calendar.hours
		self._raw: dict[date, list[tuple[int, int]]] = {}
		self._days: dict[date, list[tuple[int, int]]] = {}
		self._weeks: dict[date, tuple[int, int | None, int | None]] = {}

	def local_date(self, us: int) -> date:
		return _from_us(us, self.zone).date()

	def raw(self, day: date) -> list[tuple[int, int]]:
		"""The periods that start on this local date (none on a holiday), merged."""
		found = self._raw.get(day)
		if found is None:
			if len(self._raw) > self.CACHE_LIMIT:
				self._raw.clear()
				self._days.clear()
				self._weeks.clear()
			spans = []
			if day not in self.holidays:
				for start, end in self.by_day[day.weekday()]:
					end_day = day if end > start else day + _ONE_DAY
					spans.append(
						(
							_to_us(datetime.combine(day, start), self.zone),
							_to_us(datetime.combine(end_day, end), self.zone),
						)
					)
			found = self._raw[day] = _merge(spans)
		return found

	def day(self, day: date) -> list[tuple[int, int]]:
		"""The periods of ``raw`` less what the previous day's night periods already cover, so
		that the days' periods never overlap and their lengths add up."""
		found = self._days.get(day)
		if found is None:
			before = self.raw(day - _ONE_DAY)
			covered = before[-1][1] if before else None
			found = []
			for start, end in self.raw(day):
				if covered is not None:
					start = max(start, covered)
				if end > start:
					found.append((start, end))
			self._days[day] = found
		return found

	def week(self, monday: date) -> tuple[int, int | None, int | None]:
		"""Working microseconds of the seven days from ``monday``, first start, last end."""
		found = self._weeks.get(monday)
		if found is None:
			spans = [span for k in range(7) for span in self.day(monday + timedelta(days=k))]
			total = sum(end - start for start, end in spans)
			found = self._weeks[monday] = (
				total,
				spans[0][0] if spans else None,
				spans[-1][1] if spans else None,
			)
		return found


@lru_cache(maxsize=32)
def _prepared(calendar: Calendar) -> _Prepared:
	return _Prepared(calendar)


def _advance(prep: _Prepared, t: int, remaining: int, holes=()) -> int:
	"""The moment by which ``remaining`` microseconds of working time outside ``holes`` (merged
	spans) have passed after ``t``: the earliest such moment."""
	if remaining <= 0:
		return t
	if prep.empty:
		raise ValueError("the working calendar has no working periods")
	first = prep.local_date(t)
	day = first - _ONE_DAY  # the evening before may run past midnight into ``t``
	whole_from = first + _ONE_DAY  # from here on every period starts after ``t``
	hole = 0
	for _ in range(MAX_SEARCH_DAYS):
		if day.weekday() == 0 and day >= whole_from:
			total, week_start, week_end = prep.week(day)
			if remaining > total and (
				week_start is None or not any(hs < week_end and he > week_start for hs, he in holes)
			):
				remaining -= total
				day += timedelta(days=7)
				continue
		for start, end in prep.day(day):
			if end <= t:
				continue
			start = max(start, t)
			while start < end:
				stop = end
				if hole < len(holes):
					hole_start, hole_end = holes[hole]
					if hole_end <= start:
						hole += 1
						continue
					if hole_start <= start:
						start = hole_end  # the hole may reach into the next period: keep it
						continue
					stop = min(end, hole_start)
				if remaining <= stop - start:
					return start + remaining
				remaining -= stop - start
				start = stop
		day += _ONE_DAY
	raise ValueError("no working time found within ten years: check the calendar's hours and holidays")


def _measure(prep: _Prepared, t0: int, t1: int) -> int:
	"""Working microseconds inside [t0, t1)."""
	if t1 <= t0 or prep.empty:
		return 0
	day = prep.local_date(t0) - _ONE_DAY
	whole_from = day + timedelta(days=2)
	last = prep.local_date(t1)
	total = 0
	while day <= last:
		if day.weekday() == 0 and day >= whole_from:
			week_total, _start, week_end = prep.week(day)
			if week_end is None or week_end <= t1:
				total += week_total
				day += timedelta(days=7)
				continue
		for start, end in prep.day(day):
			start, end = max(start, t0), min(end, t1)
			if end > start:
				total += end - start
		day += _ONE_DAY
	return total


def _close_of_business(prep: _Prepared, t: int, days: int) -> int:
	"""The end of the last period starting on the ``days``-th working day after the local date
	of ``t`` (a working day: a date on which a period starts)."""
	if prep.empty:
		raise ValueError("the working calendar has no working periods")
	day = prep.local_date(t)
	counted = 0
	for _ in range(MAX_SEARCH_DAYS):
		day += _ONE_DAY
		spans = prep.raw(day)
		if spans:
			counted += 1
			if counted >= days:
				return spans[-1][1]
	raise ValueError("no working day found within ten years: check the calendar's hours and holidays")


def _check(amount: float, unit: str) -> float:
	if unit not in UNITS:
		raise ValueError(f"unknown unit {unit!r}: one of {', '.join(UNITS)}")
	amount = float(amount)
	if amount < 0 or math.isnan(amount):
		raise ValueError("a target cannot be negative")
	return amount


def _due_us(prep: _Prepared, t: int, amount: float, unit: str) -> int:
	"""The due moment, as microseconds, of ``amount`` ``unit`` from ``t`` with no pause."""
	amount = _check(amount, unit)
	if amount == 0:
		return t
	if unit == BUSINESS_HOURS:
		return _advance(prep, t, round(amount * _HOUR_US))
	if unit == BUSINESS_DAYS:
		return _close_of_business(prep, t, math.ceil(amount - 1e-9))
	if unit == CALENDAR_HOURS:
		return t + round(amount * _HOUR_US)
	return _from_local_us(_local_us(t, prep.zone) + round(amount * _DAY_US), prep.zone)


def add_working_time(
	start: datetime, amount: float, unit: str, calendar: Calendar, site_timezone: str = "UTC"
) -> datetime:
	"""When a target of ``amount`` ``unit`` set at ``start`` falls due (module docstring: the
	rules). ``start`` and the answer are naive, in the site's timezone."""
	site = _zone(site_timezone)
	prep = _prepared(calendar)
	return _from_us(_due_us(prep, _to_us(start, site), amount, unit), site)


def working_time_between(
	start: datetime, end: datetime, calendar: Calendar, site_timezone: str = "UTC"
) -> timedelta:
	"""The working time inside [start, end): what the complaint clock shows as used. Zero when
	``end`` is not after ``start``. Measuring up to ``add_working_time(start, h, BUSINESS_HOURS)``
	gives back exactly ``h`` hours."""
	site = _zone(site_timezone)
	return timedelta(microseconds=_measure(_prepared(calendar), _to_us(start, site), _to_us(end, site)))


@dataclass(frozen=True)
class _Trace:
	"""How a due came about, for ``due_with_pauses`` and ``explain``: moments as microseconds,
	each merged pause with the time it added (working or elapsed, as the unit counts)."""

	received: int
	base: int
	due: int
	pauses: tuple[tuple[int, int, bool, int], ...]  # start, end, still open, time added


def _walk(origin: int, length: int, holes) -> int:
	"""``length`` after ``origin`` on a plain clock that stops during ``holes``."""
	at, remaining = origin, length
	for start, end in holes:
		if end <= at:
			continue
		if start > at:
			if start - at >= remaining:
				break
			remaining -= start - at
		at = max(at, end)
	return at + remaining


def _trace(received, amount, unit, calendar, pauses, now, site_timezone) -> _Trace:
	site = _zone(site_timezone)
	prep = _prepared(calendar)
	r = _to_us(received, site)
	n = _to_us(now, site) if now is not None else None
	base = _due_us(prep, r, amount, unit)
	spans, still_open = [], set()
	for start, end in pauses or ():
		s = max(_to_us(start, site), r)
		if end is None:
			if n is None:
				raise ValueError("an open pause needs 'now' to count up to")
			e = n
		else:
			e = _to_us(end, site)
		spans.append((s, e))
		if end is None:
			still_open.add((s, e))
	holes = _merge(spans)
	opened = {h for h in holes if any(h[0] <= s and e <= h[1] for s, e in still_open)}

	if not holes or base == r:
		due = base
	elif unit == BUSINESS_HOURS:
		due = _advance(prep, r, round(float(amount) * _HOUR_US), holes)
	elif unit == BUSINESS_DAYS:
		# The working time from receipt to close of business on the last day, unpaused.
		target = _measure(prep, r, base)
		due = _advance(prep, r, target, holes) if target else base
	elif unit == CALENDAR_HOURS:
		due = _walk(r, base - r, holes)
	else:
		zone = prep.zone
		local_holes = _merge((_local_us(s, zone), _local_us(e, zone)) for s, e in holes)
		local_r = _local_us(r, zone)
		due = _from_local_us(_walk(local_r, _local_us(base, zone) - local_r, local_holes), zone)

	added = []
	for s, e in holes:
		if unit in BUSINESS_UNITS:
			gained = _measure(prep, s, min(e, due))
		else:
			gained = max(0, min(e, due) - s)
		added.append((s, e, (s, e) in opened, gained))
	return _Trace(r, base, due, tuple(added))


def due_with_pauses(
	received: datetime,
	amount: float,
	unit: str,
	calendar: Calendar,
	pauses: list[Pause],
	now: datetime,
	site_timezone: str = "UTC",
) -> datetime:
	"""The due moment when the clock stops during ``pauses`` (module docstring: the rules).

	A pause with no end counts up to ``now``: the answer is the due if the clock restarted
	now, so it moves on while the complaint stays paused; the caller says "paused" beside it
	instead of calling the complaint overdue. Parts of pauses before ``received`` do not count.
	"""
	site = _zone(site_timezone)
	trace = _trace(received, amount, unit, calendar, pauses, now, site_timezone)
	return _from_us(trace.due, site)


def _duration(us: int) -> str:
	minutes = round(us / 60_000_000)
	days, minutes = divmod(minutes, 24 * 60)
	text = f"{minutes // 60}:{minutes % 60:02d} h"
	return f"{days} d {text}" if days else text


def explain(
	received: datetime,
	amount: float,
	unit: str,
	calendar: Calendar,
	pauses: list[Pause] | None = None,
	now: datetime | None = None,
	site_timezone: str = "UTC",
) -> list[str]:
	"""The steps from receipt to due date, one line each, for the complaint's timeline and for
	anyone who asks how the date was reached. Plain English: the caller translates."""
	site = _zone(site_timezone)
	prep = _prepared(calendar)
	trace = _trace(received, amount, unit, calendar, pauses, now, site_timezone)

	def site_text(us: int) -> str:
		return f"{_from_us(us, site):%a %Y-%m-%d %H:%M} ({site_timezone})"

	def local_text(us: int) -> str:
		return f"{_from_us(us, prep.zone):%a %Y-%m-%d %H:%M} ({calendar.timezone})"

	steps = [f"Received {site_text(trace.received)}, {local_text(trace.received)}."]
	if unit in BUSINESS_UNITS:
		steps.append(f"Working calendar {calendar.describe()}.")
	else:
		steps.append(f"{unit} count every hour: working hours and holidays do not apply.")
	target = f"Target {float(amount):g} {unit}"
	if unit == BUSINESS_DAYS and trace.base != trace.received:
		days = math.ceil(float(amount) - 1e-9)
		received_day = prep.local_date(trace.received)
		target += (
			f": close of business on working day {days} after the day received"
			f" ({received_day.isoformat()} does not count)"
		)
	steps.append(f"{target}: due {local_text(trace.base)} without pauses.")
	what = "working time" if unit in BUSINESS_UNITS else "elapsed time"
	for start, end, still_open, gained in trace.pauses:
		until = f"now, {site_text(end)}, still paused" if still_open else site_text(end)
		steps.append(f"Paused from {site_text(start)} to {until}: {_duration(gained)} of {what} added.")
	steps.append(f"Due {site_text(trace.due)}, {local_text(trace.due)}.")
	return steps
