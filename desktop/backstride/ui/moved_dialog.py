"""The data folder moved or was deleted while the app ran: say so, offer to find it.

Backstride never creates an empty diary behind the runner's back: until the file is found
(or another folder is chosen on purpose), every save says the file has moved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from backstride.store.database import DB_FILENAME, MovedError, Store
from backstride.ui.errors import show_error

LOCATE = "locate"
OTHER_FOLDER = "other"
LATER = "later"


def ask_what_to_do(parent: QWidget, error: MovedError) -> str:
    """LOCATE, OTHER_FOLDER or LATER (tests replace this)."""
    box = QMessageBox(parent)
    box.setObjectName("moved_dialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Your data file has moved")
    box.setText(
        f"Your data file {error.path} is no longer where Backstride opened it "
        f"({error.detail}): its folder was moved, renamed or deleted."
    )
    box.setInformativeText(
        "If you moved the data folder on purpose, show Backstride where it is now. Nothing "
        "you saved is lost; new changes cannot be saved until then."
    )
    locate = box.addButton("&Locate the data file…", QMessageBox.ButtonRole.AcceptRole)
    other = box.addButton("Use another &folder…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(locate)
    box.exec()
    clicked = box.clickedButton()
    return LOCATE if clicked is locate else OTHER_FOLDER if clicked is other else LATER


def choose_new_location(parent: QWidget, store: Store, choice: str) -> Path | None:
    """Ask for the moved file (LOCATE) or a folder (OTHER_FOLDER); None if cancelled."""
    if choice == LOCATE:
        chosen, _ = QFileDialog.getOpenFileName(
            parent,
            "Where is your data file now?",
            str(_nearest_existing(store.path.parent)),
            f"{DB_FILENAME} (*.sqlite3)",
        )
        return Path(chosen) if chosen else None
    if choice == OTHER_FOLDER:
        folder = QFileDialog.getExistingDirectory(parent, "Use the data in folder")
        return Path(folder) / DB_FILENAME if folder else None
    return None


def relocate(parent: QWidget, store: Store, path: Path, create: bool) -> bool:
    """Point the store at path; errors are shown and the store is left as it was."""
    try:
        store.relocate(path, create=create)
    except Exception as exc:
        show_error(parent, "Could not open that data file", exc)
        return False
    return True


def _nearest_existing(folder: Path) -> Path:
    """Where to start looking: a renamed data folder usually sits beside the old one."""
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return candidate
    return Path.home()
