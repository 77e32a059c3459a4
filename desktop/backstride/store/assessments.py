"""Stored check-ups (the ``assessment`` table), and the running answers the training log gives.

An assessment keeps the answers, the result and the rules version as JSON with the time it
was taken (ISO-8601 with its UTC offset), so a past result reads as it was even after the
rules change. ``running_prefill`` reads the ``run`` and ``habit_day`` tables with plain SQL
on the columns of db/0001_initial.sql, so it does not depend on the training log's code.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Final

from backstride.core.models import Assessment
from backstride.store.database import Store, StoreError

_COLUMNS = "id, taken_at, answers, result, rules_version"


# ---------------------------------------------------------------- assessments


def _row(assessment: Assessment) -> dict[str, Any]:
    if not isinstance(assessment.answers, dict) or not isinstance(assessment.result, dict):
        raise ValueError("an assessment's answers and result must be JSON objects (dicts)")
    if not assessment.rules_version.strip():
        raise ValueError("an assessment needs the rules version that made its result")
    try:
        answers = json.dumps(assessment.answers, ensure_ascii=False, allow_nan=False)
        result = json.dumps(assessment.result, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"an assessment must be plain JSON data: {exc}") from exc
    return {
        "taken_at": _aware(assessment.taken_at).isoformat(),
        "answers": answers,
        "result": result,
        "rules_version": assessment.rules_version,
    }


def _aware(moment: datetime) -> datetime:
    """Stored instants carry their UTC offset; a naive time is taken as local time."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _assessment(row: Sequence[Any]) -> Assessment:
    try:
        answers = json.loads(row[2])
        result = json.loads(row[3])
        taken_at = _aware(datetime.fromisoformat(row[1]))
    except ValueError as exc:
        raise StoreError(
            f"The saved check-up number {row[0]} is damaged ({exc}). Restore the data file "
            "from a backup; Backstride has not changed it."
        ) from exc
    if not isinstance(answers, dict) or not isinstance(result, dict):
        raise StoreError(
            f"The saved check-up number {row[0]} is damaged (its answers or result are not "
            "JSON objects). Restore the data file from a backup; Backstride has not changed it."
        )
    return Assessment(
        id=row[0], taken_at=taken_at, answers=answers, result=result, rules_version=row[4]
    )


def add_assessment(store: Store, assessment: Assessment) -> Assessment:
    """Save a check-up (or, with an id, put a deleted one back for undo)."""
    row = _row(assessment)
    if assessment.id is not None:
        row["id"] = assessment.id
    with store.write() as db:
        cur = db.execute(
            f"INSERT INTO assessment ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return replace(assessment, id=cur.lastrowid, taken_at=_aware(assessment.taken_at))


def get_assessment(store: Store, assessment_id: int) -> Assessment | None:
    with store.read() as db:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM assessment WHERE id = ?", [assessment_id]
        ).fetchone()
    return None if row is None else _assessment(row)


def list_assessments(store: Store) -> list[Assessment]:
    """Every check-up, newest first (by the instant taken, whatever its UTC offset)."""
    with store.read() as db:
        rows = db.execute(f"SELECT {_COLUMNS} FROM assessment").fetchall()
    found = [_assessment(r) for r in rows]
    found.sort(key=lambda a: (a.taken_at, a.id or 0), reverse=True)
    return found


def latest_assessment(store: Store) -> Assessment | None:
    found = list_assessments(store)
    return found[0] if found else None


def delete_assessment(store: Store, assessment_id: int) -> Assessment | None:
    """Delete and return the check-up (for undo); None when it was already gone."""
    with store.write() as db:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM assessment WHERE id = ?", [assessment_id]
        ).fetchone()
        if row is None:
            return None
        db.execute("DELETE FROM assessment WHERE id = ?", [assessment_id])
    return _assessment(row)


# ---------------------------------------------------------------- training-log pre-fill

# The windows are this app's reading of the wizard's questions ("a typical week now", "4
# weeks ago", "usually"), not clinical thresholds.
RECENT_DAYS: Final = 28  # "now": runs and habits of the last 4 weeks
WEEK_AVERAGE_DAYS: Final = 14  # a typical week = the average of two
WEEKS_AGO: Final = 4
WEIGHT_WITHIN_DAYS: Final = 90
# A run counts as hilly with 20 m or more of descent per km (a rolling route has about
# 5-20), or on trails: our heuristic for the downhill question, not a clinical threshold.
HILLY_DESCENT_M_PER_KM: Final = 20.0
HILLY_SURFACES: Final = frozenset({"trail"})
FULL_WARMUP_MIN: Final = 10  # the question's choices: short is "under 10 minutes"
# The answer schema's limits (backstride.core.triage_answers): values outside are left out.
_CADENCE_RANGE: Final = (100.0, 250.0)
_WEEKLY_KM_MAX: Final = 500.0
_WEIGHT_RANGE: Final = (20.0, 300.0)
_CORE_MAX: Final = 21


