"""Benchmark of the complaint clock arithmetic (brm_app/rules/working_time.py). Pure Python,
no site needed:

    python -m brm_app.tests.perf.working_time
    python -m brm_app.tests.perf.working_time 100000

Times ``add_working_time`` for N complaints (10,000 unless told) received at random moments of
a year, with targets from 4 business hours to 5 business days on a Monday-Friday 09:00-17:00
Europe/London calendar with bank holidays, read from a UTC site. The first pass fills the
calendar's per-day cache; the second shows the steady state of a long-running worker."""

import random
import sys
import time as clock
from datetime import date, datetime, time, timedelta

from brm_app.rules import working_time as w

BANK_HOLIDAYS_2026 = (
	date(2026, 1, 1),
	date(2026, 4, 3),
	date(2026, 4, 6),
	date(2026, 5, 4),
	date(2026, 5, 25),
	date(2026, 8, 31),
	date(2026, 12, 25),
	date(2026, 12, 28),
)


def cases(n: int, seed: int = 28) -> list[tuple[datetime, float, str]]:
	rnd = random.Random(seed)
	year = datetime(2026, 1, 1)
	out = []
	for _ in range(n):
		received = year + timedelta(seconds=rnd.randrange(365 * 24 * 3600))
		if rnd.random() < 0.5:
			out.append((received, rnd.choice((4, 8, 16, 24, 40)), w.BUSINESS_HOURS))
		else:
			out.append((received, rnd.randint(1, 5), w.BUSINESS_DAYS))
	return out


def run(n: int = 10000) -> dict[str, float]:
	calendar = w.Calendar.standard("Europe/London", start=time(9), end=time(17), holidays=BANK_HOLIDAYS_2026)
	work = cases(n)
	figures = {}
	for label in ("first pass", "second pass"):
		t0 = clock.perf_counter()
		for received, amount, unit in work:
			w.add_working_time(received, amount, unit, calendar, site_timezone="UTC")
		figures[label] = clock.perf_counter() - t0
		print(f"{label}: {n} due dates in {figures[label]:.3f} s ({figures[label] / n * 1e6:.1f} µs each)")
	return figures


if __name__ == "__main__":
	run(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
