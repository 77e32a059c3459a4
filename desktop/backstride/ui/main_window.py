"""The main window: a navigation list on the left, one page at a time on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backstride import APP_NAME, __version__
from backstride.store.database import MovedError
from backstride.ui.context import AppContext
from backstride.ui.data_events import ALL_DATA
from backstride.ui.data_watch import DataWatcher
from backstride.ui.diary.page import DiaryPage
from backstride.ui.display_units import miles_action
from backstride.ui.errors import show_error
from backstride.ui.worker import Progress, Task, run_task


def about_html(data_path: str, log_path: str | None) -> str:
    text = (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>A pain diary and training log for runners with lower back pain. It informs and "
        "prepares a visit to your physiotherapist or doctor; it never diagnoses.</p>"
        f"<p><b>Your data file:</b><br>{data_path}</p>"
        "<p>Your data stays on this computer and is never sent anywhere.</p>"
    )
    if log_path:
        text += f"<p><b>Log file:</b><br>{log_path}</p>"
    return text


if TYPE_CHECKING:
    from backstride.ui import reminders
    from backstride.ui.checkup import page as checkup_page
    from backstride.ui.experiments.banner import ExperimentBanner
    from backstride.ui.insights import page as insights_page
    from backstride.ui.training import page as training_page


class MainWindow(QMainWindow):
    relocated = Signal(Path)  # the data folder the store now reads

    def __init__(self, ctx: AppContext, log_path: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.log_path = log_path
        self.setObjectName("MainWindow")
        title = APP_NAME + (" — demo data" if ctx.is_demo else "")
        self.setWindowTitle(title)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setAccessibleName("Pages")
        # Larger, roomier items without a style sheet (a sheet costs ~40 ms at start-up).
        nav_font = self.nav.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.2)
        self.nav.setFont(nav_font)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        # Pages other than the diary are built the first time they are shown, so start-up
        # pays only for the diary (each page's module and widgets cost 10-100 ms).
        self._factories: list[tuple[str, Callable[[], QWidget]]] = [
            ("Diary", lambda: DiaryPage(ctx)),
            ("Training", self._make_training),
            ("Check-up", self._make_checkup),
            ("Insights", self._make_insights),
            ("Experiments", self._make_experiments),
        ]
        self._built: dict[int, QWidget] = {}
        for title, _ in self._factories:
            item = QListWidgetItem(title)
            item.setSizeHint(QSize(0, 34))
            self.nav.addItem(item)
            holder = QWidget()  # receives the page when it is first shown
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(holder)
        self.nav.currentRowChanged.connect(self._show_row)
        self.diary: DiaryPage = self._page(0)  # type: ignore[assignment]
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        pages = QVBoxLayout()
        self._pages = pages  # the experiment banner goes above the pages, once built
        self._banner: ExperimentBanner | None = None
        self._banner_due = False
        pages.addWidget(self.stack, 1)
        layout.addLayout(pages, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.diary.status_message.connect(self._status)
        self.statusBar().showMessage(f"Data file: {ctx.store.path}", 6000)
        self.setAcceptDrops(True)  # drop watch files or CSV exports to import them
        self.watcher = DataWatcher(ctx, self)
        self.watcher.changed_elsewhere.connect(
            lambda: self._status("Updated with changes saved outside this window.")
        )
        self.watcher.moved.connect(self._data_file_moved)
        self.watcher.back_in_place.connect(
            lambda: self._status(f"The data file is back in place: {ctx.store.path}")
        )
        self.reminders: reminders.Reminders | None = None  # started after the first paint
        self._restore_geometry()

    @property
    def experiment_banner(self) -> ExperimentBanner:
        """The banner above every page while an experiment runs. Built after the first
        paint or when first asked for: the experiments' modules cost about
        15 ms, and most days no experiment runs."""
        if self._banner is None:
            from backstride.ui.experiments.banner import ExperimentBanner

            self._banner = ExperimentBanner(self.ctx)
            self._banner.open_requested.connect(lambda: self.nav.setCurrentRow(4))
            self._pages.insertWidget(0, self._banner)
        return self._banner

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._banner is None and not self._banner_due:  # just after the first paint
            self._banner_due = True
            QTimer.singleShot(0, self._build_banner)

    def _build_banner(self) -> None:
        self.experiment_banner.objectName()

    def _status(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def show_status(self, message: str) -> None:
        """A message in the status bar (for work that ends after a while, e.g. a backup)."""
        self._status(message)

    def _make_training(self) -> QWidget:
        from backstride.ui.training.page import TrainingPage

        page = TrainingPage(self.ctx)
        page.status_message.connect(self._status)
        return page

    def _make_checkup(self) -> QWidget:
        from backstride.ui.checkup.page import CheckupPage

        page = CheckupPage(self.ctx)
        page.status_message.connect(self._status)
        return page

    def _make_insights(self) -> QWidget:
        from backstride.ui.insights.page import InsightsPage

        page = InsightsPage(self.ctx)
        page.experiments_requested.connect(lambda: self.nav.setCurrentRow(4))
        return page

    def _make_experiments(self) -> QWidget:
        from backstride.ui.experiments.page import ExperimentsPage

        page = ExperimentsPage(self.ctx)
        page.status_message.connect(self._status)
        return page

    def _page(self, row: int) -> QWidget:
        """The page at row, built on first use."""
        if row not in self._built:
            page = self._factories[row][1]()
            holder = self.stack.widget(row)
            assert holder is not None
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(page)
            self._built[row] = page
        return self._built[row]

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._factories):
            self._page(row)
            self.stack.setCurrentIndex(row)

    @property
    def training(self) -> training_page.TrainingPage:
        return self._page(1)  # type: ignore[return-value]

    @property
    def checkup(self) -> checkup_page.CheckupPage:
        return self._page(2)  # type: ignore[return-value]

    @property
    def insights(self) -> insights_page.InsightsPage:
        return self._page(3)  # type: ignore[return-value]

    @property
    def pages(self) -> list[QWidget]:
        """Every page, building the ones not shown yet."""
        return [self._page(row) for row in range(len(self._factories))]

    def show_page(self, page: QWidget) -> None:
        row = next(r for r, p in self._built.items() if p is page)
        self.nav.setCurrentRow(row)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.diary.new_action)
        file_menu.addAction(self.diary.no_pain_action)
        add_run = QAction("Add &run…", self, shortcut=QKeySequence("Ctrl+Shift+R"))
        add_run.triggered.connect(lambda: self.training.add_run())
        log_habits = QAction("Log &habits…", self, shortcut=QKeySequence("Ctrl+Shift+H"))
        log_habits.triggered.connect(lambda: self.training.log_habits())
        file_menu.addAction(add_run)
        file_menu.addAction(log_habits)
        file_menu.addSeparator()
        export = QAction("&Export CSV…", self, shortcut=QKeySequence("Ctrl+Shift+E"))
        export.setToolTip("One CSV file per table, for a spreadsheet")
        export.triggered.connect(self.export_csv)
        export_json = QAction("Export everything as &JSON…", self)
        export_json.setObjectName("export_json")
        export_json.setToolTip("Diary, runs with their profiles, habits, shoes and check-ups")
        export_json.triggered.connect(self.export_json)
        imp = QAction("&Import runs or CSV…", self, shortcut=QKeySequence("Ctrl+I"))
        imp.setToolTip(
            "FIT, GPX, TCX (also .gz), Garmin or Strava export ZIPs, Backstride CSV or "
            "JSON; or drop them on the window"
        )
        imp.triggered.connect(self.import_files)
        imp_folder = QAction("Import a &folder…", self, shortcut=QKeySequence("Ctrl+Shift+I"))
        imp_folder.setToolTip("Every watch file in a folder, or a Strava bulk-export folder")
        imp_folder.triggered.connect(self.import_folder)
        file_menu.addAction(export)
        file_menu.addAction(export_json)
        file_menu.addAction(imp)
        file_menu.addAction(imp_folder)
        file_menu.addSeparator()
        report = QAction("Report for my &physiotherapist…", self, shortcut=QKeySequence("Ctrl+P"))
        report.setObjectName("clinician_report")
        report.setToolTip("A PDF summary to print or send: pain, training, check-up, patterns")
        report.triggered.connect(self.show_report)
        profile = QAction("Pro&file…", self)
        profile.setObjectName("profile")
        profile.setToolTip("Name, age, height, weight, running since: report, check-up")
        profile.triggered.connect(self.edit_profile)
        file_menu.addAction(report)
        file_menu.addAction(profile)
        file_menu.addSeparator()
        backups = QAction("&Backups…", self)
        backups.setObjectName("backups")
        backups.setToolTip("Back up now, restore a backup, choose where backups go")
        backups.triggered.connect(self.show_backups)
        file_menu.addAction(backups)
        file_menu.addSeparator()
        demo = QAction("Explore &demo data…", self)
        demo.setObjectName("explore_demo")
        demo.setToolTip("A made-up runner's year in a separate window; your data is not touched")
        demo.setEnabled(not self.ctx.is_demo)
        demo.triggered.connect(self.explore_demo)
        file_menu.addAction(demo)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        # The platform's Quit key is empty on Windows (and offscreen): Ctrl+Q everywhere.
        quit_action.setShortcuts(
            [QKeySequence("Ctrl+Q")]
            + [
                k
                for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                if k != QKeySequence("Ctrl+Q")
            ]
        )
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("&Edit")
        undo = self.ctx.undo.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.ctx.undo.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        for action in (self.diary.repeat_action, self.diary.edit_action, self.diary.delete_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        settings = QAction("&Settings…", self)
        settings.setObjectName("settings")
        settings.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Preferences), QKeySequence("Ctrl+,")]
        )
        settings.setToolTip("Units, profile, report, reminders, backups and the data folder")
        settings.triggered.connect(self.show_settings)
        edit_menu.addAction(settings)

        view_menu = bar.addMenu("&View")
        for row, (title, _) in enumerate(self._factories):
            action = QAction(title, self, shortcut=QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _=False, r=row: self.nav.setCurrentRow(r))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.miles_action = miles_action(self, self.ctx.events)
        view_menu.addAction(self.miles_action)

        help_menu = bar.addMenu("&Help")
        guide = QAction(
            "&User guide", self, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents)
        )
        guide.setObjectName("user_guide")
        guide.triggered.connect(self.show_help)
        help_menu.addAction(guide)
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # -- file actions -----------------------------------------------------
    def export_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export CSV files into folder")
        if folder:
            self.export_to(Path(folder), as_json=False)

    def export_json(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export everything as JSON", "backstride-export.json", "JSON (*.json)"
        )
        if path:
            target = Path(path)
            self.export_to(target if target.suffix else target.with_suffix(".json"), True)

    def export_to(self, target: Path, as_json: bool) -> Task[str]:
        """Write the export off the GUI thread (a long history with profiles takes a while)."""
        from backstride.store.exchange import export_all
        from backstride.store.json_exchange import export_json

        store, today, now = self.ctx.store, self.ctx.today(), self.ctx.now()

        def work(_progress: Progress) -> str:
            own = store.reopen()
            try:
                if as_json:
                    counts = export_json(own, target, now=now)
                    return f"Exported {target.name}: " + ", ".join(
                        f"{n} {key}" for key, n in counts.items()
                    )
                written = export_all(own, target, today=today)
                return "Exported " + ", ".join(f"{p.name} ({n} rows)" for p, n in written)
            finally:
                own.close()

        self.statusBar().showMessage(f"Exporting to {target}…")
        return run_task(
            self,
            work,
            lambda text: self.statusBar().showMessage(text, 8000),
            lambda exc: show_error(self, "Export failed", exc),
        )

    def import_files(self) -> None:
        from backstride.ui.runs.import_dialog import WATCH_FILTER

        files, _ = QFileDialog.getOpenFileNames(self, "Import runs or CSV files", "", WATCH_FILTER)
        if files:
            self.import_paths([Path(f) for f in files])

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import every run in a folder")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import off the GUI thread; the dialog shows progress and each file's outcome."""
        from backstride.ui.runs.import_dialog import import_paths

        self.ctx.undo.clear()  # an import is not undoable entry by entry
        import_paths(self.ctx, paths, self, self.show_runs_between)

    def show_runs_between(self, first: date, last: date) -> None:
        """The training log's runs of these days (after an import: "Show the imported runs")."""
        self.show_page(self.training)
        self.training.show_runs_between(first, last)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def show_report(self) -> None:
        from backstride.ui.report.dialog import ReportDialog

        existing = self.findChild(ReportDialog)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return
        dialog = ReportDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # drops a build still running
        dialog.show()

    def edit_profile(self) -> None:
        from backstride.ui.report.profile_dialog import open_profile_dialog

        open_profile_dialog(self.ctx, self)

    def show_settings(self) -> None:
        from backstride.ui.settings.dialog import open_settings

        open_settings(self)

    def start_reminders(self) -> None:
        """After the first paint, and when the reminder settings change (ui.reminders)."""
        from backstride.ui.reminders import Reminders

        if self.reminders is None:
            self.reminders = Reminders(self)
        self.reminders.apply()

    def data_relocated(self) -> None:
        """The store now reads another data file (found after a move, or moved by Settings)."""
        self.relocated.emit(self.ctx.store.path.parent)  # the one-window lock follows
        self.watcher.relocated()
        self.ctx.undo.clear()
        self.ctx.events.announce(*ALL_DATA)
        self._status(f"Data file: {self.ctx.store.path}")

    def show_backups(self) -> None:
        from backstride.ui.backups_dialog import BackupsDialog

        existing = self.findChild(BackupsDialog)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return
        dialog = BackupsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _data_file_moved(self, error: MovedError) -> None:
        from backstride.ui import moved_dialog

        choice = moved_dialog.ask_what_to_do(self, error)
        path = moved_dialog.choose_new_location(self, self.ctx.store, choice)
        if path is None:
            self.statusBar().showMessage("The data file has moved: changes cannot be saved.")
            return
        create = choice == moved_dialog.OTHER_FOLDER
        old_dir = self.ctx.store.path.parent
        if moved_dialog.relocate(self, self.ctx.store, path, create=create):
            from backstride.store.location import follow_move

            self.data_relocated()
            follow_move(old_dir, self.ctx.store.path.parent)  # the next start opens it too

    def explore_demo(self) -> None:
        """Open the demo runner in its own window and database (never this one)."""
        from backstride.ui.welcome import explore_demo

        explore_demo(self)

    def show_help(self) -> None:
        from backstride.ui.help_window import show_help

        show_help(self)

    def show_about(self) -> None:
        text = about_html(str(self.ctx.store.path), self.log_path)
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    # -- geometry ---------------------------------------------------------
    def _restore_geometry(self) -> None:
        """The saved geometry if it fits this screen at this scale, else a default."""
        from backstride.ui.screen_fit import restore_or_default

        geometry = QSettings().value("window/geometry")
        saved = geometry if isinstance(geometry, QByteArray) else None
        self._saved_geometry = saved
        restore_or_default(self, saved, QSize(1180, 760))

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry = self.saveGeometry()
        if geometry != self._saved_geometry:  # writing the settings file costs ~10-20 ms
            QSettings().setValue("window/geometry", geometry)
            self._saved_geometry = geometry
        # The close button, with "Keep running in the tray" on: hidden, not closed. Any
        # other close (File › Quit, logging out, QApplication.quit) closes (ui.reminders).
        if self.reminders is not None and self.reminders.hide_to_tray(event.spontaneous()):
            event.ignore()
            return
        super().closeEvent(event)
