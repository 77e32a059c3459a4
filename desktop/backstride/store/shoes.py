"""Shoes, and the distance each has run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from backstride.core.models import Shoe
from backstride.store.database import Store
from backstride.store.records import RecordTable


@dataclass(frozen=True, slots=True)
class ShoeUse:
    shoe: Shoe
    distance_m: float
    runs: int

    @property
    def over_limit(self) -> bool:
        return self.distance_m >= self.shoe.warn_km * 1000.0


_TABLE = RecordTable(Shoe, "shoe")
_SELECT = f"SELECT {_TABLE.select_list('shoe.')} FROM shoe"


def _row(s: Shoe) -> dict[str, Any]:
    return {**_TABLE.to_row(s), "name": s.name.strip()}


def add_shoe(store: Store, shoe: Shoe) -> Shoe:
    row = _row(shoe) | ({"id": shoe.id} if shoe.id is not None else {})
    with store.write() as db:
        shoe_id = _TABLE.insert(db, row)
    return replace(shoe, id=shoe_id)


def update_shoe(store: Store, shoe: Shoe) -> Shoe:
    row = _row(shoe)
    with store.write() as db:
        db.execute(
            f"UPDATE shoe SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
            [*row.values(), shoe.id],
        )
    return shoe


def delete_shoe(store: Store, shoe_id: int) -> tuple[Shoe, list[int]] | None:
    """Delete a shoe; returns it and the runs that wore it (their link is cleared), for undo."""
    with store.write() as db:
        found = _TABLE.read(db, _SELECT + " WHERE id = ?", [shoe_id])
        if not found:
            return None
        runs = [r[0] for r in db.execute("SELECT id FROM run WHERE shoe_id = ?", [shoe_id])]
        db.execute("DELETE FROM shoe WHERE id = ?", [shoe_id])
    return found[0], runs


def restore_shoe(store: Store, shoe: Shoe, run_ids: Iterable[int]) -> None:
    with store.write() as db:
        add_shoe(store, shoe)
        ids = list(run_ids)
        if ids:
            db.execute(
                f"UPDATE run SET shoe_id = ? WHERE id IN ({', '.join('?' * len(ids))})",
                [shoe.id, *ids],
            )


def list_shoes(store: Store) -> list[ShoeUse]:
    """Every shoe with its distance so far; active shoes first, then by first use."""
    with store.read() as db:
        cursor = db.cursor()
        cursor.row_factory = sqlite3.Row
        rows = cursor.execute(
            f"SELECT {_TABLE.select_list('shoe.')}, coalesce(sum(run.distance_m), 0) AS km_m, "
            "count(run.id) AS runs FROM shoe LEFT JOIN run ON run.shoe_id = shoe.id "
            "GROUP BY shoe.id ORDER BY shoe.retired IS NOT NULL, shoe.first_used, shoe.name"
        ).fetchall()
    return [ShoeUse(_TABLE.from_row(r), float(r["km_m"]), int(r["runs"])) for r in rows]


def import_shoes(store: Store, shoes: Iterable[Shoe]) -> int:
    """Add or update shoes by name in one transaction."""
    count = 0
    columns = _TABLE.columns
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "name")
    with store.write() as db:
        for s in shoes:
            db.execute(
                f"INSERT INTO shoe ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                f"ON CONFLICT (name) DO UPDATE SET {updates}",
                list(_row(s).values()),
            )
            count += 1
    return count
