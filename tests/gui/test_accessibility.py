"""Keyboard and screen-reader access (issue 14): Tab walks every page landing only on
visible, enabled widgets; every focusable widget of the project's own classes has an
accessible name; charts give their data as a table; fonts follow the application's."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QTableView, QWidget

from backstride.core.models import PainEntry
from backstride.store.database import Store
from backstride.store.pain import import_pain_entries
from backstride.ui.app import create_window
from backstride.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
TAB_LIMIT = 150  # more Tab presses than any page has stops: the walk must come round


def own_class(widget: QWidget) -> bool:
    """A widget of a class declared in the project (Qt's own have their names)."""
    return any(k.__module__.startswith("backstride.") for k in type(widget).__mro__[:1])


def takes_tab_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisible()


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    today = date.today()
    import_pain_entries(
        store,
        [
            PainEntry(day=today - timedelta(days=n), time=time(8), intensity=n % 7)
            for n in range(20)
        ],
    )
    w = create_window(store)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    return w


def walk(qtbot, window: MainWindow) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Press Tab from the page list until the focus comes back to it."""
    window.nav.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in range(TAB_LIMIT):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        if now is window.nav:
            return seen
        seen.append(now)
    raise AssertionError(f"Tab never came back to the page list: {seen[-5:]}")


@pytest.mark.parametrize("row", range(5), ids=["diary", "training", "checkup", "insights", "exp"])
def test_tab_lands_only_on_visible_enabled_named_widgets(
    qtbot, window: MainWindow, row: int
) -> None:  # type: ignore[no-untyped-def]
    window.nav.setCurrentRow(row)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == row)
    stops = walk(qtbot, window)
    assert stops, "the page has nothing to reach by keyboard"
    for widget in stops:
        assert widget.isVisible() and widget.isEnabled(), widget
        assert widget.window() is window, widget
    page = window.stack.currentWidget()
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in page.findChildren(QWidget)
        if own_class(w) and takes_tab_focus(w) and not w.accessibleName()
    ]
    assert not unnamed, f"focusable widgets without an accessible name: {unnamed}"


def test_the_diary_s_custom_widgets_are_named_and_described(window: MainWindow) -> None:
    from backstride.ui.widgets.pain_calendar import PainCalendar, PainScaleLegend

    for kind in (PainCalendar, PainScaleLegend):
        (widget,) = window.diary.findChildren(kind)
        assert widget.accessibleName() and widget.accessibleDescription()


def test_the_body_map_takes_focus_with_a_visible_ring(qtbot) -> None:  # type: ignore[no-untyped-def]
    from backstride.ui.widgets.body_map import BodyMap

    body = BodyMap()
    qtbot.addWidget(body)
    body.resize(220, 440)
    with qtbot.waitActive(body):
        body.show()
        body.activateWindow()
    body.clearFocus()
    plain = body.grab().toImage()
    body.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(body.hasFocus)
    ringed = body.grab().toImage()
    assert body.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert body.accessibleName() and "Selected: none" in body.accessibleDescription()
    assert plain != ringed  # the focus ring is drawn


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_chart_shows_its_data_as_a_table(qtbot) -> None:  # type: ignore[no-untyped-def]
    from backstride.core.experiments import ExperimentDay, Phase
    from backstride.ui.experiments.chart import ExperimentChart

    chart = ExperimentChart()
    qtbot.addWidget(chart)
    start = date(2026, 3, 2)
    chart.set_data(
        [Phase(start, start + timedelta(days=6), "on", 1)],
        [
            ExperimentDay(start, "on", 1, 0, True, None, None, None),
            ExperimentDay(start + timedelta(days=1), "on", 1, 0, False, 3.0, True, True),
        ],
        start,
        "pain the next morning",
    )
    chart.show()
    assert chart.focusPolicy() & Qt.FocusPolicy.TabFocus and chart.accessibleName()
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    dialog = chart.findChild(QDialog, "chart_data_table")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableView, "chart_data")
    assert table is not None
    model = table.model()
    assert model.rowCount() == 2
    assert model.index(0, 2).data() == ""  # a day without pain is empty, never 0
    assert model.index(1, 2).data() == "3"
    assert model.index(0, 2).data(Qt.ItemDataRole.AccessibleTextRole) == "no value"
    dialog.close()


def test_no_fixed_font_sizes_in_the_ui() -> None:
    """Text follows the system font: sizes are set relative to a font, never as fixed
    pixels or in a style sheet."""
    fixed = re.compile(r"setPixelSize|font-size|setPointSize\((?!F)")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "desktop" / "backstride" / "ui").rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if fixed.search(line)
    ]
    assert not offenders, offenders


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_insights_charts_give_their_data_as_tables(qtbot) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from backstride.core.analysis import analyze
    from backstride.core.models import Dataset, Run
    from backstride.core.units import KM
    from backstride.ui.insights.charts import ChartsPanel

    first = date(2025, 3, 3)
    days = [first + timedelta(days=i) for i in range(42)]
    runs = tuple(
        Run(start=datetime.combine(d, time(7), UTC), distance_m=8000, moving_time_s=2700)
        for d in days[::3]
    )
    pain = tuple(PainEntry(day=d, intensity=i % 5, time=time(7)) for i, d in enumerate(days[1:]))
    a = analyze(Dataset(pain=pain, runs=runs), days[0], days[-1], permutations=99)
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 700)
    panel.show()
    panel.show_data(a.series, a.weekly, {}, a.load_unit, KM, (a.period_from, a.period_to))
    for view in panel.views():
        assert view.accessibleName()
        assert view.focusPolicy() & Qt.FocusPolicy.TabFocus
        header, rows = view.table_rows
        assert header and rows
    header, rows = panel.pain.table_rows
    assert rows[0][0] == days[0].isoformat() and rows[0][1] == ""  # no entry: empty, not 0
    assert rows[1][1] == "0"
    panel.weekly.setFocus()
    qtbot.keyClick(panel.weekly, Qt.Key.Key_Return)
    dialog = panel.weekly.findChild(QDialog, "chart_data_table")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableView, "chart_data")
    assert table is not None and table.model().rowCount() == len(panel.weekly.table_rows[1])
    dialog.close()


def test_week_cards_say_their_day_and_contents(qtbot) -> None:  # type: ignore[no-untyped-def]
    from backstride.core.units import KM
    from backstride.ui.training.week_view import DayCard

    card = DayCard()
    qtbot.addWidget(card)
    day = date(2026, 3, 4)
    card.show_day(None, day, day + timedelta(days=1), KM)
    assert card.accessibleName() == "Wednesday 04 March"
    assert "—" in card.accessibleDescription()
