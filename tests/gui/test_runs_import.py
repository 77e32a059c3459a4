from __future__ import annotations

import threading
from datetime import UTC, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCharts import QAreaSeries, QChartView
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from backstride import importing
from backstride.core.models import PainEntry, ProfilePoint, Run
from backstride.core.training_days import monday_of
from backstride.importers import read_activity
from backstride.importing import import_activity_files
from backstride.store.database import Store
from backstride.store.pain import add_pain_entry
from backstride.store.runs import add_run, list_runs
from backstride.ui.app import create_window
from backstride.ui.form import pydate
from backstride.ui.runs.detail import RunDetailDialog, descent_spans, pain_after
from backstride.ui.runs.import_dialog import ImportDialog
from backstride.ui.worker import Cancelled, run_task
from tests.gui.test_mnemonics import check as check_mnemonics
from tests.gui.test_mnemonics import mnemonics

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
    assert dialog.status.text().startswith("Stopped: 0 of 3 file(s) were read and kept")
    assert dialog.status.text().endswith("; 3 not read.")
    assert list_runs(store) == []  # cancelled before the first file: nothing read


@pytest.fixture
def second_file_waits(monkeypatch):  # type: ignore[no-untyped-def]
    """Reading the second file of a batch waits until the test lets it go: (reached, go)."""
    reached, go = threading.Event(), threading.Event()
    real = importing.read_task
    calls: list[object] = []

    def read_task(task):  # type: ignore[no-untyped-def]
        calls.append(task)
        if len(calls) == 2:
            reached.set()
            go.wait(10)
        return real(task)

    monkeypatch.setattr(importing, "read_task", read_task)
    yield reached, go
    go.set()


def three_files() -> list[Path]:
    return [
        RUN_FIT,
        DATA / "fit" / "2013-02-06-12-11-14.fit",
        DATA / "fit" / "developer-types-sample.fit",
    ]


def test_closing_the_window_mid_import_shows_what_was_kept(
    qtbot, store: Store, second_file_waits
) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: closing the progress window mid-import showed no summary."""
    reached, go = second_file_waits
    window = create_window(store)
    qtbot.addWidget(window)
    dialog = ImportDialog(window.ctx, three_files(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(reached.is_set, timeout=20000)
    dialog.close()  # the window's close button
    go.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.isVisible()
    assert dialog.status.text() == (
        "Stopped: 1 of 3 file(s) were read and kept (1 run(s) imported, 0 already there, "
        "0 skipped, 0 failed); 2 not read."
    )
    assert len(list_runs(store)) == 1
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Close) is not None
    assert (dialog.bar.value(), dialog.bar.maximum()) == (1, 3)  # how far it got


def test_ctrl_q_while_importing_stops_and_quits(qtbot, store: Store, second_file_waits) -> None:  # type: ignore[no-untyped-def]
    reached, go = second_file_waits
    window = create_window(store)
    qtbot.addWidget(window)
    window.show()
    dialog = ImportDialog(window.ctx, three_files(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(reached.is_set, timeout=20000)
    assert dialog.quit_action in dialog.actions()
    assert QKeySequence("Ctrl+Q") in dialog.quit_action.shortcuts()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    qtbot.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible() and not window.isVisible()  # the main window's quit
    assert dialog.task.progress.cancelled
    go.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert len(list_runs(store)) == 1  # the file read before Ctrl+Q is kept


def test_after_an_import_the_imported_runs_are_one_click_away(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: runs of 2010-2017 fell outside the default span and seemed to vanish."""
    window = create_window(store)
    qtbot.addWidget(window)
    window.show()
    files = [RUN_FIT, DATA / "fit" / "2013-02-06-12-11-14.fit"]
    dialog = ImportDialog(window.ctx, files, window, window.show_runs_between)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    button = dialog.show_button
    assert button.isVisible() and button.text() == "&Show the 2 imported runs"
    days = sorted(r.day for r in list_runs(store))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    page = window.training
    assert page.isVisible()
    assert page.tabs.currentWidget() is page.runs
    assert (pydate(page.runs.first.date()), pydate(page.runs.last.date())) == (days[0], days[-1])
    assert page.runs.model.rowCount() == 2
    assert page.week.monday == monday_of(days[-1])


def test_no_show_button_when_nothing_was_imported(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = create_window(store)
    qtbot.addWidget(window)
    dialog = ImportDialog(
        window.ctx, [DATA / "fit" / "garmin-fenix-5-bike.fit"], window, window.show_runs_between
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert dialog.show_button.isHidden()


def test_result_lines_wrap_within_the_window(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: results needed horizontal scrolling, lines cut mid-word."""
    window = create_window(store)
    qtbot.addWidget(window)
    files = [DATA / "gpx" / "track_with_speed.gpx", DATA / "invalid" / "activity-filecrc.fit"]
    dialog = ImportDialog(window.ctx, files, window)
    qtbot.addWidget(dialog)
    dialog.resize(420, 400)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    view = dialog.list
    assert view.horizontalScrollBar().maximum() == 0
    line = view.fontMetrics().height()
    heights = []
    for i in range(view.count()):
        rect = view.visualItemRect(view.item(i))
        assert rect.right() <= view.viewport().width(), view.item(i).text()
        heights.append(rect.height())
    assert max(heights) >= 2 * line  # the long reasons take several lines, whole


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


def test_the_finished_import_dialog_has_unique_mnemonics(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = create_window(store)
    qtbot.addWidget(window)
    dialog = ImportDialog(window.ctx, [RUN_FIT], window, window.show_runs_between)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    check_mnemonics(qtbot, dialog)
    assert [letter for letter, _, _ in mnemonics(dialog)].count("s") == 1
