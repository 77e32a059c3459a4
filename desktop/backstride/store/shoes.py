"""Shoes, and the distance each has run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from backstride.core.models import Shoe
from backstride.store.database import Store


@dataclass(frozen=True, slots=True)
class ShoeUse:
    shoe: Shoe
    distance_m: float
    runs: int

    @property
    def over_limit(self) -> bool:
        return self.distance_m >= self.shoe.warn_km * 1000.0


def _shoe(row: Sequence[Any]) -> Shoe:
    return Shoe(
        id=row[0],
        name=row[1],
        first_used=date.fromisoformat(row[2]) if row[2] else None,
        retired=date.fromisoformat(row[3]) if row[3] else None,
        warn_km=row[4],
    )


def _values(s: Shoe) -> list[Any]:
    return [
        s.name.strip(),
        s.first_used.isoformat() if s.first_used else None,
        s.retired.isoformat() if s.retired else None,
        s.warn_km,
    ]


def add_shoe(store: Store, shoe: Shoe) -> Shoe:
    columns = "name, first_used, retired, warn_km" + (", id" if shoe.id is not None else "")
    values = _values(shoe) + ([shoe.id] if shoe.id is not None else [])
    with store.write() as db:
        cur = db.execute(
            f"INSERT INTO shoe ({columns}) VALUES ({', '.join('?' * len(values))})", values
        )
    return replace(shoe, id=cur.lastrowid)


def update_shoe(store: Store, shoe: Shoe) -> Shoe:
    with store.write() as db:
        db.execute(
            "UPDATE shoe SET name = ?, first_used = ?, retired = ?, warn_km = ? WHERE id = ?",
            [*_values(shoe), shoe.id],
        )
    return shoe


def delete_shoe(store: Store, shoe_id: int) -> tuple[Shoe, list[int]] | None:
    """Delete a shoe; returns it and the runs that wore it (their link is cleared), for undo."""
    with store.write() as db:
        row = db.execute(
            "SELECT id, name, first_used, retired, warn_km FROM shoe WHERE id = ?", [shoe_id]
        ).fetchone()
        if row is None:
            return None
        runs = [r[0] for r in db.execute("SELECT id FROM run WHERE shoe_id = ?", [shoe_id])]
        db.execute("DELETE FROM shoe WHERE id = ?", [shoe_id])
    return _shoe(row), runs


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
        rows = db.execute(
            "SELECT shoe.id, shoe.name, shoe.first_used, shoe.retired, shoe.warn_km, "
            "coalesce(sum(run.distance_m), 0), count(run.id) "
            "FROM shoe LEFT JOIN run ON run.shoe_id = shoe.id GROUP BY shoe.id "
            "ORDER BY shoe.retired IS NOT NULL, shoe.first_used, shoe.name"
        ).fetchall()
    return [ShoeUse(_shoe(r), float(r[5]), int(r[6])) for r in rows]


def import_shoes(store: Store, shoes: Iterable[Shoe]) -> int:
    """Add or update shoes by name in one transaction."""
    count = 0
    with store.write() as db:
        for s in shoes:
            db.execute(
                "INSERT INTO shoe (name, first_used, retired, warn_km) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET first_used = excluded.first_used, "
                "retired = excluded.retired, warn_km = excluded.warn_km",
                _values(s),
            )
            count += 1
    return count
