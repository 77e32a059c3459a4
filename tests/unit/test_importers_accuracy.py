"""Figures that match the watch: session totals, the fast decoder against fitdecode, the
same run in three formats, moving time, flat-run descent, activity types, duplicates."""

from __future__ import annotations

import functools
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

from backstride.core.duplicates import is_same_run
from backstride.core.models import Run
from backstride.core.track import Track, measure
from backstride.importers import fit, read_activity
from backstride.importers._build import fragment_reason
from backstride.importing import import_activity_files
from backstride.store.database import open_store
from tests.unit.test_importers_formats import (
    START,
    gpx_text,
    ms,
    synthetic_run,
    tcx_text,
    write_fit,
)

DATA = Path(__file__).resolve().parents[1] / "data"
FIT_SAMPLES = sorted((DATA / "fit").glob("*.fit"))
ALL_FIT = FIT_SAMPLES + sorted((DATA / "invalid").glob("*.fit"))


@functools.cache
def running_sessions(path: Path) -> list[dict[str, Any]]:
    """The watch's own running sessions, read with fitdecode's default reader."""
    with fitdecode.FitReader(str(path)) as reader:
        sessions = [
            {f.name: f.value for f in frame.fields}
            for frame in reader
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session"
        ]
    return [s for s in sessions if s.get("sport") == "running"]


def test_every_running_fit_sample_matches_the_watchs_session_totals() -> None:
    checked = 0
    for path in FIT_SAMPLES:
        runs = read_activity(path).runs
        # Runs come in the file's session order (the other sports and fragments skipped).
        sessions = [
            s
            for s in running_sessions(path)
            if fragment_reason(s.get("total_distance"), s.get("total_elapsed_time")) is None
        ]
        for run, session in zip(runs, sessions, strict=True):
            assert run.distance_m == pytest.approx(session["total_distance"], rel=0.01)
            assert run.moving_time_s == pytest.approx(session["total_timer_time"], rel=0.02)
            for ours, theirs in (
                (run.ascent_m, session.get("total_ascent")),
                (run.descent_m, session.get("total_descent")),
            ):
                if theirs is not None:
                    assert ours is not None and abs(ours - theirs) <= max(5.0, 0.10 * theirs)
            strides = session.get("avg_running_cadence") or session.get("avg_cadence")
            if strides:
                assert run.cadence_spm == pytest.approx(2 * strides, rel=0.02)
            checked += 1
    assert checked >= 6  # every running session of the sample set


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and math.isclose(a, b)
    return a == b


@pytest.mark.parametrize("path", ALL_FIT, ids=lambda p: p.name)
def test_fitfast_gives_what_fitdecode_gives_or_leaves_the_file_to_it(path: Path) -> None:
    pytest.importorskip("fitfast")
    data = path.read_bytes()
    fast = fit._decode_fast(data)
    if fast is None:
        return  # fitdecode reads it: what the importer does
    slow = fit._decode_fitdecode(data)
    assert len(fast.rows) == len(slow.rows) and fast.untimed == slow.untimed
    for a, b in zip(fast.rows, slow.rows, strict=True):
        assert all(_same(x, y) for x, y in zip(a, b, strict=True)), (a, b)
    assert (fast.sport, fast.lap_sport, fast.file_type) == (
        slow.sport,
        slow.lap_sport,
        slow.file_type,
    )
    for key in ("timestamp", "local_timestamp"):
        assert (fast.activity or {}).get(key) == (slow.activity or {}).get(key)
    assert len(fast.sessions) == len(slow.sessions)
    for a, b in zip(fast.sessions, slow.sessions, strict=True):
        assert fit._sport(a) == fit._sport(b)
        assert (a.get("start_time"), a.get("timestamp")) == (
            b.get("start_time"),
            b.get("timestamp"),
        )
        assert fit.watch_totals(a) == pytest.approx(fit.watch_totals(b))


def test_a_file_fitfast_cannot_expand_goes_to_fitdecode() -> None:
    pytest.importorskip("fitfast")
    data = (DATA / "fit" / "compressed-speed-distance.fit").read_bytes()
    assert fit._decode_fast(data) is None  # distance is packed in compressed_speed_distance
    (run,) = read_activity(DATA / "fit" / "compressed-speed-distance.fit").runs
    assert run.distance_m == pytest.approx(10248.67)


def test_the_same_run_as_fit_gpx_and_tcx_agrees_and_is_one_run(tmp_path: Path) -> None:
    samples = synthetic_run()
    paths = [tmp_path / "run.fit", tmp_path / "run.gpx", tmp_path / "run.tcx"]
    write_fit(paths[0], samples)
    paths[1].write_text(gpx_text(samples))
    paths[2].write_text(tcx_text(samples))
    runs = [read_activity(p).runs[0] for p in paths]
    for other in runs[1:]:
        assert other.distance_m == pytest.approx(runs[0].distance_m, rel=0.01)
        assert other.descent_m == pytest.approx(runs[0].descent_m, rel=0.10)
        assert other.moving_time_s == pytest.approx(runs[0].moving_time_s, rel=0.02)
    store = open_store(tmp_path / "data")
    summary = import_activity_files(store, paths)
    assert [o.status for o in summary.outcomes] == ["imported", "duplicate", "duplicate"]
    store.close()


def test_duplicates_by_overlap_catch_a_gpx_two_percent_off() -> None:
    start = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    watch = Run(start=start, distance_m=10_000, elapsed_time_s=3600, source_hash="a")
    gpx = Run(start=start + timedelta(seconds=40), distance_m=10_210, elapsed_time_s=3580)
    assert is_same_run(gpx, watch)  # 2.1 % apart, one recording
    far = Run(start=start, distance_m=10_600, elapsed_time_s=3600)
    assert not is_same_run(far, watch)  # 6 %: another run
    short = Run(start=start, distance_m=10_300, elapsed_time_s=1800)
    assert not is_same_run(short, watch)  # half the time: not the same recording


def test_slow_steep_climbing_is_moving_time_and_a_stop_is_not() -> None:
    # 20 min climbing at 0.4-0.9 m/s, a step dipping to 0.1 m/s every 10 s, then a
    # 2-minute stop at the top.
    dist = [0.0]
    for t in range(1, 1321):
        speed = 0.0 if t > 1200 else 0.1 if t % 10 == 0 else 0.4 + 0.5 * (t % 7) / 6
        dist.append(dist[-1] + speed)
    track = Track(time_s=[float(t) for t in range(1321)], distance_m=dist)
    assert measure(track).moving_time_s == pytest.approx(1200, abs=2)


def test_a_flat_gps_track_gets_no_invented_descent() -> None:
    # 45 min on the flat; GPS heights wander +-1.4 m over a minute, with 0.5 m of jitter.
    n = 2700
    heights = [100 + 1.4 * math.sin(t / 9.5) + 0.5 * math.sin(t * 2.3) for t in range(n)]
    track = Track(
        time_s=[float(t) for t in range(n)],
        distance_m=[3.0 * t for t in range(n)],
        elevation_m=list(heights),
    )
    metrics = measure(track)
    assert metrics.descent_m is not None and metrics.descent_m <= 5.0


def _fit_without_samples(path: Path, sport: Sport, *, heart_rate_only: bool) -> Path:
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = ms(START)
    builder.add(file_id)
    if heart_rate_only:  # a gym session: a time and a pulse, no distance, no position
        for k in range(120):
            record = RecordMessage()
            record.timestamp = ms(START + timedelta(seconds=5 * k))
            record.heart_rate = 120
            builder.add(record)
    session = SessionMessage()
    session.timestamp = ms(START + timedelta(minutes=10))
    session.start_time = ms(START)
    session.sport = sport
    session.total_elapsed_time = 600.0
    session.total_timer_time = 600.0
    builder.add(session)
    path.write_bytes(builder.build().to_bytes())
    return path


def test_a_swim_without_timestamps_is_skipped_not_failed(tmp_path: Path) -> None:
    reading = read_activity(
        _fit_without_samples(tmp_path / "swim.fit", Sport.SWIMMING, heart_rate_only=False)
    )
    assert reading.error is None and reading.runs == []
    assert reading.skipped == ["a swim, not a run"]


def test_a_generic_activity_with_no_distance_and_no_track_is_skipped(tmp_path: Path) -> None:
    reading = read_activity(
        _fit_without_samples(tmp_path / "gym.fit", Sport.GENERIC, heart_rate_only=True)
    )
    assert reading.runs == []
    assert any("neither a distance nor a track" in reason for reason in reading.skipped)


def test_a_gpx_named_swim_with_stravas_type_code_is_skipped(tmp_path: Path) -> None:
    text = gpx_text(synthetic_run(), track_type="16").replace("Morning run", "Morning Swim")
    (tmp_path / "swim.gpx").write_text(text)
    assert read_activity(tmp_path / "swim.gpx").skipped == ["a swim, not a run"]
    untyped = gpx_text(synthetic_run(), track_type=None).replace("Morning run", "Morning Swim")
    (tmp_path / "untyped.gpx").write_text(untyped)
    assert read_activity(tmp_path / "untyped.gpx").skipped == ["a swim, not a run"]
    brown = gpx_text(synthetic_run(), track_type=None).replace("Morning run", "Brown Bridge loop")
    (tmp_path / "brown.gpx").write_text(brown)
    assert len(read_activity(tmp_path / "brown.gpx").runs) == 1  # no rowing in "Brown"


def test_an_undeclared_gpxdata_prefix_is_read(tmp_path: Path) -> None:
    text = (
        gpx_text(synthetic_run())
        .replace("<gpxtpx:TrackPointExtension>", "")
        .replace("</gpxtpx:TrackPointExtension>", "")
        .replace("gpxtpx:hr", "gpxdata:hr")
        .replace("gpxtpx:cad", "gpxdata:cadence")
    )
    assert "xmlns:gpxdata" not in text
    (tmp_path / "run.gpx").write_text(text)
    (run,) = read_activity(tmp_path / "run.gpx").runs
    assert run.avg_hr is not None and 140 < run.avg_hr < 160
    assert run.cadence_spm == pytest.approx(2 * 86.3, abs=1.5)
