"""Habit days: one row per local date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from backstride.core.models import HabitDay
from backstride.store.database import Store

_FIELDS = (
    "core_min",
    "stretch_min",
    "cross_min",
    "sleep_h",
    "weight_kg",
    "fatigue",
    "sitting_h",
    "note",
)
_SELECT = f"SELECT day, {', '.join(_FIELDS)} FROM habit_day"


def _habit(row: Sequence[Any]) -> HabitDay:
    return HabitDay(day=date.fromisoformat(row[0]), **dict(zip(_FIELDS, row[1:], strict=True)))


def _upsert(db: Any, h: HabitDay) -> None:
    values = [h.day.isoformat(), *(getattr(h, f) for f in _FIELDS)]
    db.execute(
        f"INSERT INTO habit_day (day, {', '.join(_FIELDS)}) "
        f"VALUES ({', '.join('?' * len(values))}) "
        f"ON CONFLICT (day) DO UPDATE SET {', '.join(f'{f} = excluded.{f}' for f in _FIELDS)}",
        values,
    )


def get_habit_day(store: Store, day: date) -> HabitDay | None:
    with store.read() as db:
        row = db.execute(_SELECT + " WHERE day = ?", [day.isoformat()]).fetchone()
    return None if row is None else _habit(row)


def save_habit_day(store: Store, habit: HabitDay) -> HabitDay | None:
    """Insert or replace the day's habits; returns what was there before (for undo)."""
    with store.write() as db:
        row = db.execute(_SELECT + " WHERE day = ?", [habit.day.isoformat()]).fetchone()
        _upsert(db, habit)
    return None if row is None else _habit(row)


def delete_habit_day(store: Store, day: date) -> HabitDay | None:
    with store.write() as db:
        row = db.execute(_SELECT + " WHERE day = ?", [day.isoformat()]).fetchone()
        db.execute("DELETE FROM habit_day WHERE day = ?", [day.isoformat()])
    return None if row is None else _habit(row)


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
        return [_habit(r) for r in db.execute(sql, params).fetchall()]


def import_habit_days(store: Store, habits: Iterable[HabitDay]) -> int:
    """Insert or replace many days in one transaction (a file's row wins over the store)."""
    rows = [{"day": h.day.isoformat(), **{f: getattr(h, f) for f in _FIELDS}} for h in habits]
    with store.write():
        store.utils.table("habit_day").upsert_all(rows, pk="day")
    return len(rows)
