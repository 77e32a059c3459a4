"""Start the GUI: application object, logging, the data file, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from backstride import APP_NAME, __version__
from backstride.store.database import Store, StoreError, open_store
from backstride.store.location import resolve_data_dir
from backstride.ui.context import AppContext
from backstride.ui.data_events import DataEvents
from backstride.ui.main_window import MainWindow


class _FirstPaint(QObject):
    """Quit right after the window's first paint (for --smoke)."""

    def __init__(self, on_paint: object) -> None:
        super().__init__()
        self._on_paint = on_paint
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self._on_paint)  # type: ignore[arg-type]
        return False


def setup_logging(data_dir: Path) -> Path | None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = data_dir / "backstride.log"
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("backstride").addHandler(handler)
    logging.getLogger("backstride").setLevel(logging.INFO)
    return path


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    return app


def create_window(store: Store, log_path: Path | None = None, is_demo: bool = False) -> MainWindow:
    ctx = AppContext(store=store, events=DataEvents(), undo=QUndoStack(), is_demo=is_demo)
    window = MainWindow(ctx, log_path=str(log_path) if log_path else None)
    ctx.undo.setParent(window)
    ctx.events.setParent(window)
    return window


def install_error_dialog(smoke: bool) -> None:
    """An exception escaping a slot is logged with its traceback and shown in words; the
    app keeps running with the runner's saved data untouched."""
    from backstride.ui.errors import show_error

    def hook(kind: type[BaseException], exc: BaseException, _tb: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if smoke:
            logging.getLogger("backstride").error("uncaught error", exc_info=exc)
            print(f"backstride: {exc}", file=sys.stderr)
        else:
            show_error(QApplication.activeWindow(), "Something went wrong", exc)  # logs it

    sys.excepthook = hook


def run_gui(data_dir_arg: str | None, smoke: bool = False) -> int:
    app = make_application()
    data_dir = resolve_data_dir(data_dir_arg)
    log_path = setup_logging(data_dir)
    install_error_dialog(smoke)
    try:
        store = open_store(data_dir)
    except StoreError as exc:
        if smoke:
            print(f"backstride: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, f"{APP_NAME} cannot open your data", str(exc))
        return 1
    window = create_window(store, log_path)
    if smoke:
        from backstride.cli import process_uptime_ms

        def report() -> None:
            print(f"started in {process_uptime_ms():.0f} ms", flush=True)
            window.close()
            app.quit()

        watcher = _FirstPaint(report)
        window.installEventFilter(watcher)
    window.show()
    if not smoke:  # first start with an empty diary: offer the demo (never under --smoke)
        from backstride.ui.welcome import maybe_welcome

        QTimer.singleShot(0, lambda: maybe_welcome(window))
    try:
        return app.exec()
    finally:
        store.close()
