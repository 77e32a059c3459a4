"""The log never holds diary text (issue 10: the worker logged a CSV import's `worse` cell).

A marker is planted in every free-text field and file, everything that logs is run with the
log at DEBUG (imports, exports, failures, analysis, the background worker, the error
dialog's text), and the marker must appear nowhere in the log.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from backstride.cli import main
from backstride.core.errors import CsvError
from backstride.core.log_privacy import error_place, redacted_traceback
from backstride.store.database import open_store

MARKER = "Xq7MARKERzv"
DAY = (date.today() - timedelta(days=2)).isoformat()
PAIN_HEADER = (
    "date,time,intensity,regions,timing,quality,stiffness_min,worse,helped,medication,note"
)
GPX = f"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="{MARKER}" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>{MARKER}</name><desc>{MARKER}</desc></metadata>
  <trk><name>{MARKER}</name><type>running</type><trkseg>
{
    "".join(
        f'<trkpt lat="46.{n:04d}" lon="14.0"><ele>300</ele><time>'
        f"{(datetime(2025, 5, 1, 7, tzinfo=UTC) + timedelta(seconds=5 * n)).isoformat()}"
        f"</time></trkpt>"
        for n in range(200)
    )
}
  </trkseg></trk>
</gpx>
"""


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's own log set-up, at DEBUG, removed again afterwards."""
    from backstride.ui.app import setup_logging

    logger = logging.getLogger("backstride")
    handlers, filters, level = list(logger.handlers), list(logger.filters), logger.level
    path = setup_logging(tmp_path / "logs")
    assert path is not None
    logger.setLevel(logging.DEBUG)
    yield path
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers, logger.filters = handlers, filters
    logger.setLevel(level)


