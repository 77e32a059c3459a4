"""Rows to records and back, by name: a table's columns are its record's dataclass fields.

A field is declared once, in core/models.py; the store derives its column list, its
INSERT and its row decoding from it (rows are read as sqlite3.Row, by name), and
converts by the field's type: dates and times as ISO text, code lists as ';'-joined text,
dictionaries as JSON.
"""

from __future__ import annotations

import json
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date, datetime, time
from typing import Any, Generic, TypeVar

from backstride.core.vocab import join_codes, split_codes

T = TypeVar("T")
Convert = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (to the row, from the row)

_CONVERTERS: dict[object, Convert] = {
    date: (date.isoformat, date.fromisoformat),
    datetime: (datetime.isoformat, datetime.fromisoformat),
    time: (lambda t: t.strftime("%H:%M"), time.fromisoformat),  # diary times: minutes
    tuple[str, ...]: (join_codes, split_codes),
    dict[str, Any]: (
        lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True),
        json.loads,
    ),
}
_SAME: Convert = (lambda v: v, lambda v: v)


def _converter(hint: object) -> tuple[Convert, bool]:
    """The conversion for a field's type, and whether None passes through as NULL."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return _CONVERTERS.get(args[0], _SAME), True
    return _CONVERTERS.get(hint, _SAME), False


class RecordTable(Generic[T]):
    """The columns of one table, derived from the record type `cls`.

    `skip` names fields that are not columns of this table (e.g. a run's shoe name, which
    the run table stores as a link, and its profile, kept in a table of its own)."""

    def __init__(self, cls: type[T], table: str, skip: Iterable[str] = ("id",)) -> None:
        self.cls = cls
        self.table = table
        skipped = set(skip)
        hints = typing.get_type_hints(cls)
        declared = fields(cls)  # type: ignore[arg-type]  # T is bound to dataclasses only
        self.columns: tuple[str, ...] = tuple(f.name for f in declared if f.name not in skipped)
        self._id = ("id",) if any(f.name == "id" for f in declared) else ()  # the row key
        self._convert = {name: _converter(hints[name]) for name in self.columns}

    def select_list(self, prefix: str = "") -> str:
        """'id, day, …' for a SELECT (with `prefix`: 'run.id, run.day, …')."""
        return ", ".join(f"{prefix}{c}" for c in (*self._id, *self.columns))

    def to_row(self, record: T) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name in self.columns:
            value = getattr(record, name)
            (to_row, _), nullable = self._convert[name]
            row[name] = None if value is None and nullable else to_row(value)
        return row

    def from_row(self, row: sqlite3.Row, **extra: Any) -> T:
        """The record of a row read with select_list(); `extra` gives the other fields."""
        values: dict[str, Any] = {}
        for name in self.columns:
            raw = row[name]
            (_, from_row), nullable = self._convert[name]
            values[name] = None if raw is None and nullable else from_row(raw)
        if self._id:
            values["id"] = row["id"]
        return self.cls(**values, **extra)

    def read(
        self, db: sqlite3.Connection, sql: str, params: Iterable[Any] = (), **extra: Any
    ) -> list[T]:
        """The records a query gives; its rows are read by column name."""
        cursor = db.cursor()
        cursor.row_factory = sqlite3.Row
        return [self.from_row(row, **extra) for row in cursor.execute(sql, list(params))]

    def insert(self, db: sqlite3.Connection, row: dict[str, Any]) -> int:
        cur = db.execute(
            f"INSERT INTO {self.table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        return int(cur.lastrowid or 0)
