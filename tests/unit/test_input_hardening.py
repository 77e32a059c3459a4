"""Issue 10, input side: every finding reproduced on the old main, as a regression test.

Each odd file is generated here; nothing large is committed.
"""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import io
import json
import math
import os
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from backstride.cli import main
from backstride.core import limits
from backstride.core.analysis import analyze
from backstride.core.csv_codec import read_table_text, write_table
from backstride.core.demo import generate_demo
from backstride.core.errors import CsvError
from backstride.core.models import PainEntry, Run
from backstride.core.pain_csv import pain_table
from backstride.core.text import printable_name
from backstride.core.training_csv import runs_table
from backstride.importers import ImportFileError, read_activity, read_sources
from backstride.importers import fit as fit_module
from backstride.importers.strava import read_strava_export
from backstride.importing import import_activity_files
from backstride.store.database import open_store
from backstride.store.exchange import export_all, import_csv_files
from backstride.store.location import DataDirError, resolve_data_dir
from backstride.store.pain import list_pain_entries
from backstride.store.runs import list_runs
from tests.unit.test_importers_formats import synthetic_run, write_fit
from tests.unit.test_importers_strava import row, write_export

TODAY = date.today()
DAY = date(2025, 5, 1)
START = datetime(2025, 5, 1, 6, 0, tzinfo=UTC)
RUNS_HEADER = ",".join(c.name for c in runs_table(TODAY, UTC).columns)

# -- generated activity files ------------------------------------------------------------

Point = dict[str, object]


def steady(n: int = 600, step_s: int = 2, speed: float = 3.0, **extra: object) -> list[Point]:
    """An easy run northwards: `n` points every `step_s` seconds at `speed` m/s."""
    metres_per_deg = 111_195.0
    return [
        {"t": i * step_s, "lat": 46.0 + i * step_s * speed / metres_per_deg, "lon": 14.5, **extra}
        for i in range(n)
    ]


def gpx(points: list[Point], *, start: str | None = None, kind: str = "running") -> str:
    out = []
    for p in points:
        moment = p.get("time") or (START + timedelta(seconds=float(str(p["t"])))).isoformat()
        ext = ""
        if "hr" in p or "cad" in p:
            ext = (
                "<extensions><gpxtpx:TrackPointExtension>"
                + (f"<gpxtpx:hr>{p['hr']}</gpxtpx:hr>" if "hr" in p else "")
                + (f"<gpxtpx:cad>{p['cad']}</gpxtpx:cad>" if "cad" in p else "")
                + "</gpxtpx:TrackPointExtension></extensions>"
            )
        ele = f"<ele>{p['ele']}</ele>" if "ele" in p else ""
        out.append(
            f'<trkpt lat="{p["lat"]}" lon="{p["lon"]}">{ele}<time>{moment}</time>{ext}</trkpt>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>{kind}</type><trkseg>{''.join(out)}</trkseg></trk></gpx>\n"
    )


def tcx(points: list[Point]) -> str:
    out = []
    for p in points:
        moment = p.get("time") or (START + timedelta(seconds=float(str(p["t"])))).isoformat()
        pos = (
            f"<Position><LatitudeDegrees>{p['lat']}</LatitudeDegrees>"
            f"<LongitudeDegrees>{p['lon']}</LongitudeDegrees></Position>"
            if "lat" in p
            else ""
        )
        dist = f"<DistanceMeters>{p['dist']}</DistanceMeters>" if "dist" in p else ""
        hr = f"<HeartRateBpm><Value>{p['hr']}</Value></HeartRateBpm>" if "hr" in p else ""
        out.append(f"<Trackpoint><Time>{moment}</Time>{pos}{dist}{hr}</Trackpoint>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f"<Id>{START.isoformat()}</Id><Lap><Track>{''.join(out)}</Track></Lap>"
        "</Activity></Activities></TrainingCenterDatabase>\n"
    )


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def one_run(path: Path) -> tuple[Run, list[str]]:
    reading = read_activity(path)
    assert len(reading.runs) == 1, reading
    return reading.runs[0], reading.warnings


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def reimports(runs: list[Run], tmp_path: Path) -> list[Run]:
    """The runs written as runs.csv and read back (as the CSV importer checks them)."""
    buffer = io.StringIO()
    write_table(runs_table(TODAY, None), runs, buffer)
    return read_table_text(runs_table(TODAY, None), buffer.getvalue(), "runs.csv")


