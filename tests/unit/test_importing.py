from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from backstride.cli import main
from backstride.core.models import Run
from backstride.importers import read_activity
from backstride.importing import import_activity_files, merge_runs
from backstride.store.database import open_store
from backstride.store.runs import add_run, get_run, list_runs

DATA = Path(__file__).resolve().parents[1] / "data"
RUN_FIT = DATA / "fit" / "activity-small-fenix2-run.fit"


def test_batch_goes_on_past_bad_files_and_counts_each(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    summary = import_activity_files(
        store,
        [
            RUN_FIT,
            DATA / "invalid" / "activity-settings-corruptheader.fit",
            DATA / "fit" / "garmin-fenix-5-bike.fit",
        ],
    )
    assert [o.status for o in summary.outcomes] == ["imported", "failed", "skipped"]
    assert "corrupt" in summary.outcomes[1].message and "ride" in summary.outcomes[2].message
    (run,) = list_runs(store)
    stored = get_run(store, run.id or 0)
    assert stored is not None and len(stored.profile) > 100  # the downsampled profile is kept
    assert stored.cadence_spm is not None and stored.cadence_spm > 140  # steps, not strides
    assert summary.failed
    store.close()


def test_same_file_twice_is_a_duplicate(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    import_activity_files(store, [RUN_FIT])
    again = import_activity_files(store, [RUN_FIT])
    assert [o.status for o in again.outcomes] == ["duplicate"]
    assert len(list_runs(store)) == 1
    store.close()


def test_hand_entered_run_is_offered_for_merging(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    track = read_activity(RUN_FIT).runs[0]
    manual = add_run(
        store,
        Run(
            start=track.start + timedelta(minutes=1),
            distance_m=(track.distance_m or 0) * 1.01,
            moving_time_s=3000,
            rpe=6,
            warmup_min=0,
            note="felt stiff",
        ),
    )
    summary = import_activity_files(store, [RUN_FIT])
    assert summary.outcomes[0].status == "duplicate" and "by hand" in summary.outcomes[0].message
    assert len(summary.merges) == 1
    merge_runs(store, summary.merges)
    (merged,) = list_runs(store)
    assert merged.id == manual.id and merged.rpe == 6 and merged.note == "felt stiff"
    assert merged.distance_m == track.distance_m and merged.descent_m == track.descent_m
    store.close()


def test_cancel_keeps_finished_files(tmp_path: Path) -> None:
    store = open_store(tmp_path)

    class Stop(Exception):
        pass

    def progress(done: int, total: int, label: str) -> None:
        if done == 1:
            raise Stop

    with pytest.raises(Stop):
        import_activity_files(store, [RUN_FIT, DATA / "fit" / "2013-02-06-12-11-14.fit"], progress)
    assert len(list_runs(store)) == 1
    store.close()


def test_cli_import_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path / "d")
    assert (
        main(
            ["--data-dir", d, "import", str(RUN_FIT), str(DATA / "fit" / "garmin-fenix-5-walk.fit")]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert (
        "activity-small-fenix2-run.fit: imported" in out
        and "walk" in out
        and "1 run(s) imported" in out
    )
    assert main(["--data-dir", d, "import", str(DATA / "invalid" / "activity-filecrc.fit")]) == 1
    assert "failed: its checksum" in capsys.readouterr().out
    assert main(["--data-dir", d, "import", str(tmp_path / "nothing.fit")]) == 1
