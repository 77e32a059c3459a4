"""The experiment's chart: the outcome day by day, phases shaded, wash-out days marked.

Drawn with QPainter (no QtCharts: a handful of rectangles and dots). Readable in black and
white: "on" phases are hatched as well as tinted, every phase is labelled, wash-out days
are crossed on the axis and their dots hollow, and a missing day is a gap, never a 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QDialog, QMenu, QSizePolicy, QWidget

from backstride.core.experiments import BASELINE, ON, ExperimentDay, Phase
from backstride.ui.theme import chart_color

# Colours: declared per light and dark scheme in ui/theme.py (ink, fills, wash-out...).
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 36, 12, 22, 48
PAIN_TOP = 10


class ExperimentChart(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("experiment_chart")
        self.setAccessibleName("Pain by day, with the experiment's phases")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.phases: list[Phase] = []
        self.days: list[ExperimentDay] = []
        self.today: date | None = None
        self.outcome = "Pain the next morning"
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Enter shows the data as a table
        self.setAccessibleDescription(
            "Enter, or the context menu, shows the days and their pain as a table."
        )

    def c(self, name: str) -> QColor:
        return chart_color(self.palette(), name)

    def table_rows(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """The chart's days as rows of text (a missing outcome is empty, never 0)."""
        header: tuple[str, ...] = ("Day", "Phase", self.outcome + " (0-10)", "Wash-out")
        rows: list[tuple[str, ...]] = [
            (
                d.day.isoformat(),
                d.arm.upper(),
                "" if d.outcome is None else f"{d.outcome:g}",
                "yes" if d.washout else "",
            )
            for d in self.days
        ]
        return header, rows

    def show_table(self) -> QDialog:
        from backstride.ui.widgets.data_table import show_data_table

        header, rows = self.table_rows()
        return show_data_table(self, self.accessibleName(), header, rows)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Show as table…", self.show_table)
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.show_table()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 240)

    def set_data(
        self, phases: Sequence[Phase], days: Sequence[ExperimentDay], today: date, outcome: str
    ) -> None:
        self.phases, self.days, self.today = list(phases), list(days), today
        self.outcome = outcome[:1].upper() + outcome[1:]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        INK = self.c("ink")
        painter.fillRect(self.rect(), self.c("chart_background"))
        if self.hasFocus():  # a visible focus frame
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.setPen(QPen(self.c("chart_text")))
        if not self.phases:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No experiment yet")
            return
        ON_FILL, OFF_FILL, BASE_FILL = (self.c(n) for n in ("on_fill", "off_fill", "base_fill"))
        first = self.phases[0].start
        span = (self.phases[-1].end - first).days + 1
        plot = QRectF(
            MARGIN_LEFT,
            MARGIN_TOP,
            self.width() - MARGIN_LEFT - MARGIN_RIGHT,
            self.height() - MARGIN_TOP - MARGIN_BOTTOM,
        )
        step = plot.width() / span

        def x_of(d: date) -> float:
            return plot.left() + ((d - first).days + 0.5) * step

        def y_of(pain: float) -> float:
            return plot.bottom() - pain / PAIN_TOP * plot.height()

        for phase in self.phases:
            left = plot.left() + (phase.start - first).days * step
            box = QRectF(left, plot.top(), phase.days * step, plot.height())
            fill = ON_FILL if phase.arm == ON else BASE_FILL if phase.arm == BASELINE else OFF_FILL
            painter.fillRect(box, fill)
            if phase.arm == ON:
                painter.fillRect(box, QBrush(self.c("on_hatch"), Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(INK, 1))
            painter.drawLine(QPointF(left, plot.top()), QPointF(left, plot.bottom()))
            painter.drawText(
                QRectF(left, 2, phase.days * step, MARGIN_TOP - 4),
                Qt.AlignmentFlag.AlignCenter,
                phase.arm.upper() if phase.arm != BASELINE else "BASELINE",
            )
        painter.setPen(QPen(self.c("chart_grid"), 1, Qt.PenStyle.DotLine))
        for pain in range(0, PAIN_TOP + 1, 2):
            painter.drawLine(QPointF(plot.left(), y_of(pain)), QPointF(plot.right(), y_of(pain)))
        painter.setPen(QPen(INK))
        for pain in range(0, PAIN_TOP + 1, 2):
            painter.drawText(
                QRectF(0, y_of(pain) - 8, MARGIN_LEFT - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(pain),
            )
        painter.drawRect(plot)
        # Days: a cross under the axis for a wash-out day, a label every week.
        for d in self.days:
            x = x_of(d.day)
            if d.washout:
                painter.setPen(QPen(self.c("washout"), 1.5))
                y = plot.bottom() + 6
                painter.drawLine(QPointF(x - 3, y - 3), QPointF(x + 3, y + 3))
                painter.drawLine(QPointF(x - 3, y + 3), QPointF(x + 3, y - 3))
        painter.setPen(QPen(INK))
        for phase in self.phases:
            x = plot.left() + (phase.start - first).days * step
            painter.drawText(
                QRectF(x, plot.bottom() + 12, 60, 16),
                Qt.AlignmentFlag.AlignLeft,
                f"{phase.start:%d %b}",
            )
        for d in self.days:
            if d.outcome is None:
                continue
            centre = QPointF(x_of(d.day), y_of(d.outcome))
            radius = max(2.5, min(5.0, step / 3))
            painter.setPen(QPen(INK, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush if d.washout else QBrush(INK))
            painter.drawEllipse(centre, radius, radius)
        painter.setPen(QPen(INK))
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 30, plot.width(), 16),
            Qt.AlignmentFlag.AlignLeft,
            f"{self.outcome} (0-10) after each day · hollow dot, ×: wash-out day, not compared",
        )
        if self.today is not None and first <= self.today <= self.phases[-1].end:
            painter.setPen(QPen(self.c("today_line"), 1.5, Qt.PenStyle.DashLine))
            x = x_of(self.today)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.end()
