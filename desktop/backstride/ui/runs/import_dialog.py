"""Import watch files (and CSV exports) off the GUI thread, with progress and Cancel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from backstride.importing import ImportSummary, import_activity_files, merge_runs
from backstride.operations.exports import import_exports, sort_paths
from backstride.ui.context import AppContext
from backstride.ui.data_events import HABITS, PAIN, RUNS, SHOES
from backstride.ui.errors import error_text
from backstride.ui.worker import Cancelled, Progress, Task, run_task

WATCH_FILTER = (
    "Watch files, export archives and Backstride exports "
    "(*.fit *.FIT *.gpx *.tcx *.gz *.zip *.ZIP *.csv *.json);;All files (*)"
)
_ICONS = {"imported": "✔", "duplicate": "=", "skipped": "–", "failed": "✖"}


def _work(ctx: AppContext, paths: Sequence[Path]):  # type: ignore[no-untyped-def]
    def work(progress: Progress) -> tuple[list[str], ImportSummary]:
        store = ctx.store.reopen()  # SQLite connections stay on their own thread
        try:
            sorted_paths = sort_paths(paths)
            lines = import_exports(store, sorted_paths, ctx.today())
            activities = sorted_paths.activities
            summary = (
                import_activity_files(store, activities, progress)
                if activities
                else ImportSummary()
            )
            return lines, summary
        finally:
            store.close()

    return work


class ImportDialog(QDialog):
    """Shows each file's outcome as it comes; Cancel keeps the files already imported."""

    def __init__(
        self, ctx: AppContext, paths: Sequence[Path], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ImportDialog")
        self.setWindowTitle("Importing runs")
        self.resize(640, 420)
        self.ctx = ctx
        self.summary: ImportSummary | None = None
        self.error: BaseException | None = None
        self.status = QLabel("Reading files…")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first file reports
        self.list = QListWidget()
        self.list.setObjectName("outcomes")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.task: Task[tuple[list[str], ImportSummary]] = run_task(
            self, _work(ctx, paths), self._done, self._failed, self._progress
        )

    @property
    def running(self) -> bool:
        return self.summary is None and self.error is None

    def _progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if label:
            self.status.setText(f"Reading {label} ({done + 1} of {total})")

    def _finish_buttons(self) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.ctx.events.announce(RUNS, SHOES, HABITS, PAIN)

    def _done(self, result: tuple[list[str], ImportSummary]) -> None:
        lines, summary = result
        self.summary = summary
        for line in lines:
            self.list.addItem(QListWidgetItem(f"✔ {line}"))
        for outcome in summary.outcomes:
            item = QListWidgetItem(f"{_ICONS[outcome.status]} {outcome.line()}")
            item.setToolTip(outcome.message)
            if outcome.status == "failed":
                item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        self.status.setText(summary.text() + ".")
        self._finish_buttons()
        if summary.merges and self.confirm_merge(self, len(summary.merges)):
            try:
                merge_runs(self.ctx.store, summary.merges)
            except Exception as exc:
                self.status.setText(f"Could not complete the hand-entered runs: {error_text(exc)}")
                return
            self.status.setText(
                self.status.text() + f" Completed {len(summary.merges)} hand-entered run(s)."
            )
            self.ctx.events.announce(RUNS)

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        if isinstance(exc, Cancelled):
            self.status.setText("Import cancelled. Files read before Cancel are kept.")
        else:
            self.status.setText(f"Import stopped: {error_text(exc)}")
        self._finish_buttons()

    def _cancel_or_close(self) -> None:
        if self.running:
            self.status.setText("Cancelling after the current file…")
            self.task.cancel()
        else:
            self.accept()

    def reject(self) -> None:  # Esc or the window's close button
        self._cancel_or_close()

    @staticmethod
    def confirm_merge(parent: QWidget, count: int) -> bool:
        """Ask whether to complete hand-entered runs with their watch files (tests replace this)."""
        answer = QMessageBox.question(
            parent,
            "Complete runs you entered by hand?",
            f"{count} imported run(s) match runs you entered by hand (same start within 2 minutes "
            "and distance within 2 %).\n\nComplete them with the watch's measurements? Your "
            "effort, warm-up, surface, shoe and note are kept.",
        )
        return answer == QMessageBox.StandardButton.Yes


def import_paths(ctx: AppContext, paths: Sequence[Path], parent: QWidget | None) -> ImportDialog:
    dialog = ImportDialog(ctx, paths, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
