"""Customer health over time (docs/health.md): weekly snapshots whose factors add up to the
score, what moved it between two weeks, where it is heading, who is alerted, and how it
compares with its peers.

Pure Python: no ``frappe`` import. The score itself is ``rules.metrics.health_score``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import pstdev

from brm_app.rules.metrics import AT_RISK, HEALTHY, WATCH

BASE = 100
#: Weeks of history kept on the form and used by the projection.
HISTORY_WEEKS = 12
#: The factor that keeps the score at 0 when the points lost add up to more than 100.
FLOOR = "floor"


def week_ending(day: date) -> date:
	"""The Sunday that ends ``day``'s week (ISO weeks run Monday to Sunday)."""
	return day + timedelta(days=6 - day.weekday())


def band_of(score: int) -> str:
	return HEALTHY if score >= 75 else WATCH if score >= 50 else AT_RISK


def contributions(reasons: list[tuple[str, int, dict]]) -> dict[str, int]:
	"""Each factor's contribution in points (negative: what it cost), so that ``BASE`` plus
	the contributions is the score (a ``FLOOR`` entry gives back what falls below 0)."""
	parts: dict[str, int] = {}
	for code, points, _facts in reasons:
		parts[code] = parts.get(code, 0) - int(points)
	lost = -sum(parts.values())
	if lost > BASE:
		parts[FLOOR] = lost - BASE
	return parts


def score_of(parts: dict[str, int]) -> int:
	return BASE + sum(parts.values())


def what_moved(before: dict[str, int], now: dict[str, int], limit: int = 3) -> list[tuple[str, int]]:
	"""The factors that changed the score between two snapshots, biggest first: (code, points
	gained (+) or lost (-))."""
	codes = (set(before) | set(now)) - {FLOOR}
	moved = [(code, now.get(code, 0) - before.get(code, 0)) for code in codes]
	moved = [(code, delta) for code, delta in moved if delta]
	return sorted(moved, key=lambda m: (-abs(m[1]), m[0]))[:limit]


# ---------------------------------------------------------------------- where it is heading


@dataclass(frozen=True)
class Projection:
	score: int
	low: int
	high: int
	band: str
	weeks_used: int


#: Fewer weekly points than this: no projection (and the page says so).
MIN_WEEKS = 4
#: How much of each week's trend carries into the next (a damped trend flattens out).
DAMPING = 0.85


def project(scores: list[int], days_ahead: int = 60, max_weeks: int = 12) -> Projection | None:
	"""The score ``days_ahead`` from the last weekly score: the slope of a least-squares line
	through the last ``max_weeks`` scores, damped week by week (each week's change is
	``DAMPING`` times the one before), with a range of two standard deviations of the points
	around that line, widening with the distance. None with fewer than ``MIN_WEEKS`` scores."""
	points = scores[-max_weeks:]
	n = len(points)
	if n < MIN_WEEKS:
		return None
	xs = range(n)
	mean_x, mean_y = (n - 1) / 2, sum(points) / n
	sxx = sum((x - mean_x) ** 2 for x in xs)
	slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, points, strict=True)) / sxx
	fitted = [mean_y + slope * (x - mean_x) for x in xs]
	spread = pstdev([y - f for y, f in zip(points, fitted, strict=True)])
	weeks = days_ahead / 7
	carried = sum(DAMPING**k for k in range(1, int(weeks) + 1))
	carried += (weeks - int(weeks)) * DAMPING ** (int(weeks) + 1)
	value = fitted[-1] + slope * carried
	width = 2 * spread * (1 + weeks) ** 0.5

	def clip(v: float) -> int:
		return round(max(0, min(BASE, v)))

	return Projection(clip(value), clip(value - width), clip(value + width), band_of(clip(value)), n)


# ---------------------------------------------------------------------- who acts

DROP = "Drops"
ENTERS_AT_RISK = "Enters At Risk"
PROJECTED_AT_RISK = "Projected At Risk"
ALERT_KINDS = (DROP, ENTERS_AT_RISK, PROJECTED_AT_RISK)


@dataclass(frozen=True)
class AlertRule:
	kind: str
	points: int = 10  # for DROP: this many points or more ...
	weeks: int = 4  # ... within this many weeks


def alert_window_days(kind: str, weeks: int = 4) -> int:
	"""How long after an alert the same condition raises no new one for the portfolio: the
	rule's own window for a drop, a week for entering At Risk, four weeks for a projection."""
	if kind == DROP:
		return 7 * max(1, weeks)
	if kind == ENTERS_AT_RISK:
		return 7
	return 28


def alert_due(rule: AlertRule, scores: list[int], projection: Projection | None) -> bool:
	"""Whether a portfolio's weekly ``scores`` (oldest first, this week last) call for an alert
	under ``rule``."""
	if not scores:
		return False
	now = scores[-1]
	if rule.kind == DROP:
		window = scores[-(rule.weeks + 1) :]
		return len(window) > 1 and max(window[:-1]) - now >= rule.points
	if rule.kind == ENTERS_AT_RISK:
		# (a first score is no entry: a new portfolio, or one whose history is still being
		# backfilled, raises nothing)
		return len(scores) > 1 and band_of(now) == AT_RISK and band_of(scores[-2]) != AT_RISK
	if rule.kind == PROJECTED_AT_RISK:
		return projection is not None and projection.band == AT_RISK and band_of(now) != AT_RISK
	return False


# ---------------------------------------------------------------------- peers


def percentile(score: int, ranked: list[int]) -> int | None:
	"""The share (%) of peers (the portfolio included) scoring at or below ``score``;
	``ranked`` is the peers' scores in ascending order."""
	if not ranked:
		return None
	return round(100 * bisect_right(ranked, score) / len(ranked))


# ---------------------------------------------------------------------- how good the projection is


@dataclass(frozen=True)
class Backtest:
	forecasts: int  # projections made (a portfolio-week with enough history and a known outcome)
	band_hits: int  # ... whose projected band was the band reached
	baseline_hits: int  # ... where "the band stays as it is" was right
	in_range: int  # ... whose range held the score reached

	def share(self, hits: int) -> float:
		return round(100 * hits / self.forecasts, 1) if self.forecasts else 0.0


def backtest(histories: list[list[int]], weeks_ahead: int = 9) -> Backtest:
	"""Replay the projection on weekly histories: at each week with at least ``MIN_WEEKS`` of
	history and a score ``weeks_ahead`` later (9 weeks: the 60 days rounded up), compare the
	projected band with the band reached, beside the naive forecast that nothing changes."""
	forecasts = band_hits = baseline_hits = in_range = 0
	for scores in histories:
		for t in range(MIN_WEEKS, len(scores) - weeks_ahead + 1):
			projection = project(scores[:t], days_ahead=7 * weeks_ahead)
			if projection is None:
				continue
			reached = scores[t - 1 + weeks_ahead]
			forecasts += 1
			band_hits += projection.band == band_of(reached)
			baseline_hits += band_of(scores[t - 1]) == band_of(reached)
			in_range += projection.low <= reached <= projection.high
	return Backtest(forecasts, band_hits, baseline_hits, in_range)
