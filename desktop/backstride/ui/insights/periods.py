"""The periods the Insights page offers, as (first day, last day) pairs."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# (label, months back; None = all the data, CUSTOM_MONTHS = the runner's own dates)
CUSTOM_MONTHS = -1
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("Last 3 months", 3),
    ("Last 6 months", 6),
    ("Last 12 months", 12),
    ("All", None),
    ("Custom range", CUSTOM_MONTHS),
)
DEFAULT_PERIOD = 2  # a year: enough days in each group for most factors


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def last_months(today: date, months: int) -> tuple[date, date]:
    """``months`` months ending today, today included (3 months to 31 May: 1 Mar - 31 May)."""
    return months_before(today, months) + timedelta(days=1), today


def period_range(index: int, today: date) -> tuple[date | None, date | None]:
    """The range of a preset period (not the custom one); (None, None) is all the data."""
    months = PERIODS[index][1]
    if months is None:
        return None, None
    if months == CUSTOM_MONTHS:
        raise ValueError("the custom range comes from the date fields")
    return last_months(today, months)
