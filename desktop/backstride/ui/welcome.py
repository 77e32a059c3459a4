"""First start: offer a look around with demo data, kept apart from the runner's own.

The demo runner lives in its own database (store.location.demo_data_dir), is opened in its
own window whose title and banner say it is demo data, and is filled off the GUI thread.
The runner's own database is never written to.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from backstride import APP_NAME
from backstride.store.database import Store
from backstride.store.location import demo_data_dir
from backstride.ui.errors import show_error
from backstride.ui.screen_fit import keep_on_screen
from backstride.ui.worker import Cancelled, Progress, Task, run_task

if TYPE_CHECKING:
    from backstride.ui.main_window import MainWindow

WELCOME_KEY = "welcome/shown"
DEMO_DAYS = 365
BANNER_TEXT = "Demo data — nothing here is yours"

_demo_windows: dict[Path, MainWindow] = {}  # the open demo window of each demo folder


class WelcomeDialog(QDialog):
    DEMO = "demo"
    OWN = "own"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WelcomeDialog")
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.choice = self.OWN
        text = QLabel(
            f"<h3>Welcome to {APP_NAME}</h3>"
            "<p>Keep a pain diary beside your training log, and see which training habits "
            "go with a worse back.</p>"
            "<p>Would you like to look around first with a made-up runner's year of runs, "
            "habits and pain? The demo opens in its <b>own window and database</b>, so "
            "nothing in it mixes with your diary. It stays available under "
            "<i>File › Explore demo data…</i></p>"
        )
        text.setWordWrap(True)
        self.demo_button = QPushButton("Explore with &demo data")
        self.demo_button.setObjectName("explore_demo")
        self.own_button = QPushButton("&Start my own diary")
        self.own_button.setObjectName("start_own")
        self.own_button.setDefault(True)
        self.demo_button.clicked.connect(lambda: self._choose(self.DEMO))
        self.own_button.clicked.connect(lambda: self._choose(self.OWN))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.own_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self.own_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> str:
        """DEMO or OWN (closing the dialog means OWN); tests replace this."""
        dialog = cls(parent)
        dialog.exec()
        choice = dialog.choice
        dialog.deleteLater()
        return choice


def should_welcome(store: Store) -> bool:
    from backstride.store.demo import holds_data

    if QSettings().value(WELCOME_KEY, False, type=bool):
        return False
    return not holds_data(store)


def maybe_welcome(window: MainWindow, smoke: bool = False) -> str | None:
    """On first start with an empty diary, ask; returns the choice, or None if not asked."""
    if smoke or window.ctx.is_demo:
        return None
    try:
        if not should_welcome(window.ctx.store):
            return None
    except Exception as exc:  # never block start-up over the welcome
        show_error(window, "Could not read your data", exc)
        return None
    choice = WelcomeDialog.ask(window)
    QSettings().setValue(WELCOME_KEY, True)
    if choice == WelcomeDialog.DEMO:
        explore_demo(window)
    return choice


def explore_demo(window: MainWindow, days: int = DEMO_DAYS) -> Task[Path] | None:
    """Fill the demo database off the GUI thread, then open it in its own window."""
    if window.ctx.is_demo:
        return None
    demo_dir = demo_data_dir(window.ctx.store.path.parent)
    existing = _demo_windows.get(demo_dir)
    if existing is not None:
        _bring_to_front(existing)
        return None

    progress = QProgressDialog("Making up a demo runner…", "Cancel", 0, 3, window)
    progress.setObjectName("demo_progress")
    progress.setWindowTitle("Demo data")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setValue(0)

    def work(report: Progress) -> Path:
        from backstride.core.demo import generate_demo
        from backstride.store.database import open_store
        from backstride.store.demo import fill_demo

        report(0, 3, f"Making up {days} days of runs, habits and pain…")
        data = generate_demo(days)
        report(1, 3, "Writing the demo database…")
        store = open_store(demo_dir)  # its own connection: this is a worker thread
        try:
            report(2, 3, "Writing the demo database…")
            fill_demo(store, data, f"demo runner, {days} days, opened from the app")
        finally:
            store.close()
        return demo_dir

    def on_progress(done: int, total: int, text: str) -> None:
        progress.setMaximum(total)
        progress.setValue(done)
        if text:
            progress.setLabelText(text)

    def done(folder: Path) -> None:
        progress.close()
        progress.deleteLater()
        try:
            open_demo_window(folder, window.log_path)
        except Exception as exc:
            show_error(window, "Could not open the demo data", exc)

    def failed(exc: BaseException) -> None:
        progress.close()
        progress.deleteLater()
        if not isinstance(exc, Cancelled):
            show_error(window, "Could not make the demo data", exc)

    task = run_task(window, work, done, failed, on_progress)
    progress.canceled.connect(task.cancel)
    return task


def open_demo_window(folder: Path, log_path: str | None = None) -> MainWindow:
    """A main window on the demo database in folder, marked as demo data."""
    from backstride.store.database import open_store
    from backstride.ui.app import create_window

    store = open_store(folder)
    demo = create_window(store, Path(log_path) if log_path else None, is_demo=True)
    demo.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    add_demo_banner(demo)
    _demo_windows[folder] = demo

    def closed() -> None:
        _demo_windows.pop(folder, None)
        store.close()

    demo.destroyed.connect(closed)
    demo.move(demo.pos().x() + 40, demo.pos().y() + 40)  # not exactly over the own diary
    _bring_to_front(demo)
    keep_on_screen(demo)  # ...but never past the screen's edge (its frame known once shown)
    return demo


def _bring_to_front(window: QWidget) -> None:
    window.show()
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):  # they cannot raise
        window.raise_()
    window.activateWindow()


def add_demo_banner(window: MainWindow) -> QToolBar:
    """A fixed strip across the top of a demo window saying whose data this is not."""
    bar = QToolBar("Demo data")
    bar.setObjectName("demo_banner")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setVisible(False)  # cannot be hidden by mistake
    bar.setStyleSheet(
        "#demo_banner { background: #ffe08a; border: none; border-bottom: 1px solid #d9a400;"
        " padding: 4px; }"
    )
    label = QLabel(
        f"<b>{BANNER_TEXT}.</b> A made-up runner's year in a separate database; "
        "what you change here stays here."
    )
    label.setObjectName("demo_banner_text")
    label.setStyleSheet("color: #1b1b1b;")
    bar.addWidget(label)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    close = QPushButton("Close demo")
    close.setObjectName("close_demo")
    close.clicked.connect(window.close)
    bar.addWidget(close)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar
