"""Hypothesis fuzzing of every way data comes in (issue 10): pain/runs/habits/shoes CSV,
FIT, GPX, TCX, a Strava export folder and `assess` answers.

Each input gives either a clean import or one of our own error types (never a traceback);
a refused CSV leaves the store exactly as it was; whatever an importer returns passes the
CSV importer's checks (so an export always imports again); memory stays bounded.

Deterministic (derandomized). `make test` runs BACKSTRIDE_FUZZ_EXAMPLES=50 (the default
here); `make fuzz` runs 2,000 of each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import resource
import string
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backstride.cli import main
from backstride.core import limits, vocab
from backstride.core.csv_codec import Table, read_table_text, write_table
from backstride.core.errors import CsvError
from backstride.core.pain_csv import pain_table
from backstride.core.training import run_problems
from backstride.core.training_csv import habits_table, runs_table, shoes_table
from backstride.importers import FileReading, ImportFileError, read_activity
from backstride.importers.strava import read_strava_export
from backstride.store.database import Store, open_store
from backstride.store.exchange import import_csv_files
from backstride.store.habits import list_habit_days
from backstride.store.pain import list_pain_entries
from backstride.store.runs import list_runs
from backstride.store.shoes import list_shoes
from tests.unit.test_importers_formats import Sample, synthetic_run, write_fit
from tests.unit.test_importers_fuzz import FIT, GPX, TCX, fit_mutations, mutations
from tests.unit.test_importers_strava import HEADER, write_export

EXAMPLES = int(os.environ.get("BACKSTRIDE_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,  # nothing written to .hypothesis/
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
TODAY = date.today()
# No input may make the process grow by more than this (issue 10: about 500 MB).
MAX_GROWTH_MB = 500


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024  # kB on Linux (the only place these numbers are quoted)


@pytest.fixture(scope="module")
def baseline_mb() -> float:
    return peak_rss_mb()


@pytest.fixture(autouse=True)
def _memory_stays_bounded(baseline_mb: float) -> Iterator[None]:
    yield
    assert peak_rss_mb() - baseline_mb < MAX_GROWTH_MB


# -- CSV -------------------------------------------------------------------------------------

ODD_CELLS = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1e308",
    "-1e308",
    "1e309",
    "nan",
    "inf",
    "1_0",
    "٣",
    "１",
    "9" * 30,
    "0x10",
    "20240501",
    "2024-W18-3",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "2100-01-01",
    "24:00",
    "23:59:60",
    "07:30+14:00",
    "07:30-99:00",
    "07:30:00.5Z",
    '=HYPERLINK("http://x")',
    "'=1+1",
    "'",
    "+1",
    "@SUM(A1)",
    "\t",
    "\r",
    "\n",
    '"',
    ",",
    "\x00",
    "\ufeff",
    "\u202e",
    "x" * 81,
    "n" * 2001,
    "lower_back_left;saddle",
    "lower_back_left;;nope",
    "on_waking",
    "road",
    "manual",
]

_VOCAB = {
    "regions": vocab.REGIONS,
    "quality": vocab.QUALITIES,
    "worse": vocab.WORSE,
    "helped": vocab.HELPED,
}


def _day(lo: date = date(1890, 1, 1), hi: date = TODAY + timedelta(days=3)) -> Any:
    return st.dates(lo, hi).map(date.isoformat)


def _number(lo: float, hi: float) -> Any:
    return st.one_of(
        st.integers(int(lo), int(hi)).map(str),
        st.floats(lo, hi, allow_nan=False).map(repr),
    )


def _clock() -> Any:
    offsets = st.sampled_from(["", "Z", "+00:00", "+04:00", "-05:30", "+14:00", "-12:00"])
    return st.tuples(st.times(), offsets).map(
        lambda t: t[0].strftime("%H:%M" if t[0].second == 0 else "%H:%M:%S") + t[1]
    )


# Typical ranges of the runs.csv columns in their own units (km, minutes).
_RUN_CELLS = {
    "distance_km": (0, 60),
    "moving_time_min": (1, 600),
    "ascent_m": (0, 3000),
    "descent_m": (0, 3000),
    "avg_hr": (25, 230),
    "cadence_spm": (60, 260),
    "vertical_oscillation_cm": (1, 30),
    "warmup_min": (0, 180),
}


def _in_range(lo: float, hi: float, *, integer: bool = False) -> Any:
    """Mostly within [lo, hi], sometimes just outside it (the edges are what break)."""
    span = (hi - lo) * 0.1 + 1
    edge = st.sampled_from([lo, hi, lo - span, hi + span])
    if integer:
        return st.one_of(st.integers(int(lo), int(hi)), edge.map(int)).map(str)
    return st.one_of(_number(lo, hi), _number(lo, hi), edge.map(repr))


def valid_cell(column: str) -> Any:
    """Cells mostly of the column's own kind and range, so the fuzz reaches the records'
    own checks and, often enough, a clean import."""
    if column in ("date", "first_used", "retired"):
        return st.one_of(_day(date(2000, 1, 1)), _day(date(2000, 1, 1)), _day())
    if column == "time":
        return st.times().map(lambda t: t.strftime("%H:%M"))
    if column == "start_time":
        return _clock()
    if column in _VOCAB:
        return st.lists(st.sampled_from(list(_VOCAB[column])), max_size=3).map(";".join)
    if column == "timing":
        return st.sampled_from(["", *vocab.TIMINGS])
    if column == "surface":
        return st.sampled_from(["", *vocab.SURFACES])
    if column in ("note", "medication", "shoe", "source"):
        return st.text(max_size=40)
    if column == "name":
        return st.text(string.ascii_letters + " -", min_size=1, max_size=30)
    if column in ("intensity", "fatigue", "rpe"):
        return _in_range(0, 10, integer=True)
    if column in limits.HABIT:
        limit = limits.HABIT[column]
        return _in_range(limit.low, limit.high, integer=column.endswith("_min"))
    if column == "stiffness_min":
        return _in_range(0, 1440, integer=True)
    if column == "warn_km":
        return _in_range(limits.SHOE_WARN_KM.low, limits.SHOE_WARN_KM.high)
    lo, hi = _RUN_CELLS[column]
    return _in_range(lo, hi, integer=column == "warmup_min")


@st.composite
def csv_text(draw: st.DrawFn, table: Table[Any]) -> str:
    header = list(table.header)
    if draw(st.integers(0, 9)) == 0:
        header = draw(st.permutations(header))
    if draw(st.integers(0, 19)) == 0:
        header.pop(draw(st.integers(0, len(header) - 1)))
    if draw(st.integers(0, 19)) == 0:
        header.append(draw(st.sampled_from(["distance", "extra", "", "DATE"])))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        cells = [
            draw(
                st.sampled_from(ODD_CELLS)
                if draw(st.integers(0, 39)) == 0
                else valid_cell(name if name in table.header else "note")
            )
            for name in header
        ]
        if draw(st.integers(0, 29)) == 0:
            cells = cells[:-1]
        rows.append(cells)
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if draw(st.integers(0, 19)) == 0:
        text = "\ufeff" + text
    if draw(st.integers(0, 29)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text


TABLES = {
    "pain.csv": lambda: pain_table(TODAY),
    "runs.csv": lambda: runs_table(TODAY, UTC),
    "habits.csv": lambda: habits_table(TODAY),
    "shoes.csv": lambda: shoes_table(TODAY),
}


def snapshot(store: Store) -> tuple[Any, ...]:
    return (list_pain_entries(store), list_runs(store), list_habit_days(store), list_shoes(store))


@pytest.fixture(scope="module")
def csv_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(tmp_path_factory.mktemp("fuzz-store"))
    yield store
    store.close()


def check_csv(name: str, text: str, store: Store, folder: Path) -> None:
    table = TABLES[name]()
    try:
        records = read_table_text(table, text, name)
    except CsvError as exc:
        assert exc.message and len(str(exc)) < 2000
    else:
        # What was read is written and read back unchanged (an export always imports).
        out = io.StringIO()
        write_table(table, records, out)
        again = read_table_text(table, out.getvalue(), name)
        assert again == records
        if name == "runs.csv":
            assert [r.start.isoformat() for r in again] == [r.start.isoformat() for r in records]
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    before = snapshot(store)
    try:
        import_csv_files(store, [path], TODAY, local_zone=UTC)
    except CsvError:
        event("refused")
        assert snapshot(store) == before  # all-or-nothing: never a partial write
    else:
        event("imported")


def csv_fuzz(name: str) -> Any:
    """One fuzz test per file, so each reports its own statistics."""

    @FUZZ
    @given(text=csv_text(TABLES[name]()))
    def test(text: str, csv_store: Store, workdir: Path) -> None:
        check_csv(name, text, csv_store, workdir)

    return test


test_pain_csv_is_all_or_nothing_and_round_trips = csv_fuzz("pain.csv")
test_runs_csv_is_all_or_nothing_and_round_trips = csv_fuzz("runs.csv")
test_habits_csv_is_all_or_nothing_and_round_trips = csv_fuzz("habits.csv")
test_shoes_csv_is_all_or_nothing_and_round_trips = csv_fuzz("shoes.csv")


@FUZZ
@given(data=st.binary(max_size=300))
def test_csv_bytes_that_are_not_text_are_a_clean_error(
    data: bytes, csv_store: Store, workdir: Path
) -> None:
    path = workdir / "pain.csv"
    path.write_bytes(data)
    before = snapshot(csv_store)
    try:
        import_csv_files(csv_store, [path], TODAY, local_zone=UTC)
    except CsvError:
        assert snapshot(csv_store) == before


# -- watch files -----------------------------------------------------------------------------


def check_reading(data: bytes, path: Path) -> None:
    """Our own error, or runs that every entry path accepts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        reading = read_activity(path)
    except ImportFileError as exc:
        event("refused")
        assert exc.reason and len(exc.reason) < 2000
        return
    event(f"{len(reading.runs)} run(s)" if reading.runs else "skipped")
    check_runs(reading)


