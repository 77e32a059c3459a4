"""First start: a short welcome (what the app does, where the data stays, that it never
diagnoses), km or miles, an optional profile, then the runner's own diary or a look around
with demo data, kept apart from the runner's own.

The demo runner lives in its own database (store.location.demo_data_dir), is opened in its
own window whose title and banner say it is demo data, and is filled off the GUI thread.
The runner's own database is never written to.
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from backstride import APP_NAME
from backstride.core.errors import EXPECTED_ERRORS, FieldProblem, ValidationError
from backstride.core.units import KM, MILES
from backstride.store.database import Store
from backstride.store.location import demo_data_dir
from backstride.ui.context import AppContext, perform
from backstride.ui.display_units import display_unit, set_display_unit
from backstride.ui.errors import show_error
from backstride.ui.form import FormDialog
from backstride.ui.screen_fit import keep_on_screen
from backstride.ui.worker import Cancelled, Progress, Task, run_task

if TYPE_CHECKING:
    from backstride.ui.main_window import MainWindow

WELCOME_KEY = "welcome/shown"
DEMO_DAYS = 365
BANNER_TEXT = "Demo data — nothing here is yours"

_demo_windows: dict[Path, MainWindow] = {}  # the open demo window of each demo folder


class WelcomeDialog(FormDialog):
    """The first start, in four short pages: what Backstride does and where the data stays,
    km or miles, an optional profile, then the demo or the runner's own diary. Enter goes
    on (Next, then Start my diary), Alt+B goes back, Esc closes (own diary)."""

    DEMO = "demo"
    OWN = "own"
    PAGES = ("welcome", "units", "profile", "start")

    def __init__(self, parent: QWidget | None = None, ctx: AppContext | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WelcomeDialog")
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.choice = self.OWN
        self.ctx = ctx
        self.stack = QStackedWidget()
        self.stack.setObjectName("welcome_pages")
        for make in (self._welcome_page, self._units_page, self._profile_page, self._start_page):
            self.stack.addWidget(make())
        self.step = QLabel()
        self.step.setObjectName("welcome_step")
        self.back_button = QPushButton("&Back")
        self.back_button.setObjectName("welcome_back")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton("&Next")
        self.next_button.setObjectName("welcome_next")
        self.next_button.clicked.connect(self.next)
        self.demo_button = QPushButton("Explore with &demo data")
        self.demo_button.setObjectName("explore_demo")
        self.own_button = QPushButton("&Start my diary")
        self.own_button.setObjectName("start_own")
        self.demo_button.clicked.connect(lambda: self._choose(self.DEMO))
        self.own_button.clicked.connect(lambda: self._choose(self.OWN))
        buttons = QHBoxLayout()
        buttons.addWidget(self.step)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.demo_button, self.own_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self._show(0)

    # -- pages --------------------------------------------------------------------
    def _page(self, title: str, *widgets: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(f"<h3>{html.escape(title)}</h3>")
        layout.addWidget(heading)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return page

    def _text(self, text: str, name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if name:
            label.setObjectName(name)
        return label

    def _welcome_page(self) -> QWidget:
        folder = str(self.ctx.store.path.parent) if self.ctx is not None else ""
        where = f"<br><b>{html.escape(folder)}</b>" if folder else ""
        return self._page(
            f"Welcome to {APP_NAME}",
            self._text(
                "<p>Keep a pain diary beside your training log, and see which training "
                "habits go with a worse back. A report sums it up for your physiotherapist "
                "or doctor.</p>"
                f"<p><b>Your data stays on this computer</b>, in the data folder:{where}<br>"
                "Nothing is sent anywhere. You can move the folder later in "
                "<i>Edit › Settings…</i></p>"
                "<p><b>Backstride never diagnoses.</b> Its check-up screens for warning signs "
                "and tells you how soon to get care; it informs and prepares a visit to your "
                "physiotherapist or doctor, and cannot examine you.</p>",
                "welcome_text",
            ),
        )

    def _units_page(self) -> QWidget:
        self.km = QRadioButton("&Kilometres (km)")
        self.km.setObjectName("welcome_km")
        self.miles = QRadioButton("&Miles")
        self.miles.setObjectName("welcome_miles")
        group = QButtonGroup(self)
        group.addButton(self.km)
        group.addButton(self.miles)
        (self.miles if display_unit() is MILES else self.km).setChecked(True)
        return self._page(
            "Distances",
            self._text("How should distances and paces be shown?"),
            self.km,
            self.miles,
            self._text(
                "<small>Change it any time: Edit › Settings…, or View › Distances in miles.</small>"
            ),
        )

    def _profile_page(self) -> QWidget:
        from backstride.core.profile import Profile
        from backstride.ui.report.profile_dialog import PROFILE_INTRO, ProfileFields

        holder = QWidget()
        self.profile = ProfileFields(self, Profile())
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self.profile.form)
        return self._page(
            "About you (optional)",
            self._text(PROFILE_INTRO + " Leave it all empty if you like."),
            holder,
        )

    def _start_page(self) -> QWidget:
        return self._page(
            "How would you like to start?",
            self._text(
                "<p><b>Start my diary</b>: an empty diary of your own. Log today's pain "
                "(Ctrl+N), add runs by hand or import them from your watch (Ctrl+I).</p>"
                "<p><b>Explore with demo data</b>: look around first with a made-up runner's "
                "year of runs, habits and pain. The demo opens in its <b>own window and "
                "database</b>, so nothing in it mixes with your diary. It stays available "
                "under <i>File › Explore demo data…</i></p>"
            ),
        )

    # -- moving between pages ----------------------------------------------------
    @property
    def page(self) -> str:
        return self.PAGES[self.stack.currentIndex()]

    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        last = index == len(self.PAGES) - 1
        self.step.setText(f"Step {index + 1} of {len(self.PAGES)}")
        self.back_button.setEnabled(index > 0)
        self.next_button.setVisible(not last)
        self.demo_button.setVisible(last)
        self.own_button.setVisible(last)
        default = self.own_button if last else self.next_button
        self.next_button.setDefault(not last)
        self.own_button.setDefault(last)
        if self.page == "profile":
            self.profile.name.setFocus()
        elif self.page == "units":
            (self.miles if self.miles.isChecked() else self.km).setFocus()
        else:
            default.setFocus()

    def next(self) -> None:
        if self.page == "units":
            self._save_units()
        if self.page == "profile" and not self._save_profile():
            return
        self._show(min(self.stack.currentIndex() + 1, len(self.PAGES) - 1))

    def back(self) -> None:
        self._show(max(self.stack.currentIndex() - 1, 0))

    def _save_units(self) -> None:
        unit = MILES if self.miles.isChecked() else KM
        set_display_unit(unit, self.ctx.events if self.ctx else None)
        self.profile.set_unit(unit)  # the next page: height and weight in these units

    def _save_profile(self) -> bool:
        """Store the profile through its operation (undoable); False with the problems shown."""
        from backstride.operations.profile import update_profile
        from backstride.store.profile import load_profile

        profile, problems = self.profile.read(self.ctx.today() if self.ctx else None)
        if problems:
            self._show_problems(problems)
            return False
        if self.ctx is None:
            return True
        ctx = self.ctx
        try:
            if replace(profile, name=profile.name.strip()) == load_profile(ctx.store):
                self._show_problems([])
                return True  # nothing typed or nothing changed: nothing to store (or undo)
            perform(ctx, self, update_profile(ctx.store, profile, ctx.today()))
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return False
        except EXPECTED_ERRORS as exc:
            self._show_problems([FieldProblem("general", str(exc))])
            return False
        self._show_problems([])
        return True

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> str:
        """DEMO or OWN (closing the dialog means OWN); tests replace this."""
        ctx = getattr(parent, "ctx", None)
        dialog = cls(parent, ctx if isinstance(ctx, AppContext) else None)
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
