"""Bring watch files into the store: read (importers), match (core.duplicates), save (store).

Used by the CLI and by the GUI's import worker. Each file's runs are saved in one
transaction, so a failure or a Cancel never leaves half a file in the database; the
batch goes on past a bad file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from backstride.core.duplicates import find_duplicate, is_hand_entered, merge_into_manual
from backstride.core.models import Run
from backstride.core.text import printable_name
from backstride.importers import expand_sources, read_sources
from backstride.importers.files import not_a_file
from backstride.store.database import Store
from backstride.store.runs import add_runs, list_runs, update_run

ProgressFn = Callable[[int, int, str], None]


@dataclass
class Outcome:
    """What happened to one file (or one Strava export row)."""

    label: str
    status: str  # imported | duplicate | skipped | failed
    message: str = ""
    added: list[Run] = field(default_factory=list)
    merges: list[tuple[Run, Run]] = field(default_factory=list)  # (hand-entered, imported)

    def line(self) -> str:
        # Names come from the file system and from Strava's CSV: printed with control
        # characters escaped, so none can fake an output line or drive the terminal.
        text = f"{self.label}: {self.status}" + (f": {self.message}" if self.message else "")
        return printable_name(text)


@dataclass
class ImportSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def runs_added(self) -> int:
        return sum(len(o.added) for o in self.outcomes)

    @property
    def merges(self) -> list[tuple[Run, Run]]:
        return [m for o in self.outcomes for m in o.merges]

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def text(self) -> str:
        parts = [
            f"{self.runs_added} run(s) imported from {self.count('imported')} file(s)",
            f"{self.count('duplicate')} already there",
            f"{self.count('skipped')} skipped",
            f"{self.count('failed')} failed",
        ]
        if self.merges:
            parts.append(f"{len(self.merges)} match runs you entered by hand")
        return "; ".join(parts)


def import_activity_files(
    store: Store,
    paths: Iterable[Path],
    progress: ProgressFn | None = None,
) -> ImportSummary:
    """Import every readable run; progress may raise to cancel (finished files are kept).

    A path named here that is not a regular file or a folder (a pipe, a device) fails
    unread, and so does a folder holding nothing to import.
    """
    summary = ImportSummary()
    sources: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        found = expand_sources([path])
        refusal = _refusal(path, found)
        if refusal is None:
            sources += [p for p in found if p not in seen]
            seen.update(found)
        else:
            summary.outcomes.append(Outcome(str(path), "failed", refusal))
    existing = list_runs(store)
    for done, reading in enumerate(read_sources(sources)):
        if progress is not None:
            progress(done, len(sources), reading.label)
        if reading.error is not None:
            summary.outcomes.append(Outcome(reading.label, "failed", reading.error))
            continue
        outcome = Outcome(reading.label, "skipped", "; ".join(reading.skipped))
        new: list[Run] = []
        for run in reading.runs:
            match = find_duplicate(run, existing + new)
            if match is None:
                new.append(run)
            elif is_hand_entered(match):
                outcome.merges.append((match, run))
        if new:
            add_runs(store, new)
            existing.extend(new)
            outcome.status, outcome.added = "imported", new
            notes = [f"{len(new)} run(s)" if len(new) > 1 else _describe(new[0])]
            outcome.message = "; ".join(notes + reading.warnings + reading.skipped)
        elif reading.runs:
            outcome.status = "duplicate"
            outcome.message = (
                f"matches a run you entered by hand on {outcome.merges[0][0].day:%d %b %Y}"
                if outcome.merges
                else "already imported"
            )
        summary.outcomes.append(outcome)
    if progress is not None:
        progress(len(sources), len(sources), "")
    return summary


def merge_runs(store: Store, merges: Iterable[tuple[Run, Run]]) -> list[tuple[Run, Run]]:
    """Complete hand-entered runs with their imported tracks; returns (before, after) pairs."""
    done = []
    with store.write():
        for manual, imported in merges:
            merged = merge_into_manual(manual, imported)
            update_run(store, merged)
            done.append((manual, merged))
    return done


def _refusal(path: Path, found: list[Path]) -> str | None:
    """Why a path the runner named gives nothing to read (None when it does)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing or a link loop: reading it gives the precise reason
    if os.path.isdir(path):
        if found:
            return None
        return (
            "no watch files (.fit, .gpx, .tcx or their .gz) and no Strava export were found "
            "in this folder; choose the files themselves or the folder that holds them"
        )
    refusal = not_a_file(mode)
    return None if refusal is None else refusal.reason


def _describe(run: Run) -> str:
    km = f"{run.distance_m / 1000:.2f} km" if run.distance_m else "no distance"
    return f"run on {run.start:%d %b %Y %H:%M}, {km}"
