"""Runs and their profiles."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from backstride.core import limits
from backstride.core.models import ProfilePoint, Run
from backstride.store.database import Store, StoreError
from backstride.store.records import RecordTable

# The run table's columns are the record's fields but the shoe (stored as a link to the
# shoe table) and the profile (a table of its own); `day` is the start's local date.
_TABLE = RecordTable(Run, "run", skip=("id", "shoe", "profile"))
_SELECT = (
    f"SELECT {_TABLE.select_list('run.')}, shoe.name AS shoe "
    "FROM run LEFT JOIN shoe ON shoe.id = run.shoe_id"
)


def shoe_id(db: sqlite3.Connection, name: str | None, create: bool) -> int | None:
    """The id of the shoe called name; with create, a missing shoe is added."""
    if not name:
        return None
    row = db.execute("SELECT id FROM shoe WHERE name = ?", [name]).fetchone()
    if row is not None:
        return int(row[0])
    if not create:
        raise StoreError(f"There is no shoe called {name!r}; add it on the Training page first.")
    return int(db.execute("INSERT INTO shoe (name) VALUES (?)", [name]).lastrowid or 0)


def _stored(name: str, value: Any) -> Any:
    """Kept as precisely as runs.csv writes it (limits.DECIMALS)."""
    return limits.kept(name, value) if name in limits.DECIMALS else value


def _row(db: sqlite3.Connection, run: Run, create_shoe: bool) -> dict[str, Any]:
    row = {name: _stored(name, value) for name, value in _TABLE.to_row(run).items()}
    row["day"] = run.day.isoformat()
    row["shoe_id"] = shoe_id(db, run.shoe, create_shoe)
    return row


def _runs(db: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[Run]:
    cursor = db.cursor()
    cursor.row_factory = sqlite3.Row
    return [_TABLE.from_row(r, shoe=r["shoe"]) for r in cursor.execute(sql, list(params))]


def _save_profile(db: sqlite3.Connection, run_id: int, run: Run) -> None:
    points = [
        [p.elapsed_s, p.distance_m, p.elevation_m, p.pace_s_per_km, p.cadence_spm, p.heart_rate]
        for p in run.profile
    ]
    db.execute(
        "INSERT OR REPLACE INTO run_profile (run_id, points) VALUES (?, ?)",
        [run_id, json.dumps(points, separators=(",", ":"))],
    )


def _insert(db: sqlite3.Connection, run: Run, create_shoe: bool) -> int:
    row = _row(db, run, create_shoe)
    if run.id is not None:
        row["id"] = run.id
    cur = db.execute(
        f"INSERT INTO run ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    run_id = int(cur.lastrowid or 0)
    if run.profile:
        _save_profile(db, run_id, run)
    return run_id


def add_run(store: Store, run: Run, create_shoe: bool = False) -> Run:
    """Save a run (with an id: put a deleted run back, for undo)."""
    with store.write() as db:
        run_id = _insert(db, run, create_shoe)
    return replace(run, id=run_id)


def add_runs(store: Store, runs: Iterable[Run], create_shoes: bool = True) -> int:
    """Save many runs in one transaction."""
    count = 0
    with store.write() as db:
        for run in runs:
            _insert(db, run, create_shoes)
            count += 1
    return count


def update_run(store: Store, run: Run) -> Run:
    if run.id is None:
        raise ValueError("update_run needs a saved run")
    with store.write() as db:
        row = _row(db, run, create_shoe=False)
        db.execute(
            f"UPDATE run SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
            [*row.values(), run.id],
        )
        if run.profile:  # a run read without its profile keeps the stored one
            _save_profile(db, run.id, run)
    return run


def get_run(store: Store, run_id: int, with_profile: bool = True) -> Run | None:
    with store.read() as db:
        found = _runs(db, _SELECT + " WHERE run.id = ?", [run_id])
        if not found:
            return None
        run = found[0]
        if with_profile:
            prof = db.execute(
                "SELECT points FROM run_profile WHERE run_id = ?", [run_id]
            ).fetchone()
            if prof is not None:
                run = replace(run, profile=tuple(ProfilePoint(*p) for p in json.loads(prof[0])))
    return run


def delete_run(store: Store, run_id: int) -> Run | None:
    """Delete and return the run with its profile (for undo)."""
    run = get_run(store, run_id)
    if run is None:
        return None
    with store.write() as db:
        db.execute("DELETE FROM run WHERE id = ?", [run_id])
    return run


def list_runs(store: Store, start: date | None = None, end: date | None = None) -> list[Run]:
    """Runs oldest first, without their profiles."""
    where, params = [], []
    if start is not None:
        where.append("run.day >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("run.day <= ?")
        params.append(end.isoformat())
    sql = (
        _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY run.start, run.id"
    )
    with store.read() as db:
        return _runs(db, sql, params)


def run_span(store: Store) -> tuple[int, date, date] | None:
    """How many runs there are and the days of the first and the last (None: no runs)."""
    with store.read() as db:
        count, first, last = db.execute("SELECT count(*), min(day), max(day) FROM run").fetchone()
    if not count:
        return None
    return int(count), date.fromisoformat(first), date.fromisoformat(last)


def count_runs(store: Store) -> int:
    with store.read() as db:
        return int(db.execute("SELECT count(*) FROM run").fetchone()[0])


def _instant(start: str) -> str:
    """The start as an instant: the same run exported with another UTC offset (an older
    export, or another computer's time zone) is still the same run."""
    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        return start
    return moment.astimezone(UTC).isoformat() if moment.tzinfo else start


def _identity(start: str, distance_m: Any, moving_time_s: Any, source: str) -> tuple[Any, ...]:
    """What makes two runs the same for import; rounded, as a run saved by an older version
    may hold more decimals than its export."""
    return (
        _instant(start),
        _stored("distance_m", distance_m),
        _stored("moving_time_s", moving_time_s),
        source,
    )


def import_runs(store: Store, runs: Iterable[Run]) -> tuple[int, int]:
    """Add runs in one transaction, skipping exact copies of runs already there.

    Copies are counted, not merged: a run entered twice is exported and imported twice.
    """
    with store.write() as db:
        existing = Counter(
            _identity(*r)
            for r in db.execute("SELECT start, distance_m, moving_time_s, source FROM run")
        )
        added = skipped = 0
        for run in runs:
            key = _identity(run.start.isoformat(), run.distance_m, run.moving_time_s, run.source)
            if existing[key]:
                existing[key] -= 1
                skipped += 1
                continue
            _insert(db, run, create_shoe=True)
            added += 1
    return added, skipped
