"""The pain diary's table: small operations the GUI and CLI call."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from backstride.core.models import PainEntry
from backstride.store.database import Store
from backstride.store.records import RecordTable

_TABLE = RecordTable(PainEntry, "pain_entry")
_COLUMNS = _TABLE.select_list()


def _row(entry: PainEntry) -> dict[str, Any]:
    return _TABLE.to_row(entry)


def _one(db: sqlite3.Connection, entry_id: int) -> PainEntry | None:
    found = _TABLE.read(db, f"SELECT {_COLUMNS} FROM pain_entry WHERE id = ?", [entry_id])
    return found[0] if found else None


def add_pain_entry(store: Store, entry: PainEntry) -> PainEntry:
    """Save a new entry (or, with an id, put a deleted one back for undo)."""
    row = _row(entry)
    if entry.id is not None:
        row["id"] = entry.id
    with store.write() as db:
        cur = db.execute(
            f"INSERT INTO pain_entry ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return replace(entry, id=cur.lastrowid)


def update_pain_entry(store: Store, entry: PainEntry) -> PainEntry:
    if entry.id is None:
        raise ValueError("update_pain_entry needs a saved entry")
    row = _row(entry)
    with store.write() as db:
        db.execute(
            f"UPDATE pain_entry SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
            [*row.values(), entry.id],
        )
    return entry


def delete_pain_entry(store: Store, entry_id: int) -> PainEntry | None:
    """Delete and return the entry (for undo); None when it was already gone."""
    with store.write() as db:
        entry = _one(db, entry_id)
        if entry is not None:
            db.execute("DELETE FROM pain_entry WHERE id = ?", [entry_id])
    return entry


def get_pain_entry(store: Store, entry_id: int) -> PainEntry | None:
    with store.read() as db:
        return _one(db, entry_id)


def list_pain_entries(
    store: Store,
    start: date | None = None,
    end: date | None = None,
    region: str | None = None,
) -> list[PainEntry]:
    """Entries from start to end inclusive, oldest first, optionally only those naming region."""
    where, params = [], []
    if start is not None:
        where.append("day >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("day <= ?")
        params.append(end.isoformat())
    if region is not None:
        where.append("(';' || regions || ';') LIKE ?")
        params.append(f"%;{region};%")
    sql = f"SELECT {_COLUMNS} FROM pain_entry"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY day, time IS NOT NULL, time, id"
    with store.read() as db:
        return _TABLE.read(db, sql, params)


def last_pain_entry(store: Store) -> PainEntry | None:
    """The entry entered last (the highest id), whatever its date."""
    with store.read() as db:
        found = _TABLE.read(db, f"SELECT {_COLUMNS} FROM pain_entry ORDER BY id DESC LIMIT 1")
    return found[0] if found else None


def worst_pain_by_day(store: Store, start: date, end: date) -> dict[date, int]:
    with store.read() as db:
        rows = db.execute(
            "SELECT day, max(intensity) FROM pain_entry WHERE day BETWEEN ? AND ? GROUP BY day",
            [start.isoformat(), end.isoformat()],
        ).fetchall()
    return {date.fromisoformat(d): int(v) for d, v in rows}


def count_pain_entries(store: Store) -> int:
    with store.read() as db:
        return int(db.execute("SELECT count(*) FROM pain_entry").fetchone()[0])


def _identity(entry: PainEntry) -> tuple[Any, ...]:
    return tuple(_row(entry).values())


def import_pain_entries(store: Store, entries: Iterable[PainEntry]) -> tuple[int, int]:
    """Add entries in one transaction, skipping exact copies of entries already there.

    Returns (added, skipped) so importing the same file twice changes nothing. Copies are
    counted, not merged: an entry logged twice is exported twice and imported twice.
    """
    added = skipped = 0
    with store.write() as db:
        existing = Counter(
            _identity(e) for e in _TABLE.read(db, f"SELECT {_COLUMNS} FROM pain_entry")
        )
        new = []
        for entry in entries:
            key = _identity(entry)
            if existing[key]:
                existing[key] -= 1
                skipped += 1
                continue
            new.append(_row(entry))
        store.utils.table("pain_entry").insert_all(new)
        added = len(new)
    return added, skipped