# -- 1. one set of limits: odd watch readings become unknown, the run still imports -------


def test_fit_cadence_of_39_spm_is_unknown_with_a_warning_and_reimports(tmp_path: Path) -> None:
    samples = [dataclasses.replace(s, strides=19 if s.strides else 0) for s in synthetic_run()]
    write_fit(tmp_path / "slow.fit", samples)
    run, warnings = one_run(tmp_path / "slow.fit")
    assert run.cadence_spm is None
    assert any("average cadence" in w and "60-260 steps/min" in w for w in warnings)
    assert run.distance_m is not None and run.distance_m > 2000  # the rest is kept
    assert reimports([run], tmp_path)[0].cadence_spm is None


def test_fit_heart_rate_250_is_unknown_with_a_warning(tmp_path: Path) -> None:
    write_fit(tmp_path / "hr.fit", [dataclasses.replace(s, hr=250) for s in synthetic_run()])
    run, warnings = one_run(tmp_path / "hr.fit")
    assert run.avg_hr is None and any("average heart rate (250)" in w for w in warnings)
    reimports([run], tmp_path)


def test_gpx_ascent_of_hundreds_of_km_is_unknown_with_a_warning(tmp_path: Path) -> None:
    points = steady(1800)
    for p in points:  # 4 km up and down every minute: a broken altimeter
        p["ele"] = round(4000 + 4000 * math.sin(2 * math.pi * float(str(p["t"])) / 60), 1)
    run, warnings = one_run(write(tmp_path / "alti.gpx", gpx(points)))
    assert run.ascent_m is None and run.descent_m is None
    assert any("its ascent" in w and "0-20,000 m" in w for w in warnings)
    reimports([run], tmp_path)


@pytest.mark.parametrize("value", ["1e308", "1e309", "-1e308", "NaN", "inf"])
def test_gpx_and_tcx_readings_of_1e308_never_reach_the_store(tmp_path: Path, value: str) -> None:
    points = steady(300, hr=150, cad=85)
    points[100]["hr"] = value
    points[120]["cad"] = value
    run, warnings = one_run(write(tmp_path / "inf.gpx", gpx(points)))
    assert run.avg_hr == pytest.approx(150) and run.cadence_spm == pytest.approx(170)
    if value == "1e308":
        assert any("heart rate reading(s) outside 0-300" in w for w in warnings)
    tcx_points = [{**p, "hr": value if i == 50 else 150} for i, p in enumerate(steady(300))]
    run, _ = one_run(write(tmp_path / "inf.tcx", tcx(tcx_points)))
    assert run.avg_hr == pytest.approx(150)
    for p in run.profile:
        for v in (p.heart_rate, p.cadence_spm, p.pace_s_per_km, p.elevation_m):
            assert v is None or math.isfinite(v)


def test_analysis_works_after_importing_an_odd_file(tmp_path: Path) -> None:
    points = steady(300, hr=150)
    points[10]["hr"] = "1e308"
    store = open_store(tmp_path / "data")
    import_activity_files(store, [write(tmp_path / "inf.gpx", gpx(points))])
    (run,) = list_runs(store)
    assert run.avg_hr is not None and math.isfinite(run.avg_hr)
    store.close()
    code, out, _ = run_cli_noprint("--data-dir", str(tmp_path / "data"), "analyze", "--json")
    assert code == 0 and json.loads(out)["findings"]