def check_runs(reading: FileReading) -> None:
    assert reading.error is None or reading.error
    for run in reading.runs:
        assert run_problems(run, TODAY) == [], run
        assert run.distance_m != 0 and run.moving_time_s != 0  # unknown, never 0
        for point in run.profile:
            for value in dataclasses.astuple(point):
                assert value is None or (value == value and abs(value) != float("inf"))
    if reading.runs:
        out = io.StringIO()
        write_table(runs_table(TODAY, None), reading.runs, out)
        back = read_table_text(runs_table(TODAY, None), out.getvalue(), "runs.csv")
        assert [r.start for r in back] == [r.start.replace(microsecond=0) for r in reading.runs]


ODD_NUMBERS = st.sampled_from(
    ["0", "-1", "1e308", "-1e308", "1e309", "NaN", "inf", "250", "39", "9" * 40, "", "x"]
)
ODD_TIMES = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "2100-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "not a time",
        "2025-05-01T06:00:00",
    ]
)


@st.composite
def track_points(draw: st.DrawFn) -> list[dict[str, str]]:
    """A track of plausible points with a few odd values spliced in."""
    count = draw(st.integers(2, 60))
    step = draw(st.sampled_from([1, 2, 5, 30, -1]))
    speed = draw(st.sampled_from([0.0, 3.0, 6.0, 15.0]))
    start = datetime(2025, 5, 1, 6, tzinfo=UTC)
    points = []
    for i in range(count):
        p = {
            "time": (start + timedelta(seconds=i * step)).isoformat(),
            "lat": repr(46.0 + i * abs(step) * speed / 111_195),
            "lon": "14.5",
            "ele": repr(300.0 + (i % 7)),
            "hr": "150",
            "cad": "85",
            "dist": repr(i * abs(step) * speed),
        }
        points.append(p)
    for _ in range(draw(st.integers(0, 5))):
        p = points[draw(st.integers(0, count - 1))]
        key = draw(st.sampled_from(sorted(p)))
        p[key] = draw(ODD_TIMES if key == "time" else ODD_NUMBERS)
    if draw(st.integers(0, 19)) == 0:
        for i, p in enumerate(points):
            p["lat"] = "89.9" if i % 2 else "-89.9"
    return points


