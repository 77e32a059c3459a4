"""One visual style for the whole app: Fusion, with a light and a dark palette declared here
once, following the system's colour scheme (Qt 6.5+ `styleHints().colorScheme()`).

The runner chooses the mode in Settings › General › Appearance (QSettings ``THEME_KEY``;
"system" by default); `BACKSTRIDE_THEME=light|dark|system` overrides it at start (for
screenshots and tests). Widgets that paint themselves (charts, the calendar) take their colours from
their own palette, and the chart colours from `chart_colors(palette)`, so they follow a
change of scheme while the app runs (Qt sends them a PaletteChange).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

THEME_ENV = "BACKSTRIDE_THEME"
MODES = ("system", "light", "dark")
MODE_NAMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
THEME_KEY = "display/theme"  # QSettings: the mode chosen in Settings, one of MODES
STYLE = "Fusion"

_log = logging.getLogger(__name__)

Role = QPalette.ColorRole


@dataclass(frozen=True)
class Scheme:
    """The colours of one scheme: the widget palette and what charts draw with."""

    name: str
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    placeholder: str  # hints and muted text
    highlight: str
    highlighted_text: str
    link: str
    link_visited: str
    tooltip_base: str
    tooltip_text: str
    bright_text: str
    light: str
    midlight: str
    mid: str
    dark: str
    shadow: str
    disabled_text: str
    # Messages: an error's words, an alert box, a notice box (their text is window_text).
    error_text: str
    alert_background: str
    alert_border: str
    notice_background: str
    notice_border: str
    # Charts: the background they are drawn on, and their lines and marks.
    chart_background: str
    chart_text: str
    chart_grid: str
    ink: str  # the line that matters most (averages, the ratio, the experiment's dots)
    worst: str  # the day's worst pain (dots)
    run: str  # run marks
    bar_edge: str  # the outline of the weekly distance bars
    high: str  # the "high" load-ratio line
    washout: str  # the experiment's wash-out crosses
    today_line: str  # the experiment's "today" line
    # Fills (shaded areas, never the only mark of anything): RGBA hex, #rrggbbaa.
    band: str
    bars: str
    sweet: str
    on_fill: str
    on_hatch: str
    off_fill: str
    base_fill: str


LIGHT = Scheme(
    name="light",
    window="#efefef",
    window_text="#1b1b1b",
    base="#ffffff",
    alternate_base="#f5f6f7",
    text="#1b1b1b",
    button="#e8e8e8",
    button_text="#1b1b1b",
    placeholder="#5f6368",
    highlight="#2f6db5",
    highlighted_text="#ffffff",
    link="#1a5fb4",
    link_visited="#6a3d9a",
    tooltip_base="#ffffdc",
    tooltip_text="#1b1b1b",
    bright_text="#ffffff",
    light="#ffffff",
    midlight="#e3e3e3",
    mid="#a0a0a0",
    dark="#9f9f9f",
    shadow="#767676",
    disabled_text="#8c8c8c",
    error_text="#b00020",
    alert_background="#fdecea",
    alert_border="#a93226",
    notice_background="#eaf2f8",
    notice_border="#aed6f1",
    chart_background="#ffffff",
    chart_text="#1b1b1b",
    chart_grid="#d5d8dc",
    ink="#1b2631",
    worst="#a93226",
    run="#1f618d",
    bar_edge="#2e86c1",
    high="#922b21",
    washout="#6f7b7c",
    today_line="#c0392b",
    band="#f0a04b96",
    bars="#aed6f1ff",
    sweet="#82c8965a",
    on_fill="#78be8c46",
    on_hatch="#3c78503c",
    off_fill="#c8c8c83c",
    base_fill="#96b4dc3c",
)

DARK = Scheme(
    name="dark",
    window="#2b2b2b",
    window_text="#e8e8e8",
    base="#1e1e1e",
    alternate_base="#262626",
    text="#e8e8e8",
    button="#3a3a3a",
    button_text="#e8e8e8",
    placeholder="#a8a8a8",
    highlight="#2f6db5",
    highlighted_text="#ffffff",
    link="#8ab4f8",
    link_visited="#c58af9",
    tooltip_base="#3a3a3a",
    tooltip_text="#f0f0f0",
    bright_text="#ffffff",
    light="#505050",
    midlight="#404040",
    mid="#8a8a8a",
    dark="#1a1a1a",
    shadow="#0d0d0d",
    disabled_text="#7a7a7a",
    error_text="#ff8a80",
    alert_background="#3b2020",
    alert_border="#e06c5f",
    notice_background="#1f2d3a",
    notice_border="#3d6a8f",
    chart_background="#1e1e1e",
    chart_text="#e8e8e8",
    chart_grid="#474747",
    ink="#e8edf2",
    worst="#ff7b6b",
    run="#6cb4ee",
    bar_edge="#5dade2",
    high="#ff8a80",
    washout="#a0a8ab",
    today_line="#ff6b5b",
    band="#f0a04b6e",
    bars="#2e5a7dff",
    sweet="#82c8964b",
    on_fill="#78be8c3c",
    on_hatch="#a0e0b050",
    off_fill="#8080803c",
    base_fill="#6488c850",
)

SCHEMES = {LIGHT.name: LIGHT, DARK.name: DARK}

# The chart colours that draw lines or marks: each is held to 3:1 against the chart
# background (WCAG 1.4.11), and chart_text to 4.5:1 (tests/unit/test_contrast.py).
CHART_LINES = ("ink", "worst", "run", "bar_edge", "high", "washout", "today_line")


def color(value: str) -> QColor:
    """A QColor from #rrggbb or #rrggbbaa (alpha last, as the schemes above write it)."""
    if len(value) == 9:
        rgb = QColor(value[:7])
        rgb.setAlpha(int(value[7:], 16))
        return rgb
    return QColor(value)


