"""Every sample file gives a run, a stated skip or a clear error; dispatch, .gz, batches."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backstride.importers import (
    FileReading,
    ImportFileError,
    _build,
    expand_sources,
    read_activity,
    read_sources,
)
from backstride.importers._build import fragment_reason

DATA = Path(__file__).resolve().parents[1] / "data"

RUN = "run"
SKIP = "skip"
ERROR = "error"

# What each sample file must give (see tests/data/README.md and ../shared/data/README.md):
# (outcome, number of runs or words the skip/error reason must contain).
EXPECTED: dict[str, tuple[str, int | str]] = {
    "fit/2013-02-06-12-11-14.fit": (RUN, 1),
    "fit/activity-large-fenxi2-multisport.fit": (RUN, 2),
    "fit/activity-small-fenix2-run.fit": (RUN, 1),
    "fit/compressed-speed-distance.fit": (RUN, 1),
    "fit/developer-types-sample.fit": (RUN, 1),
    "fit/garmin-fenix-5-bike.fit": (SKIP, "a ride (cycling), not a run"),
    # A 57-second, 158 m sample: a fragment, not a run (see `no_fragment_minimum`).
    "fit/garmin-fenix-5-run.fit": (SKIP, "too short to be a run (57 s, 158 m"),
    "fit/garmin-fenix-5-walk.fit": (SKIP, "a walk, not a run"),
    "fit/garmin-fr935-cr.fit": (SKIP, "a swim, not a run"),
    "fit/sample-activity.fit": (SKIP, "a ride (cycling), not a run"),
    "invalid/activity-filecrc.fit": (ERROR, "checksum does not match"),
    "invalid/activity-settings-corruptheader.fit": (ERROR, "header inside it is corrupt"),
    "invalid/activity-settings-nodata.fit": (SKIP, "too short to be a run (13 s, 6 m"),
    "invalid/activity-unexpected-eof.fit": (SKIP, "too short to be a run (13 s, 6 m"),
    # 1901-12-13T20:45:52 (the 32-bit clock minimum) is within the date limits, but every
    # point carries it.
    "gpx/Mojstrovka.gpx": (ERROR, "carry the same time"),
    "gpx/around-visnjan-with-car.gpx": (SKIP, "faster than anyone runs"),
    "gpx/cerknicko-jezero-no-creator.gpx": (RUN, 1),
    "gpx/cerknicko-jezero-with-elevations-zero.gpx": (RUN, 1),
    "gpx/cerknicko-jezero-without-elevations.gpx": (RUN, 1),
    "gpx/cerknicko-jezero.gpx": (RUN, 1),
    "gpx/cerknicko-without-times.gpx": (ERROR, "only 5 of its 296 track points have a time"),
    "gpx/custom_schema_locations.gpx": (ERROR, "holds no track points"),
    "gpx/default_schema_locations.gpx": (ERROR, "holds no track points"),
    "gpx/first_and_last_elevation.gpx": (SKIP, "faster than anyone runs"),
    "gpx/gpx-with-node-with-comments.gpx": (ERROR, "only one sample with a time"),
    "gpx/gpx1.0_with_all_fields.gpx": (ERROR, "only one sample with a time"),
    "gpx/gpx1.1_with_all_fields.gpx": (ERROR, "only one sample with a time"),
    "gpx/gpx1.1_with_extensions.gpx": (SKIP, "only waypoints"),
    "gpx/gpx1.1_with_extensions_without_namespaces.gpx": (SKIP, "only waypoints"),
    "gpx/gpx_with_garmin_extension.gpx": (SKIP, "only waypoints"),
    "gpx/korita-zbevnica.gpx": (RUN, 1),
    "gpx/route.gpx": (SKIP, "a planned route"),
    "gpx/track-with-empty-segment.gpx": (SKIP, "too short to be a run (76 s, 86 m"),
    "gpx/track-with-extremes.gpx": (ERROR, "no timestamps"),
    "gpx/track-with-less-sec-time.gpx": (SKIP, "too short to be a run"),
    "gpx/track-with-small-floats.gpx": (ERROR, "no timestamps"),
    "gpx/track_with_dilution_errors.gpx": (ERROR, "no timestamps"),
    "gpx/track_with_speed.gpx": (SKIP, "too short to be a run (13 s, 19 m"),
    "gpx/unicode.gpx": (SKIP, "only waypoints"),
    "gpx/unicode2.gpx": (ERROR, "holds no track points"),
    "gpx/unicode_with_bom.gpx": (SKIP, "only waypoints"),
    "gpx/unicode_with_bom_noencoding.gpx": (SKIP, "only waypoints"),
    "tcx/cross-country-skiing_activity_1.tcx": (SKIP, "recorded as 'Other', not running"),
    "tcx/sup_activity_1.tcx": (SKIP, "recorded as 'Other', not running"),
    "tcx/tcxparser-no_hr.tcx": (RUN, 1),
    "tcx/tcxparser-test.tcx": (RUN, 1),
}
ACTIVITY_FOLDERS = ("fit", "gpx", "tcx", "invalid")


def sample_files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for folder in ACTIVITY_FOLDERS
        for p in (root / folder).iterdir()
        if p.is_file()
    }


def test_every_sample_file_has_an_expectation() -> None:
    assert sample_files(DATA) == set(EXPECTED)


def test_the_copies_match_the_shared_sample_set(shared_data: Path) -> None:
    assert sample_files(shared_data) == set(EXPECTED)
    for name in EXPECTED:
        assert (DATA / name).read_bytes() == (shared_data / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_file_gives_a_run_a_stated_skip_or_a_clear_error(name: str) -> None:
    outcome, detail = EXPECTED[name]
    path = DATA / name
    if outcome == ERROR:
        with pytest.raises(ImportFileError) as caught:
            read_activity(path)
        error = caught.value
        assert isinstance(detail, str) and detail in error.reason
        assert error.file == path.name and str(error).startswith(path.name + ": ")
        assert ";" in error.reason  # what is wrong; what to do
        return
    reading = read_activity(path)
    assert reading.error is None
    if outcome == SKIP:
        assert reading.runs == []
        assert any(isinstance(detail, str) and detail in reason for reason in reading.skipped)
        assert reading.status == "skipped"
        return
    assert len(reading.runs) == detail
    assert reading.status == "imported"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for run in reading.runs:
        assert run.start.tzinfo is not None and run.start.utcoffset() is not None
        assert run.source == path.name
        assert run.source_hash is not None and run.source_hash.startswith(digest)
        assert run.moving_time_s is not None and run.elapsed_time_s is not None
        assert 0 <= run.moving_time_s <= run.elapsed_time_s
        assert run.profile and run.profile[0].elapsed_s == 0.0
        assert run.profile[-1].elapsed_s == pytest.approx(run.elapsed_time_s)


@pytest.fixture
def no_fragment_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """Some sample files are fragments (under 2 minutes or 200 m), skipped as such; this
    lifts the minimum so a test can check what is read from them."""
    monkeypatch.setattr(_build, "MIN_RUN_S", 10.0)
    monkeypatch.setattr(_build, "MIN_RUN_M", 0.0)


def test_truncated_fit_imports_the_readable_records_and_says_so(no_fragment_minimum: None) -> None:
    for name in ("invalid/activity-unexpected-eof.fit", "invalid/activity-settings-nodata.fit"):
        reading = read_activity(DATA / name)
        assert reading.warnings[0] == (
            "the file is cut short (truncated); imported the 14 records that could be read"
        )
        (run,) = reading.runs
        assert run.start.astimezone(UTC) == datetime(2012, 4, 9, 21, 22, 26, tzinfo=UTC)
        assert run.elapsed_time_s == 13


def test_fragments_are_skipped_with_the_reason() -> None:
    """Issue 17: a 2-second FIT remnant and GPX fragments of 19 m and 86 m became runs."""
    for name, shown in (
        ("invalid/activity-settings-nodata.fit", "13 s, 6 m"),
        ("gpx/track_with_speed.gpx", "13 s, 19 m"),
        ("gpx/track-with-empty-segment.gpx", "76 s, 86 m"),
    ):
        reading = read_activity(DATA / name)
        assert reading.runs == [] and reading.status == "skipped", name
        assert reading.skipped == [
            f"too short to be a run ({shown}; a run is at least 2 minutes and 200 m), "
            "so it was left out"
        ]


def test_the_fragment_minimum_is_either_time_or_distance() -> None:
    assert fragment_reason(5000.0, 1800.0) is None
    assert fragment_reason(None, 1800.0) is None  # a treadmill run: its time decides
    assert fragment_reason(None, None) is None
    assert fragment_reason(199.0, 1800.0) is not None  # watch left running at the start
    assert fragment_reason(5000.0, 119.0) is not None
    assert fragment_reason(200.0, 120.0) is None


def test_a_fit_file_cut_anywhere_never_crashes(tmp_path: Path, no_fragment_minimum: None) -> None:
    data = (DATA / "fit/garmin-fenix-5-run.fit").read_bytes()
    path = tmp_path / "cut.fit"
    outcomes = set()
    for size in range(0, len(data), 97):
        path.write_bytes(data[:size])
        try:
            reading = read_activity(path)
        except ImportFileError as exc:
            outcomes.add("error")
            assert exc.reason
        else:
            outcomes.add(reading.status)
            assert size < len(data) - 2 and "cut short" in reading.warnings[0]
    assert outcomes == {"error", "imported", "skipped"}


def test_multisport_fit_imports_only_its_running_sessions() -> None:
    reading = read_activity(DATA / "fit/activity-large-fenxi2-multisport.fit")
    assert reading.skipped == [
        "part 1 of 7: its sport is not recorded as running",
        "part 2 of 7: a transition between sports, not a run",
        "part 4 of 7: a transition between sports, not a run",
        "part 6 of 7: a transition between sports, not a run",
        "part 7 of 7: a ride (cycling), not a run",
    ]
    first, second = reading.runs
    # The watch's local time was UTC+2 (activity.local_timestamp - timestamp).
    assert first.start == datetime(2015, 8, 29, 10, 36, tzinfo=UTC)
    assert first.start.utcoffset() == timedelta(hours=2)
    assert first.distance_m == pytest.approx(2245.23, rel=0.01)
    assert second.distance_m == pytest.approx(12740.37, rel=0.01)
    # Two runs from one file are two runs, not duplicates of each other.
    assert first.source_hash != second.source_hash


def test_fit_running_dynamics_and_cadence_in_steps_per_minute(no_fragment_minimum: None) -> None:
    (run,) = read_activity(DATA / "fit/garmin-fenix-5-run.fit").runs
    assert run.cadence_spm is not None and 150 < run.cadence_spm < 200
    assert run.vertical_oscillation_cm is not None and 3 < run.vertical_oscillation_cm < 15
    assert run.stance_time_ms is not None and 150 < run.stance_time_ms < 400
    assert run.step_length_m is not None and 0.5 < run.step_length_m < 1.6
    assert run.vertical_ratio_pct is not None and 3 < run.vertical_ratio_pct < 15
    assert run.start.utcoffset() == timedelta(hours=-7)


def test_fit_with_only_device_relative_times_is_dated_from_its_local_clock() -> None:
    reading = read_activity(DATA / "fit/compressed-speed-distance.fit")
    (run,) = reading.runs
    # activity.local_timestamp 12:21:03 is the end; the run lasted 3880 s before it.
    assert run.start.replace(tzinfo=None) == datetime(2012, 2, 13, 11, 16, 16)
    assert run.start.tzinfo is not None
    assert "local clock time" in reading.warnings[0]
    assert any("no elevation" in w for w in reading.warnings)
    assert run.ascent_m is None and run.descent_m is None


@pytest.mark.parametrize(
    "name",
    ["fit/garmin-fenix-5-run.fit", "gpx/cerknicko-jezero.gpx", "tcx/tcxparser-test.tcx"],
)
def test_gz_variants_read_like_the_plain_file(
    name: str, tmp_path: Path, no_fragment_minimum: None
) -> None:
    plain = DATA / name
    packed = tmp_path / (plain.name + ".gz")
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a = read_activity(plain)
    b = read_activity(packed)
    assert len(a.runs) == len(b.runs) == 1
    assert a.runs[0].distance_m == b.runs[0].distance_m
    assert a.runs[0].profile == b.runs[0].profile
    assert b.runs[0].source == packed.name
    # The hash is of the stored bytes: the .gz is a different file.
    assert b.runs[0].source_hash == hashlib.sha256(packed.read_bytes()).hexdigest()
    # Content decides the format, not the name.
    renamed = tmp_path / "activity.dat"
    shutil.copy(packed, renamed)
    assert read_activity(renamed).runs[0].profile == a.runs[0].profile


def test_damaged_or_cut_gz(tmp_path: Path) -> None:
    data = gzip.compress((DATA / "fit/garmin-fenix-5-run.fit").read_bytes())
    cut = tmp_path / "cut.fit.gz"
    cut.write_bytes(data[:12])  # the gzip header and hardly anything else
    with pytest.raises(ImportFileError, match="nothing readable inside"):
        read_activity(cut)
    broken = tmp_path / "broken.fit.gz"
    broken.write_bytes(data[:10] + bytes(b ^ 0x5A for b in data[10:40]) + data[40:])
    with pytest.raises(ImportFileError, match=r"compressed \(\.gz\) file"):
        read_activity(broken)


def test_cut_gz_of_a_long_fit_keeps_the_readable_part(tmp_path: Path) -> None:
    data = gzip.compress((DATA / "fit/activity-small-fenix2-run.fit").read_bytes())
    cut = tmp_path / "cut.fit.gz"
    cut.write_bytes(data[: len(data) // 2])
    reading = read_activity(cut)
    assert reading.warnings[0].startswith("the compressed (.gz) file is cut short")
    assert "cut short (truncated)" in reading.warnings[1]
    assert len(reading.runs) == 1


def test_plain_errors_name_the_problem(tmp_path: Path) -> None:
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError, match=r"empty \(0 bytes\)"):
        read_activity(empty)
    text = tmp_path / "notes.txt"
    text.write_text("just some notes")
    with pytest.raises(ImportFileError, match="not an activity file we can read"):
        read_activity(text)
    fake = tmp_path / "fake.fit"
    fake.write_text("not a fit file at all")
    with pytest.raises(ImportFileError, match="not a FIT file"):
        read_activity(fake)
    bad_xml = tmp_path / "bad.gpx"
    bad_xml.write_text("<gpx><trk><trkseg><trkpt lat='1' lon='2'></trkseg>")
    with pytest.raises(ImportFileError, match="not valid XML"):
        read_activity(bad_xml)
    bad_tcx = tmp_path / "bad.tcx"
    bad_tcx.write_text("<TrainingCenterDatabase><Activities><Activity>")
    with pytest.raises(ImportFileError, match="not valid XML"):
        read_activity(bad_tcx)
    with pytest.raises(ImportFileError, match="does not exist"):
        read_activity(tmp_path / "missing.fit")
    with pytest.raises(ImportFileError, match="is a folder"):
        read_activity(tmp_path)


def test_xml_entity_declarations_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.gpx"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx>&b;</gpx>'
    )
    with pytest.raises(ImportFileError, match="declares XML entities"):
        read_activity(bomb)


def test_expand_sources_walks_folders_and_keeps_strava_exports_whole(tmp_path: Path) -> None:
    (tmp_path / "a" / "deeper").mkdir(parents=True)
    (tmp_path / "a" / "run.FIT").write_bytes(b"x")
    (tmp_path / "a" / "deeper" / "trail.gpx.gz").write_bytes(b"x")
    (tmp_path / "a" / "notes.txt").write_text("x")
    (tmp_path / "a" / ".hidden.fit").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.fit").write_bytes(b"x")
    export = tmp_path / "export_123"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text("Activity ID\n")
    (export / "activities" / "1.fit.gz").write_bytes(b"x")
    loose = tmp_path / "loose.tcx"
    loose.write_text("x")
    odd = tmp_path / "odd.bin"
    odd.write_bytes(b"x")

    found = expand_sources([tmp_path, loose, odd, tmp_path / "missing.fit"])
    # Each folder: its Strava exports, its own files, then its subfolders, by name.
    assert found == [
        export,
        loose,
        tmp_path / "a" / "run.FIT",
        tmp_path / "a" / "deeper" / "trail.gpx.gz",
        odd,  # named explicitly: kept, reading it will say what it is
        tmp_path / "missing.fit",
    ]
    # An export named by its activities.csv, or twice, is one source.
    assert expand_sources([export / "activities.csv", export]) == [export]


def test_read_sources_carries_on_past_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "good.fit"
    shutil.copy(DATA / "fit/2013-02-06-12-11-14.fit", good)
    ride = tmp_path / "ride.fit"
    shutil.copy(DATA / "fit/garmin-fenix-5-bike.fit", ride)
    bad = tmp_path / "bad.fit"
    shutil.copy(DATA / "invalid/activity-filecrc.fit", bad)
    readings = list(read_sources([bad, good, ride]))
    assert [r.status for r in readings] == ["failed", "imported", "skipped"]
    assert isinstance(readings[0], FileReading)
    assert readings[0].error is not None and "checksum" in readings[0].error
    assert readings[0].label == "bad.fit"