def gpx_of(points: list[dict[str, str]]) -> bytes:
    body = "".join(
        f'<trkpt lat="{p["lat"]}" lon="{p["lon"]}"><ele>{p["ele"]}</ele><time>{p["time"]}</time>'
        f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{p['hr']}</gpxtpx:hr>"
        f"<gpxtpx:cad>{p['cad']}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>"
        for p in points
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="fuzz" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>running</type><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


def tcx_of(points: list[dict[str, str]]) -> bytes:
    body = "".join(
        f"<Trackpoint><Time>{p['time']}</Time><Position><LatitudeDegrees>{p['lat']}"
        f"</LatitudeDegrees><LongitudeDegrees>{p['lon']}</LongitudeDegrees></Position>"
        f"<AltitudeMeters>{p['ele']}</AltitudeMeters><DistanceMeters>{p['dist']}"
        f"</DistanceMeters><HeartRateBpm><Value>{p['hr']}</Value></HeartRateBpm>"
        f"<Cadence>{p['cad']}</Cadence></Trackpoint>"
        for p in points
    )
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
        'xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f"<Id>2025-05-01T06:00:00Z</Id><Lap><Track>{body}</Track></Lap></Activity>"
        "</Activities></TrainingCenterDatabase>"
    ).encode()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-inputs")


