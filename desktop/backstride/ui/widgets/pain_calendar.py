"""A month calendar coloured by each day's worst pain, and the legend for its colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCharFormat,
)
from PySide6.QtWidgets import QCalendarWidget, QSizePolicy, QTableView, QToolTip, QWidget

from backstride.ui.theme import app_scheme
from backstride.ui.widgets.pain_colors import (
    NO_PAIN_LABEL,
    NON_TEXT_CONTRAST,
    PAIN_MAX,
    PAIN_MIN,
    WORST_PAIN_LABEL,
    check_intensity,
    contrast_ratio,
    pain_color,
    pain_edge,
    text_color_for,
)

_ROWS = 6  # QCalendarWidget always shows six weeks
_COLUMNS = 7
_OTHER_MONTH_STRENGTH = 0.4  # days of the neighbouring months are shown faded


def _blend(color: QColor, base: QColor, strength: float) -> QColor:
    def mix(a: float, b: float) -> float:
        return a * strength + b * (1 - strength)

    return QColor.fromRgbF(
        mix(color.redF(), base.redF()),
        mix(color.greenF(), base.greenF()),
        mix(color.blueF(), base.blueF()),
    )


class PainCalendar(QCalendarWidget):
    """Day cells coloured by that day's worst pain; a day with no entry stays plain.

    Load a month's figures with setWorstPain() when currentPageChanged(year, month) fires.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worst: dict[dt.date, int] = {}
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setGridVisible(True)
        self._weekend_colours()
        self.setAccessibleName("Pain calendar")
        self.setAccessibleDescription(
            "Each day is coloured by the worst pain logged that day, from green for 0 "
            "(no pain) to deep red for 10; a day without an entry is not coloured."
        )
        self._view().viewport().installEventFilter(self)

    # --- public API -------------------------------------------------------------------

    def setWorstPain(self, mapping: Mapping[dt.date, int]) -> None:
        """Replace the worst pain per day (0-10); days not in the mapping have no entry."""
        worst: dict[dt.date, int] = {}
        for day, intensity in mapping.items():
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise ValueError(f"Calendar days must be dates, not {day!r}.")
            try:
                worst[day] = check_intensity(intensity)
            except ValueError as exc:
                raise ValueError(f"{day.isoformat()}: {exc}") from None
        self._worst = worst
        self.updateCells()

    def worstPain(self, day: dt.date) -> int | None:
        return self._worst.get(day)

    def cellColor(self, day: dt.date) -> QColor | None:
        """The fill the day's cell gets, or None when the day has no entry (plain cell)."""
        worst = self._worst.get(day)
        if worst is None:
            return None
        color = pain_color(worst)
        if (day.year, day.month) != (self.yearShown(), self.monthShown()):
            color = _blend(color, self.palette().base().color(), _OTHER_MONTH_STRENGTH)
        return color

    def dateForIndex(self, index: QModelIndex) -> dt.date | None:
        """The date a cell of the calendar's table shows (None for header cells)."""
        row = index.row() - (0 if self._no_day_names() else 1)
        column = index.column() - (
            0
            if self.verticalHeaderFormat() == QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
            else 1
        )
        if not (0 <= row < _ROWS and 0 <= column < _COLUMNS):
            return None
        first = dt.date(self.yearShown(), self.monthShown(), 1)
        offset = (first.isoweekday() - self.firstDayOfWeek().value) % 7
        if offset == 0:
            offset = 7  # Qt always shows at least one day of the previous month
        return first + dt.timedelta(days=row * _COLUMNS + column - offset)

    def dateAt(self, pos: QPoint) -> dt.date | None:
        """The date under a point in the day table's viewport coordinates."""
        index = self._view().indexAt(pos)
        return self.dateForIndex(index) if index.isValid() else None

    def cellRect(self, day: dt.date) -> QRect | None:
        """A shown day's cell in the day table's viewport coordinates, else None."""
        view = self._view()
        model = view.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                if self.dateForIndex(index) == day:
                    return view.visualRect(index)
        return None

    def dayTable(self) -> QTableView:
        """The table that draws the days (for tests and screenshots)."""
        return self._view()

    # --- painting ---------------------------------------------------------------------

    def paintCell(self, painter: QPainter, rect: QRect, date: QDate) -> None:
        day = dt.date(date.year(), date.month(), date.day())
        fill = self.cellColor(day)
        if fill is None:
            super().paintCell(painter, rect, date)
            return
        worst = self._worst[day]
        text = text_color_for(fill)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(rect, fill)

        font = QFont(painter.font())
        painter.setFont(font)
        painter.setPen(text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(day.day))

        # The intensity, small in the top-right corner, keeps the cell readable in greyscale.
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.68))
        small.setBold(True)
        painter.setFont(small)
        corner = QRectF(rect).adjusted(2, 1, -3, -1)
        painter.drawText(
            corner, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight, str(worst)
        )

        # An outline where the fill alone would not stand out from the background (pale
        # days on a light theme, deep red ones on a dark theme).
        edge = pain_edge(fill, self.palette().base().color())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if edge is not None:
            painter.setPen(QPen(edge, 1))
            painter.drawRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
        if self.selectedDate() == QDate(day.year, day.month, day.day):
            # The selected (and keyboard-current) day: a ring in the highlight colour, or in
            # the text colour where the highlight would not stand out from the fill.
            ring = self.palette().highlight().color()
            if contrast_ratio(ring, fill) < NON_TEXT_CONTRAST:
                ring = text
            painter.setPen(QPen(ring, 2.5))
            painter.drawRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.restore()

    # --- internals --------------------------------------------------------------------

    def _weekend_colours(self) -> None:
        """Weekend day numbers in the scheme's red (Qt's pure red is under 4.5:1)."""
        red = QTextCharFormat()
        red.setForeground(QColor(app_scheme().error_text))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(day, red)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._weekend_colours()

    def _view(self) -> QTableView:
        view = self.findChild(QTableView, "qt_calendar_calendarview")
        if view is None:  # pragma: no cover - Qt has named it so since Qt 4
            raise RuntimeError("QCalendarWidget has no day table; Qt changed its layout")
        return view

    def _no_day_names(self) -> bool:
        return (
            self.horizontalHeaderFormat()
            == QCalendarWidget.HorizontalHeaderFormat.NoHorizontalHeader
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ToolTip
            and isinstance(event, QHelpEvent)
            and watched is self._view().viewport()
        ):
            day = self.dateAt(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.dayDescription(day), self._view())
            return True
        return super().eventFilter(watched, event)

    def dayDescription(self, day: dt.date) -> str:
        """What the tooltip says about a day."""
        name = f"{day:%A} {day.day} {day:%B %Y}"
        worst = self._worst.get(day)
        if worst is None:
            return f"{name}: no entry"
        return f"{name}: worst pain {worst} of 10"