def palette_for(scheme: Scheme) -> QPalette:
    """The widget palette of a scheme (active, inactive and disabled groups)."""
    pal = QPalette()
    roles = {
        Role.Window: scheme.window,
        Role.WindowText: scheme.window_text,
        Role.Base: scheme.base,
        Role.AlternateBase: scheme.alternate_base,
        Role.Text: scheme.text,
        Role.Button: scheme.button,
        Role.ButtonText: scheme.button_text,
        Role.PlaceholderText: scheme.placeholder,
        Role.Highlight: scheme.highlight,
        Role.HighlightedText: scheme.highlighted_text,
        Role.Link: scheme.link,
        Role.LinkVisited: scheme.link_visited,
        Role.ToolTipBase: scheme.tooltip_base,
        Role.ToolTipText: scheme.tooltip_text,
        Role.BrightText: scheme.bright_text,
        Role.Light: scheme.light,
        Role.Midlight: scheme.midlight,
        Role.Mid: scheme.mid,
        Role.Dark: scheme.dark,
        Role.Shadow: scheme.shadow,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        pal.setColor(disabled, role, QColor(scheme.disabled_text))
    pal.setColor(disabled, Role.Highlight, QColor(scheme.mid))
    return pal


def is_dark(palette: QPalette) -> bool:
    """Whether a palette is a dark one (light text on a dark window)."""
    return palette.color(Role.Window).lightness() < palette.color(Role.WindowText).lightness()


def scheme_of(palette: QPalette) -> Scheme:
    """The scheme whose chart colours suit a palette (the dark one for any dark palette)."""
    return DARK if is_dark(palette) else LIGHT


def chart_color(palette: QPalette, name: str) -> QColor:
    """A chart colour (a field of Scheme) for a widget with this palette."""
    return color(getattr(scheme_of(palette), name))


def env_mode() -> str | None:
    """The mode BACKSTRIDE_THEME forces (system, light or dark), or None when it is unset."""
    value = os.environ.get(THEME_ENV, "").strip().lower()
    if value in MODES:
        return value
    if value:
        _log.warning("%s must be one of %s; following the system", THEME_ENV, "|".join(MODES))
        return "system"
    return None


def saved_mode() -> str:
    """The mode chosen in Settings (system unless light or dark was chosen)."""
    value = str(QSettings().value(THEME_KEY, "system") or "").strip().lower()
    return value if value in MODES else "system"


def save_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"The theme must be one of {', '.join(MODES)}, not {mode!r}.")
    QSettings().setValue(THEME_KEY, mode)


