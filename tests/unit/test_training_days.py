from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from backstride.core.models import HabitDay, PainEntry, Run
from backstride.core.training_days import (
    WeekTotals,
    descent_total_text,
    longest_run,
    monday_of,
    pain_span,
    training_days,
    week_totals,
)
from backstride.core.units import KM, MILES

TZ = timezone(timedelta(hours=2))
MON = date(2026, 3, 2)


def _run(day: date, km: float | None, minutes: float | None = None, **kw: object) -> Run:
    return Run(
        start=datetime.combine(day, time(18, 0), TZ),
        distance_m=None if km is None else km * 1000,
        moving_time_s=None if minutes is None else minutes * 60,
        **kw,  # type: ignore[arg-type]
    )


def test_every_day_is_listed_with_its_runs_pain_and_habits() -> None:
    runs = [_run(MON, 10, 50), _run(MON + timedelta(days=2), 5, 30)]
    pain = [
        PainEntry(day=MON, intensity=3, time=time(20, 0)),
        PainEntry(day=MON, intensity=5, timing="after_run"),
        PainEntry(day=MON + timedelta(days=1), intensity=4, time=time(7, 0)),
        PainEntry(day=MON + timedelta(days=1), intensity=2, timing="on_waking", time=time(8, 0)),
    ]
    habits = [HabitDay(day=MON + timedelta(days=2), core_min=0)]
    days = training_days(MON, MON + timedelta(days=2), runs, habits, pain)
    assert [d.day for d in days] == [MON, MON + timedelta(days=1), MON + timedelta(days=2)]
    monday, tuesday, wednesday = days
    assert monday.worst_pain == 5
    assert monday.next_morning_pain == 2  # the on-waking entry wins over an earlier one
    assert tuesday.runs == () and tuesday.worst_pain == 4 and tuesday.next_morning_pain is None
    assert wednesday.worst_pain is None  # no entry: missing, never 0
    assert wednesday.habits is not None and wednesday.habits.core_min == 0


def test_pain_span_reaches_the_morning_after() -> None:
    assert pain_span(MON, MON + timedelta(days=6)) == (MON, MON + timedelta(days=7))


def test_week_totals_count_unknown_as_nothing() -> None:
    runs = [
        _run(MON, 10, 50, descent_m=100),
        _run(MON + timedelta(days=6), None, 30),
        _run(MON + timedelta(days=7), 12, 60, descent_m=50),
    ]
    days = training_days(MON, MON + timedelta(days=8), runs, [], [])
    first, second = week_totals(days)
    assert first == WeekTotals(
        monday=MON,
        runs=2,
        distance_m=10_000,
        moving_time_s=80 * 60,
        descent_m=100,
        descent_unknown=1,
    )
    assert second.monday == MON + timedelta(days=7) and second.runs == 1
    assert first.sunday == MON + timedelta(days=6)
    assert monday_of(MON + timedelta(days=6)) == MON


def test_longest_run_of_the_last_30_days() -> None:
    today = MON + timedelta(days=40)
    runs = [
        _run(today - timedelta(days=30), 30),  # one day too old
        _run(today - timedelta(days=29), 18),
        _run(today - timedelta(days=3), 21),
        _run(today, None, 40),
    ]
    best = longest_run(runs, today)
    assert best is not None and best.distance_m == 21_000
    assert longest_run(runs[:1], today) is None


def test_a_total_of_unknown_descents_is_unknown() -> None:
    """Issue 17: a week whose only run had no elevation showed "0 m" of descent."""
    days = training_days(MON, MON + timedelta(days=6), [_run(MON, 10, 50)], [], [])
    (week,) = week_totals(days)
    assert week.descent_m is None
    assert descent_total_text(week, KM) == "—"


def test_a_total_with_some_unknown_descents_says_so() -> None:
    runs = [
        _run(MON, 10, 50, descent_m=120.0),
        _run(MON + timedelta(days=1), 5, 30),
        _run(MON + timedelta(days=2), 5, 30, descent_m=0.0),
    ]
    (week,) = week_totals(training_days(MON, MON + timedelta(days=6), runs, [], []))
    assert (week.descent_m, week.descent_unknown) == (120.0, 1)
    assert descent_total_text(week, KM) == "120 m + 1 unknown"
    assert descent_total_text(week, MILES) == "394 ft + 1 unknown"  # feet go with miles
