"""Import watch files (and CSV exports) off the GUI thread, with progress and Cancel."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
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
# Shows the runs of these days (first, last) in the training log: the main window's.
ShowRuns = Callable[[date, date], None]


def _work(ctx: AppContext, paths: Sequence[Path]):  # type: ignore[no-untyped-def]
    def work(progress: Progress) -> tuple[list[str], ImportSummary]:
        store = ctx.store.reopen()  # SQLite connections stay on their own thread
        try:
            sorted_paths = sort_paths(paths)
            lines = import_exports(store, sorted_paths, ctx.today())
            activities = sorted_paths.activities

            def report(done: int, total: int, label: str) -> None:
                # Cancel does not raise here: `stop` ends the batch before the next file,
                # so the summary of the files read so far is shown.
                with contextlib.suppress(Cancelled):
                    progress(done, total, label)

            summary = (
                import_activity_files(store, activities, report, stop=lambda: progress.cancelled)
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
        self,
        ctx: AppContext,
        paths: Sequence[Path],
        parent: QWidget | None = None,
        show_runs: ShowRuns | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ImportDialog")
        self.setWindowTitle("Importing runs")
        self.resize(640, 420)
        self.ctx = ctx
        self._show_runs = show_runs
        self.summary: ImportSummary | None = None
        self.error: BaseException | None = None
        self.status = QLabel("Reading files…")
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first file reports
        self.list = QListWidget()
        self.list.setObjectName("outcomes")
        # Each result wraps at word boundaries, within the window: no sideways scrolling.
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)
        self.show_button = QPushButton("&Show the imported runs", self)
        self.show_button.setObjectName("show_imported")
        self.show_button.setToolTip("The Runs list of the training log, filtered to their dates")
        self.show_button.clicked.connect(self.show_imported)
        self.show_button.hide()  # in the buttons once the import added runs
        # Ctrl+Q quits the app from here too: the import stops and the window closes. The
        # platform's Quit keys, and Ctrl+Q where the platform names none (Windows, offscreen).
        self.quit_action = QAction("Quit", self)
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        ctrl_q = QKeySequence("Ctrl+Q")
        self.quit_action.setShortcuts([*keys, ctrl_q] if ctrl_q not in keys else keys)
        self.quit_action.triggered.connect(self.quit_app)
        self.addAction(self.quit_action)
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

    def _finish_buttons(self, read: int = 1, total: int = 1) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(read if total else 1)  # a stopped import shows how far it got
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
        if summary.stopped:
            self._finish_buttons(summary.files_read, summary.files_total)
        else:
            self._finish_buttons()
        days = summary.imported_days
        if days is not None and self._show_runs is not None:
            first, last = days
            self.show_button.setText(
                "&Show the imported run"
                if summary.runs_added == 1
                else f"&Show the {summary.runs_added} imported runs"
            )
            self.show_button.setToolTip(
                f"The training log's Runs list from {first:%d %b %Y} to {last:%d %b %Y}, "
                "and the week of the latest"
            )
            self.buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.show_button.show()
            self.show_button.setDefault(True)
            self.show_button.setFocus()
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

    def show_imported(self) -> None:
        """Close, and show the imported runs in the training log."""
        days = self.summary.imported_days if self.summary is not None else None
        if days is None or self._show_runs is None:
            return
        self.accept()
        self._show_runs(*days)

    def quit_app(self) -> None:
        """Ctrl+Q: stop the import (files read so far are kept) and quit the app."""
        if self.running:
            self.task.cancel()
        window = self.parentWidget()
        self.hide()
        if window is not None:
            window.window().close()  # the main window's own quit: saves its geometry
        else:
            QApplication.quit()

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


def import_paths(
    ctx: AppContext,
    paths: Sequence[Path],
    parent: QWidget | None,
    show_runs: ShowRuns | None = None,
) -> ImportDialog:
    dialog = ImportDialog(ctx, paths, parent, show_runs)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
