"""Run long work off the GUI thread (Picard's run_task, Anki's taskman, napari's workers).

The work function gets a `Progress` it may call to report (done, total, text) and poll
for cancellation; results and errors come back on the GUI thread through signals, to the
widget that started the work (its owner) and only while that owner exists: closing a
window mid-import cancels the import and drops its callbacks. All of it is database work
(imports, analysis of the stored diary, backups), so it runs on one serial worker thread;
a worker opens its own connection (Store.reopen()), as SQLite connections stay on the
thread that opened them. At quit, `shutdown_tasks` cancels what runs and waits, bounded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from backstride.core.log_privacy import error_place, redacted_traceback
from backstride.ui.errors import EXPECTED

T = TypeVar("T")
log = logging.getLogger("backstride")


class Cancelled(Exception):
    """Raised inside work when the user pressed Cancel."""


class Progress:
    def __init__(self, signal: Any) -> None:
        self._signal = signal
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled
        self._signal.emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class Task(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[Progress], T]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the caller keeps it until a signal arrives
        self.signals = _Signals()
        self.progress = Progress(self.signals.progress)
        self.orphaned = False  # its owner is gone: cancelled, and no callback runs
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except Exception as exc:  # handed to the GUI thread, which shows or logs it
            # Messages can quote diary text (a CSV cell, a note), so never into the log.
            if isinstance(exc, EXPECTED):
                log.info("background task stopped: %s", error_place(exc))
            elif not isinstance(exc, Cancelled):
                log.error("background task failed\n%s", redacted_traceback(exc))
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)

    def cancel(self) -> None:
        self.progress.cancel()

    def orphan(self) -> None:
        self.orphaned = True
        self.cancel()


_running: set[Task[Any]] = set()
_pool: QThreadPool | None = None


def database_pool() -> QThreadPool:
    """The one serial worker all background database work shares."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def run_task(
    owner: QObject,
    work: Callable[[Progress], T],
    on_done: Callable[[T], None],
    on_error: Callable[[Exception], None],
    on_progress: Callable[[int, int, str], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task[T]:
    """Start work for owner; callbacks run on the GUI thread while owner exists."""
    task: Task[T] = Task(work)

    def finish() -> bool:
        """Forget the task; True when its owner still wants the outcome."""
        _running.discard(task)
        if task.orphaned:
            return False
        owner.destroyed.disconnect(task.orphan)
        return True

    def done(result: object) -> None:
        if finish():
            on_done(result)  # type: ignore[arg-type]

    def failed(exc: object) -> None:
        if finish():
            on_error(exc)  # type: ignore[arg-type]

    def progress(done_: int, total: int, text: str) -> None:
        if not task.orphaned and on_progress is not None:
            on_progress(done_, total, text)

    task.signals.finished.connect(done)
    task.signals.failed.connect(failed)
    task.signals.progress.connect(progress)
    owner.destroyed.connect(task.orphan)
    _running.add(task)
    (pool or database_pool()).start(task)
    return task


def shutdown_tasks(timeout_ms: int) -> bool:
    """Cancel every task and wait for the worker, at most timeout_ms; True when idle."""
    for task in list(_running):
        task.orphan()
    return database_pool().waitForDone(timeout_ms)