@FUZZ
@given(data=st.one_of(mutations(GPX, tokens=True), track_points().map(gpx_of)))
def test_gpx_gives_runs_every_path_accepts(data: bytes, workdir: Path) -> None:
    check_reading(data, workdir / "gpx" / "fuzz.gpx")


@FUZZ
@given(data=st.one_of(mutations(TCX, tokens=True), track_points().map(tcx_of)))
def test_tcx_gives_runs_every_path_accepts(data: bytes, workdir: Path) -> None:
    check_reading(data, workdir / "tcx" / "fuzz.tcx")


BASE = synthetic_run()[:40]


@st.composite
def fit_samples(draw: st.DrawFn) -> list[Sample]:
    samples = list(BASE)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(samples) - 1))
        samples[i] = dataclasses.replace(
            samples[i],
            hr=draw(st.integers(0, 254)),
            strides=draw(st.integers(0, 254)),
            ele=draw(st.sampled_from([-500.0, 0.0, 4000.0, 9000.0, samples[i].ele])),
        )
    return samples


class _Bytes:
    """Stands in for the path write_fit writes to, keeping the bytes in memory."""

    data = b""

    def write_bytes(self, data: bytes) -> None:
        self.data = data


def fit_of(samples: list[Sample]) -> bytes:
    out = _Bytes()
    write_fit(out, samples)  # type: ignore[arg-type]
    return out.data


@FUZZ
@given(data=st.one_of(fit_mutations(FIT), fit_samples().map(fit_of)))
def test_fit_gives_runs_every_path_accepts(data: bytes, workdir: Path) -> None:
    check_reading(data, workdir / "fit" / "fuzz.fit")


STRAVA_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "Run",
            "Trail Run",
            "Ride",
            "May 1, 2025, 6:00:00 AM",
            "Jan 5, 2100, 7:03:12 AM",
            "Jan 1, 1899, 7:03:12 AM",
            "2025-05-01 06:00:00",
            "10000",
            "10,5",
            "1,000,000",
            "3000",
            "1e308",
            "-5",
            "NaN",
            "activities/1.gpx",
            "../../etc/passwd",
            "activities/\x00.gpx",
        ]
    ),
    st.text(max_size=12),
)


