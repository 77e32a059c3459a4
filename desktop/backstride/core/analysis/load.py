"""Training load: per-run table, daily load, EWMA acute:chronic ratio, weekly totals.

Shown as context, never as a prediction: the acute:chronic ratio is contested
(Impellizzeri et al., Sports Med 2021; clinical.md section 4).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from backstride.core.analysis.timeline import (
    FloatArray,
    IntArray,
    Timeline,
    rolling_max_before,
)
from backstride.core.models import Run
from backstride.core.weekly_distance import WeeklyDistance, lately, weeks_before

# Williams et al., BJSM 2017: EWMA with lambda = 2 / (N + 1), N = 7 (acute) and 28 (chronic).
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
# Gabbett, BJSM 2016: "sweet spot" 0.8-1.3, >= 1.5 high.
SWEET_SPOT = (0.8, 1.3)
HIGH_RATIO = 1.5
# Garmin-RUNSAFE, BJSM 2025: a run longer than the longest of the previous 30 days.
LONGEST_WINDOW_DAYS = 30
# Upper ratio of each band, how much longer, and the overuse-injury hazard ratio reported.
RUNSAFE_BANDS: tuple[tuple[float, str, float | None], ...] = (
    (1.10, "no more than 10 % longer", None),
    (1.30, "10-30 % longer", 1.64),
    (2.00, "30-100 % longer", 1.52),
    (float("inf"), "more than 100 % longer", 2.28),
)
TYPICAL_PACE_DAYS = 28  # "recent typical" pace: median of the previous 4 weeks' runs
TYPICAL_PACE_MIN_RUNS = 3
RPE_COVERAGE = 0.8  # below this share of runs with an effort rating, load is minutes


@dataclass(frozen=True, slots=True, eq=False)
class RunTable:
    """One row per run inside the timeline, in start order; NaN where not recorded."""

    day: IntArray
    km: FloatArray
    minutes: FloatArray
    descent: FloatArray
    rpe: FloatArray
    warmup: FloatArray
    cadence: FloatArray
    vertical_oscillation: FloatArray
    surges: FloatArray
    pace: FloatArray  # seconds per km
    surface: tuple[str | None, ...]
    shoe: tuple[str | None, ...]
    longest_before: FloatArray  # longest run (km) of the previous 30 days
    relative_pace: FloatArray  # pace / median pace of the previous 4 weeks (< 1 is faster)
    shoe_km: FloatArray  # distance on the shoe before this run

    @property
    def count(self) -> int:
        return int(self.day.size)

    @property
    def longest_ratio(self) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = self.km / self.longest_before
        return out


def _f(x: float | int | None) -> float:
    return np.nan if x is None else float(x)


def build_runs(runs: Iterable[Run], tl: Timeline) -> RunTable:
    rows = sorted((r for r in runs if 0 <= tl.index(r.day) < tl.length), key=lambda r: r.start)
    day = np.asarray([tl.index(r.day) for r in rows], dtype=np.int64)
    km = np.asarray([_f(r.distance_m) / 1000.0 for r in rows], dtype=np.float64)
    minutes = np.asarray([_f(r.moving_time_s) / 60.0 for r in rows], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where((km > 0) & (minutes > 0), minutes * 60.0 / km, np.nan)
    daily_longest = np.full(tl.length, np.nan)
    if rows:
        np.fmax.at(daily_longest, day, km)
    longest_before = rolling_max_before(daily_longest, LONGEST_WINDOW_DAYS)[day]
    # The "previous 30 days" are known only 30 days after the first logged run: before it
    # the training history is unknown, not 0 km.
    if rows:
        longest_before[day < day[0] + LONGEST_WINDOW_DAYS] = np.nan
    return RunTable(
        day=day,
        km=km,
        minutes=minutes,
        descent=np.asarray([_f(r.descent_m) for r in rows], dtype=np.float64),
        rpe=np.asarray([_f(r.rpe) for r in rows], dtype=np.float64),
        warmup=np.asarray([_f(r.warmup_min) for r in rows], dtype=np.float64),
        cadence=np.asarray([_f(r.cadence_spm) for r in rows], dtype=np.float64),
        vertical_oscillation=np.asarray(
            [_f(r.vertical_oscillation_cm) for r in rows], dtype=np.float64
        ),
        surges=np.asarray([_f(r.pace_surges) for r in rows], dtype=np.float64),
        pace=pace,
        surface=tuple(r.surface for r in rows),
        shoe=tuple(r.shoe for r in rows),
        longest_before=longest_before,
        relative_pace=_relative_pace(day, pace),
        shoe_km=_shoe_km(rows, km),
    )


def _relative_pace(day: IntArray, pace: FloatArray) -> FloatArray:
    out = np.full(day.size, np.nan)
    days, paces = day.tolist(), pace.tolist()
    lo = 0
    for i, (d, p) in enumerate(zip(days, paces, strict=True)):
        while days[lo] < d - TYPICAL_PACE_DAYS:
            lo += 1
        window = [q for q, qd in zip(paces[lo:i], days[lo:i], strict=True) if qd < d and q == q]
        if p == p and len(window) >= TYPICAL_PACE_MIN_RUNS:
            out[i] = p / statistics.median(window)
    return out


def _shoe_km(rows: list[Run], km: FloatArray) -> FloatArray:
    worn: dict[str, float] = {}
    out = np.full(len(rows), np.nan)
    for i, (r, k) in enumerate(zip(rows, km.tolist(), strict=True)):
        if r.shoe:
            out[i] = worn.get(r.shoe, 0.0)
            worn[r.shoe] = out[i] + (k if k == k else 0.0)
    return out


def runsafe_band(ratio: float) -> tuple[str, float | None]:
    """The Garmin-RUNSAFE band (BJSM 2025) of a run against the longest of the previous
    30 days: how much longer, and the hazard ratio reported for it (None below +10 %)."""
    for upper, text, hazard in RUNSAFE_BANDS:
        if ratio <= upper:
            return text, hazard
    return RUNSAFE_BANDS[-1][1], RUNSAFE_BANDS[-1][2]


@dataclass(frozen=True, slots=True, eq=False)
class DailyLoad:
    km: FloatArray
    minutes: FloatArray
    load: FloatArray  # session load (Foster: effort x minutes), or minutes without efforts
    acwr: FloatArray  # EWMA acute:chronic ratio; NaN until 28 days of training exist
    unit: str  # "RPE x min" or "min"


def build_load(table: RunTable, tl: Timeline) -> DailyLoad:
    n = tl.length
    km = np.bincount(table.day, weights=np.nan_to_num(table.km), minlength=n).astype(np.float64)
    minutes = np.bincount(table.day, weights=np.nan_to_num(table.minutes), minlength=n).astype(
        np.float64
    )
    rated = ~np.isnan(table.rpe)
    unit = "min"
    per_run = np.nan_to_num(table.minutes)
    if table.count and rated.mean() >= RPE_COVERAGE:
        # Foster's session RPE; the odd unrated run takes the runner's median effort.
        rpe = np.where(rated, table.rpe, float(np.median(table.rpe[rated])))
        per_run = rpe * per_run
        unit = "RPE x min"
    load = np.bincount(table.day, weights=per_run, minlength=n).astype(np.float64)
    return DailyLoad(km=km, minutes=minutes, load=load, acwr=_ewma_ratio(load, table), unit=unit)


def _ewma_ratio(load: FloatArray, table: RunTable) -> FloatArray:
    out = np.full(load.size, np.nan)
    if table.count == 0:
        return out
    la, lc = 2.0 / (ACUTE_DAYS + 1), 2.0 / (CHRONIC_DAYS + 1)
    first = int(table.day[0])
    # Training before the first logged run is unknown, not 0 km: both averages start at
    # the mean daily load of the first 4 weeks, and the ratio is shown only once those 4
    # weeks are logged (so it never looks ahead). Starting at 0 made every first month look
    # like a spike.
    acute = chronic = float(np.mean(load[first : first + CHRONIC_DAYS]))
    values = load.tolist()
    ratio = [np.nan] * load.size
    for i in range(first, load.size):
        acute = la * values[i] + (1.0 - la) * acute
        chronic = lc * values[i] + (1.0 - lc) * chronic
        if i - first >= CHRONIC_DAYS - 1 and chronic > 1e-9:
            ratio[i] = acute / chronic
    out[:] = ratio
    return out


@dataclass(frozen=True, slots=True, eq=False)
class WeeklyLoad:
    """Monday-start weeks covering the period (days outside it count as empty)."""

    week_starts: tuple[date, ...]
    distance_km: FloatArray
    time_h: FloatArray
    load: FloatArray
    runs: IntArray
    longest_km: FloatArray  # NaN in weeks without runs
    monotony: FloatArray  # Foster: mean daily load / SD; NaN without runs or variation
    mean_pain: FloatArray  # mean of the daily worst pain; NaN with fewer than 3 diary days
    # Weekly distance lately and 4 weeks before, up to the period's end: the definition
    # the check-up shares (core.weekly_distance), weeks before the first run unknown.
    lately: WeeklyDistance | None = None
    earlier: WeeklyDistance | None = None

    def points(self, name: str) -> tuple[tuple[date, float], ...]:
        values = getattr(self, name)
        return tuple((d, float(v)) for d, v in zip(self.week_starts, values, strict=True) if v == v)


def build_weekly(
    tl: Timeline,
    start: int,
    stop: int,
    daily: DailyLoad,
    table: RunTable,
    worst: FloatArray,
) -> WeeklyLoad:
    """Weeks covering timeline days ``start`` to ``stop - 1``."""
    if stop <= start:
        none = np.zeros(0)
        return WeeklyLoad((), none, none, none, np.zeros(0, dtype=np.int64), none, none, none)
    first_monday = start - tl.day(start).weekday()
    weeks = max(0, -(-(stop - first_monday) // 7))
    idx = first_monday + np.arange(weeks * 7)
    inside = (idx >= start) & (idx < stop)
    safe = np.clip(idx, 0, tl.length - 1)

    def grid(values: FloatArray, empty: float) -> FloatArray:
        out: FloatArray = np.where(inside, values[safe], empty).reshape(weeks, 7)
        return out

    load = grid(daily.load, 0.0)
    km = grid(daily.km, 0.0)
    mean_load = load.mean(axis=1)
    sd = load.std(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        monotony = np.where((sd > 0) & (mean_load > 0), mean_load / sd, np.nan)
    pain = grid(worst, np.nan)
    diary_days = (~np.isnan(pain)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        mean_pain = np.where(
            diary_days >= 3, np.nansum(pain, axis=1) / np.maximum(diary_days, 1), np.nan
        )
    run_inside = (table.day >= start) & (table.day < stop)
    week_of_run = (table.day[run_inside] - first_monday) // 7
    runs = np.bincount(week_of_run, minlength=weeks).astype(np.int64)
    longest = np.full(weeks, np.nan)
    if week_of_run.size:
        np.fmax.at(longest, week_of_run, table.km[run_inside])
    return WeeklyLoad(
        week_starts=tl.days(first_monday, first_monday + 7 * weeks)[::7],
        distance_km=km.sum(axis=1),
        time_h=grid(daily.minutes, 0.0).sum(axis=1) / 60.0,
        load=load.sum(axis=1),
        runs=runs,
        longest_km=longest,
        monotony=monotony,
        mean_pain=mean_pain,
        lately=lately(*_run_distances(tl, stop - 1, table)),
        earlier=weeks_before(*_run_distances(tl, stop - 1, table)),
    )


def _run_distances(
    tl: Timeline, last: int, table: RunTable
) -> tuple[list[tuple[date, float | None]], date, date | None]:
    """The runs as (day, metres), the period's last day and the run log's first day."""
    days = [tl.day(d) for d in table.day.tolist()]
    metres = [None if k != k else k * 1000.0 for k in table.km.tolist()]
    return list(zip(days, metres, strict=True)), tl.day(last), min(days, default=None)
