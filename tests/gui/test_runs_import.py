from __future__ import annotations

import threading
from datetime import UTC, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCharts import QAreaSeries, QChartView
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from backstride.core.models import PainEntry, ProfilePoint, Run
from backstride.importers import read_activity
from backstride.importing import import_activity_files
from backstride.store.database import Store
from backstride.store.pain import add_pain_entry
from backstride.store.runs import add_run, list_runs
from backstride.ui.app import create_window
from backstride.ui.runs.detail import RunDetailDialog, descent_spans, pain_after
from backstride.ui.runs.import_dialog import ImportDialog
from backstride.ui.worker import Cancelled, run_task

pytestmark = pytest.mark.gui
DATA = Path(__file__).resolve().parents[1] / "data"
RUN_FIT = DATA / "fit" / "activity-small-fenix2-run.fit"


def test_import_dialog_imports_off_thread_and_lists_outcomes(
    qtbot, store: Store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = create_window(store)
    qtbot.addWidget(window)
    changed: list[frozenset[str]] = []
    window.ctx.events.changed.connect(changed.append)
    dialog = ImportDialog(window.ctx, [RUN_FIT, DATA / "invalid" / "activity-filecrc.fit"], window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("imported" in t for t in texts) and any(
        "failed" in t and "checksum" in t for t in texts
    )
    assert "1 run(s) imported" in dialog.status.text()
    assert len(list_runs(store)) == 1
    assert any("runs" in c for c in changed)


def test_import_offers_merge_with_hand_entered_run(qtbot, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    track = read_activity(RUN_FIT).runs[0]
    add_run(store, Run(start=track.start, distance_m=track.distance_m, moving_time_s=3000, rpe=7))
    window = create_window(store)
    qtbot.addWidget(window)
    asked: list[int] = []
    monkeypatch.setattr(
        ImportDialog, "confirm_merge", staticmethod(lambda parent, n: asked.append(n) or True)
    )
    dialog = ImportDialog(window.ctx, [RUN_FIT], window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert asked == [1]
    (run,) = list_runs(store)
    assert run.rpe == 7 and run.descent_m == track.descent_m


def test_cancel_keeps_what_finished(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = create_window(store)
    qtbot.addWidget(window)
    files = [
        RUN_FIT,
        DATA / "fit" / "2013-02-06-12-11-14.fit",
        DATA / "fit" / "developer-types-sample.fit",
    ]
    # Hold the one database worker so that Cancel surely comes before the first file.
    release, blocker_owner = threading.Event(), QObject()
    run_task(blocker_owner, lambda _p: release.wait(10), lambda _r: None, lambda _e: None)
    dialog = ImportDialog(window.ctx, files, window)
    qtbot.addWidget(dialog)
    dialog.task.cancel()
    release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert "cancelled" in dialog.status.text().lower()
    assert list_runs(store) == []  # cancelled before the first file: nothing read


def test_cancel_between_files_keeps_the_finished_ones(store: Store) -> None:
    files = [RUN_FIT, DATA / "fit" / "2013-02-06-12-11-14.fit"]

    def progress(done: int, total: int, text: str = "") -> None:
        if done == 1:  # the first file is saved; Cancel is pressed during the second
            raise Cancelled

    with pytest.raises(Cancelled):
        import_activity_files(store, files, progress)
    assert len(list_runs(store)) == 1


def test_run_detail_shows_profile_metrics_and_pain(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    run = add_run(store, read_activity(RUN_FIT).runs[0])
    add_pain_entry(
        store,
        PainEntry(
            day=run.day,
            time=time(21, 0),
            intensity=4,
            timing="evening",
            regions=("lower_back_centre",),
        ),
    )
    add_pain_entry(
        store,
        PainEntry(
            day=run.day + timedelta(days=1), time=time(7, 0), intensity=6, timing="on_waking"
        ),
    )
    window = create_window(store)
    qtbot.addWidget(window)
    dialog = RunDetailDialog(window.ctx, run.id or 0, parent=window)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.chart_view, QChartView)
    series = dialog.chart_view.chart().series()
    assert any(isinstance(s, QAreaSeries) for s in series)  # descents are shaded
    summary = dialog.findChild(QLabel, "pain_summary")
    assert (
        summary is not None and "<b>4</b>/10" in summary.text() and "<b>6</b>/10" in summary.text()
    )


def test_descent_spans_and_pain_after() -> None:
    pts = [
        ProfilePoint(i * 10, i * 30.0, e)
        for i, e in enumerate([100, 101, 99, 95, 90, 91, 92, 91.5, 91])
    ]
    assert descent_spans(pts) == [(1, 4)]  # the 1 m dip at the end is noise, not a descent
    from datetime import datetime

    run = Run(start=datetime(2026, 5, 1, 18, 0, tzinfo=UTC))
    entries = [
        PainEntry(day=run.day, time=time(8, 0), intensity=2),
        PainEntry(day=run.day, time=time(20, 0), intensity=5),
        PainEntry(day=run.day + timedelta(days=1), time=time(9, 30), intensity=3),
    ]
    later, morning = pain_after(run, entries)
    assert [e.intensity for e in later] == [5] and morning == 3
