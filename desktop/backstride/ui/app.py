"""Start the GUI: application object, logging, the data file, the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from backstride import APP_ID, APP_NAME, __version__
from backstride.store.database import DamagedError, Store, StoreError, open_store
from backstride.store.location import resolve_data_dir
from backstride.ui.context import AppContext
from backstride.ui.data_events import DataEvents
from backstride.ui.main_window import MainWindow
from backstride.ui.worker import shutdown_tasks

QUIT_WAIT_MS = 10_000


class _FirstPaint(QObject):
    """Run a function once, right after the window's first paint."""

    def __init__(self, on_paint: Callable[[], None]) -> None:
        super().__init__()
        self._on_paint = on_paint
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self._on_paint)
        return False


def setup_logging(data_dir: Path) -> Path | None:
    """backstride.log in the data folder: owner-only, never through a symlink, and with
    exceptions reduced to their type, place and traceback (a message may quote diary text)."""
    from backstride.core.log_privacy import PrivateLogFile, PrivateRecords

    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = data_dir / "backstride.log"
        handler = PrivateLogFile(path)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("backstride")
    logger.addHandler(handler)
    # On the logger too, so every handler (a test's, a debugger's) gets the private record.
    logger.addFilter(PrivateRecords())
    logger.setLevel(logging.INFO)
    return path


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland and task bars match the window to its icon
    from backstride.ui.theme import apply_theme

    apply_theme(app)  # Fusion; the Settings choice (or BACKSTRIDE_THEME): light, dark, system
    return app


def set_window_icon(app: QApplication) -> None:
    """The app's icon on every window (title bar, task bar). Set after the first paint:
    loading Qt's SVG icon engine would add about 1.5 ms to the start."""
    from PySide6.QtGui import QIcon

    from backstride.core.resources import resource

    app.setWindowIcon(QIcon(str(resource("icons", "backstride.svg"))))


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


def _open_or_recover(data_dir: Path, smoke: bool) -> Store | None:
    """The data file, opened; a damaged one goes through the recovery dialog first."""
    try:
        return open_store(data_dir)
    except DamagedError as exc:
        if smoke:
            print(f"backstride: {exc}", file=sys.stderr)
            return None
        from backstride.ui.recovery_dialog import recover

        if not recover(data_dir, exc.detail):
            return None
        return _open_or_recover(data_dir, smoke)
    except StoreError as exc:
        if smoke:
            print(f"backstride: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, f"{APP_NAME} cannot open your data", str(exc))
        return None


def run_gui(data_dir_arg: str | None, smoke: bool = False) -> int:
    app = make_application()
    try:
        data_dir = resolve_data_dir(data_dir_arg)
    except StoreError as exc:  # an empty --data-dir or BACKSTRIDE_DATA_DIR
        if smoke:
            print(f"backstride: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, f"{APP_NAME} cannot open your data", str(exc))
        return 1
    log_path = setup_logging(data_dir)
    install_error_dialog(smoke)
    from backstride.ui.single_instance import ask_running_to_show, claim

    guard = claim(data_dir)
    if guard is None:  # the app is open on this folder already: show that one
        if ask_running_to_show(data_dir):
            print(f"{APP_NAME} is already open for {data_dir}; brought it to the front.")
            return 0
        message = (
            f"{APP_NAME} is already open for the data folder {data_dir}, but did not answer. "
            "Close it (or wait until it has finished starting) and try again."
        )
        if smoke:
            print(f"backstride: {message}", file=sys.stderr)
        else:
            QMessageBox.warning(None, APP_NAME, message)
        return 1
    store = _open_or_recover(data_dir, smoke)
    if store is None:
        guard.release()
        return 1
    window = create_window(store, log_path)
    guard.activate.connect(lambda: _bring_to_front(window))
    window.relocated.connect(guard.follow)

    def after_first_paint() -> None:
        if smoke:
            from backstride.uptime import process_uptime_ms

            print(f"started in {process_uptime_ms():.0f} ms", flush=True)
        set_window_icon(app)
        from backstride.ui.backups_dialog import start_daily_backup

        guard.listen()  # now a second start can ask this window to come to the front
        start_daily_backup(window, window.ctx, window.show_status)  # off the GUI thread
        if smoke:
            window.close()
            app.quit()
        else:  # the first-start offer
            from backstride.ui.welcome import maybe_welcome

            maybe_welcome(window)
            window.start_reminders()  # off by default: then it only reads two settings

    first_paint = _FirstPaint(after_first_paint)
    window.installEventFilter(first_paint)
    window.show()
    try:
        return app.exec()
    finally:
        # Quitting waits (bounded) for background work such as a backup to finish, so no
        # worker is cut off mid-write and no callback reaches a deleted window.
        shutdown_tasks(QUIT_WAIT_MS)
        store.close()
        guard.release()


def _bring_to_front(window: QWidget) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
