"""Daily pain series from the diary: worst of the day, next-morning pain, later the same day.

A day without entries is missing (NaN), never 0; an entry of 0 is a real pain-free day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

import numpy as np

from backstride.core.analysis.timeline import BoolArray, FloatArray, IntArray, Timeline
from backstride.core.models import PainEntry
from backstride.core.pain_days import morning_rank

EVENING_FROM = time(17, 0)  # an untimed-kind entry from 17:00 counts as the evening
LATER_TIMINGS = frozenset({"after_run", "evening", "night"})


@dataclass(frozen=True, slots=True, eq=False)
class DailyPain:
    worst: FloatArray  # worst entry of the day
    least: FloatArray  # least entry of the day (the daily range band)
    morning: FloatArray  # the on-waking entry, else the first entry before 10:00
    later: FloatArray  # worst entry after a run, in the evening or at night
    entries: IntArray  # how many entries the day has

    @property
    def recorded(self) -> BoolArray:
        out: BoolArray = self.entries > 0
        return out


def build_daily(pain: Iterable[PainEntry], tl: Timeline) -> DailyPain:
    n = tl.length
    worst = [-1] * n
    least = [11] * n
    entries = [0] * n
    # Morning candidates rank on-waking entries first, then by clock time.
    morning_key: list[tuple[int, time] | None] = [None] * n
    morning = [-1] * n
    later = [-1] * n
    for e in pain:
        i = tl.index(e.day)
        if not 0 <= i < n:
            continue
        v = e.intensity
        entries[i] += 1
        worst[i] = max(worst[i], v)
        least[i] = min(least[i], v)
        key = morning_rank(e)
        if key is not None:
            best = morning_key[i]
            if best is None or key < best:
                morning_key[i] = key
                morning[i] = v
        if e.timing in LATER_TIMINGS or (
            e.timing in (None, "other") and e.time is not None and e.time >= EVENING_FROM
        ):
            later[i] = max(later[i], v)
    return DailyPain(
        worst=_missing(worst),
        least=_missing([x if x <= 10 else -1 for x in least]),
        morning=_missing(morning),
        later=_missing(later),
        entries=np.asarray(entries, dtype=np.int64),
    )


def _missing(values: list[int]) -> FloatArray:
    out = np.asarray(values, dtype=np.float64)
    out[out < 0] = np.nan
    return out
