"""Measure the main window and every dialog on one screen size and scale (issue 17).

Run in its own process (a screen's size and Qt's scale are fixed when Qt starts):
``python -m tests.gui.window_probe WIDTH HEIGHT SCALE``. It prints JSON: a list of the
problems found, each naming the window or dialog and what does not fit. test_window_sizes
runs it; ``screen_env`` gives the environment for a screen of that size.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def screen_env(width: int, height: int, scale: float) -> dict[str, str]:
    """The environment of a process whose only screen is width x height at scale."""
    config = Path(tempfile.mkdtemp()) / "screen.json"
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    env["QT_SCALE_FACTOR"] = f"{scale:g}"
    return env


def _problems() -> Iterator[str]:
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget

    from backstride.core.demo import generate_demo
    from backstride.store.database import open_store
    from backstride.store.demo import fill_demo
    from backstride.store.runs import list_runs
    from backstride.ui.app import create_window, make_application
    from backstride.ui.backups_dialog import BackupsDialog
    from backstride.ui.checkup.wizard import CheckupWizard
    from backstride.ui.diary.entry_dialog import PainEntryDialog
    from backstride.ui.help_window import HelpWindow
    from backstride.ui.recovery_dialog import RecoveryDialog
    from backstride.ui.runs.detail import RunDetailDialog
    from backstride.ui.settings.dialog import SettingsDialog
    from backstride.ui.training.habit_dialog import HabitDialog
    from backstride.ui.training.run_dialog import RunDialog
    from backstride.ui.training.shoe_dialog import ShoeDialog
    from backstride.ui.welcome import WelcomeDialog, open_demo_window

    def _on_page(dialog: WelcomeDialog, page: int) -> WelcomeDialog:
        for _ in range(page):
            dialog.next()
        return dialog

    app = make_application()
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp))
    screen = app.primaryScreen().availableGeometry()

    def settle() -> None:
        for _ in range(3):
            QApplication.processEvents()

    def scrolled(widget: QWidget, top: QWidget) -> bool:
        """widget lies in a scroll area, where it may rightly be out of view."""
        parent = widget.parentWidget()
        while parent is not None and parent is not top:
            if isinstance(parent, QAbstractScrollArea):
                return True
            parent = parent.parentWidget()
        return False

    def outside(top: QWidget) -> Iterator[str]:
        """top itself past the screen, and visible buttons cut off or outside it."""
        frame = top.frameGeometry()
        if not screen.contains(frame):
            yield (
                f"{top.objectName()}: {frame.width()}x{frame.height()} at {frame.x()},"
                f"{frame.y()} is past the screen {screen.width()}x{screen.height()}"
            )
        inside = QRect(0, 0, top.width(), top.height())
        for button in top.findChildren(QAbstractButton):
            if not button.isVisible() or not button.text() or scrolled(button, top):
                continue
            where = QRect(button.mapTo(top, button.rect().topLeft()), button.size())
            shown = button.visibleRegion().boundingRect().size()
            if not inside.contains(where) or shown != button.size():
                yield f"{top.objectName()}: button {button.text()!r} is cut off or outside"

    store = open_store(tmp / "data")
    fill_demo(store, generate_demo(120, seed=0), "probe")
    window = create_window(store)
    window.setObjectName("MainWindow")
    window.show()
    settle()
    hint = window.minimumSizeHint()
    if hint.width() > screen.width() or hint.height() > screen.height():
        yield f"main window: needs {hint.width()}x{hint.height()} at least"
    # As large as the screen lets it be, borders included.
    frame, inner = window.frameGeometry(), window.geometry()
    window.setGeometry(
        screen.adjusted(
            inner.left() - frame.left(),
            inner.top() - frame.top(),
            inner.right() - frame.right(),
            inner.bottom() - frame.bottom(),
        )
    )
    for row in range(len(window.pages)):
        window.nav.setCurrentRow(row)
        settle()
        for problem in outside(window):
            yield f"{problem} (page {row})"

    # A long error message wraps; it must not widen the window past the screen.
    window.show_page(window.insights)
    window.insights._message("Could not analyse your data: " + "a long reason " * 60, error=True)
    settle()
    if window.minimumSizeHint().width() > screen.width():
        yield f"main window: a long error message widens it to {window.minimumSizeHint().width()}"

    run_id = list_runs(store)[-1].id or 0
    dialogs: list[tuple[str, Callable[[], QWidget]]] = [
        ("PainEntryDialog", lambda: PainEntryDialog(window, save=lambda e: None)),
        ("RunDialog", lambda: RunDialog(window, save=lambda r: None)),
        ("HabitDialog", lambda: HabitDialog(window, save=lambda h: None, load_day=lambda d: None)),
        ("ShoeDialog", lambda: ShoeDialog(window, save=lambda s: None)),
        ("BackupsDialog", lambda: BackupsDialog(window.ctx, window)),
        ("RunDetailDialog", lambda: RunDetailDialog(window.ctx, run_id, parent=window)),
        ("CheckupWizard", lambda: CheckupWizard(window)),
        ("HelpWindow", lambda: HelpWindow(window)),
        (
            "RecoveryDialog",
            lambda: RecoveryDialog(tmp / "data", "database disk image is malformed"),
        ),
        ("WelcomeDialog", lambda: WelcomeDialog(window, window.ctx)),
        ("WelcomeProfile", lambda: _on_page(WelcomeDialog(window, window.ctx), 2)),
        ("SettingsDialog", lambda: SettingsDialog(window)),
    ]
    for name, make in dialogs:
        dialog = make()
        dialog.setObjectName(name)
        dialog.show()
        settle()
        yield from outside(dialog)
        if isinstance(dialog, CheckupWizard):
            dialog._dirty = False
        dialog.close()
    demo_folder = tmp / "demo"
    demo_store = open_store(demo_folder)
    fill_demo(demo_store, generate_demo(60, seed=1), "probe demo")
    demo_store.close()
    demo = open_demo_window(demo_folder)
    demo.setObjectName("DemoWindow")
    settle()
    yield from outside(demo)
    demo.close()
    window.close()
    store.close()


if __name__ == "__main__":
    found = list(_problems())
    print(json.dumps(found))
    sys.stdout.flush()
    os._exit(0)  # no teardown: background tasks of the pages need not finish