class PainScaleLegend(QWidget):
    """The 0-10 colour scale with its anchors, and what a day with no entry looks like."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Pain colour scale")
        self.setAccessibleDescription(
            f"Green for 0 ({NO_PAIN_LABEL.lower()}) through yellow and orange to deep red "
            f"for 10 ({WORST_PAIN_LABEL.lower()}). A day with no entry is not coloured."
        )

    _NO_ENTRY = "No entry"

    def _metrics(self) -> tuple[int, int, int]:
        """(swatch width, swatch height, gap before the no-entry swatch)."""
        fm = QFontMetrics(self.font())
        height = fm.height() + 8
        anchors = fm.horizontalAdvance(f"{NO_PAIN_LABEL}  {WORST_PAIN_LABEL}") + 8
        width = max(height, -(-anchors // (PAIN_MAX - PAIN_MIN + 1)))
        return width, height, fm.horizontalAdvance("MM")

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        width, height, gap = self._metrics()
        scale = width * (PAIN_MAX - PAIN_MIN + 1)
        extra = gap + height + 6 + fm.horizontalAdvance(self._NO_ENTRY)
        return QSize(scale + extra + 2, height + 4 + fm.height() + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        fm = QFontMetrics(self.font())
        width, height, gap = self._metrics()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        edge = self.palette().mid().color()
        x = 1
        for intensity in range(PAIN_MIN, PAIN_MAX + 1):
            cell = QRect(x, 1, width, height)
            color = pain_color(intensity)
            p.fillRect(cell, color)
            p.setPen(text_color_for(color))
            p.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(intensity))
            x += width
        # The scale's frame in the text colour: it contrasts with the pale and the deep end.
        p.setPen(self.palette().windowText().color())
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(0.5, 0.5, x - 0.5, height + 1))

        p.setPen(self.palette().windowText().color())
        labels = QRect(1, height + 4, x - 1, fm.height())
        p.drawText(labels, Qt.AlignmentFlag.AlignLeft, NO_PAIN_LABEL)
        p.drawText(labels, Qt.AlignmentFlag.AlignRight, WORST_PAIN_LABEL)

        # The no-entry swatch looks like a plain calendar cell.
        x += gap
        blank = QRect(x, 1, height, height)
        p.fillRect(blank, self.palette().base().color())
        p.setPen(edge)
        p.drawRect(QRectF(blank).adjusted(0.5, 0.5, -0.5, -0.5))
        p.setPen(self.palette().windowText().color())
        text = QRect(blank.right() + 7, 1, fm.horizontalAdvance(self._NO_ENTRY) + 2, height)
        p.drawText(text, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self._NO_ENTRY)
        p.end()