def run_cli_noprint(*argv: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_gpx_alternating_between_the_poles_is_refused(tmp_path: Path) -> None:
    points = steady(400)
    for i, p in enumerate(points):
        p["lat"] = 89.9 if i % 2 else -89.9
    with pytest.raises(ImportFileError, match="more than any run"):
        read_activity(write(tmp_path / "poles.gpx", gpx(points)))


def test_tcx_of_a_1080_km_run_is_refused(tmp_path: Path) -> None:
    points = [{"t": i * 60, "dist": i * 375.0} for i in range(2881)]  # 48 h at 6.25 m/s
    with pytest.raises(ImportFileError, match="covers 1,080 km, more than any run"):
        read_activity(write(tmp_path / "far.tcx", tcx(points)))


def test_tcx_odometer_of_1e303_m_is_left_out(tmp_path: Path) -> None:
    points = [{**p, "dist": i * 6.0} for i, p in enumerate(steady(300))]
    points[200]["dist"] = 1.2e303
    run, warnings = one_run(write(tmp_path / "huge.tcx", tcx(points)))
    assert run.distance_m is not None and 1700 < run.distance_m < 1900
    assert any("distance reading(s)" in w for w in warnings)
    points[200]["dist"] = "1.2e303"
    for p in points:
        p["dist"] = 1.2e303
    run, _ = one_run(write(tmp_path / "huge2.tcx", tcx(points)))  # GPS distance instead
    assert run.distance_m is not None and run.distance_m < 2000


def test_a_track_faster_than_anyone_runs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="faster than anyone runs"):
        read_activity(write(tmp_path / "fast.gpx", gpx(steady(300, speed=20.0))))


def test_reversed_distance_is_unknown_never_zero(tmp_path: Path) -> None:
    points = [{"t": i * 2, "dist": 5000.0 - i * 6} for i in range(300)]
    run, warnings = one_run(write(tmp_path / "back.tcx", tcx(points)))
    assert run.distance_m is None and run.moving_time_s is None
    assert any("distance could not be measured" in w for w in warnings)
    reimports([run], tmp_path)


@pytest.mark.parametrize("year", [2100, 1899])
def test_runs_dated_outside_the_date_limits_are_refused(tmp_path: Path, year: int) -> None:
    points = steady(100)
    for p in points:
        p["time"] = (START.replace(year=year) + timedelta(seconds=float(str(p["t"])))).isoformat()
    with pytest.raises(ImportFileError, match="not a plausible date"):
        read_activity(write(tmp_path / f"y{year}.gpx", gpx(points)))


