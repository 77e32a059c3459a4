"""What the training log can answer in the check-up's running questions: a pure function
of the runs, the habit days and the date (the store only reads them)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Final

from backstride.core.models import HabitDay, Run
from backstride.core.track import descent_per_km
from backstride.core.triage_answers import SPECS
from backstride.core.weekly_distance import (
    EARLIER_WEEKS,
    LATELY_DAYS,
    WeeklyDistance,
    lately,
    weeks_before,
)

# The windows are this app's reading of the wizard's questions ("a typical week now", "4
# weeks ago", "usually"), not clinical thresholds.
RECENT_DAYS: Final = 28  # "now": runs and habits of the last 4 weeks
# "A typical week now" and "4 weeks ago": core.weekly_distance, shared with Insights.
WEEK_AVERAGE_DAYS: Final = LATELY_DAYS
WEEKS_AGO: Final = EARLIER_WEEKS
WEIGHT_WITHIN_DAYS: Final = 90
# How far back the runs and habits must be read for all of the above.
READ_DAYS: Final = max(RECENT_DAYS, WEEKS_AGO * 7 + WEEK_AVERAGE_DAYS, WEIGHT_WITHIN_DAYS)
# A run counts as hilly with 20 m or more of descent per km (a rolling route has about
# 5-20), or on trails: our heuristic for the downhill question, not a clinical threshold.
HILLY_DESCENT_M_PER_KM: Final = 20.0
HILLY_SURFACES: Final = frozenset({"trail"})
FULL_WARMUP_MIN: Final = 10  # the question's choices: short is "under 10 minutes"


def _within_answer_limits(key: str, value: float) -> bool:
    """Only values the answer itself accepts (core.triage_answers) are offered."""
    spec = SPECS[key]
    low = spec.minimum if spec.minimum is not None else value
    high = spec.maximum if spec.maximum is not None else value
    return low <= value <= high


def running_prefill(
    runs: Sequence[Run],
    habits: Sequence[HabitDay],
    today: date,
    runs_since: date | None,
    core_log_since: date | None,
) -> dict[str, Any]:
    """The running answers the training log can give, by dotted answer key.

    `runs` and `habits` cover at least the last READ_DAYS days; `runs_since` is the first
    day of the run log and `core_log_since` the first day with core minutes recorded (so
    weeks before the log began are not read as weeks of 0 km or no core work).

    Keys (each only when the log has the data): ``running.weekly_km`` (the average week of
    the last 2 weeks the log covers, `core.weekly_distance.lately`) and
    ``running.weekly_km_4w_ago`` (the 2 weeks that ended 4 weeks ago, only if the log covers
    them all), ``running.cadence_spm`` (mean of the last 4 weeks' runs),
    ``running.downhill_share`` (low: no week of the last 4 with a hilly run; high: hills in
    most of the weeks with runs; some otherwise), ``running.warmup`` (the median warm-up of
    the last 4 weeks' runs), ``running.core_sessions_per_week`` (days with core work in the
    last 4 weeks of habit records, per week) and ``weight_kg`` (the latest weight of the
    last 90 days). Nothing from runs when no run was logged in the last 4 weeks.
    """
    found: dict[str, Any] = {}
    found.update(_from_runs(runs, today, runs_since))
    found.update(_from_habits(habits, today, core_log_since))
    return found


def _between(days_back_from: int, days_back_to: int, today: date) -> tuple[date, date]:
    return today - timedelta(days=days_back_from), today - timedelta(days=days_back_to)


def _from_runs(runs: Sequence[Run], today: date, runs_since: date | None) -> dict[str, Any]:
    start, _ = _between(RECENT_DAYS - 1, 0, today)
    recent = [r for r in runs if start <= r.day <= today]
    if not recent:
        return {}
    found: dict[str, Any] = {}
    distances = [(r.day, r.distance_m) for r in runs]
    now_km = _weekly_km(lately(distances, today, runs_since))
    if now_km is not None:
        found["running.weekly_km"] = now_km
        # Only when the log covers the whole earlier window, else missing runs read as 0 km.
        before_km = _weekly_km(weeks_before(distances, today, runs_since))
        if before_km is not None:
            found["running.weekly_km_4w_ago"] = before_km

    cadences = [r.cadence_spm for r in recent if r.cadence_spm is not None]
    if cadences:
        cadence = float(round(statistics.fmean(cadences)))
        if _within_answer_limits("running.cadence_spm", cadence):
            found["running.cadence_spm"] = cadence

    downhill = _downhill_share(recent, today)
    if downhill is not None:
        found["running.downhill_share"] = downhill

    warmups = [r.warmup_min for r in recent if r.warmup_min is not None]
    if warmups:
        typical = statistics.median_low(warmups)
        found["running.warmup"] = (
            "none" if typical == 0 else "short" if typical < FULL_WARMUP_MIN else "full"
        )
    return found


def _weekly_km(weekly: WeeklyDistance | None) -> float | None:
    """The answer's km a week; None if unknown, or if any run's distance is unknown."""
    if weekly is None or weekly.unknown:
        return None
    km = round(weekly.km, 1)
    return km if _within_answer_limits("running.weekly_km", km) else None


def _downhill_share(runs: Sequence[Run], today: date) -> str | None:
    weeks_with_runs: set[int] = set()
    hilly_weeks: set[int] = set()
    for run in runs:
        per_km = descent_per_km(run.descent_m, run.distance_m)
        if run.surface in HILLY_SURFACES:
            hilly = True
        elif per_km is not None:
            hilly = per_km >= HILLY_DESCENT_M_PER_KM
        else:
            continue  # neither surface nor descent: this run cannot say
        week = (today - run.day).days // 7
        weeks_with_runs.add(week)
        if hilly:
            hilly_weeks.add(week)
    if not weeks_with_runs:
        return None
    if not hilly_weeks:
        return "low"
    return "high" if len(hilly_weeks) * 2 > len(weeks_with_runs) else "some"


def _from_habits(
    habits: Sequence[HabitDay], today: date, core_log_since: date | None
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    start, _ = _between(RECENT_DAYS - 1, 0, today)
    core = [h for h in habits if start <= h.day <= today and h.core_min is not None]
    if core and core_log_since is not None:
        # Per week of the span the habit log covers (it may have started within the 4 weeks);
        # days without a record are not counted as days without core work.
        span_start = max(core_log_since, start)
        weeks = max(1.0, ((today - span_start).days + 1) / 7)
        sessions = round(sum(1 for h in core if (h.core_min or 0) > 0) / weeks)
        maximum = SPECS["running.core_sessions_per_week"].maximum
        found["running.core_sessions_per_week"] = min(int(maximum or sessions), sessions)
    weight_from, _ = _between(WEIGHT_WITHIN_DAYS - 1, 0, today)
    weights = [h for h in habits if weight_from <= h.day <= today and h.weight_kg is not None]
    if weights:
        latest = max(weights, key=lambda h: h.day).weight_kg
        assert latest is not None
        if _within_answer_limits("weight_kg", latest):
            found["weight_kg"] = round(float(latest), 1)
    return found