def _files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    m = MARKER
    files = {
        "pain.csv": f"{PAIN_HEADER}\n{DAY},07:30,4,saddle,on_waking,aching,,sitting,heat,{m},{m}\n",
        "runs.csv": (
            "date,start_time,distance_km,moving_time_min,ascent_m,descent_m,avg_hr,cadence_spm,"
            "vertical_oscillation_cm,rpe,warmup_min,surface,shoe,note,source\n"
            f"{DAY},07:00,10,50,,,,,,,,road,{m},{m},{m}.fit\n"
        ),
        "habits.csv": (
            "date,core_min,stretch_min,cross_min,sleep_h,weight_kg,fatigue,sitting_h,note\n"
            f"{DAY},10,,,,,,,{m}\n"
        ),
        "bad/pain.csv": f"{PAIN_HEADER}\n{DAY},07:30,4,,,,,{m},,,\n",  # an unknown code
        "bad/runs.csv": (
            "date,start_time,distance_km,moving_time_min,ascent_m,descent_m,avg_hr,cadence_spm,"
            "vertical_oscillation_cm,rpe,warmup_min,surface,shoe,note,source\n"
            f"{DAY},07:00,{m},50,,,,,,,,{m},,{m},\n"
        ),
        "bad/export.json": json.dumps(
            {
                "format": "backstride-export",
                "version": 1,
                "pain": [{"day": DAY, "intensity": 4, "note": 5, m: m, "timing": m}],
            }
        ),
        "track.gpx": GPX,
        "bad/broken.gpx": GPX[: len(GPX) // 2],
    }
    paths = {}
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def test_no_diary_text_reaches_the_log(
    tmp_path: Path, log_file: Path, caplog: pytest.LogCaptureFixture, qtbot: object
) -> None:
    caplog.set_level(logging.DEBUG, logger="backstride")
    files = _files(tmp_path / "in")
    data = ["--data-dir", str(tmp_path / "data")]
    good = [files[n] for n in ("pain.csv", "runs.csv", "habits.csv", "track.gpx")]
    assert main([*data, "import", *map(str, good)]) == 0
    for bad in ("bad/pain.csv", "bad/runs.csv", "bad/export.json", "bad/broken.gpx"):
        assert main([*data, "import", str(files[bad])]) == 1
    assert main([*data, "export", str(tmp_path / "out")]) == 0
    assert main([*data, "export", str(tmp_path / "out" / "all.json")]) == 0
    assert main([*data, "import", str(tmp_path / "out" / "all.json")]) == 0
    assert main([*data, "analyze"]) == 0
    assert main([*data, "analyze", "--json"]) == 0

    # The GUI's import work, through the background worker, for a good and a bad batch.
    from backstride.ui.errors import error_text
    from backstride.ui.runs.import_dialog import _work
    from backstride.ui.worker import Task

    store = open_store(tmp_path / "data")
    ctx = SimpleNamespace(store=store, today=date.today)
    failures: list[object] = []
    for batch in (good, [files["bad/pain.csv"]], [files["bad/runs.csv"], files["bad/broken.gpx"]]):
        task = Task(_work(ctx, batch))
        task.signals.failed.connect(failures.append)
        task.run()

    def bug(_progress: object) -> None:  # an unexpected error quoting a cell, chained
        try:
            {}[MARKER]
        except KeyError as exc:
            raise RuntimeError(f"could not read {MARKER}") from exc

    Task(bug).run()
    # The error dialog's text logs an unexpected error; an expected one is shown, not logged.
    assert MARKER not in error_text(ValueError(MARKER))
    assert MARKER in error_text(CsvError("pain.csv", 2, "worse", f"unknown code {MARKER}"))
    store.close()

    logged = log_file.read_text(encoding="utf-8")
    assert MARKER not in logged
    assert MARKER not in caplog.text
    # and the log still says what failed, and where
    assert "background task stopped: CsvError, file pain.csv, line 2, column worse" in logged
    assert "KeyError: (message withheld" in logged and "RuntimeError: (message withheld" in logged
    assert "Traceback (most recent call last)" in logged and "in bug" in logged
    assert "ValueError: (message withheld" in logged
    assert len(failures) == 2


def test_error_place_names_type_file_line_and_our_column_only() -> None:
    assert error_place(CsvError("pain.csv", 3, "worse", MARKER)) == (
        "CsvError, file pain.csv, line 3, column worse"
    )
    # a column taken from the file's own header is left out; control characters escaped
    assert error_place(CsvError(f"a\nb{MARKER}.csv", 1, MARKER, MARKER)).count(MARKER) == 1
    assert "\n" not in error_place(CsvError("a\nb.csv", 1, "", ""))
    assert error_place(FileNotFoundError(2, MARKER, "/x/pain.csv")) == (
        "FileNotFoundError, file /x/pain.csv, errno 2"
    )
    try:
        raise ValueError(MARKER)
    except ValueError as exc:
        text = redacted_traceback(exc)
    assert MARKER not in text and text.endswith(
        "ValueError: (message withheld: it may quote diary text)"
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")
def test_log_file_is_owner_only_and_not_written_through_a_symlink(tmp_path: Path) -> None:
    from backstride.ui.app import setup_logging

    logger = logging.getLogger("backstride")
    handlers, filters = list(logger.handlers), list(logger.filters)
    try:
        path = setup_logging(tmp_path / "a")
        assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
        victim = tmp_path / "victim"
        victim.write_text("keep", encoding="utf-8")
        (tmp_path / "b").mkdir()
        (tmp_path / "b" / "backstride.log").symlink_to(victim)
        assert setup_logging(tmp_path / "b") is None  # the app runs on, without a log file
        logger.error("written nowhere near the victim")
        assert victim.read_text(encoding="utf-8") == "keep"
    finally:
        for handler in logger.handlers:
            if handler not in handlers:
                handler.close()
        logger.handlers, logger.filters = handlers, filters


def test_filter_withholds_every_way_of_logging_an_exception(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from backstride.core.log_privacy import PrivateRecords

    logger = logging.getLogger("backstride.test_privacy")
    private = PrivateRecords()
    logger.addFilter(private)
    try:
        with caplog.at_level(logging.DEBUG, logger="backstride.test_privacy"):
            error = ValueError(MARKER)
            logger.error(error)
            logger.error("failed: %s", error)
            logger.error("failed", exc_info=error)
            try:
                raise KeyError(MARKER) from error
            except KeyError:
                logger.exception("unexpected")
    finally:
        logger.removeFilter(private)
    assert MARKER not in caplog.text
    assert "failed: ValueError" in caplog.text and "KeyError: (message withheld" in caplog.text
