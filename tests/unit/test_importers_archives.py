"""Export archives (Garmin-shaped, Strava-shaped, hostile ones) and the worker pool."""

from __future__ import annotations

import csv
import gzip
import io
import stat
import zipfile
from pathlib import Path

import pytest

from backstride.importers import archives
from backstride.importing import import_activity_files
from backstride.store.database import open_store
from backstride.store.runs import list_runs
from tests.bench.fitgen import run_fit

DATA = Path(__file__).resolve().parents[1] / "data"


def nested_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def garmin_export(path: Path) -> Path:
    """Garmin's layout: JSON everywhere, the FIT files in a ZIP inside the ZIP."""
    uploads = nested_zip({f"{1000 + i}.fit": run_fit(i, 600)[0] for i in range(3)})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", "{}")
        z.writestr("DI_CONNECT/DI-Connect-Wellness/sleep.json", "[]")
        z.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", uploads)
    return path


def strava_export(path: Path) -> Path:
    """Strava's layout: activities.csv naming files in activities/, a gzipped one too."""
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"])
    writer.writerow(["11", "Jan 5, 2021, 7:03:12 AM", "Morning Run", "Run", "activities/11.fit"])
    writer.writerow(["12", "Jan 6, 2021, 7:03:12 AM", "Lunch Run", "Run", "activities/12.fit.gz"])
    writer.writerow(["13", "Jan 7, 2021, 7:03:12 AM", "Evening Ride", "Ride", "activities/13.gpx"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("activities.csv", rows.getvalue())
        z.writestr("activities/11.fit", run_fit(11, 600)[0])
        z.writestr("activities/12.fit.gz", gzip.compress(run_fit(12, 600)[0]))
        z.writestr("activities/13.gpx", "<gpx/>")
        z.writestr("profile.csv", "x")
        z.writestr("media/photo.jpg", b"\xff\xd8")
    return path


def test_a_garmin_export_imports_its_runs_and_counts_the_rest(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    summary = import_activity_files(store, [garmin_export(tmp_path / "garmin.zip")])
    statuses = [(o.label, o.status) for o in summary.outcomes]
    assert statuses[0] == ("garmin.zip", "skipped")
    assert "2 other file(s)" in summary.outcomes[0].message
    prefix = "garmin.zip/DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1/"
    assert statuses[1:] == [(f"{prefix}{1000 + i}.fit", "imported") for i in range(3)]
    assert len(list_runs(store)) == 3
    store.close()


def test_a_strava_export_zip_reads_its_index_and_gzipped_files(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    summary = import_activity_files(store, [strava_export(tmp_path / "export_1.zip")])
    assert [o.status for o in summary.outcomes] == ["skipped", "imported", "imported", "skipped"]
    assert "2 other file(s)" in summary.outcomes[0].message
    assert summary.outcomes[1].label.startswith("export_1.zip: activities/11.fit")
    assert "not a run" in summary.outcomes[3].message
    assert len(list_runs(store)) == 2
    store.close()


def test_a_zip_bomb_is_refused_before_anything_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small cap stands for the real one: the same check, without writing gigabytes.
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.fit", run_fit(1, 60)[0])
        z.writestr("b.gpx", b"<" * (3 * 1024 * 1024))  # 3 MB of one byte: 3 KB zipped
    assert bomb.stat().st_size < 20_000
    store = open_store(tmp_path / "data")
    summary = import_activity_files(store, [bomb])
    (outcome,) = summary.outcomes
    assert outcome.status == "failed" and "unpacks to more than" in outcome.message
    assert list_runs(store) == []
    store.close()


def test_a_member_larger_than_any_activity_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "MAX_FILE_BYTES", 1024 * 1024)
    bomb = tmp_path / "big.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.fit", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(archives.ImportFileError, match="more than 1 MB"):
        archives.unpack(bomb, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_traversal_names_and_symbolic_links_are_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as z:
        z.writestr("../../escaped.fit", run_fit(1, 60)[0])
        z.writestr("/etc/absolute.fit", run_fit(2, 60)[0])
        link = zipfile.ZipInfo("link.fit")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
        z.writestr("ok/run.fit", run_fit(3, 60)[0])
    out = tmp_path / "scratch" / "out"
    unpacked = archives.unpack(hostile, out)
    assert unpacked.kept == 1 and len(unpacked.refused) == 3
    assert (
        "leads outside the archive" in unpacked.note() and "refused for safety" in unpacked.note()
    )
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "ok/run.fit"
    ]
    assert (
        not (tmp_path / "escaped.fit").exists() and not (tmp_path / "scratch" / "link.fit").exists()
    )


def test_a_damaged_zip_fails_with_words_and_the_batch_goes_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    good = tmp_path / "run.fit"
    good.write_bytes(run_fit(5, 600)[0])
    store = open_store(tmp_path / "data")
    summary = import_activity_files(store, [broken, good])
    assert [o.status for o in summary.outcomes] == ["failed", "imported"]
    assert "not a ZIP archive we can open" in summary.outcomes[0].message
    store.close()


def test_the_pool_gives_the_same_outcomes_in_the_same_order_as_one_process(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    for i in range(6):
        (folder / f"run-{i}.fit").write_bytes(run_fit(i, 300)[0])
    (folder / "run-3-again.fit").write_bytes((folder / "run-3.fit").read_bytes())
    (folder / "bad.fit").write_bytes(b"\x0e\x10junk.FITjunk")
    (folder / "ride.fit").write_bytes((DATA / "fit" / "garmin-fenix-5-bike.fit").read_bytes())
    results = []
    for workers in (1, 2):
        store = open_store(tmp_path / f"data-{workers}")
        summary = import_activity_files(store, [folder], workers=workers)
        results.append([(o.label, o.status, o.message) for o in summary.outcomes])
        assert all(not run.profile for o in summary.outcomes for run in o.added)
        assert len(list_runs(store)) == 6
        store.close()
    assert results[0] == results[1]
    assert [status for _, status, _ in results[0]].count("duplicate") == 1


def test_cancel_stops_the_pool_and_keeps_the_files_saved(tmp_path: Path) -> None:
    paths = []
    for i in range(12):
        path = tmp_path / f"run-{i:02}.fit"
        path.write_bytes(run_fit(i, 120)[0])
        paths.append(path)

    class Stop(Exception):
        pass

    def progress(done: int, total: int, label: str) -> None:
        if done == 3:
            raise Stop

    store = open_store(tmp_path / "data")
    with pytest.raises(Stop):
        import_activity_files(store, paths, progress, workers=2)
    assert len(list_runs(store)) == 3  # the files finished before Cancel
    store.close()
    import multiprocessing

    assert multiprocessing.active_children() == []
