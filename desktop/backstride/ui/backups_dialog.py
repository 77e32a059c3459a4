"""File > Backups…: the list of backups, back up now, restore (and undo it), the folder.

Every backup, restore and the listing (which checks each backup) runs off the GUI thread
on the worker's own connection; the dialog shows a busy bar and cannot be closed while
one runs, so no callback arrives into a closed dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backstride.store.backup import (
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_NEWEST,
    KEEP_WEEKLY,
    Backup,
    BackupContents,
    age_text,
    backup_before,
    daily_backup_due,
    inspect_backup,
    list_backups,
    restore_backup,
)
from backstride.store.settings import backup_folder, load_settings, update_settings
from backstride.ui.context import AppContext
from backstride.ui.data_events import ALL_DATA
from backstride.ui.errors import error_text, show_error
from backstride.ui.screen_fit import resize_within_screen
from backstride.ui.task_dialog import TaskDialog
from backstride.ui.worker import Progress, Task, run_task

Listing = list[tuple[Backup, BackupContents]]
RETENTION_TEXT = (
    f"Each backup is a complete copy of your data, checked after it is written. Backstride "
    f"keeps the newest {KEEP_NEWEST}, then one a day for {KEEP_DAILY} days, one a week for "
    f"{KEEP_WEEKLY} weeks and one a month for {KEEP_MONTHLY} months. A synced folder (Dropbox, "
    "OneDrive, a network drive) is a good place for backups; never move the data folder "
    "itself there."
)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


class BackupsDialog(TaskDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, "backup_status")
        self.setObjectName("BackupsDialog")
        self.setWindowTitle("Backups")
        resize_within_screen(self, 880, 460)
        self.ctx = ctx
        self.listing: Listing = []
        self.undo_path: Path | None = None  # the backup made just before the last restore

        intro = QLabel(RETENTION_TEXT)
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.open_folder = QPushButton("&Open folder")
        self.open_folder.clicked.connect(self._open_folder)
        self.choose_folder = QPushButton("&Choose folder…")
        self.choose_folder.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder)
        folder_row.addWidget(self.choose_folder)
        self.daily = QCheckBox("Back up once a &day when Backstride starts")
        self.daily.setChecked(load_settings(self._data_dir).daily_backup)
        self.daily.toggled.connect(self._set_daily)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels(["When", "Kind", "Size", "Holds"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line a backup; the tooltip names the file
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())

        self.back_up_now = QPushButton("&Back up now")
        self.back_up_now.clicked.connect(self.back_up)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.undo_button = QPushButton("&Undo restore")
        self.undo_button.clicked.connect(self.undo_restore)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.back_up_now, self.restore_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(self.daily)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.refresh()

    @property
    def _data_dir(self) -> Path:
        return self.ctx.store.path.parent

    @property
    def folder(self) -> Path:
        return backup_folder(self._data_dir)

    def tasks_changed(self) -> None:
        self._update_buttons()

    # -- background work ----------------------------------------------------------
    def _with_own_store(self, action: Callable[[Any], Any]) -> Callable[[Progress], Any]:
        def work(_progress: Progress) -> Any:
            own = self.ctx.store.reopen()  # SQLite connections stay on their own thread
            try:
                return action(own)
            finally:
                own.close()

        return work

    def refresh(self, then: str = "") -> None:
        folder = self.folder
        self.folder_label.setText(f"Folder: {folder}")

        def work(_progress: Progress) -> Listing:
            return [(b, inspect_backup(b.path)) for b in list_backups(folder)]

        def done(listing: Listing) -> None:
            self.listing = listing
            self._fill(listing)
            count = f"{len(listing)} backup{'s' if len(listing) != 1 else ''}."
            self.status.setText(f"{then} {count}".strip())

        self.run("Checking the backups…", work, done)

    def _fill(self, listing: Listing) -> None:
        now = datetime.now()
        self.table.setRowCount(len(listing))
        for row, (backup, contents) in enumerate(listing):
            cells = (
                f"{backup.taken_at:%a %d %b %Y %H:%M} ({age_text(backup, now)})",
                backup.reason_text,
                _size(backup.size),
                contents.summary(),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        if listing:
            self.table.selectRow(0)

    def _update_buttons(self) -> None:
        idle = not self.busy
        selected = self.selected()
        for button in (self.back_up_now, self.choose_folder, self.close_button):
            button.setEnabled(idle)
        self.restore_button.setEnabled(idle and selected is not None and selected[1].ok)
        self.undo_button.setEnabled(idle and self.undo_path is not None)

    def selected(self) -> tuple[Backup, BackupContents] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.listing):
            return None
        return self.listing[rows[0].row()]

    # -- actions ---------------------------------------------------------------------
    def back_up(self) -> None:
        def done(made: Backup) -> None:
            self.refresh(f"Backed up your data into {made.path.name}.")

        work = self._with_own_store(lambda own: backup_before(own, "manual"))
        self.run("Backing up your data…", work, done)

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or self.busy:
            return
        backup, contents = chosen
        if not contents.ok:
            return
        if not self.confirm_restore(self, backup, contents):
            return
        self._restore(backup.path, f"Restored the backup of {backup.taken_at:%d %b %Y %H:%M}.")

    def undo_restore(self) -> None:
        if self.undo_path is not None and not self.busy:
            self._restore(self.undo_path, "Undid the restore: your data is as it was before.")

    def _restore(self, path: Path, said: str) -> None:
        def done(safety: Backup) -> None:
            self.undo_path = safety.path
            self.ctx.undo.clear()  # the undo history spoke of records that changed
            self.ctx.events.announce(*ALL_DATA)
            self.refresh(f"{said} Your data from just before is kept as a backup (Undo restore).")

        work = self._with_own_store(lambda own: restore_backup(own, path))
        self.run("Restoring…", work, done)

    @staticmethod
    def confirm_restore(parent: QWidget, backup: Backup, contents: BackupContents) -> bool:
        """Ask before replacing the data (tests replace this)."""
        answer = QMessageBox.question(
            parent,
            "Restore this backup?",
            f"Replace your data with the backup of {backup.taken_at:%A %d %B %Y, %H:%M}?\n\n"
            f"It holds {contents.summary()}.\n\nYour data as it is now is backed up first, "
            "so you can undo the restore.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def _choose_folder(self) -> None:
        chosen = ask_backup_folder(self, self.folder)
        if chosen:
            self.set_folder(chosen)

    def set_folder(self, folder: Path) -> None:
        chosen = set_backup_folder(self, self._data_dir, folder, self.status.setText)
        if chosen:
            self.refresh(f"Backups now go to {chosen}.")

    def _set_daily(self, on: bool) -> None:
        set_daily_backup(self, self._data_dir, on)


# The backup folder and the daily backup, as File > Backups and Settings > Data set them.
def ask_backup_folder(parent: QWidget, current: Path) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, "Keep backups in folder", str(current))
    return Path(chosen) if chosen else None


def set_backup_folder(
    parent: QWidget, data_dir: Path, folder: Path, say: Callable[[str], None]
) -> Path | None:
    """The folder now used, or None (said in words, or shown as an error)."""
    from backstride.store.settings import BackupFolderError, change_backup_folder

    try:
        return change_backup_folder(data_dir, folder)
    except BackupFolderError as exc:
        say(str(exc))
    except OSError as exc:
        show_error(parent, "Could not change the backup folder", exc)
    return None


def set_daily_backup(parent: QWidget, data_dir: Path, on: bool) -> None:
    try:
        update_settings(data_dir, daily_backup=on)
    except OSError as exc:
        show_error(parent, "Could not change the setting", exc)


def start_daily_backup(
    owner: QWidget, ctx: AppContext, report: Callable[[str], None], today: date | None = None
) -> Task[Backup] | None:
    """At start (after the first paint), at most once a day, off the GUI thread."""
    data_dir = ctx.store.path.parent
    if ctx.is_demo or not load_settings(data_dir).daily_backup:
        return None
    folder = backup_folder(data_dir)
    try:
        if not daily_backup_due(folder, today or date.today()):
            return None
    except Exception as exc:
        report(f"Daily backup skipped: {error_text(exc)}")
        return None

    def work(_progress: Progress) -> Backup:
        own = ctx.store.reopen()
        try:
            return backup_before(own, "daily")
        finally:
            own.close()

    return run_task(
        owner,
        work,
        lambda made: report(f"Backed up your data ({made.path.name})."),
        lambda exc: report(f"The daily backup failed: {error_text(exc)}"),
    )
