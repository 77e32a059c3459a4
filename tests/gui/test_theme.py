"""Light and dark following the system (ui/theme.py): the dark palette is applied when the
scheme is dark, BACKSTRIDE_THEME forces one, and self-drawn widgets follow a change."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from backstride.ui import theme
from backstride.ui.theme import DARK, LIGHT, apply_theme, current_scheme

pytestmark = pytest.mark.gui


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, with its palette and theme mode put back after the test."""
    before = QPalette(qapp.palette())
    yield qapp
    apply_theme(qapp, "light")
    qapp.setPalette(before)


def window_colour(app: QApplication) -> QColor:
    return app.palette().color(QPalette.ColorRole.Window)


def test_the_dark_palette_is_applied_when_the_scheme_is_dark(app: QApplication) -> None:
    assert theme.scheme_for("system", Qt.ColorScheme.Dark) is DARK
    assert theme.scheme_for("system", Qt.ColorScheme.Light) is LIGHT
    assert theme.scheme_for("system", Qt.ColorScheme.Unknown) is LIGHT
    apply_theme(app, "dark")
    assert window_colour(app) == QColor(DARK.window)
    assert app.palette().color(QPalette.ColorRole.Text) == QColor(DARK.text)
    assert current_scheme(app) == "dark"
    assert theme.is_dark(app.palette())
    style = app.style()
    assert style is not None and style.name().lower() == "fusion"
    apply_theme(app, "light")
    assert window_colour(app) == QColor(LIGHT.window)
    assert not theme.is_dark(app.palette())


def test_a_change_of_the_system_scheme_is_followed(app: QApplication) -> None:
    apply_theme(app, "system")
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_scheme(app) == "dark"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert current_scheme(app) == "light"


def test_a_forced_scheme_ignores_the_system(app: QApplication) -> None:
    apply_theme(app, "light")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_scheme(app) == "light"


def test_the_environment_variable_chooses_the_mode(
    app: QApplication, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(theme.THEME_ENV, "Dark")
    assert theme.requested_mode() == "dark"
    assert apply_theme(app) is DARK
    monkeypatch.setenv(theme.THEME_ENV, "light")
    assert apply_theme(app) is LIGHT
    monkeypatch.setenv(theme.THEME_ENV, "purple")
    with caplog.at_level(logging.WARNING, logger="backstride.ui.theme"):
        assert theme.requested_mode() == "system"
    assert "light|dark" in caplog.text.replace("system|", "")
    with pytest.raises(ValueError, match="system, light, dark"):
        apply_theme(app, "purple")


def test_charts_follow_the_scheme(qtbot, app: QApplication) -> None:  # type: ignore[no-untyped-def]
    from backstride.ui.experiments.chart import ExperimentChart
    from backstride.ui.insights.charts import PainChart

    apply_theme(app, "light")
    chart = PainChart()
    experiment = ExperimentChart()
    for widget in (chart, experiment):
        qtbot.addWidget(widget)
        widget.resize(400, 240)
        widget.show()
    assert chart.chart().backgroundBrush().color() == QColor(LIGHT.chart_background)
    apply_theme(app, "dark")  # Qt delivers the palette change to each widget
    qtbot.waitUntil(
        lambda: chart.chart().backgroundBrush().color() == QColor(DARK.chart_background)
    )
    assert chart.c("ink") == QColor(DARK.ink)
    image = experiment.grab().toImage()
    assert image.pixelColor(5, image.height() // 2) == QColor(DARK.chart_background)
    apply_theme(app, "light")
    qtbot.waitUntil(
        lambda: chart.chart().backgroundBrush().color() == QColor(LIGHT.chart_background)
    )


def test_the_mode_chosen_in_settings_is_used_at_start_unless_the_variable_is_set(
    app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(theme.THEME_ENV, raising=False)
    assert theme.saved_mode() == "system"  # the default
    theme.save_mode("dark")
    assert QSettings().value(theme.THEME_KEY) == "dark"
    assert theme.requested_mode() == "dark"
    assert apply_theme(app) is DARK  # what make_application does at start
    monkeypatch.setenv(theme.THEME_ENV, "light")
    assert apply_theme(app) is LIGHT  # the variable overrides, for tests and screenshots
    QSettings().setValue(theme.THEME_KEY, "purple")  # edited by hand
    monkeypatch.delenv(theme.THEME_ENV)
    assert theme.requested_mode() == "system"
    with pytest.raises(ValueError, match="system, light, dark"):
        theme.save_mode("purple")