def test_strava_summaries_of_1e308_are_unknown_or_refused(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write_export(
        folder,
        [
            row(
                Activity_ID="1",
                Activity_Date="May 1, 2025, 6:00:00 AM",
                Activity_Type="Run",
                Distance2="10000",
                Moving_Time="3000",
                Elapsed2="3100",
                Elevation_Gain="1e308",
                Average_Heart_Rate="1e308",
                Average_Cadence="1e308",
            ),
            row(
                Activity_ID="2",
                Activity_Date="May 2, 2025, 6:00:00 AM",
                Activity_Type="Run",
                Distance2="1e308",
                Moving_Time="3000",
            ),
            row(
                Activity_ID="3",
                Activity_Date="May 3, 2100, 6:00:00 AM",
                Activity_Type="Run",
                Distance2="5000",
            ),
        ],
    )
    first, second, third = read_strava_export(folder)
    (run,) = first.runs
    assert run.ascent_m is None and run.avg_hr is None and run.cadence_spm is None
    assert run.distance_m == 10000.0 and any("ascent" in w for w in first.warnings)
    assert second.error is not None and "more than any run" in second.error
    assert third.error is not None and "not a plausible date" in third.error
    reimports(first.runs, tmp_path)


def test_shoe_names_are_80_characters_on_every_path(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in" / "runs.csv",
        f"{RUNS_HEADER}\n2025-05-01,07:00,10,50,,,,,,,,,{'x' * 500},,manual\n",
    )
    store = open_store(tmp_path / "data")
    with pytest.raises(CsvError) as info:
        import_csv_files(store, [path], TODAY)
    assert info.value.column == "shoe" and "80 characters" in info.value.message
    assert list_runs(store) == []
    store.close()


SUMMARY = ("ascent_m", "descent_m", "avg_hr", "cadence_spm", "vertical_oscillation_cm")


def test_every_value_a_watch_import_can_store_passes_the_csv_import(tmp_path: Path) -> None:
    """The highest and lowest values the limits let through, as importers would store."""
    high = Run(
        start=datetime.combine(limits.latest_run_day(TODAY), time(23, 59, 59), UTC),
        distance_m=limits.RUN["distance_m"].high,
        moving_time_s=limits.RUN["moving_time_s"].high,
        **{name: limits.RUN[name].high for name in SUMMARY},
        source="x" * limits.SOURCE_CHARS,
        shoe="s" * limits.SHOE_NAME_CHARS,
        note="n" * limits.NOTE_CHARS,
    )
    low = dataclasses.replace(
        high,
        start=datetime.combine(limits.EARLIEST_DAY, time(0, 0), timezone(timedelta(hours=-12))),
        distance_m=None,
        moving_time_s=1.0,
        **{name: limits.RUN[name].low for name in SUMMARY},
    )
    back = reimports([high, low], tmp_path)
    assert [r.start for r in back] == [high.start, low.start]
    assert back[0].distance_m == high.distance_m and back[1].avg_hr == low.avg_hr


# -- 2. one time rule ---------------------------------------------------------------------


def test_exported_fit_runs_keep_their_offset_and_reimport_as_nothing_new(
    tmp_path: Path,
) -> None:
    write_fit(tmp_path / "watch.fit", synthetic_run(), local_offset_h=4)
    store = open_store(tmp_path / "a")
    import_activity_files(store, [tmp_path / "watch.fit"])
    (run,) = list_runs(store)
    assert run.start.utcoffset() == timedelta(hours=4)
    export_all(store, tmp_path / "out", TODAY)
    text = (tmp_path / "out" / "runs.csv").read_text(encoding="utf-8")
    assert f"{run.start:%H:%M:%S}+04:00" in text or f"{run.start:%H:%M}+04:00" in text
    (_, added, skipped), *_ = import_csv_files(store, [tmp_path / "out" / "runs.csv"], TODAY)
    assert (added, skipped) == (0, 1)
    # Into an empty folder on a computer in another zone: the same instant.
    other = open_store(tmp_path / "b")
    import_csv_files(
        other, [tmp_path / "out" / "runs.csv"], TODAY, local_zone=timezone(timedelta(hours=-7))
    )
    (again,) = list_runs(other)
    assert again.start == run.start and again.start.utcoffset() == timedelta(hours=4)
    store.close()
    other.close()


def test_a_start_in_a_named_zone_is_exported_with_its_offset_at_that_date() -> None:
    from zoneinfo import ZoneInfo

    summer = Run(start=datetime(2025, 7, 1, 7, 30, tzinfo=ZoneInfo("Europe/Paris")))
    winter = Run(start=datetime(2025, 1, 15, 7, 30, tzinfo=ZoneInfo("Europe/Paris")))
    out = io.StringIO()
    write_table(runs_table(TODAY, None), [summer, winter], out)
    assert ",07:30+02:00," in out.getvalue() and ",07:30+01:00," in out.getvalue()
    back = read_table_text(runs_table(TODAY, None), out.getvalue(), "runs.csv")
    assert [r.start for r in back] == [summer.start, winter.start]


def test_utc_only_files_take_the_computers_offset_at_that_date(tmp_path: Path) -> None:
    winter = steady(100)
    for p in winter:
        p["time"] = (
            datetime(2025, 1, 15, 7, tzinfo=UTC) + timedelta(seconds=float(str(p["t"])))
        ).strftime("%Y-%m-%dT%H:%M:%SZ")
    run, _ = one_run(write(tmp_path / "w.gpx", gpx(winter)))
    expected = datetime(2025, 1, 15, 7, tzinfo=UTC).astimezone()
    assert run.start == expected and run.start.utcoffset() == expected.utcoffset()
    tcx_run, _ = one_run(write(tmp_path / "w.tcx", tcx(winter)))
    assert tcx_run.start.utcoffset() == expected.utcoffset()


def test_the_same_run_as_fit_and_gpx_is_one_run(tmp_path: Path) -> None:
    samples = synthetic_run()
    write_fit(tmp_path / "run.fit", samples, local_offset_h=4)
    fit_run, _ = one_run(tmp_path / "run.fit")
    points = [
        {
            "t": s.seconds,
            "lat": s.lat,
            "lon": s.lon,
            "time": (fit_run.start + timedelta(seconds=s.seconds)).astimezone(UTC).isoformat(),
        }
        for s in samples
    ]
    write(tmp_path / "run.gpx", gpx(points))
    store = open_store(tmp_path / "data")
    summary = import_activity_files(store, [tmp_path / "run.fit", tmp_path / "run.gpx"])
    assert [o.status for o in summary.outcomes] == ["imported", "duplicate"]
    store.close()


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00Z"]
)
def test_times_at_the_calendar_limits_do_not_abort_a_batch(tmp_path: Path, moment: str) -> None:
    bad = steady(50)
    bad[0]["time"] = moment
    for p in bad[1:]:
        p["time"] = moment
    write(tmp_path / "a-bad.gpx", gpx(bad))
    write(tmp_path / "b-bad.tcx", tcx(bad))
    write(tmp_path / "c-good.gpx", gpx(steady(100)))
    readings = list(read_sources([tmp_path]))
    assert [r.status for r in readings] == ["failed", "failed", "imported"]


