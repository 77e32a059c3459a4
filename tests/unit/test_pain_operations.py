"""Diary operations: what "No pain today" stores."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest

from backstride.core.pain import no_pain_entry
from backstride.core.pain_days import morning_pain
from backstride.operations.pain import log_no_pain
from backstride.store.database import open_store


@pytest.mark.parametrize(
    ("at", "timing"),
    [
        (time(7, 12, 40), "on_waking"),
        (time(9, 59), "on_waking"),
        (time(10, 0), None),  # daytime: the time says when
        (time(18, 0), "evening"),
        (time(22, 30), "evening"),
    ],
)
def test_no_pain_takes_the_time_and_the_timing_it_implies(at: time, timing: str | None) -> None:
    """Issue 17: it was stored as Evening with no time, so never a next-morning value."""
    entry = no_pain_entry(datetime.combine(datetime(2026, 3, 2), at))
    assert entry.intensity == 0
    assert entry.time == at.replace(second=0)
    assert entry.timing == timing


def test_a_pain_free_morning_logged_is_that_days_morning_pain(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        saved = log_no_pain(store, datetime(2026, 3, 2, 7, 30)).result
    finally:
        store.close()
    assert (saved.time, saved.timing) == (time(7, 30), "on_waking")
    assert morning_pain([saved]) == {saved.day: 0}
