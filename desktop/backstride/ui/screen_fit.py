"""Windows and dialogs that fit the screen they open on (issue 17: at 150 % on a 1440x900
screen the check-up and the run detail ran past its bottom, and a geometry saved at 150 %
came back squat at 100 %)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for a window manager's title bar and borders, which Qt knows only once shown.
FRAME_ALLOWANCE = QSize(16, 40)
# A restored main window smaller than this (or than its layout needs) is not restored: it
# was saved at another scale or screen, and a default size serves better.
SMALLEST_RESTORED = QSize(800, 500)


def available(widget: QWidget) -> QRect:
    """The screen area widget can use (its own screen, else the primary one)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def room(widget: QWidget) -> QSize:
    """The largest size widget's window can take on its screen, borders included."""
    return available(widget).size() - FRAME_ALLOWANCE


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to width x height, or smaller where the screen is smaller."""
    most = room(widget)
    widget.resize(min(width, most.width()), min(height, most.height()))


def keep_on_screen(window: QWidget) -> None:
    """Move window (shrunk first if need be) so that all of it is on its screen."""
    area = available(window)
    most = room(window)
    if window.width() > most.width() or window.height() > most.height():
        resize_within_screen(window, window.width(), window.height())
    frame = window.frameGeometry()
    x = max(area.left(), min(frame.left(), area.right() - frame.width() + 1))
    y = max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1))
    window.move(x, y)


def restore_or_default(window: QWidget, geometry: QByteArray | None, default: QSize) -> None:
    """Restore a saved geometry only if it fits the screen and is not squat; else open at
    the default size (within the screen), centred."""
    area = available(window)
    if geometry is not None and not geometry.isEmpty():
        window.restoreGeometry(geometry)
        smallest = SMALLEST_RESTORED.boundedTo(room(window)).expandedTo(window.minimumSizeHint())
        size = window.size()
        fits = area.contains(window.geometry())
        if fits and size.width() >= smallest.width() and size.height() >= smallest.height():
            return
    resize_within_screen(window, default.width(), default.height())
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())