def test_a_runs_csv_row_dated_0001_01_01_is_a_clear_error(tmp_path: Path) -> None:
    for day in ("0001-01-01", "9999-12-31"):
        with pytest.raises(CsvError) as info:
            read_table_text(
                runs_table(TODAY, timezone(timedelta(hours=14))),
                f"{RUNS_HEADER}\n{day},00:00,10,50,,,,,,,,,,,manual\n",
                "runs.csv",
            )
        assert info.value.column == "date"


# -- 3. XML: no DTD or entity in any encoding ---------------------------------------------

BOMB = (
    '<?xml version="1.0" encoding="{enc}"?>\n<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<gpx version="1.1"><trk><name>&b;</name>'
    "</trk></gpx>\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-7", "utf-32"])
@pytest.mark.parametrize("suffix", ["gpx", "tcx"])
def test_xml_declarations_are_refused_in_every_encoding(
    tmp_path: Path, encoding: str, suffix: str
) -> None:
    text = BOMB.format(enc=encoding)
    if suffix == "tcx":
        text = text.replace("gpx", "TrainingCenterDatabase")
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    with pytest.raises(ImportFileError, match="refused for safety"):
        read_activity(write(tmp_path / f"bomb.{suffix}", data))


def test_a_doctype_without_entities_is_refused_too(tmp_path: Path) -> None:
    text = gpx(steady(50)).replace("<gpx ", '<!DOCTYPE gpx SYSTEM "http://example.com/x">\n<gpx ')
    with pytest.raises(ImportFileError, match="refused for safety"):
        read_activity(write(tmp_path / "doctype.gpx", text))


# -- 4. bounded work ----------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_fifo_named_gpx_in_a_folder_is_skipped_without_hanging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "watch"
    write(folder / "a-good.gpx", gpx(steady(100)))
    os.mkfifo(folder / "b-pipe.gpx")
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "import", str(folder))
    lines = out.splitlines()
    assert lines[0].startswith("a-good.gpx: imported")
    assert lines[1] == (
        "b-pipe.gpx: skipped: it is a named pipe (FIFO), not a file, so it was not read; "
        "choose the activity's own file"
    )
    assert code == 0


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_import_dev_zero_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "import", "/dev/zero")
    assert code == 1 and "/dev/zero: failed: it is a device, not a file" in out


def test_a_symbolic_link_loop_is_skipped_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "loop.gpx").symlink_to(folder / "loop.gpx")
    (reading,) = read_sources([folder])
    assert reading.status == "skipped" and "symbolic link loop" in reading.skipped[0]


