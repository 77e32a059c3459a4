"""The training log seen day by day: runs beside that day's pain and the next morning's.

A day's "next-morning pain" is the morning pain (core.pain_days) of the following day, so
a run can be read against how the back felt on waking after it. Missing stays missing
(None), never 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.core.models import HabitDay, PainEntry, Run
from backstride.core.pain_days import morning_pain, worst_pain
from backstride.core.units import UNKNOWN, DistanceUnit


@dataclass(frozen=True, slots=True)
class TrainingDay:
    day: date
    runs: tuple[Run, ...] = ()
    worst_pain: int | None = None  # that day's worst entry
    next_morning_pain: int | None = None  # the following day's morning entry
    habits: HabitDay | None = None


@dataclass(frozen=True, slots=True)
class WeekTotals:
    monday: date
    runs: int = 0
    distance_m: float = 0.0
    moving_time_s: float = 0.0
    descent_m: float | None = None  # None: no run of the week has a known descent
    descent_unknown: int = 0  # runs whose descent is unknown, left out of descent_m

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pain_span(start: date, end: date) -> tuple[date, date]:
    """The pain entries training_days needs for start..end: one more day for the morning."""
    return start, end + timedelta(days=1)


def training_days(
    start: date,
    end: date,
    runs: Iterable[Run],
    habits: Iterable[HabitDay],
    pain: Iterable[PainEntry],
) -> list[TrainingDay]:
    """One TrainingDay for every date from start to end inclusive, oldest first."""
    entries = list(pain)
    worst = worst_pain(entries)
    morning = morning_pain(entries)
    by_day: dict[date, list[Run]] = defaultdict(list)
    for run in runs:
        by_day[run.day].append(run)
    habit_of = {h.day: h for h in habits}
    days = []
    day = start
    while day <= end:
        days.append(
            TrainingDay(
                day=day,
                runs=tuple(sorted(by_day.get(day, ()), key=lambda r: r.start)),
                worst_pain=worst.get(day),
                next_morning_pain=morning.get(day + timedelta(days=1)),
                habits=habit_of.get(day),
            )
        )
        day += timedelta(days=1)
    return days


def week_totals(days: Iterable[TrainingDay]) -> list[WeekTotals]:
    """Totals per Monday-to-Sunday week, oldest first.

    Distance and time count unknown values as nothing. Descent is often unknown (a run
    typed in, a watch without elevation), so its total is None when every run's descent is
    unknown, and descent_unknown says how many runs a partial total leaves out.
    """
    weeks: dict[date, list[Run]] = {}
    for d in days:
        weeks.setdefault(monday_of(d.day), []).extend(d.runs)
    totals = []
    for monday, runs in sorted(weeks.items()):
        descents = [r.descent_m for r in runs if r.descent_m is not None]
        totals.append(
            WeekTotals(
                monday=monday,
                runs=len(runs),
                distance_m=sum(r.distance_m or 0.0 for r in runs),
                moving_time_s=sum(r.moving_time_s or 0.0 for r in runs),
                descent_m=sum(descents) if descents else None,
                descent_unknown=len(runs) - len(descents),
            )
        )
    return totals


def descent_total_text(totals: WeekTotals, unit: DistanceUnit) -> str:
    """A week's descent: a dash when unknown, and how many runs a partial total leaves out."""
    if totals.descent_m is None:
        return UNKNOWN
    text = unit.climb(totals.descent_m)
    if totals.descent_unknown:
        text += f" + {totals.descent_unknown} unknown"
    return text


def longest_run(runs: Sequence[Run], today: date, days: int = 30) -> Run | None:
    """The longest run (by distance) of the last `days` days up to today; None if none."""
    first = today - timedelta(days=days - 1)
    recent = [r for r in runs if first <= r.day <= today and r.distance_m]
    return max(recent, key=lambda r: (r.distance_m or 0.0, r.start), default=None)
