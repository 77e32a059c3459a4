"""Strava bulk exports: activities.csv and activities/ (a folder, or the ZIP as downloaded,
which `importers.archives` unpacks first).

activities.csv lists every activity; runs ("Run", "Trail Run", "Virtual Run") are read
from the activity file it names (FIT/GPX/TCX, often .gz) when that file is in the folder,
so the track metrics come from the samples; otherwise the row's own summary (distance,
moving and elapsed time, elevation gain and loss, heart rate, cadence) makes the run.
Other activity types are stated skips.

The CSV repeats some column names: the first "Distance" is in the runner's display unit
(km or miles), the second in metres, which is the one used. "Activity Date" is UTC.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from backstride.core.models import Run
from backstride.importers._build import (
    OTHER,
    RUN,
    checked_run,
    fragment_reason,
    local_time,
    per_foot_to_steps,
    plausible,
    sport_kind,
)
from backstride.importers.errors import ImportFileError
from backstride.importers.files import read_activity, read_bytes
from backstride.importers.reading import FileReading

INDEX = "activities.csv"
_DATE_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p",  # Jan 5, 2021, 7:03:12 AM (Strava's English export)
    "%b %d, %Y %I:%M:%S %p",
    "%d %b %Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
)
MAX_ROWS = 100_000
# A single unlabelled "Distance" above this cannot be km of running: it is metres.
_KM_OR_METRES = 500.0


class _Row:
    """One CSV row, looked up by (case-insensitive) column name."""

    def __init__(self, columns: dict[str, list[int]], cells: Sequence[str]) -> None:
        self._columns = columns
        self._cells = cells

    def text(self, name: str, which: int = 0) -> str:
        indices = self._columns.get(name.lower())
        if not indices:
            return ""
        index = indices[which] if -len(indices) <= which < len(indices) else indices[0]
        return self._cells[index].strip() if index < len(self._cells) else ""

    def number(self, name: str, which: int = 0) -> float | None:
        return _number(self.text(name, which))

    def count(self, name: str) -> int:
        return len(self._columns.get(name.lower(), []))


def _number(text: str) -> float | None:
    text = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # decimal comma
    else:
        text = text.replace(",", "")  # thousands separators
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") and value >= 0 else None


def _start(text: str) -> datetime | None:
    """The row's UTC start, or None when the text is not in a form Strava writes."""
    cleaned = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    for fmt in _DATE_FORMATS:
        try:
            moment = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return moment.replace(tzinfo=UTC)
    return None


def _distance_m(row: _Row) -> float | None:
    if row.count("Distance") >= 2:
        return row.number("Distance", -1)
    value = row.number("Distance")
    if value is None:
        return None
    return value if value > _KM_OR_METRES else value * 1000.0


def _summary_run(row: _Row, start: datetime, activity_id: str, line: str) -> Run:
    cadence = row.number("Average Cadence")
    steps = per_foot_to_steps([cadence])[0] if cadence else None
    identity = f"strava-activity:{activity_id}" if activity_id else f"strava-row:{line}"
    return Run(
        start=start,
        distance_m=_distance_m(row),
        moving_time_s=row.number("Moving Time"),
        elapsed_time_s=row.number("Elapsed Time", -1),
        ascent_m=row.number("Elevation Gain"),
        descent_m=row.number("Elevation Loss"),
        avg_hr=row.number("Average Heart Rate") or None,
        cadence_spm=steps,
        source=INDEX,
        source_hash=hashlib.sha256(identity.encode("utf-8")).hexdigest(),
    )