def test_a_file_past_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.gpx"
    with big.open("wb") as f:
        f.truncate(33 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(ImportFileError, match="far larger than any activity file"):
        read_activity(big)


def test_a_compressed_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    data = gzip.compress(b"<gpx>" + b" " * (40 * 1024 * 1024))
    assert len(data) < 100_000
    with pytest.raises(ImportFileError, match="unpacks to more than 32 MB"):
        read_activity(write(tmp_path / "bomb.gpx.gz", data))


def test_too_many_samples_are_refused_before_the_tree_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_SAMPLES", 100)
    monkeypatch.setattr(fit_module, "MAX_FRAMES", 200)
    with pytest.raises(ImportFileError, match="holds 300 points, more than 100"):
        read_activity(write(tmp_path / "many.gpx", gpx(steady(300))))
    with pytest.raises(ImportFileError, match="holds 300 trackpoints"):
        read_activity(write(tmp_path / "many.tcx", tcx(steady(300))))
    write_fit(tmp_path / "many.fit", synthetic_run())
    with pytest.raises(ImportFileError, match="more than 100 samples"):
        read_activity(tmp_path / "many.fit")


def peak_mb(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_analysis_periods_are_clamped_to_the_data() -> None:
    data = generate_demo(60, seed=3, end=DAY)
    wide = analyze(data, date(1, 1, 1), date(9999, 12, 31), permutations=99)
    assert wide.period_from == data.pain[0].day or wide.period_from is not None
    assert wide.period_to is not None and wide.period_to <= DAY
    late = analyze(data, date(9999, 12, 31), None, permutations=99)
    assert "choose a period within them" in late.findings[0].summary
    assert peak_mb(lambda: analyze(data, date(1, 1, 1), date(9999, 12, 31))) < 200


def test_an_entry_dated_0001_01_01_is_refused_and_cannot_stretch_the_analysis() -> None:
    with pytest.raises(CsvError, match="before 1900"):
        read_table_text(pain_table(TODAY), "date,time,intensity,regions,timing,quality,"
                        "stiffness_min,worse,helped,medication,note\n0001-01-01,,3,,,,,,,,\n",
                        "pain.csv")  # fmt: skip
    data = generate_demo(120, seed=3, end=DAY)
    old = PainEntry(day=date(1, 1, 1), intensity=3, time=time(7), timing="on_waking")
    stretched = dataclasses.replace(data, pain=(old, *data.pain))
    assert peak_mb(lambda: analyze(stretched)) < 200
    assert analyze(stretched, permutations=99).period_from == min(
        d.day for d in (*data.pain, *data.runs, *data.habits)
    )


def test_analyze_at_the_calendar_ends_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "--data-dir", str(tmp_path), "demo", "--days", "40")[0] == 0
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path), "analyze", "--from", "9999-12-31")
    assert code == 0 and "choose a period within them" in out and not err
    code, out, _ = run_cli(
        capsys, "--data-dir", str(tmp_path), "analyze", "--from", "0001-01-01", "--to", "9999-12-31"
    )
    assert code == 0 and "Backstride analysis" in out


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested far too deeply"),
        ("digits.json", '{"age": ' + "9" * 5000 + "}", "thousands of digits"),
        ("big-int.json", '{"age": ' + "9" * 4000 + "}", "a number of 4,000 digits is out of range"),
        ("huge.json", '{"x": "' + "a" * (2 * 1024 * 1024) + '"}', "larger than 1 MB"),
    ],
)
def test_assess_input_is_capped_in_size_and_depth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, words: str
) -> None:
    code, out, err = run_cli(capsys, "assess", str(write(tmp_path / name, content)))
    assert code == 1 and out == "" and words in err and "Traceback" not in err
    assert len(err) < 5000


def test_assess_lists_the_first_20_problems_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {f"{i:x}": 0 for i in range(100_000)}  # short keys: still under 1 MB
    path = write(tmp_path / "keys.json", json.dumps(answers, separators=(",", ":")))
    code, _, err = run_cli(capsys, "assess", str(path))
    assert code == 1 and "and 99,980 more problem(s)" in err
    assert len(err) < 20_000


def test_assess_accepts_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "bom.json", codecs.BOM_UTF8 + b'{"age": 40}')
    code, out, err = run_cli(capsys, "assess", str(path))
    assert code == 0 and out and not err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_assess_does_not_wait_on_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(tmp_path / "answers.json")
    code, _, err = run_cli(capsys, "assess", str(tmp_path / "answers.json"))
    assert code == 1 and "not a regular file" in err


