# pytest-qt's QtBot helpers carry no type hints.
# mypy: disable-error-code="no-untyped-call"
"""The pain colour scale, the calendar that uses it, and the legend."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QCalendarWidget
from pytestqt.qtbot import QtBot

from backstride.ui.widgets.pain_calendar import PainCalendar, PainScaleLegend
from backstride.ui.widgets.pain_colors import (
    contrast_ratio,
    pain_color,
    relative_luminance,
    text_color_for,
)

pytestmark = pytest.mark.gui

MARCH = {
    dt.date(2025, 3, 3): 0,
    dt.date(2025, 3, 16): 7,
    dt.date(2025, 3, 18): 2,
    dt.date(2025, 3, 19): 10,
}
NO_ENTRY = dt.date(2025, 3, 17)


@pytest.fixture
def calendar(qtbot: QtBot) -> PainCalendar:
    widget = PainCalendar()
    qtbot.addWidget(widget)
    widget.setCurrentPage(2025, 3)
    widget.setSelectedDate(QDate(2025, 3, 1))
    widget.setWorstPain(MARCH)
    widget.resize(460, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def day_image(calendar: PainCalendar) -> QImage:
    image = calendar.dayTable().viewport().grab().toImage()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def scaled(image: QImage, rect: QRect) -> QRect:
    r = image.devicePixelRatio()
    return QRect(
        round(rect.x() * r), round(rect.y() * r), round(rect.width() * r), round(rect.height() * r)
    )


def left_edge_colour(calendar: PainCalendar, day: dt.date) -> QColor:
    """A pixel inside the cell, away from the centred day number and the corner number."""
    image = day_image(calendar)
    cell = calendar.cellRect(day)
    assert cell is not None
    rect = scaled(image, cell)
    return image.pixelColor(QPoint(rect.left() + 4, rect.center().y()))


def dark_pixels(image: QImage, rect: QRect) -> int:
    return sum(
        1
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
        if relative_luminance(image.pixelColor(x, y)) < 0.2
    )


# --- the colour scale -------------------------------------------------------------------


def test_scale_runs_from_green_through_yellow_and_orange_to_deep_red() -> None:
    assert 90 <= pain_color(0).hue() <= 150  # green
    assert 45 <= pain_color(3).hue() <= 60  # yellow
    assert 20 <= pain_color(6).hue() <= 40  # orange
    deep_red = pain_color(10)
    assert deep_red.hue() <= 5 or deep_red.hue() >= 350
    assert deep_red.valueF() < 0.6
    hues = [h - 360 if h > 300 else h for h in (pain_color(i).hue() for i in range(11))]
    assert hues == sorted(hues, reverse=True)  # warmer with every step


def test_scale_darkens_step_by_step_from_two_up_so_greyscale_keeps_the_order() -> None:
    lum = [relative_luminance(pain_color(i)) for i in range(2, 11)]
    assert all(a > b for a, b in itertools.pairwise(lum))


def test_every_step_is_distinct() -> None:
    assert len({pain_color(i).name() for i in range(11)}) == 11


@pytest.mark.parametrize("intensity", range(11))
def test_text_on_every_colour_meets_wcag_aa(intensity: int) -> None:
    bg = pain_color(intensity)
    assert contrast_ratio(bg, text_color_for(bg)) >= 4.5


def test_text_colour_follows_background_luminance() -> None:
    assert text_color_for(QColor("white")) == QColor("#1b1b1b")
    assert text_color_for(QColor("black")) == QColor("white")
    assert text_color_for(pain_color(1)).lightness() < 50
    assert text_color_for(pain_color(10)).lightness() > 200


@pytest.mark.parametrize("bad", [-1, 11, 2.5, "3", None, True])
def test_out_of_range_intensity_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        pain_color(bad)  # type: ignore[arg-type]


# --- the calendar -----------------------------------------------------------------------


def test_logged_days_get_their_scale_colour_and_missing_days_none(calendar: PainCalendar) -> None:
    for day, worst in MARCH.items():
        assert calendar.cellColor(day) == pain_color(worst)
        assert calendar.worstPain(day) == worst
    assert calendar.cellColor(NO_ENTRY) is None
    assert calendar.worstPain(NO_ENTRY) is None


def test_cells_are_painted_in_the_scale_colour(calendar: PainCalendar) -> None:
    for day, worst in MARCH.items():
        assert left_edge_colour(calendar, day) == pain_color(worst), day


def test_a_day_without_entry_is_not_coloured(calendar: PainCalendar) -> None:
    plain = left_edge_colour(calendar, NO_ENTRY)
    assert plain not in [pain_color(i) for i in range(11)]
    assert plain == calendar.dayTable().palette().base().color()
    calendar.setWorstPain({})
    assert left_edge_colour(calendar, dt.date(2025, 3, 16)) == plain


def test_zero_pain_looks_different_from_a_missing_day(calendar: PainCalendar) -> None:
    assert left_edge_colour(calendar, dt.date(2025, 3, 3)) != left_edge_colour(calendar, NO_ENTRY)


def test_the_intensity_is_written_small_in_the_top_right_corner(calendar: PainCalendar) -> None:
    image = day_image(calendar)

    def corner(day: dt.date) -> QRect:
        cell = calendar.cellRect(day)
        assert cell is not None
        rect = scaled(image, cell)
        return QRect(
            rect.left() + rect.width() * 2 // 3,
            rect.top() + 1,
            rect.width() // 3 - 2,
            rect.height() // 3,
        )

    assert dark_pixels(image, corner(dt.date(2025, 3, 18))) > 5  # "2" on light yellow
    assert dark_pixels(image, corner(NO_ENTRY)) == 0  # a plain cell has only its centred day


def test_days_of_other_months_are_faded(calendar: PainCalendar) -> None:
    feb = dt.date(2025, 2, 28)
    calendar.setWorstPain({**MARCH, feb: 9})
    faded = calendar.cellColor(feb)
    assert faded is not None and faded != pain_color(9)
    assert relative_luminance(faded) > relative_luminance(pain_color(9))


def test_setting_values_checks_them(calendar: PainCalendar) -> None:
    with pytest.raises(ValueError, match=r"2025-03-04: .*0 to 10"):
        calendar.setWorstPain({dt.date(2025, 3, 4): 11})
    with pytest.raises(ValueError, match="must be dates"):
        calendar.setWorstPain({dt.datetime(2025, 3, 4, 8, 0): 3})
    assert calendar.worstPain(dt.date(2025, 3, 16)) == 7  # the old values stay


@pytest.mark.parametrize(
    "first_day", [Qt.DayOfWeek.Monday, Qt.DayOfWeek.Sunday, Qt.DayOfWeek.Saturday]
)
@pytest.mark.parametrize("page", [(2025, 3), (2024, 2), (2026, 6), (2025, 9)])
def test_cell_dates_match_what_the_calendar_shows(
    calendar: PainCalendar, first_day: Qt.DayOfWeek, page: tuple[int, int]
) -> None:
    calendar.setFirstDayOfWeek(first_day)
    calendar.setCurrentPage(*page)
    model = calendar.dayTable().model()
    dates = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            day = calendar.dateForIndex(index)
            if row == 0:
                assert day is None  # the day-name header
                continue
            assert day is not None
            assert str(model.data(index, Qt.ItemDataRole.DisplayRole)) == str(day.day)
            dates.append(day)
    assert dates == [dates[0] + dt.timedelta(days=i) for i in range(42)]
    assert dt.date(*page, 1) in dates


def test_cell_dates_without_day_names(calendar: PainCalendar) -> None:
    calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.NoHorizontalHeader)
    model = calendar.dayTable().model()
    index = model.index(2, 3)
    day = calendar.dateForIndex(index)
    assert day is not None and str(model.data(index, Qt.ItemDataRole.DisplayRole)) == str(day.day)


def test_changing_month_announces_the_page(qtbot: QtBot, calendar: PainCalendar) -> None:
    with qtbot.waitSignal(calendar.currentPageChanged) as on:
        calendar.showNextMonth()
    assert on.args == [2025, 4]


def test_tooltip_text(calendar: PainCalendar) -> None:
    assert (
        calendar.dayDescription(dt.date(2025, 3, 16)) == "Sunday 16 March 2025: worst pain 7 of 10"
    )
    assert calendar.dayDescription(NO_ENTRY) == "Monday 17 March 2025: no entry"
    cell = calendar.cellRect(dt.date(2025, 3, 16))
    assert cell is not None and calendar.dateAt(cell.center()) == dt.date(2025, 3, 16)


def test_accessible_text(calendar: PainCalendar) -> None:
    assert calendar.accessibleName() == "Pain calendar"
    assert "not coloured" in calendar.accessibleDescription()


# --- the legend -------------------------------------------------------------------------


def test_legend_shows_the_scale_and_the_no_entry_swatch(qtbot: QtBot, tmp_path: Path) -> None:
    legend = PainScaleLegend()
    qtbot.addWidget(legend)
    legend.resize(legend.sizeHint())
    legend.show()
    qtbot.waitExposed(legend)
    target = tmp_path / "legend.png"
    assert legend.grab().save(str(target))
    image = QImage(str(target)).convertToFormat(QImage.Format.Format_RGB32)
    colours = {image.pixelColor(x, 4).name() for x in range(image.width())}
    assert {pain_color(i).name() for i in range(11)} <= colours
    assert "no pain" in legend.accessibleDescription()
    hint = legend.sizeHint()
    assert hint.width() > hint.height() > 0


def test_calendar_renders_to_png(tmp_path: Path, calendar: PainCalendar) -> None:
    target = tmp_path / "calendar.png"
    assert calendar.grab().save(str(target))
    assert not QImage(str(target)).isNull()
