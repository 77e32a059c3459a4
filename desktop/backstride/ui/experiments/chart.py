"""The experiment's chart: the outcome day by day, phases shaded, wash-out days marked.

Drawn with QPainter (no QtCharts: a handful of rectangles and dots). Readable in black and
white: "on" phases are hatched as well as tinted, every phase is labelled, wash-out days
are crossed on the axis and their dots hollow, and a missing day is a gap, never a 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from backstride.core.experiments import BASELINE, ON, ExperimentDay, Phase

INK = QColor("#1b2631")
ON_FILL = QColor(120, 190, 140, 70)
OFF_FILL = QColor(200, 200, 200, 60)
BASE_FILL = QColor(150, 180, 220, 60)
WASHOUT = QColor("#7f8c8d")
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
        painter.fillRect(self.rect(), QColor("white"))
        if not self.phases:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No experiment yet")
            return
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
                painter.fillRect(box, QBrush(QColor(60, 120, 80, 60), Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(INK, 1))
            painter.drawLine(QPointF(left, plot.top()), QPointF(left, plot.bottom()))
            painter.drawText(
                QRectF(left, 2, phase.days * step, MARGIN_TOP - 4),
                Qt.AlignmentFlag.AlignCenter,
                phase.arm.upper() if phase.arm != BASELINE else "BASELINE",
            )
        painter.setPen(QPen(QColor("#aab7b8"), 1, Qt.PenStyle.DotLine))
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
                painter.setPen(QPen(WASHOUT, 1.5))
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
            painter.setPen(QPen(QColor("#c0392b"), 1.5, Qt.PenStyle.DashLine))
            x = x_of(self.today)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.end()
