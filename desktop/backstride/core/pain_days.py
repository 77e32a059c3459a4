"""Per-day views of the diary: the worst pain of a day and the next-morning pain.

"Next-morning pain" (issue 6): the entry timed on waking, else the first entry before
10:00. A day without entries has no value: missing is never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from backstride.core.models import PainEntry

MORNING_BEFORE = time(10, 0)


def morning_rank(entry: PainEntry) -> tuple[int, time] | None:
    """How well entry stands for the morning: lower ranks first; None if it does not."""
    if entry.timing == "on_waking":
        return (0, entry.time or time(0, 0))
    if entry.time is not None and entry.time < MORNING_BEFORE:
        return (1, entry.time)
    return None


def worst_pain(entries: Iterable[PainEntry]) -> dict[date, int]:
    worst: dict[date, int] = {}
    for e in entries:
        if e.intensity > worst.get(e.day, -1):
            worst[e.day] = e.intensity
    return worst


def morning_pain(entries: Iterable[PainEntry]) -> dict[date, int]:
    """The morning pain of each day that has a morning entry."""
    best: dict[date, tuple[tuple[int, time], int]] = {}
    for e in entries:
        rank = morning_rank(e)
        if rank is not None and (e.day not in best or rank < best[e.day][0]):
            best[e.day] = (rank, e.intensity)
    return {day: value for day, (_, value) in best.items()}
