"""Background tasks belong to the widget that started them: closing it cancels the work and
drops the callbacks; database work runs on one serial worker; tests may pass a pool."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget

from backstride.store.database import Store
from backstride.ui.context import AppContext
from backstride.ui.data_events import DataEvents
from backstride.ui.runs import import_dialog
from backstride.ui.worker import Cancelled, Progress, database_pool, run_task

pytestmark = pytest.mark.gui


def _blocking(release: threading.Event, started: threading.Event):  # type: ignore[no-untyped-def]
    def work(progress: Progress) -> str:
        started.set()
        release.wait(10)
        progress(1, 1, "")  # raises Cancelled once the owner is gone
        return "done"

    return work


def test_callbacks_are_dropped_and_work_cancelled_when_the_owner_goes(qtbot) -> None:  # type: ignore[no-untyped-def]
    release, started = threading.Event(), threading.Event()
    owner = QObject()
    seen: list[object] = []
    task = run_task(owner, _blocking(release, started), seen.append, seen.append)
    assert started.wait(5)
    shiboken6.delete(owner)
    release.set()
    assert database_pool().waitForDone(5000)
    QApplication.processEvents()
    assert seen == [] and task.orphaned and task.progress.cancelled


def test_outcome_reaches_a_living_owner_on_a_pool_of_its_own(qtbot) -> None:  # type: ignore[no-untyped-def]
    pool = QThreadPool()
    owner = QObject()
    seen: list[object] = []
    run_task(owner, lambda _p: 42, seen.append, seen.append, pool=pool)
    qtbot.waitUntil(lambda: seen == [42])
    failing = run_task(owner, lambda _p: 1 / 0, seen.append, seen.append, pool=pool)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert isinstance(seen[1], ZeroDivisionError) and not failing.orphaned


def test_database_work_is_serial(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert database_pool().maxThreadCount() == 1
    active = 0
    most = 0
    lock = threading.Lock()

    def work(_p: Progress) -> None:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        threading.Event().wait(0.02)  # overlap, if the pool allowed it
        with lock:
            active -= 1

    owner = QObject()
    finished: list[object] = []
    for _ in range(4):
        run_task(owner, work, finished.append, finished.append)
    qtbot.waitUntil(lambda: len(finished) == 4)
    assert most == 1


def test_closing_the_import_window_mid_import_is_safe(  # type: ignore[no-untyped-def]
    qtbot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, started = threading.Event(), threading.Event()
    monkeypatch.setattr(import_dialog, "_work", lambda ctx, paths: _blocking(release, started))
    from PySide6.QtGui import QUndoStack

    ctx = AppContext(store=store, events=DataEvents(), undo=QUndoStack())
    parent = QWidget()
    dialog = import_dialog.ImportDialog(ctx, [tmp_path], parent)
    dialog.show()
    assert started.wait(5)
    shiboken6.delete(parent)  # the window goes, with its import dialog (the demo window case)
    release.set()
    assert database_pool().waitForDone(5000)
    QApplication.processEvents()  # a callback into the deleted list would raise here
    assert not shiboken6.isValid(dialog)


def test_cancelled_is_an_ordinary_exception() -> None:
    assert issubclass(Cancelled, Exception)
