"""Bring watch files into the store: read (importers), match (core.duplicates), save (store).

Used by the CLI and by the GUI's import worker. Export archives (ZIP) are first unpacked
into a private temporary folder, removed when the batch ends. Files are decoded and
measured in worker processes, one per core (`workers`), and saved here by the one
writer, in the batch's order whatever the number of workers. Each file's runs are saved
in one transaction, so a failure or a Cancel never leaves half a file in the database;
the batch goes on past a bad file.

Workers are started with "spawn" (the GUI process has threads, which fork would copy
half-locked); a small batch is read here, where starting them would cost more than it
saves. Cancel (the progress callback raising) or any error stops the pool and waits for
its processes to end, so none is left behind.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from backstride.core.duplicates import RunIndex, is_hand_entered, merge_into_manual
from backstride.core.models import Run
from backstride.core.text import printable_name
from backstride.importers import FileReading, ImportFileError, expand_sources
from backstride.importers.archives import is_archive, unpack
from backstride.importers.files import not_a_file
from backstride.importers.sources import Task, plan, read_task
from backstride.store.database import Store
from backstride.store.runs import add_runs, list_runs, update_run

ProgressFn = Callable[[int, int, str], None]
# Below this many tasks the batch is read in this process: starting a worker (a fresh
# interpreter importing the decoders) costs about as much as reading a dozen files.
POOL_MIN_TASKS = 16
# Tasks handed to the pool ahead of the one being saved: enough to keep every worker
# busy, few enough that finished readings never pile up in memory.
AHEAD_PER_WORKER = 4
_CRASHED = (
    "the process reading it stopped (a fault in a decoder, not in the file as far as we "
    "know); import this file again on its own, and report it if that happens again"
)


@dataclass
class Outcome:
    """What happened to one file (or one Strava export row).

    `added` holds the saved runs without their profiles (a batch keeps only what its
    summary shows, so memory stays flat over thousands of files); `merges` keep the
    imported run whole, as completing the hand-entered one needs its profile.
    """

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
    # A batch stopped before its end (`stop`): how many of its files were read and saved,
    # out of how many; the rest were not read.
    stopped: bool = False
    files_read: int = 0
    files_total: int = 0

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

    @property
    def imported_days(self) -> tuple[date, date] | None:
        """The first and last day of the runs this batch added (None if it added none)."""
        days = [run.day for o in self.outcomes for run in o.added]
        return (min(days), max(days)) if days else None

    def text(self) -> str:
        if self.stopped:
            unread = self.files_total - self.files_read
            return (
                f"Stopped: {self.files_read} of {self.files_total} file(s) were read and kept "
                f"({self.runs_added} run(s) imported, {self.count('duplicate')} already there, "
                f"{self.count('skipped')} skipped, {self.count('failed')} failed); "
                f"{unread} not read"
            )
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
    workers: int | None = None,
    stop: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import every readable run; progress may raise to cancel (finished files are kept).

    A path named here that is not a regular file or a folder (a pipe, a device) fails
    unread, and so does a folder holding nothing to import. `workers` is the number of
    reading processes (default: one per core; 1 reads everything in this process). When
    `stop` answers True, the batch ends before the next file and the summary says how
    many files were read and kept and how many were not read (`ImportSummary.stopped`).
    """
    summary = ImportSummary()
    with tempfile.TemporaryDirectory(prefix="backstride-import-") as scratch:
        tasks, labels = _tasks(paths, Path(scratch), summary)
        existing = RunIndex(list_runs(store))
        readings = _read(tasks, _worker_count(workers, len(tasks)))
        summary.files_total = len(tasks)
        try:
            for done, (task, found) in enumerate(readings):
                if stop is not None and stop():
                    summary.stopped = True
                    break
                if progress is not None:
                    progress(done, len(tasks), task.path.name)
                for reading in found:
                    summary.outcomes.append(_save(store, reading, labels, existing))
                summary.files_read = done + 1
        finally:
            readings.close()  # stops the pool at once on Cancel, Stop or an error
    if progress is not None and not summary.stopped:
        progress(len(tasks), len(tasks), "")
    return summary


