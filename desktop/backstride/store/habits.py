"""Habit days: one row per local date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from backstride.core.models import HabitDay
from backstride.store.database import Store
from backstride.store.records import RecordTable

_TABLE = RecordTable(HabitDay, "habit_day")
_FIELDS = tuple(c for c in _TABLE.columns if c != "day")
_SELECT = f"SELECT {_TABLE.select_list()} FROM habit_day"


def _upsert(db: Any, h: HabitDay) -> None:
    row = _TABLE.to_row(h)
    db.execute(
        f"INSERT INTO habit_day ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) "
        f"ON CONFLICT (day) DO UPDATE SET {', '.join(f'{f} = excluded.{f}' for f in _FIELDS)}",
        list(row.values()),
    )


def _of_day(db: Any, day: date) -> HabitDay | None:
    found = _TABLE.read(db, _SELECT + " WHERE day = ?", [day.isoformat()])
    return found[0] if found else None


def get_habit_day(store: Store, day: date) -> HabitDay | None:
    with store.read() as db:
        return _of_day(db, day)


def save_habit_day(store: Store, habit: HabitDay) -> HabitDay | None:
    """Insert or replace the day's habits; returns what was there before (for undo)."""
    with store.write() as db:
        before = _of_day(db, habit.day)
        _upsert(db, habit)
    return before


def delete_habit_day(store: Store, day: date) -> HabitDay | None:
    with store.write() as db:
        before = _of_day(db, day)
        db.execute("DELETE FROM habit_day WHERE day = ?", [day.isoformat()])
    return before


def list_habit_days(
    store: Store, start: date | None = None, end: date | None = None
) -> list[HabitDay]:
    where, params = [], []
    if start is not None:
        where.append("day >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("day <= ?")
        params.append(end.isoformat())
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY day"
    with store.read() as db:
        return _TABLE.read(db, sql, params)


def import_habit_days(store: Store, habits: Iterable[HabitDay]) -> int:
    """Insert or replace many days in one transaction (a file's row wins over the store)."""
    rows = [_TABLE.to_row(h) for h in habits]
    with store.write():
        store.utils.table("habit_day").upsert_all(rows, pk="day")
    return len(rows)
