"""CSV export and import of the whole store (the CLI's export/import, and the File menu).

Import is all-or-nothing: every file is read and checked before anything is written, and
then everything is written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from functools import partial
from pathlib import Path
from typing import Any

from backstride.core.csv_codec import Table, read_table, write_table
from backstride.core.errors import CsvError
from backstride.core.pain_csv import PAIN_CSV, pain_table
from backstride.core.safe_write import prepare_folder, write_private
from backstride.core.training_csv import (
    HABITS_CSV,
    RUNS_CSV,
    SHOES_CSV,
    habits_table,
    runs_table,
    shoes_table,
)
from backstride.store.database import Store
from backstride.store.habits import import_habit_days, list_habit_days
from backstride.store.pain import import_pain_entries, list_pain_entries
from backstride.store.runs import import_runs, list_runs
from backstride.store.shoes import import_shoes, list_shoes


@dataclass(frozen=True)
class CsvFile:
    name: str
    table: Callable[[date, tzinfo | None], Table[Any]]
    rows: Callable[[Store], Sequence[Any]]
    write: Callable[[Store, Sequence[Any]], tuple[int, int]]  # -> (added, skipped)


def _counted(
    fn: Callable[[Store, Sequence[Any]], int],
) -> Callable[[Store, Sequence[Any]], tuple[int, int]]:
    return lambda store, rows: (fn(store, rows), 0)


# In import order: shoes before the runs that name them.
FILES = (
    CsvFile(
        SHOES_CSV,
        lambda today, _: shoes_table(today),
        lambda s: [u.shoe for u in list_shoes(s)],
        _counted(import_shoes),
    ),
    CsvFile(RUNS_CSV, runs_table, list_runs, import_runs),
    CsvFile(
        HABITS_CSV,
        lambda today, _: habits_table(today),
        list_habit_days,
        _counted(import_habit_days),
    ),
    CsvFile(PAIN_CSV, lambda today, _: pain_table(today), list_pain_entries, import_pain_entries),
)
_BY_NAME = {f.name: f for f in FILES}


def export_all(store: Store, outdir: Path, today: date) -> list[tuple[Path, int]]:
    """Write every table as CSV into outdir, owner-only and spreadsheet-safe (see
    core/safe_write and csv_codec.escape_cell); returns (path, rows) per file."""
    prepare_folder(outdir)
    written = []
    for spec in FILES:
        rows = spec.rows(store)
        path = outdir / spec.name
        write_private(path, partial(write_table, spec.table(today, None), rows))
        written.append((path, len(rows)))
    return written


def is_csv_export(path: Path) -> bool:
    """A CSV file meant for import_csv_files (a Strava export's activities.csv is not)."""
    return path.suffix.lower() == ".csv" and path.name != "activities.csv"


def import_csv_files(
    store: Store, paths: Sequence[Path], today: date, local_zone: tzinfo | None = None
) -> list[tuple[Path, int, int]]:
    """Import CSV files by their names; returns (path, added, skipped) per file."""
    parsed: list[tuple[CsvFile, Path, list[Any]]] = []
    for path in paths:
        spec = _BY_NAME.get(path.name)
        if spec is None:
            raise CsvError(
                str(path), 0, "", f"unknown file name; Backstride reads {', '.join(_BY_NAME)}"
            )
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                parsed.append((spec, path, read_table(spec.table(today, local_zone), f, path.name)))
        except UnicodeDecodeError:
            raise CsvError(path.name, 0, "", "is not UTF-8 text; save it as UTF-8 CSV") from None
    parsed.sort(key=lambda item: FILES.index(item[0]))
    results: list[tuple[Path, int, int]] = []
    with store.write():  # one transaction: every file lands, or none
        for spec, path, rows in parsed:
            added, skipped = spec.write(store, rows)
            results.append((path, added, skipped))
    order = {p: i for i, p in enumerate(paths)}
    return sorted(results, key=lambda r: order[r[0]])
