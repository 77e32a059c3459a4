"""Turning what the runner picked (files, folders, Strava exports) into readings."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from backstride.importers.errors import ImportFileError, NotAFileError
from backstride.importers.files import read_activity, supported_name
from backstride.importers.reading import FileReading

STRAVA_INDEX = "activities.csv"


def is_strava_export(folder: Path) -> bool:
    """A Strava bulk export (unzipped) is recognised by its activities.csv."""
    return (folder / STRAVA_INDEX).is_file()


def expand_sources(paths: Iterable[Path]) -> list[Path]:
    """The files and Strava export folders to read, in a stable order, each once.

    - a file is kept whatever its name (reading it says whether it is an activity);
      an `activities.csv` stands for its Strava export folder;
    - a Strava export folder is kept as one source (its activities.csv says what to read);
    - any other folder is searched recursively for .fit/.gpx/.tcx (and .gz) files and
      Strava exports, skipping hidden files and folders;
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
                    if not name.startswith(".") and supported_name(Path(name)):
                        add(here / name)
        elif path.name.lower() == STRAVA_INDEX and path.is_file():
            add(path.parent)
        else:
            add(path)
    return out


def read_sources(paths: Iterable[Path]) -> Iterator[FileReading]:
    """One FileReading per file (or per Strava export activity), for a whole batch.

    Never raises for a bad file: its reading carries `error` instead, so the rest of
    the batch goes on; a path that is not a regular file (a pipe, device, socket or link
    loop) is skipped with the reason, never read. Nothing is stored here.
    """
    for path in expand_sources(paths):
        if path.is_dir():
            from backstride.importers.strava import read_strava_export

            try:
                yield from read_strava_export(path)
            except ImportFileError as exc:
                yield FileReading(path / STRAVA_INDEX, error=exc.reason, label=str(path.name))
            continue
        try:
            yield read_activity(path)
        except NotAFileError as exc:
            yield FileReading(path, skipped=[exc.reason])
        except ImportFileError as exc:
            yield FileReading(path, error=exc.reason)