def _activity_file(folder: Path, name: str) -> Path | None:
    """The export's file for a row, if it is really inside the folder and present."""
    if not name:
        return None
    try:
        candidate = (folder / name).resolve()
        root = folder.resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, or a NUL in the name
        return None
    if root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _read_row(folder: Path, index: Path, row: _Row, number: int, raw: str) -> FileReading:
    kind_text = row.text("Activity Type")
    name = row.text("Activity Name")
    date_text = row.text("Activity Date")
    label = f"{INDEX} row {number}: {kind_text or 'activity'} '{name}' of {date_text}"
    kind, words = sport_kind(kind_text)
    if kind != RUN:
        what = words if kind == OTHER else f"a '{kind_text or 'untyped'}' activity"
        return FileReading(index, skipped=[f"{what}, not a run"], label=label)
    start_utc = _start(date_text)
    if start_utc is None:
        return FileReading(
            index,
            error=(
                f"its date '{date_text}' is not in a form we know (Strava writes e.g. "
                "'Jan 5, 2021, 7:03:12 AM'); export your Strava data again with English "
                "as the language"
            ),
            label=label,
        )
    try:
        start = local_time(plausible(start_utc))
    except ImportFileError as exc:
        return FileReading(index, error=exc.reason, label=label)
    activity_id = row.text("Activity ID")
    filename = row.text("Filename")
    file = _activity_file(folder, filename)
    warnings: list[str] = []
    if file is not None:
        try:
            reading = read_activity(file)
        except ImportFileError as exc:
            warnings.append(
                f"its activity file {filename} could not be read ({exc.reason}); "
                f"the summary in {INDEX} was used instead"
            )
        else:
            if reading.runs:
                reading.label = f"{filename} ({kind_text} '{name}')"
                return reading
            warnings.append(
                f"its activity file {filename} describes {'; '.join(reading.skipped)}, but "
                f"Strava lists it as a run, so the summary in {INDEX} was used"
            )
    elif filename:
        warnings.append(
            f"its activity file {filename} is not in the export folder; the summary in "
            f"{INDEX} was used, so downhill, surge and gait figures are missing"
        )
    summary = _summary_run(row, start, activity_id, raw)
    fragment = fragment_reason(summary.distance_m, summary.elapsed_time_s)
    if fragment is not None:
        return FileReading(index, skipped=[fragment], warnings=warnings, label=label)
    try:
        run = checked_run(summary, warnings)
    except ImportFileError as exc:
        return FileReading(index, error=exc.reason, label=label)
    return FileReading(index, runs=[run], warnings=warnings, label=label)


def row_count(folder: Path) -> int:
    """How many activities the export's activities.csv lists (blank rows included).

    Raises ImportFileError when activities.csv itself cannot be used.
    """
    return len(_rows(Path(folder) / INDEX)) - 1


def read_strava_export(folder: Path, only: range | None = None) -> list[FileReading]:
    """One FileReading per activity listed in the export's activities.csv (only the rows
    numbered in `only`, from 1, when given: a batch reads an export in slices).

    Raises ImportFileError only when activities.csv itself cannot be used; a bad row
    gives a reading with `error` set and the other rows go on.
    """
    folder = Path(folder)
    index = folder / INDEX
    rows = _rows(index)
    columns: dict[str, list[int]] = {}
    for i, title in enumerate(rows[0]):
        columns.setdefault(title.strip().lower(), []).append(i)
    readings: list[FileReading] = []
    # Rows are numbered as records (a description may span several lines of the file).
    for number, cells in enumerate(rows[1:], start=1):
        if only is not None and number not in only:
            continue
        if not any(cell.strip() for cell in cells):
            continue
        readings.append(_read_row(folder, index, _Row(columns, cells), number, ",".join(cells)))
    return readings


def _rows(index: Path) -> list[list[str]]:
    """activities.csv as rows, its titles first; ImportFileError when it is unusable."""
    try:
        data = read_bytes(index)
        text = data.decode("utf-8-sig")
    except ImportFileError as exc:
        raise exc.for_file(INDEX) from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "it is not UTF-8 text, so it is not Strava's activities.csv; "
            "unzip the Strava export again",
            file=INDEX,
        ) from exc
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ImportFileError(
            f"it is not a readable CSV file ({exc}); unzip the Strava export again", file=INDEX
        ) from exc
    if not rows:
        raise ImportFileError("it is empty; unzip the Strava export again", file=INDEX)
    titles = {title.strip().lower() for title in rows[0]}
    missing = [c for c in ("Activity Date", "Activity Type") if c.lower() not in titles]
    if missing:
        raise ImportFileError(
            f"it has no {' or '.join(repr(c) for c in missing)} column, so it is not a Strava "
            "export in English; set Strava's language to English and export again",
            file=INDEX,
        )
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(
            f"it lists {len(rows) - 1:,} activities, more than {MAX_ROWS:,} (ten a day for "
            "25 years), so it is not a Strava export; unzip the Strava export again",
            file=INDEX,
        )
    return rows
