"""CSV export and import of the whole store (the CLI's export/import, and File menu items)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from backstride.core.csv_codec import read_table, write_table
from backstride.core.errors import CsvError
from backstride.core.pain_csv import PAIN_CSV, pain_table
from backstride.store.database import Store
from backstride.store.pain import import_pain_entries, list_pain_entries


def export_all(store: Store, outdir: Path, today: date) -> list[tuple[Path, int]]:
    """Write every table as CSV into outdir; returns (path, rows) per file."""
    outdir.mkdir(parents=True, exist_ok=True)
    entries = list_pain_entries(store)
    path = outdir / PAIN_CSV
    tmp = path.with_suffix(".csv.part")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        write_table(pain_table(today), entries, f)
    tmp.replace(path)  # a reader never sees a half-written file
    return [(path, len(entries))]


def import_csv_files(
    store: Store, paths: Sequence[Path], today: date
) -> list[tuple[Path, int, int]]:
    """Import CSV files by their names; any bad row in a file imports nothing from it."""
    parsed = []
    for path in paths:  # read every file before writing anything
        if path.name != PAIN_CSV:
            raise CsvError(str(path), 0, "", f"unknown file name; Backstride reads {PAIN_CSV}")
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                parsed.append((path, read_table(pain_table(today), f, path.name)))
        except UnicodeDecodeError:
            raise CsvError(path.name, 0, "", "is not UTF-8 text; save it as UTF-8 CSV") from None
    results: list[tuple[Path, int, int]] = []
    with store.write():  # one transaction: all files land, or none
        for path, entries in parsed:
            added, skipped = import_pain_entries(store, entries)
            results.append((path, added, skipped))
    return results
