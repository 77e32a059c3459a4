"""At start, a damaged data file: restore the newest good backup, or salvage what can
still be read into a new file. The damaged file is kept beside, renamed with the date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backstride import APP_NAME
from backstride.store.backup import Backup, BackupContents, age_text, newest_good_backup
from backstride.store.database import DB_FILENAME
from backstride.store.settings import backup_folder
from backstride.ui.task_dialog import TaskDialog


class RecoveryDialog(TaskDialog):
    def __init__(self, data_dir: Path, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, "recovery_status")
        self.setObjectName("RecoveryDialog")
        self.setWindowTitle(f"{APP_NAME}: your data file is damaged")
        self.setMinimumWidth(620)
        self.data_dir = data_dir  # before the labels: they name the file
        self.backup: tuple[Backup, BackupContents] | None = None
        self.recovered = False

        heading = QLabel(f"<h3>{APP_NAME} cannot read your data file</h3>")
        detail = QLabel(
            f"The data file {self.path} is damaged ({problem}), so Backstride has not opened "
            "it and has not changed it."
        )
        detail.setWordWrap(True)
        self.choose = QLabel(
            "Choose how to go on. The damaged file is kept beside the new one, renamed with "
            "today's date; nothing is deleted."
        )
        self.choose.setWordWrap(True)
        self.backup_label = QLabel("Looking for a good backup…")
        self.backup_label.setObjectName("backup_found")
        self.backup_label.setWordWrap(True)
        self.restore_button = QPushButton("&Restore this backup")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_newest)
        self.other_button = QPushButton("Restore &another backup…")
        self.other_button.clicked.connect(self._choose_backup)
        self.salvage_button = QPushButton("&Salvage what can be read")
        self.salvage_button.setToolTip(
            "Copy every record that can still be read into a new data file, and count what was lost"
        )
        self.salvage_button.clicked.connect(self.salvage)
        self.quit_button = QPushButton("&Quit")
        self.quit_button.clicked.connect(self.reject)
        self.continue_button = QPushButton(f"&Open {APP_NAME}")
        self.continue_button.setVisible(False)
        self.continue_button.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        for button in (self.restore_button, self.other_button, self.salvage_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(detail)
        layout.addWidget(self.choose)
        layout.addWidget(self.backup_label)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self._find_backup()

    @property
    def path(self) -> Path:
        return self.data_dir / DB_FILENAME

    def tasks_changed(self) -> None:
        self._set_enabled(not self.busy)

    def _set_enabled(self, on: bool) -> None:
        self.restore_button.setEnabled(on and self.backup is not None)
        for button in (self.other_button, self.salvage_button, self.quit_button):
            button.setEnabled(on)

    def _find_backup(self) -> None:
        folder = backup_folder(self.data_dir)

        def done(found: tuple[Backup, BackupContents] | None) -> None:
            self.backup = found
            if found is None:
                self.backup_label.setText(
                    f"There is no good backup in {folder}. Salvage what can still be read, or "
                    "restore a backup kept elsewhere."
                )
            else:
                backup, contents = found
                self.backup_label.setText(
                    f"The newest good backup is from {backup.taken_at:%A %d %B %Y, %H:%M} "
                    f"({age_text(backup, datetime.now())}); it holds {contents.summary()}. "
                    "Anything entered after it would be missing."
                )
            self._set_enabled(True)
            self.status.clear()

        self.run("Checking the backups…", lambda _p: newest_good_backup(folder), done)

    def restore_newest(self) -> None:
        if self.backup is not None:
            self.restore(self.backup[0].path)

    def _choose_backup(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Restore a backup",
            str(backup_folder(self.data_dir)),
            "Backstride backups (*.sqlite3);;All files (*)",
        )
        if chosen:
            self.restore(Path(chosen))

    def restore(self, backup_path: Path) -> None:
        from backstride.store.recovery import replace_with_backup

        def done(aside: Path) -> None:
            self._finished(
                f"Restored the backup {backup_path.name}. The damaged file is kept as {aside.name}."
            )

        self.run(
            "Restoring the backup…",
            lambda _p: replace_with_backup(self.path, backup_path, datetime.now()),
            done,
        )

    def salvage(self) -> None:
        from backstride.store.recovery import salvage_in_place

        def done(result: tuple[Path, Any]) -> None:
            aside, report = result
            self._finished(f"{report.text()} The damaged file is kept as {aside.name}.")

        self.run(
            "Salvaging what can be read…",
            lambda _p: salvage_in_place(self.path, datetime.now()),
            done,
        )

    def _finished(self, text: str) -> None:
        self.recovered = True
        self.status.setText(text)
        for widget in (
            self.restore_button,
            self.other_button,
            self.salvage_button,
            self.quit_button,
            self.choose,
            self.backup_label,
        ):
            widget.setVisible(False)
        self.continue_button.setVisible(True)
        self.continue_button.setDefault(True)
        self.continue_button.setFocus()


def recover(data_dir: Path, problem: str) -> bool:
    """Show the recovery dialog; True when a usable data file is in place afterwards."""
    dialog = RecoveryDialog(data_dir, problem)
    dialog.exec()
    return dialog.recovered
