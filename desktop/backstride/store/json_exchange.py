"""The whole store as one JSON file, and back (format: docs/json-format.md).

Import checks every record (core/json_export) and saves it in one transaction with the CSV
import's identity rules, rolled back if anything in the document is wrong: importing an
export twice adds nothing, and a bad document saves nothing.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from backstride import __version__
from backstride.core.json_export import (
    MAX_BYTES,
    SECTIONS,
    ExportReader,
    JsonImportError,
    write_export,
)
from backstride.core.models import Assessment, HabitDay, Run, Shoe
from backstride.core.safe_write import prepare_folder, write_private
from backstride.core.text import printable_name
from backstride.store.assessments import add_assessment, list_assessments
from backstride.store.database import Store, StoreError
from backstride.store.demo import DEMO_KEY, holds_data, is_demo
from backstride.store.experiments import export_records, import_records
from backstride.store.habits import import_habit_days, list_habit_days
from backstride.store.pain import import_pain_entries, list_pain_entries
from backstride.store.runs import get_run, import_runs, list_runs
from backstride.store.shoes import import_shoes, list_shoes

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Imported:
    """What importing did to one kind of record."""

    key: str
    added: int
    already: int  # exact copies already there
    updated: int = 0  # a shoe or habit day already there, replaced by the file's

    def line(self) -> str:
        extra = (f", {self.updated} updated" if self.updated else "") + (
            f", {self.already} already there" if self.already else ""
        )
        return f"{self.key}: {self.added} added{extra}"


def export_json(store: Store, path: Path, now: datetime) -> dict[str, int]:
    """Write everything into one JSON file; returns the number of records per section."""
    records = {
        "shoes": [u.shoe for u in list_shoes(store)],
        "runs": _runs_with_profiles(store),  # one profile in memory at a time
        "habits": list_habit_days(store),
        "pain": list_pain_entries(store),
        "assessments": list_assessments(store)[::-1],  # oldest first, like the rest
        "experiments": export_records(store),  # with their deviations and daily answers
    }
    prepare_folder(path.parent)
    return write_private(
        path,
        partial(
            write_export,
            records=records,
            demo=store.get_meta(DEMO_KEY),
            exported_at=now,
            app_version=__version__,
        ),
    )


def _runs_with_profiles(store: Store) -> Iterator[Run]:
    for listed in list_runs(store):  # list_runs leaves the profiles out
        run = get_run(store, listed.id) if listed.id is not None else None
        if run is not None:
            yield run


def is_json_export(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _read_export(path: Path) -> bytes:
    """The file's bytes, refusing a FIFO or device (which would block or never end)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise JsonImportError.refused(
                printable_name(path.name), "is not a regular file; give an export file"
            )
        # One byte over tells the reader it is too big, without reading all of a huge file.
        return f.read(min(info.st_size, MAX_BYTES) + 1)


def import_json(store: Store, path: Path, today: date) -> list[Imported]:
    """Import a JSON export, all of it or (with JsonImportError naming the problems) none.

    Records are saved as the file is read, inside one transaction that any problem rolls
    back, so a big file's run profiles are never all in memory at once.
    """
    reader = ExportReader(_read_export(path), printable_name(path.name), today)
    with store.write():
        own_data, demo_folder = holds_data(store), is_demo(store)
        known_shoes = {u.shoe.name: replace(u.shoe, id=None) for u in list_shoes(store)}
        known_days = {h.day: h for h in list_habit_days(store)}
        done: dict[str, Imported] = {}
        for key, records in reader.sections():
            done[key] = _import_section(store, key, records, known_shoes, known_days, today)
        demo = reader.finish()
        if own_data:
            _check_demo(demo, demo_folder, path, store)
        if demo is not None and not demo_folder:
            store.set_meta(DEMO_KEY, demo)
    return [done.get(s.key, Imported(s.key, 0, 0)) for s in SECTIONS]


def _import_section(
    store: Store,
    key: str,
    records: Iterator[Any],
    known_shoes: Mapping[str, Shoe],
    known_days: Mapping[date, HabitDay],
    today: date,
) -> Imported:
    if key == "runs":
        return Imported(key, *import_runs(store, records))  # one run at a time
    if key == "pain":
        return Imported(key, *import_pain_entries(store, records))
    items = list(records)
    if key == "shoes":
        import_shoes(store, items)
        return Imported(key, *_replaced(known_shoes, {s.name: s for s in items}))
    if key == "habits":
        import_habit_days(store, items)
        return Imported(key, *_replaced(known_days, {h.day: h for h in items}))
    if key == "experiments":
        return Imported(key, *import_records(store, items, today))
    return Imported(key, *_import_assessments(store, items))


def _replaced(before: Mapping[K, V], incoming: Mapping[K, V]) -> tuple[int, int, int]:
    """(added, unchanged, updated) for records matched by key and replaced by the file's."""
    added = sum(1 for k in incoming if k not in before)
    same = sum(1 for k, v in incoming.items() if before.get(k) == v)
    return added, same, len(incoming) - added - same


def _check_demo(demo: str | None, demo_folder: bool, path: Path, store: Store) -> None:
    """Demo rows never mix with the runner's own (architecture.md, Data)."""
    if demo is not None and not demo_folder:
        raise StoreError(
            f"{printable_name(path.name)} holds the demo runner's made-up data, so it is not "
            "imported into your own diary. Import it into an empty folder, e.g. --data-dir "
            "/tmp/backstride-demo."
        )
    if demo is None and demo_folder:
        raise StoreError(
            f"{printable_name(str(store.path.parent))} holds the demo runner; import your own "
            "data into your own data folder (leave out --data-dir, or give an empty folder)."
        )


def _identity(a: Assessment) -> tuple[str, str, str, str]:
    return (
        a.taken_at.isoformat(),
        json.dumps(a.answers, sort_keys=True),
        json.dumps(a.result, sort_keys=True),
        a.rules_version,
    )


def _import_assessments(store: Store, assessments: Sequence[Assessment]) -> tuple[int, int]:
    """Counted like pain entries and runs: two identical check-ups stay two."""
    existing = Counter(_identity(a) for a in list_assessments(store))
    added = 0
    for a in assessments:
        key = _identity(a)
        if existing[key]:
            existing[key] -= 1
            continue
        add_assessment(store, a)
        added += 1
    return added, len(assessments) - added