def requested_mode() -> str:
    """The mode to start in: BACKSTRIDE_THEME when set, else the one chosen in Settings."""
    forced = env_mode()
    return saved_mode() if forced is None else forced


def scheme_for(mode: str, system: Qt.ColorScheme) -> Scheme:
    """The scheme to use: a forced light or dark, else the system's (light if unknown)."""
    if mode == "light":
        return LIGHT
    if mode == "dark":
        return DARK
    return DARK if system == Qt.ColorScheme.Dark else LIGHT


class _Follower(QObject):
    """Re-applies the palette when the system's colour scheme changes."""

    def __init__(self, app: QApplication, mode: str) -> None:
        super().__init__(app)
        self.setObjectName("theme_follower")
        self.app = app
        self.mode = mode

    def changed(self, system: Qt.ColorScheme) -> None:
        if self.mode == "system":
            apply_scheme(self.app, scheme_for(self.mode, system))


def apply_scheme(app: QApplication, scheme: Scheme) -> None:
    """Fusion with the scheme's palette (only if it changes: a new palette repaints all)."""
    style = app.style()
    if style is None or style.name().lower() != STYLE.lower():
        app.setStyle(STYLE)
    pal = palette_for(scheme)
    if app.palette() != pal:
        app.setPalette(pal)
    app.setProperty("backstride_scheme", scheme.name)


def apply_theme(app: QApplication, mode: str | None = None) -> Scheme:
    """Apply the mode (if not given: BACKSTRIDE_THEME, else the one saved in Settings) and
    keep following the system while the mode is "system". Returns the scheme now applied."""
    mode = requested_mode() if mode is None else mode
    if mode not in MODES:
        raise ValueError(f"The theme must be one of {', '.join(MODES)}, not {mode!r}.")
    hints = QGuiApplication.styleHints()
    scheme = scheme_for(mode, hints.colorScheme())
    apply_scheme(app, scheme)
    follower = app.findChild(_Follower, "theme_follower")
    if follower is None:
        follower = _Follower(app, mode)
        hints.colorSchemeChanged.connect(follower.changed)
    follower.mode = mode
    return scheme


def current_scheme(app: QApplication) -> str:
    """The name of the scheme last applied ("light" or "dark")."""
    value = app.property("backstride_scheme")
    return value if isinstance(value, str) else scheme_of(app.palette()).name


def app_scheme() -> Scheme:
    """The scheme of the application's palette (light unless a dark one is applied)."""
    return scheme_of(QGuiApplication.palette())


class _Restyler(QObject):
    """Gives a widget the style sheet of the current scheme, again when it changes."""

    def __init__(self, widget: QWidget, build: Callable[[Scheme], str]) -> None:
        super().__init__(widget)
        self._build = build
        self._scheme = ""
        widget.installEventFilter(self)
        self.apply(widget)

    def apply(self, widget: QWidget) -> None:
        scheme = app_scheme()
        if scheme.name != self._scheme:
            self._scheme = scheme.name
            widget.setStyleSheet(self._build(scheme))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and isinstance(watched, QWidget):
            self.apply(watched)
        return False


def themed_style(widget: QWidget, build: Callable[[Scheme], str]) -> None:
    """A style sheet made from the scheme's colours, kept in step with the scheme (for
    boxes and messages whose colours a palette has no role for)."""
    _Restyler(widget, build)