def _tasks(
    paths: Iterable[Path], scratch: Path, summary: ImportSummary
) -> tuple[list[Task], dict[Path, str]]:
    """The batch's tasks, archives unpacked into `scratch`, refusals in `summary`; and
    for each unpacked folder, the archive's name its members are shown under."""
    sources: list[Path] = []
    seen: set[Path] = set()
    labels: dict[Path, str] = {}

    def add(found: list[Path]) -> None:
        nonlocal sources
        sources += [p for p in found if p not in seen]
        seen.update(found)

    for path in map(Path, paths):
        found = expand_sources([path])
        refusal = _refusal(path, found)
        if refusal is not None:
            summary.outcomes.append(Outcome(str(path), "failed", refusal))
            continue
        for source in found:
            if source.is_dir() or not is_archive(source):
                add([source])
                continue
            folder = scratch / str(len(labels))
            try:
                unpacked = unpack(source, folder)
            except ImportFileError as exc:
                summary.outcomes.append(Outcome(source.name, "failed", exc.reason))
                continue
            labels[folder] = source.name
            members = expand_sources([folder]) if unpacked.kept else []
            note = unpacked.note()
            if not members:
                note = "; ".join(filter(None, ["it holds no activity files", note]))
            if note:
                summary.outcomes.append(Outcome(source.name, "skipped", note))
            add(members)
    return plan(sources), labels


def _worker_count(workers: int | None, tasks: int) -> int:
    if workers is not None:
        return max(1, workers)
    if tasks < POOL_MIN_TASKS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, tasks))


def _read(tasks: list[Task], workers: int) -> Generator[tuple[Task, list[FileReading]], None, None]:
    """Each task with its readings, in the tasks' order."""
    if workers <= 1:
        for task in tasks:
            yield task, read_task(task)
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    pending: deque[tuple[Task, Future[list[FileReading]]]] = deque()
    queue = iter(tasks)
    try:
        while True:
            while len(pending) < AHEAD_PER_WORKER * workers:
                more = next(queue, None)
                if more is None:
                    break
                pending.append((more, pool.submit(read_task, more)))
            if not pending:
                return
            task, future = pending.popleft()
            try:
                found = future.result()
            except BrokenProcessPool:
                # A worker died (a crash in a native decoder): every task in flight is
                # lost. The pool is rebuilt and this task retried alone, so only the
                # file that kills a worker fails; the others are read again.
                waiting = [t for t, _ in pending]
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
                try:
                    found = pool.submit(read_task, task).result()
                except BrokenProcessPool:
                    found = [FileReading(task.path, error=_CRASHED)]
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
                pending.extend((t, pool.submit(read_task, t)) for t in waiting)
            yield task, found
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _save(
    store: Store,
    reading: FileReading,
    labels: dict[Path, str],
    existing: RunIndex,
) -> Outcome:
    """Match one reading's runs against the log and save the new ones (one transaction)."""
    label = _label(reading, labels)
    if reading.error is not None:
        return Outcome(label, "failed", reading.error)
    outcome = Outcome(label, "skipped", "; ".join(reading.skipped))
    new: list[Run] = []
    for run in reading.runs:
        match = existing.find(run)
        if match is None:
            new.append(run)
            existing.add(_summary_only(run))
        elif is_hand_entered(match):
            outcome.merges.append((match, run))
    if new:
        add_runs(store, new)
        outcome.status, outcome.added = "imported", [_summary_only(run) for run in new]
        notes = [f"{len(new)} run(s)" if len(new) > 1 else _describe(new[0])]
        outcome.message = "; ".join(notes + reading.warnings + reading.skipped)
    elif reading.runs:
        outcome.status = "duplicate"
        outcome.message = (
            f"matches a run you entered by hand on {outcome.merges[0][0].day:%d %b %Y}"
            if outcome.merges
            else "already imported"
        )
    return outcome


def _summary_only(run: Run) -> Run:
    return replace(run, profile=()) if run.profile else run


def _label(reading: FileReading, labels: dict[Path, str]) -> str:
    """A member of an archive is named by the archive and its path inside it."""
    for folder, archive in labels.items():
        if folder in reading.path.parents:
            if reading.label == reading.path.name:
                return f"{archive}/{reading.path.relative_to(folder).as_posix()}"
            return f"{archive}: {reading.label}"
    return reading.label


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
            "no watch files (.fit, .gpx, .tcx or their .gz), no export archive (.zip) and no "
            "Strava export were found in this folder; choose the files themselves or the "
            "folder that holds them"
        )
    refusal = not_a_file(mode)
    return None if refusal is None else refusal.reason


def _describe(run: Run) -> str:
    km = f"{run.distance_m / 1000:.2f} km" if run.distance_m else "no distance"
    return f"run on {run.start:%d %b %Y %H:%M}, {km}"
