"""The Runs tab: every run, sortable, filtered by shoe, surface and dates (issue 17)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import QApplication, QWidget

from backstride.core.models import Run
from backstride.store import runs as run_store
from backstride.store.database import Store
from backstride.ui.main_window import MainWindow
from backstride.ui.training.runs_list import DATE, DISTANCE, NO_SHOE, RunsModel
from tests.gui.conftest import open_window

pytestmark = pytest.mark.gui

TZ = timezone(timedelta(hours=2))
TODAY = date.today()


def _run(days_ago: int, km: float | None, **kw: object) -> Run:
    return Run(
        start=datetime.combine(TODAY - timedelta(days=days_ago), time(7, 30), TZ),
        distance_m=None if km is None else km * 1000,
        moving_time_s=None if km is None else km * 330,
        **kw,  # type: ignore[arg-type]
    )


RUNS = [
    _run(200, 12, surface="trail", shoe="Speedgoat", id=1, note="that trail run"),
    _run(150, 8, surface="road", shoe="Pegasus", id=2),
    _run(40, None, surface="trail", id=3),  # distance unknown
    _run(3, 21, surface="road", shoe="Pegasus", id=4),
]


def test_runs_model_passes_qtmodeltester_and_sorts_unknown_last(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RunsModel()
    model.set_runs(RUNS)
    qtmodeltester.check(model)
    assert [model.run_at(i).id for i in range(4)] == [4, 3, 2, 1]  # newest first
    model.sort(DISTANCE, Qt.SortOrder.AscendingOrder)
    assert [model.run_at(i).id for i in range(4)] == [2, 1, 4, 3]
    model.sort(DISTANCE, Qt.SortOrder.DescendingOrder)
    assert [model.run_at(i).id for i in range(4)] == [4, 1, 2, 3]  # unknown stays last
    qtmodeltester.check(model)
    model.sort(DATE, Qt.SortOrder.AscendingOrder)
    assert model.run_at(0).id == 1


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    for run in RUNS:
        run_store.add_run(store, run, create_shoe=True)
    w = open_window(qtbot, store)
    w.show_page(w.training)
    w.training.tabs.setCurrentWidget(w.training.runs)
    return w


def _ids(window: MainWindow) -> list[int | None]:
    model = window.training.runs.model
    return [model.run_at(i).id for i in range(model.rowCount())]


def test_filter_by_shoe_surface_and_dates(window: MainWindow) -> None:
    runs = window.training.runs
    assert len(_ids(window)) == 4 and runs.count.text() == "4 of 4 runs"
    runs.surface.setCurrentIndex(runs.surface.findData("trail"))
    assert len(_ids(window)) == 2
    that_month = TODAY - timedelta(days=200)
    runs.first.setDate(QDate(that_month.year, that_month.month, 1))
    runs.last.setDate(QDate(that_month.year, that_month.month, 1).addMonths(1).addDays(-1))
    assert _ids(window) == [1]  # "that trail run in May"
    assert runs.count.text() == "1 of 4 runs"
    runs.surface.setCurrentIndex(0)
    runs.first.setDate(runs.first.minimumDate())
    runs.last.setDate(runs.last.maximumDate())
    runs.shoe.setCurrentIndex(runs.shoe.findData("Pegasus"))
    assert len(_ids(window)) == 2
    runs.shoe.setCurrentIndex(runs.shoe.findData(NO_SHOE))
    assert len(_ids(window)) == 1


def test_a_new_run_appears_and_the_filters_stay(window: MainWindow, store: Store) -> None:
    runs = window.training.runs
    runs.surface.setCurrentIndex(runs.surface.findData("road"))
    before = len(_ids(window))
    from backstride.operations import training as run_ops
    from backstride.ui.context import perform

    perform(window.ctx, window, run_ops.add_run(store, _run(0, 5, surface="road"), TODAY))
    assert len(_ids(window)) == before + 1
    assert runs.surface.currentData() == "road"


def test_double_click_shows_details_and_enter_edits(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, when_modal
) -> None:
    runs = window.training.runs
    seen: list[str] = []

    def close(dialog: QWidget) -> None:
        seen.append(dialog.objectName())
        dialog.close()

    when_modal(close)
    rect = runs.table.visualRect(runs.model.index(0, 1))
    qtbot.mouseClick(runs.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(runs.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == ["RunDetailDialog"]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    with qtbot.waitActive(window):  # offscreen does not hand activation back after a dialog
        window.activateWindow()
    when_modal(close)
    runs.table.setFocus()
    runs.table.selectRow(0)
    runs.table.setCurrentIndex(runs.model.index(0, 0))
    qtbot.keyClick(runs.table, Qt.Key.Key_Return)
    assert seen == ["RunDetailDialog", "RunDialog"]
