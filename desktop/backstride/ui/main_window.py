"""The main window: a navigation list on the left, one page at a time on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from backstride import APP_NAME, __version__
from backstride.ui.checkup.page import CheckupPage
from backstride.ui.context import AppContext
from backstride.ui.diary.page import DiaryPage
from backstride.ui.display_units import miles_action
from backstride.ui.errors import show_error
from backstride.ui.insights.page import InsightsPage
from backstride.ui.training.page import TrainingPage


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


class MainWindow(QMainWindow):
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
        self.stack = QStackedWidget()
        self.diary = DiaryPage(ctx)
        self.training = TrainingPage(ctx)  # reads the store on first show
        self.checkup = CheckupPage(ctx)
        self.pages: list[QWidget] = [self.diary, self.training, self.checkup]
        self.insights = InsightsPage(ctx)  # charts and analysis load on first show
        self.pages.append(self.insights)
        for page in self.pages:
            self._add_page(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.diary.status_message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.checkup.status_message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.training.status_message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.statusBar().showMessage(f"Data file: {ctx.store.path}", 6000)
        self.setAcceptDrops(True)  # drop watch files or CSV exports to import them
        self._restore_geometry()

    def _add_page(self, page: QWidget) -> None:
        item = QListWidgetItem(getattr(page, "title", page.objectName()))
        item.setSizeHint(item.sizeHint().expandedTo(self.nav.sizeHint().boundedTo(item.sizeHint())))
        self.nav.addItem(item)
        self.stack.addWidget(page)

    def show_page(self, page: QWidget) -> None:
        self.nav.setCurrentRow(self.pages.index(page))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.diary.new_action)
        file_menu.addAction(self.diary.no_pain_action)
        for action in self.training.menu_actions():  # add run, log habits
            file_menu.addAction(action)
        file_menu.addSeparator()
        export = QAction("&Export CSV…", self, shortcut=QKeySequence("Ctrl+Shift+E"))
        export.triggered.connect(self.export_csv)
        imp = QAction("&Import runs or CSV…", self, shortcut=QKeySequence("Ctrl+I"))
        imp.setToolTip(
            "FIT, GPX, TCX (also .gz) or Backstride CSV files; or drop them on the window"
        )
        imp.triggered.connect(self.import_files)
        imp_folder = QAction("Import a &folder…", self, shortcut=QKeySequence("Ctrl+Shift+I"))
        imp_folder.setToolTip("Every watch file in a folder, or a Strava bulk-export folder")
        imp_folder.triggered.connect(self.import_folder)
        file_menu.addAction(export)
        file_menu.addAction(imp)
        file_menu.addAction(imp_folder)
        file_menu.addSeparator()
        demo = QAction("Explore &demo data…", self)
        demo.setObjectName("explore_demo")
        demo.setToolTip("A made-up runner's year in a separate window; your data is not touched")
        demo.setEnabled(not self.ctx.is_demo)
        demo.triggered.connect(self.explore_demo)
        file_menu.addAction(demo)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
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
        for action in self.diary.menu_actions()[2:]:
            edit_menu.addAction(action)

        view_menu = bar.addMenu("&View")
        for i, page in enumerate(self.pages):
            action = QAction(
                getattr(page, "title", ""), self, shortcut=QKeySequence(f"Ctrl+{i + 1}")
            )
            action.triggered.connect(lambda _=False, p=page: self.show_page(p))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.miles_action = miles_action(self, self.ctx.events)
        view_menu.addAction(self.miles_action)

        help_menu = bar.addMenu("&Help")
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # -- file actions -----------------------------------------------------
    def export_csv(self) -> None:
        from datetime import date
        from pathlib import Path

        from backstride.store.exchange import export_all

        folder = QFileDialog.getExistingDirectory(self, "Export CSV files into folder")
        if not folder:
            return
        try:
            written = export_all(self.ctx.store, Path(folder), today=date.today())
        except Exception as exc:
            show_error(self, "Export failed", exc)
            return
        self.statusBar().showMessage(
            "Exported " + ", ".join(f"{p.name} ({n} rows)" for p, n in written), 8000
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
        import_paths(self.ctx, paths, self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def explore_demo(self) -> None:
        """Open the demo runner in its own window and database (never this one)."""
        from backstride.ui.welcome import explore_demo

        explore_demo(self)

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
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