def running_prefill(store: Store, today: date | None = None) -> dict[str, Any]:
    """The running answers the training log can give, by dotted answer key.

    Keys (each only when the log has the data): ``running.weekly_km`` (average of the last
    2 weeks) and ``running.weekly_km_4w_ago`` (the 2 weeks that ended 4 weeks ago, only if the
    log reaches back that far), ``running.cadence_spm`` (mean of the last 4 weeks' runs),
    ``running.downhill_share`` (low: no week of the last 4 with a hilly run; high: hills in
    most of the weeks with runs; some otherwise), ``running.warmup`` (the median warm-up of
    the last 4 weeks' runs), ``running.core_sessions_per_week`` (days with core work in the
    last 4 weeks of habit records, per week) and ``weight_kg`` (the latest weight of the
    last 90 days). Nothing from runs when no run was logged in the last 4 weeks.
    """
    today = today or date.today()
    found: dict[str, Any] = {}
    found.update(_from_runs(store, today))
    found.update(_from_habits(store, today))
    return found


def _day(offset: int, today: date) -> str:
    return (today - timedelta(days=offset)).isoformat()


def _from_runs(store: Store, today: date) -> dict[str, Any]:
    with store.read() as db:
        recent = db.execute(
            "SELECT day, distance_m, cadence_spm, descent_m, warmup_min, surface FROM run "
            "WHERE day BETWEEN ? AND ?",
            [_day(RECENT_DAYS - 1, today), today.isoformat()],
        ).fetchall()
        if not recent:
            return {}
        earlier_start = _day(WEEKS_AGO * 7 + WEEK_AVERAGE_DAYS - 1, today)
        earlier = db.execute(
            "SELECT distance_m FROM run WHERE day BETWEEN ? AND ?",
            [earlier_start, _day(WEEKS_AGO * 7, today)],
        ).fetchall()
        first_day = db.execute("SELECT min(day) FROM run").fetchone()[0]

    found: dict[str, Any] = {}
    two_weeks = _day(WEEK_AVERAGE_DAYS - 1, today)
    now_km = _weekly_km([r[1] for r in recent if r[0] >= two_weeks])
    if now_km is not None:
        found["running.weekly_km"] = now_km
        # Only when the log covers the whole earlier window, else missing runs read as 0 km.
        before_km = _weekly_km([r[0] for r in earlier])
        if before_km is not None and first_day is not None and first_day <= earlier_start:
            found["running.weekly_km_4w_ago"] = before_km

    cadences = [float(r[2]) for r in recent if r[2] is not None]
    if cadences:
        cadence = round(statistics.fmean(cadences))
        if _CADENCE_RANGE[0] <= cadence <= _CADENCE_RANGE[1]:
            found["running.cadence_spm"] = float(cadence)

    downhill = _downhill_share(recent, today)
    if downhill is not None:
        found["running.downhill_share"] = downhill

    warmups = [int(r[4]) for r in recent if r[4] is not None]
    if warmups:
        typical = statistics.median_low(warmups)
        found["running.warmup"] = (
            "none" if typical == 0 else "short" if typical < FULL_WARMUP_MIN else "full"
        )
    return found


def _weekly_km(distances_m: Sequence[float | None]) -> float | None:
    """The weekly average over WEEK_AVERAGE_DAYS; None if any run's distance is unknown."""
    if any(d is None for d in distances_m):
        return None
    km = sum(float(d or 0.0) for d in distances_m) / 1000.0 / (WEEK_AVERAGE_DAYS / 7)
    return round(km, 1) if km <= _WEEKLY_KM_MAX else None


def _downhill_share(runs: Sequence[Sequence[Any]], today: date) -> str | None:
    weeks_with_runs: set[int] = set()
    hilly_weeks: set[int] = set()
    for day, distance_m, _, descent_m, _, surface in runs:
        if surface in HILLY_SURFACES:
            hilly = True
        elif descent_m is not None and distance_m:
            hilly = descent_m / (distance_m / 1000.0) >= HILLY_DESCENT_M_PER_KM
        else:
            continue  # neither surface nor descent: this run cannot say
        week = (today - date.fromisoformat(day)).days // 7
        weeks_with_runs.add(week)
        if hilly:
            hilly_weeks.add(week)
    if not weeks_with_runs:
        return None
    if not hilly_weeks:
        return "low"
    return "high" if len(hilly_weeks) * 2 > len(weeks_with_runs) else "some"


def _from_habits(store: Store, today: date) -> dict[str, Any]:
    found: dict[str, Any] = {}
    start = _day(RECENT_DAYS - 1, today)
    with store.read() as db:
        core = db.execute(
            "SELECT min(day), count(*), sum(core_min > 0) FROM habit_day "
            "WHERE day BETWEEN ? AND ? AND core_min IS NOT NULL",
            [start, today.isoformat()],
        ).fetchone()
        first_ever = db.execute(
            "SELECT min(day) FROM habit_day WHERE core_min IS NOT NULL"
        ).fetchone()[0]
        weight = db.execute(
            "SELECT weight_kg FROM habit_day WHERE day BETWEEN ? AND ? "
            "AND weight_kg IS NOT NULL ORDER BY day DESC LIMIT 1",
            [_day(WEIGHT_WITHIN_DAYS - 1, today), today.isoformat()],
        ).fetchone()
    if core[1]:
        # Per week of the span the habit log covers (it may have started within the 4 weeks);
        # days without a record are not counted as days without core work.
        span_start = max(date.fromisoformat(first_ever), today - timedelta(days=RECENT_DAYS - 1))
        weeks = max(1.0, ((today - span_start).days + 1) / 7)
        found["running.core_sessions_per_week"] = min(_CORE_MAX, round(int(core[2]) / weeks))
    if weight is not None and _WEIGHT_RANGE[0] <= weight[0] <= _WEIGHT_RANGE[1]:
        found["weight_kg"] = round(float(weight[0]), 1)
    return found
