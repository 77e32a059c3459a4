"""Run long work off the GUI thread (Picard's run_task idea, napari's worker signals).

The work function gets a `Progress` it may call to report (done, total, text) and poll
for cancellation; results and errors come back on the GUI thread through signals. A worker
that needs the database opens its own connection (Store.reopen()): SQLite connections
must not be shared across threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

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
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except BaseException as exc:  # handed to the GUI thread, which shows or logs it
            if not isinstance(exc, Cancelled):
                log.info("background task failed", exc_info=exc)
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)

    def cancel(self) -> None:
        self.progress.cancel()


_running: set[Task[Any]] = set()


def run_task(
    work: Callable[[Progress], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Task[T]:
    """Start work on the thread pool; callbacks run on the GUI thread."""
    task: Task[T] = Task(work)

    def done(result: object) -> None:
        _running.discard(task)
        on_done(result)  # type: ignore[arg-type]

    def failed(exc: object) -> None:
        _running.discard(task)
        on_error(exc)  # type: ignore[arg-type]

    task.signals.finished.connect(done)
    task.signals.failed.connect(failed)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task
