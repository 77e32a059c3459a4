"""A dialog that runs one background task at a time with a status line and a busy bar, and
cannot be closed while the task runs (so no outcome arrives into a closed dialog)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QWidget

from backstride.ui.errors import error_text
from backstride.ui.worker import Progress, Task, run_task


class TaskDialog(QDialog):
    def __init__(self, parent: QWidget | None, status_name: str) -> None:
        super().__init__(parent)
        self.task: Task[Any] | None = None
        self.status = QLabel()
        self.status.setObjectName(status_name)
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: these tasks do not know their length
        self.bar.setVisible(False)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def tasks_changed(self) -> None:
        """Called when a task starts or ends: enable the buttons that fit."""

    def run(self, text: str, work: Callable[[Progress], Any], done: Callable[[Any], None]) -> None:
        """Start work off the GUI thread; done gets its result, errors are shown in words."""
        if self.task is not None:
            return  # one task at a time: the buttons are disabled meanwhile
        self.status.setText(text)
        self.bar.setVisible(True)

        def finished(result: Any) -> None:
            self.task = None
            self.bar.setVisible(False)
            self.tasks_changed()
            done(result)

        def failed(exc: BaseException) -> None:
            self.task = None
            self.bar.setVisible(False)
            self.status.setText(error_text(exc))
            self.tasks_changed()

        self.task = run_task(self, work, finished, failed)
        self.tasks_changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()  # a backup, restore or salvage is under way; it takes a moment
            return
        super().closeEvent(event)

    def reject(self) -> None:  # Esc
        if not self.busy:
            super().reject()