@st.composite
def strava_rows(draw: st.DrawFn) -> list[list[str]]:
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        cells = [draw(STRAVA_CELLS) for _ in HEADER]
        cells[3] = draw(st.sampled_from(["Run", "Run", "Walk", draw(STRAVA_CELLS)]))
        cells[1] = draw(
            st.sampled_from(["May 1, 2025, 6:00:00 AM", "Feb 30, 2025, 1:00:00 PM"]) | STRAVA_CELLS
        )
        rows.append(cells[: draw(st.integers(len(cells) - 3, len(cells)))])
    return rows


@FUZZ
@given(rows=strava_rows(), with_file=st.booleans())
def test_strava_folders_give_runs_every_path_accepts(
    rows: list[list[str]], with_file: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("strava")
    write_export(folder, rows)
    if with_file:
        (folder / "activities" / "1.gpx").write_bytes(GPX)
    try:
        readings = read_strava_export(folder)
    except ImportFileError as exc:
        assert exc.reason
        return
    event(f"{sum(len(r.runs) > 0 for r in readings)} row(s) with a run")
    for reading in readings:
        check_runs(reading)


# -- assess ----------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(string.printable, max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    [
        "age",
        "red_flags",
        "history",
        "pattern",
        "running",
        "red_flags.fever",
        "unknown",
        "",
    ]
)


@st.composite
def answers_text(draw: st.DrawFn) -> str:
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(st.text(max_size=80))
    if choice == 1:
        depth = draw(st.integers(1, 3000))
        return "[" * depth + "]" * draw(st.integers(0, depth))
    doc = draw(st.dictionaries(KEYS | st.text(max_size=10), JSON_VALUES, max_size=8))
    if draw(st.booleans()):
        doc["red_flags"] = draw(st.dictionaries(st.text(max_size=20), JSON_VALUES, max_size=6))
    text = json.dumps(doc)
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


@FUZZ
@given(text=answers_text())
def test_assess_answers_give_a_result_or_a_clear_error(text: str, workdir: Path) -> None:
    path = workdir / "answers.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["assess", str(path)])
    assert (code, bool(out.getvalue())) in ((0, True), (1, False))
    event("result" if code == 0 else "refused")
    if code:
        assert err.getvalue().startswith("backstride: ") and len(err.getvalue()) < 20_000


# -- the largest inputs allowed ----------------------------------------------------------------

MEASURE = """
import resource, sys
from backstride.importers import ImportFileError, read_activity
try:
    read_activity(sys.argv[1])
except ImportFileError:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.skipif(EXAMPLES < 1000, reason="the full fuzz only (make fuzz): takes seconds")
@pytest.mark.parametrize("kind", ["gpx", "tcx"])
def test_the_largest_file_allowed_stays_under_500_mb(kind: str, workdir: Path) -> None:
    import subprocess
    import sys

    one = {
        "time": "2025-05-01T06:00:00Z",
        "lat": "46.0000000",
        "lon": "14.5000000",
        "ele": "300.0",
        "hr": "150",
        "cad": "85",
        "dist": "0.0",
    }
    document = gpx_of if kind == "gpx" else tcx_of
    per_point = len(document([one, one])) - len(document([one]))
    count = (31 * 1024 * 1024) // (per_point + 2)  # a little room for the longer numbers
    start = datetime(2025, 5, 1, 6, tzinfo=UTC)
    points = [
        {
            **one,
            "time": (start + timedelta(seconds=i)).isoformat(),
            "lat": f"{46 + i * 3e-5:.7f}",
            "dist": f"{i * 3.3:.1f}",
        }
        for i in range(min(count, limits.MAX_SAMPLES))
    ]
    path = workdir / f"largest.{kind}"
    path.write_bytes(document(points))
    assert path.stat().st_size <= 32 * 1024 * 1024
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True
    )
    assert int(done.stdout) < 500, done.stdout
