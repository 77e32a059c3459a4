"""Importing Backstride's own exports (JSON, CSV) beside watch files: one rule for the CLI
and the app on which paths are which, and a backup before any export is read in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from backstride.core.text import printable_name
from backstride.store.backup import backup_before
from backstride.store.database import Store
from backstride.store.exchange import import_csv_files, is_csv_export
from backstride.store.json_exchange import import_json, is_json_export


@dataclass(frozen=True, slots=True)
class ImportPaths:
    exports: list[Path]  # JSON exports
    tables: list[Path]  # CSV files written by export
    activities: list[Path]  # watch files and folders

    @property
    def any_export(self) -> bool:
        return bool(self.exports or self.tables)


def sort_paths(paths: Sequence[Path]) -> ImportPaths:
    exports = [p for p in paths if is_json_export(p) and not p.is_dir()]
    tables = [p for p in paths if p.is_file() and is_csv_export(p)]
    activities = [p for p in paths if p not in tables and p not in exports]
    return ImportPaths(exports, tables, activities)


def import_exports(store: Store, paths: ImportPaths, today: date) -> list[str]:
    """Import the exports, each all-or-nothing, after a backup of the data as it was (an
    export can hold years of entries: the backup undoes the whole import). One line each."""
    if not paths.any_export:
        return []
    backup_before(store, "import")
    lines = []
    for path in paths.exports:
        results = import_json(store, path, today=today)
        lines.append(
            f"{printable_name(str(path))}: imported {'; '.join(r.line() for r in results)}"
        )
    if paths.tables:
        for path, added, skipped in import_csv_files(store, paths.tables, today=today):
            extra = f", {skipped} already there" if skipped else ""
            lines.append(f"{printable_name(str(path))}: imported {added} rows{extra}")
    return lines
