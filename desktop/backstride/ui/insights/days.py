"""The days behind a finding: each day's pain and runs, as the detail table lists them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from backstride.core.models import Run
from backstride.core.units import DistanceUnit, duration

if TYPE_CHECKING:
    from backstride.core.analysis import PeriodSeries
    from backstride.core.analysis.timeline import FloatArray

MISSING = "no entry"


@dataclass(frozen=True, slots=True)
class DayRow:
    day: date
    runs: str  # "12.3 km, 310 m descent, no warm-up"; "" without runs
    runs_full: str  # with time and surface, one run a line (the tooltip)
    worst: float | None  # the day's worst pain; None when the day has no entries
    least: float | None
    later: float | None  # pain after the run, in the evening or at night
    next_morning: float | None  # on waking the next day

    @property
    def pain_text(self) -> str:
        if self.worst is None:
            return MISSING
        if self.least is None or self.least == self.worst:
            return f"{self.worst:.0f}"
        return f"{self.least:.0f}–{self.worst:.0f}"


def value_text(value: float | None) -> str:
    return MISSING if value is None else f"{value:.0f}"


def run_text(run: Run, unit: DistanceUnit, compact: bool = False) -> str:
    """What the analysis looks at in a run; compact leaves out time and surface."""
    parts = []
    if run.distance_m is not None:
        parts.append(unit.distance(run.distance_m, 1))
    if run.moving_time_s is not None and not compact:
        parts.append(duration(run.moving_time_s))
    if run.descent_m is not None:
        parts.append(f"{unit.climb(run.descent_m)} {'down' if compact else 'descent'}")
    if run.warmup_min == 0:
        parts.append("no warm-up")
    elif run.warmup_min is not None:
        parts.append(f"{run.warmup_min} min warm-up")
    if run.surface and not compact:
        parts.append(run.surface)
    return ", ".join(parts) or "a run"


def runs_by_day(
    runs: Iterable[Run], first: date | None, last: date | None
) -> dict[date, tuple[Run, ...]]:
    """The runs of each day from first to last, in start order."""
    out: dict[date, list[Run]] = {}
    for run in sorted(runs, key=lambda r: r.start):
        if (first is None or run.day >= first) and (last is None or run.day <= last):
            out.setdefault(run.day, []).append(run)
    return {d: tuple(rs) for d, rs in out.items()}


def _value(values: FloatArray, i: int | None) -> float | None:
    if i is None:
        return None
    v = float(values[i])
    return None if math.isnan(v) else v


def day_rows(
    days: Iterable[date],
    series: PeriodSeries,
    runs: Mapping[date, Sequence[Run]],
    unit: DistanceUnit,
) -> list[DayRow]:
    """One row per day, newest first."""
    index = {d: i for i, d in enumerate(series.days)}
    rows = []
    for d in sorted(set(days), reverse=True):
        i = index.get(d)
        j = index.get(d + timedelta(days=1))
        rows.append(
            DayRow(
                day=d,
                runs="; ".join(run_text(r, unit, compact=True) for r in runs.get(d, ())),
                runs_full="\n".join(run_text(r, unit) for r in runs.get(d, ())),
                worst=_value(series.worst, i),
                least=_value(series.least, i),
                later=_value(series.later, i),
                next_morning=_value(series.morning, j),
            )
        )
    return rows
