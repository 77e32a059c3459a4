from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from backstride.store.database import Store, open_store

if TYPE_CHECKING:
    from backstride.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> None:
    """QSettings (window geometry, units) go to a temporary folder in every GUI test."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QApplication.setOrganizationName("BackstrideTests")
    QApplication.setApplicationName("BackstrideTests")


def open_window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    """The app's main window on store, shown and active (so its shortcuts work)."""
    from backstride.ui.app import create_window

    w = create_window(store)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    return w


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    return open_window(qtbot, store)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def when_modal(qtbot) -> Iterator[Callable[[Callable[[QWidget], None]], None]]:  # type: ignore[no-untyped-def]
    """Run handler on the next modal dialog as soon as it opens; the handler must close it.

    A dialog still open 5 s later is rejected and the test fails, instead of hanging.
    """
    left_open: list[str] = []
    timers: list[QTimer] = []  # stopped at teardown, so none fires into a later test

    def later(ms: int, action: Callable[[], None]) -> None:
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(action)
        timers.append(timer)
        timer.start(ms)

    def schedule(handler: Callable[[QWidget], None]) -> None:
        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                later(10, poll)
                return
            handler(dialog)
            later(5000, lambda: _close_if_open(dialog))

        def _close_if_open(dialog: QWidget) -> None:
            if shiboken6.isValid(dialog) and dialog.isVisible():
                left_open.append(dialog.objectName())
                dialog.close()

        later(0, poll)

    yield schedule
    for timer in timers:
        timer.stop()
    assert not left_open, f"dialogs left open by the test: {left_open}"
