"""Turning what the runner picked (files, folders, Strava exports, archives) into readings.

A batch is cut into `Task`s, each read by `read_task` on its own (in a worker process
when the batch is large, see `backstride.importing`): one per file, and one per slice of
`STRAVA_SLICE` rows of a Strava export, so a big export is read on every core too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from backstride.importers.errors import ImportFileError, NotAFileError
from backstride.importers.files import ARCHIVE_SUFFIX, read_activity, supported_name
from backstride.importers.reading import FileReading

STRAVA_INDEX = "activities.csv"
STRAVA_SLICE = 50  # rows per task: a few seconds of reading, so Cancel stays prompt


@dataclass(frozen=True, slots=True)
class Task:
    """One piece of a batch: a file, or a slice of a Strava export folder's rows."""

    path: Path
    rows: range | None = None


def is_strava_export(folder: Path) -> bool:
    """A Strava bulk export (unzipped) is recognised by its activities.csv."""
    return (folder / STRAVA_INDEX).is_file()


def expand_sources(paths: Iterable[Path]) -> list[Path]:
    """The files and Strava export folders to read, in a stable order, each once.

    - a file is kept whatever its name (reading it says whether it is an activity);
      an `activities.csv` stands for its Strava export folder;
    - a Strava export folder is kept as one source (its activities.csv says what to read);
    - any other folder is searched recursively for .fit/.gpx/.tcx (and .gz) files,
      export archives (.zip) and Strava exports, skipping hidden files and folders;
    - a path that does not exist is kept, so reading it reports the problem.
    """
    out: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symbolic link loop: reading it says so
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            out.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if is_strava_export(path):
                add(path)
                continue
            for root, dirs, files in os.walk(path):
                here = Path(root)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                exports = [d for d in dirs if is_strava_export(here / d)]
                for d in exports:
                    add(here / d)
                dirs[:] = [d for d in dirs if d not in exports]
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    if supported_name(Path(name)) or name.lower().endswith(ARCHIVE_SUFFIX):
                        add(here / name)
        elif path.name.lower() == STRAVA_INDEX and path.is_file():
            add(path.parent)
        else:
            add(path)
    return out


def plan(sources: Iterable[Path]) -> list[Task]:
    """The tasks reading `sources` (from `expand_sources`), in their order."""
    from backstride.importers.strava import row_count

    tasks: list[Task] = []
    for path in sources:
        if not path.is_dir():
            tasks.append(Task(path))
            continue
        try:
            count = row_count(path)
        except ImportFileError:
            tasks.append(Task(path, range(1, 2)))  # reading it reports the problem
            continue
        tasks += [
            Task(path, range(first, first + STRAVA_SLICE))
            for first in range(1, max(count, 1) + 1, STRAVA_SLICE)
        ]
    return tasks


def read_task(task: Task) -> list[FileReading]:
    """The readings of one task. Never raises for a bad file: its reading carries
    `error` instead; a path that is not a regular file (a pipe, device, socket or link
    loop) is skipped with the reason, never read. Nothing is stored here."""
    path = task.path
    if task.rows is not None:
        from backstride.importers.strava import read_strava_export

        try:
            return read_strava_export(path, task.rows)
        except ImportFileError as exc:
            return [FileReading(path / STRAVA_INDEX, error=exc.reason, label=str(path.name))]
    try:
        return [read_activity(path)]
    except NotAFileError as exc:
        return [FileReading(path, skipped=[exc.reason])]
    except ImportFileError as exc:
        return [FileReading(path, error=exc.reason)]


def read_sources(paths: Iterable[Path]) -> Iterator[FileReading]:
    """One FileReading per file (or per Strava export activity), for a whole batch, read
    here in this process (see `read_task`)."""
    for task in plan(expand_sources(paths)):
        yield from read_task(task)