# -- 5. messages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ("0,50,,,,,,,,,", "distance_km"),
        ("10,0,,,,,,,,,", "moving_time_min"),
        ("10,50,30000,,,,,,,,", "ascent_m"),
        ("10,50,,,,300,,,,,", "cadence_spm"),
        ("10,50,,,,,40,,,,", "vertical_oscillation_cm"),
    ],
)
def test_csv_errors_use_the_headers_own_column_names(cells: str, column: str) -> None:
    with pytest.raises(CsvError) as info:
        read_table_text(
            runs_table(TODAY, UTC), f"{RUNS_HEADER}\n2025-05-01,07:00,{cells},,manual\n", "runs.csv"
        )
    assert info.value.column == column and column in RUNS_HEADER.split(",")


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("20240501", "date"),
        ("2024-W18-3", "date"),
        ("٢٠٢٤-٠٥-٠١", "date"),
        ("1_0", "intensity"),
        ("٣", "intensity"),
        ("+5_0", "stiffness_min"),
    ],
)
def test_pain_csv_takes_only_strict_ascii_forms(cell: str, column: str) -> None:
    cells = {"date": "2024-05-01", "intensity": "3", "stiffness_min": ""}
    cells[column] = cell
    text = (
        "date,time,intensity,regions,timing,quality,stiffness_min,worse,helped,medication,note\n"
        f"{cells['date']},,{cells['intensity']},,,,{cells['stiffness_min']},,,,\n"
    )
    with pytest.raises(CsvError) as info:
        read_table_text(pain_table(TODAY), text, "pain.csv")
    assert info.value.column == column


def test_a_refused_csv_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    good = write(
        tmp_path / "ok" / "pain.csv",
        "date,time,intensity,regions,timing,quality,stiffness_min,worse,helped,medication,note\n"
        "2025-05-01,07:00,3,,on_waking,,,,,,\n",
    )
    import_csv_files(store, [good], TODAY)
    before = list_pain_entries(store)
    bad = write(tmp_path / "bad" / "pain.csv", good.read_text() + "20250502,07:00,3,,,,,,,,\n")
    with pytest.raises(CsvError):
        import_csv_files(store, [bad], TODAY)
    assert list_pain_entries(store) == before
    store.close()


def test_file_names_are_printed_with_control_characters_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "evil\n\x1b[31mred\u202e.gpx"
    write(tmp_path / "watch" / name, b"not xml at all")
    _, out, _ = run_cli(
        capsys, "--data-dir", str(tmp_path / "d"), "import", str(tmp_path / "watch")
    )
    assert "evil\\n\\x1b[31mred\\u202e.gpx: failed" in out
    assert "\x1b" not in out and "\u202e" not in out
    assert printable_name("ok name.gpx") == "ok name.gpx"
    assert printable_name("bad\udcff.gpx") == "bad\\udcff.gpx"


def test_a_folder_named_like_a_watch_file_with_nothing_in_it_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "fake.gpx").mkdir()
    code, out, _ = run_cli(
        capsys, "--data-dir", str(tmp_path / "d"), "import", str(tmp_path / "fake.gpx")
    )
    assert code == 1 and "no watch files" in out and "1 failed" in out


def test_the_data_dir_is_made_absolute_and_an_empty_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir("rel") == tmp_path / "rel"
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", "rel-env")
    assert resolve_data_dir(None) == tmp_path / "rel-env"
    code, _, _ = run_cli(capsys, "--data-dir", "rel", "analyze")
    assert code == 0 and (tmp_path / "rel" / "backstride.sqlite3").exists()
    with pytest.raises(DataDirError, match="--data-dir is empty"):
        resolve_data_dir("")
    code, _, err = run_cli(capsys, "--data-dir", "", "analyze")
    assert code == 1 and "--data-dir is empty" in err
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", "")
    code, _, err = run_cli(capsys, "analyze")
    assert code == 1 and "BACKSTRIDE_DATA_DIR is set but empty" in err


# -- found by the fuzzing (tests/unit/test_fuzz_inputs.py) ---------------------------------


def test_samples_spanning_decades_are_refused_before_measuring(tmp_path: Path) -> None:
    """Found by fuzzing: one time 40 years on made the 10-second profile 24 GB."""
    points = steady(50)
    points[-1]["time"] = "2065-05-01T06:00:00Z"
    with pytest.raises(ImportFileError, match="its samples span 14,610 days, longer than any"):
        read_activity(write(tmp_path / "decades.tcx", tcx(points)))


def test_a_section_key_at_the_top_level_is_an_unknown_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by fuzzing: {"red_flags.fever": null} raised a TypeError."""
    path = write(tmp_path / "dotted.json", '{"red_flags.fever": null}')
    code, _, err = run_cli(capsys, "assess", str(path))
    assert code == 1 and "red_flags.fever: unknown key" in err
