"""Which reminders are due: a pure function of the settings, the clock and what was logged.

Three kinds, each at most once a day, all off by default:
- ``daily``: at the chosen time, when nothing (no diary entry, no run) was logged today;
- ``morning``: in the morning after a run day, when today has no on-waking diary entry
  (the next-morning response is the one that matters most: docs/clinical-sources.md, "Other
  wording", the pain-monitoring model);
- ``checkin``: the running experiment's check-in question (did you keep to the plan
  today?), from the daily reminder's time on, even when something was logged.
The morning window is this app's reading of "on waking", not a clinical threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

DAILY: Final = "daily"
MORNING: Final = "morning"
CHECKIN: Final = "checkin"
KINDS: Final = (DAILY, MORNING, CHECKIN)

ON_WAKING: Final = "on_waking"  # the diary timing (core.vocab.TIMINGS) the morning prompt asks for
MORNING_FROM: Final = time(6, 0)  # waking hours start
MORNING_UNTIL: Final = time(10, 0)  # the prompt is not shown from 10:00 on
DEFAULT_TIME: Final = time(20, 0)  # offered when the runner turns the daily reminder on
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    daily_at: time | None = None  # None: no daily reminder (the default)
    morning_after_run: bool = False

    @property
    def any_on(self) -> bool:
        return self.daily_at is not None or self.morning_after_run


@dataclass(frozen=True, slots=True)
class Logged:
    """What the diary and the training log hold for today and yesterday."""

    today_entries: int = 0  # diary entries of today
    today_runs: int = 0
    today_on_waking: bool = False  # a diary entry of today with the timing "on waking"
    ran_yesterday: bool = False

    @property
    def anything_today(self) -> bool:
        return bool(self.today_entries or self.today_runs)


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: str
    day: date
    title: str
    text: str


def due_reminders(
    settings: ReminderSettings,
    now: datetime,
    logged: Logged,
    shown: Iterable[tuple[str, date]] = (),
    checkin_question: str | None = None,
) -> list[Reminder]:
    """The reminders to show now. ``shown`` holds the (kind, day) pairs already shown, so
    each kind comes at most once a day; ``checkin_question`` is the running experiment's
    question for today, if it has one."""
    today, clock = now.date(), now.time().replace(tzinfo=None)
    seen = set(shown)
    due: list[Reminder] = []
    if (
        settings.daily_at is not None
        and clock >= settings.daily_at
        and not logged.anything_today
        and (DAILY, today) not in seen
    ):
        due.append(
            Reminder(
                DAILY,
                today,
                "Time for your back diary",
                "Nothing is logged for today yet. How is your back? A pain entry (or "
                "“No pain today”) takes a few seconds.",
            )
        )
    if (
        settings.morning_after_run
        and MORNING_FROM <= clock < MORNING_UNTIL
        and logged.ran_yesterday
        and not logged.today_on_waking
        and (MORNING, today) not in seen
    ):
        due.append(
            Reminder(
                MORNING,
                today,
                "How is your back this morning?",
                "You ran yesterday. How your back feels on waking, the morning after a run, "
                "shows best how it took the run. Log it as an on-waking entry.",
            )
        )
    if (
        checkin_question
        and settings.daily_at is not None
        and clock >= settings.daily_at  # "did you do it today" is asked at the day's end
        and (CHECKIN, today) not in seen
    ):
        due.append(Reminder(CHECKIN, today, "Your experiment's check-in", checkin_question))
    return due


def yesterday(today: date) -> date:
    return today - timedelta(days=1)


def parse_time(text: str) -> time | None:
    """ "HH:MM" (24-hour) as a time; empty is None (off); ValueError saying what to type."""
    raw = text.strip()
    if not raw:
        return None
    match = _CLOCK.match(raw)
    if match is None:
        raise ValueError(f"{raw!r} is not a time of day; type it as HH:MM, e.g. 20:00")
    return time(int(match[1]), int(match[2]))


def time_text(value: time | None) -> str:
    return "" if value is None else f"{value:%H:%M}"
