"""Notice changes made outside this window, and a data file that moved away.

A `backstride` command in a terminal (or a worker of ours) may write while the window is
open; SQLite's `PRAGMA data_version` changes when another connection commits, so a check
every second and on window activation refreshes every page within about 2 s. The same
check sees a data folder moved or deleted while the app runs, before the next write.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from backstride.store.database import MovedError, StoreError
from backstride.ui.context import AppContext
from backstride.ui.data_events import ALL_DATA

CHECK_INTERVAL_MS = 1000


class DataWatcher(QObject):
    changed_elsewhere = Signal()
    moved = Signal(object)  # the MovedError, once per move
    back_in_place = Signal()

    def __init__(self, ctx: AppContext, parent: QObject) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._version: int | None = None
        self._moved = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        parent.installEventFilter(self)
        self._remember_version()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False

    def _remember_version(self) -> None:
        try:
            self._version = self._ctx.store.data_version()
        except StoreError:
            self._version = None

    def own_change_done(self) -> None:
        """After this window wrote through another connection (an import, a restore), the
        pages were told already: take the new version as seen."""
        self._remember_version()

    def check(self) -> None:
        store = self._ctx.store
        if store.closed:  # the window is closing
            self._timer.stop()
            return
        try:
            store.ensure_in_place()
        except MovedError as exc:
            if not self._moved:
                self._moved = True
                self.moved.emit(exc)
            return
        if self._moved:
            self._moved = False
            self.back_in_place.emit()
        try:
            version = store.data_version()
        except StoreError:
            return  # said when the runner next acts; polling must not nag
        if self._version is not None and version != self._version:
            self._version = version
            self._ctx.events.announce(*ALL_DATA)
            self.changed_elsewhere.emit()
        self._version = version

    def relocated(self) -> None:
        """The store now points at another file: start afresh."""
        self._moved = False
        self._remember_version()
