"""Weekly distance lately: the one definition the check-up and Insights share.

"A typical week now" is the average week of the last two weeks (LATELY_DAYS) up to a day;
"4 weeks ago" is the same average over the two weeks that ended EARLIER_WEEKS weeks
before. Both are this app's reading of the check-up's questions, not clinical thresholds.

Unknown history stays unknown: only the days from the first logged run count, so weeks
before the log began are never read as weeks of 0 km. A window the log covers for less
than a week is still averaged over a whole week (3 days of running are not scaled up to
a week's worth), and the earlier window counts only when the log covers all of it. Runs
without a distance are left out and counted (`unknown`), so a caller can say so or decline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

LATELY_DAYS: Final = 14
EARLIER_WEEKS: Final = 4
_WEEK_DAYS: Final = 7


@dataclass(frozen=True, slots=True)
class WeeklyDistance:
    km: float  # per week, over the days from `first` to `last`
    first: date
    last: date
    runs: int  # runs within those days
    unknown: int  # of them, runs without a distance (not counted in `km`)


def weekly_distance(
    runs: Iterable[tuple[date, float | None]],
    last: date,
    log_since: date | None,
    *,
    whole: bool = False,
) -> WeeklyDistance | None:
    """The average week of the LATELY_DAYS days up to `last`, from (day, distance in
    metres) pairs; None when the run log (from `log_since`) covers none of those days, or
    not all of them when `whole`."""
    first = last - timedelta(days=LATELY_DAYS - 1)
    if log_since is None or log_since > last or (whole and log_since > first):
        return None
    first = max(first, log_since)
    inside = [metres for day, metres in runs if first <= day <= last]
    known = [metres for metres in inside if metres is not None]
    weeks = max((last - first).days + 1, _WEEK_DAYS) / _WEEK_DAYS
    return WeeklyDistance(
        km=sum(known) / 1000.0 / weeks,
        first=first,
        last=last,
        runs=len(inside),
        unknown=len(inside) - len(known),
    )


def lately(
    runs: Iterable[tuple[date, float | None]], last: date, log_since: date | None
) -> WeeklyDistance | None:
    """Weekly distance "now": the last LATELY_DAYS days up to `last`."""
    return weekly_distance(runs, last, log_since)


def weeks_before(
    runs: Iterable[tuple[date, float | None]], last: date, log_since: date | None
) -> WeeklyDistance | None:
    """Weekly distance EARLIER_WEEKS weeks before `last`, only if the log covers it all."""
    earlier = last - timedelta(days=EARLIER_WEEKS * _WEEK_DAYS)
    return weekly_distance(runs, earlier, log_since, whole=True)
