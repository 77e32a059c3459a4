"""The three Insights charts (QtCharts): pain over time, weekly distance with the pain line,
and the acute:chronic load ratio. Hovering shows the values of the day or week under the
mouse.

Readable in black and white: series differ by shape and line style, not colour alone (dots
for the daily worst, a solid line for the 7-day average, a pale band for the daily range,
triangles for runs; pale bars against a dashed line with dots; a solid ratio line against
a dashed "high" line). A missing day is a gap, never a 0.

Imported only when the Insights page is first shown (QtCharts is a large module).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractSeries,
    QAreaSeries,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QMargins,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from backstride.core.analysis import HIGH_RATIO, SWEET_SPOT, PeriodSeries, WeeklyLoad
from backstride.core.models import Run
from backstride.core.units import DistanceUnit
from backstride.ui.insights.days import run_text
from backstride.ui.theme import chart_color

# The colours (ink for the lines that matter most, dark red dots for the worst pain, a pale
# orange band...) are declared per light and dark scheme in ui/theme.py.

RUN_LANE = -0.7  # run triangles sit in a lane below 0 on the pain axis
PAIN_AXIS = (-1.4, 10.4)
LONG_SPAN_DAYS = 150  # longer periods label months rather than days
MAX_DATE_TICKS = 7
# After a long break the 28-day load is near 0, so a single run can give a ratio of
# thousands; the axis stops here and such days are drawn at its top (the tooltip gives
# the value), so the line stays on the chart and the labels stay readable.
RATIO_AXIS_TOP = 3.0
RATIO_TICK = 0.5
# Room beside the plot for the value axes (so the date labels are spaced by the plot's
# own width before it is laid out).
AXES_ALLOWANCE = 90


def day_ms(d: date, offset_days: float = 0.0) -> float:
    """Milliseconds since the epoch at local noon of the day (the day's centre), plus an
    offset in days; the chart's date axis shows local time."""
    return (datetime.combine(d, time(12)).timestamp() + offset_days * 86400.0) * 1000.0


def ms_day(ms: float) -> date:
    """The local date of a point on the date axis (noon +- 12 h stays on the same day)."""
    return datetime.fromtimestamp(ms / 1000.0).date()


def _segments(days: Sequence[date], values: Sequence[float]) -> list[list[tuple[date, float]]]:
    """Runs of consecutive days with a value: a missing day breaks the line."""
    out: list[list[tuple[date, float]]] = []
    current: list[tuple[date, float]] = []
    for d, v in zip(days, values, strict=True):
        v = float(v)
        if math.isnan(v):
            if current:
                out.append(current)
                current = []
            continue
        current.append((d, v))
    if current:
        out.append(current)
    return out


def _pen(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color)
    pen.setWidthF(width)
    pen.setStyle(style)
    return pen


def _num(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}"


def _on_background(color: QColor, background: QColor) -> str:
    """The colour a translucent fill shows on the chart background."""
    a = color.alphaF()
    r, g, b = (
        round(c * a + bg * (1 - a))
        for c, bg in zip(
            (color.red(), color.green(), color.blue()),
            (background.red(), background.green(), background.blue()),
            strict=True,
        )
    )
    return f"#{r:02x}{g:02x}{b:02x}"


def _legend(background: QColor, *entries: tuple[QColor, str, str]) -> str:
    """A legend line: each symbol in its series' colour and shape, then its words."""
    return "&nbsp;&nbsp;&nbsp; ".join(
        f"<span style='color:{_on_background(color, background)}'><b>{symbol}</b></span>"
        f"&nbsp;{html.escape(text)}"
        for color, symbol, text in entries
    )


def _weekday(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


class HoverChartView(QChartView):
    """A chart view that shows a tooltip for the data under the mouse."""

    resized = Signal()
    legend_changed = Signal()  # the scheme changed: legend_html has new colours

    def __init__(self, title: str) -> None:
        self._chart = QChart()
        super().__init__(self._chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMouseTracking(True)
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._title = title
        self._chart.setTitle(title)
        font = QFont(self._chart.titleFont())
        font.setBold(True)
        self._chart.setTitleFont(font)
        self._chart.setMargins(QMargins(4, 2, 4, 2))
        self._chart.layout().setContentsMargins(0, 0, 0, 0)
        self._chart.setBackgroundRoundness(0)
        # Our own legend under the chart (ChartsPanel): the lines are drawn in pieces so a
        # missing day is a gap, and Qt's legend would list every piece.
        self._chart.legend().hide()
        self.legend_html = ""
        self._anchor: QAbstractSeries | None = None  # a series bound to the axes, for mapping
        self._redraw: Callable[[], None] | None = None  # the last show_data, for a new scheme
        self.table_rows: tuple[tuple[str, ...], list[tuple[str, ...]]] = ((), [])
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so "Show as table" is reachable
        self.setAccessibleName(title)
        self._style_chart()

    # -- colours --------------------------------------------------------------
    def c(self, name: str) -> QColor:
        """A chart colour of the scheme this view's palette belongs to (ui/theme.py)."""
        return chart_color(self.palette(), name)

    def _style_chart(self) -> None:
        """Background, title, axes and grid in the scheme's chart colours."""
        self._chart.setBackgroundBrush(QBrush(self.c("chart_background")))
        self._chart.setPlotAreaBackgroundVisible(False)
        self._chart.setTitleBrush(QBrush(self.c("chart_text")))
        for axis in self._chart.axes():
            self._style_axis(axis)

    def _style_axis(self, axis: QAbstractAxis) -> None:
        axis.setLabelsBrush(QBrush(self.c("chart_text")))
        axis.setTitleBrush(QBrush(self.c("chart_text")))
        axis.setLinePenColor(self.c("chart_text"))
        axis.setGridLineColor(self.c("chart_grid"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_chart()
            if self._redraw is not None:
                self._redraw()  # the series again, in the new scheme's colours
            self.legend_changed.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        if self.hasFocus():  # a visible focus frame (Fusion draws none on a chart)
            painter.save()
            painter.resetTransform()
            pen = QPen(self.palette().highlight().color(), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.viewport().rect()).adjusted(1, 1, -1, -1))
            painter.restore()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Show as table…", self.show_table)
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.show_table()  # the chart's data as a table, for the keyboard
            event.accept()
            return
        super().keyPressEvent(event)

    def show_table(self) -> QDialog:
        """The chart's data, day by day or week by week, in a table."""
        from backstride.ui.widgets.data_table import show_data_table

        header, rows = self.table_rows
        return show_data_table(self, self._title, header, rows)

    # -- building -----------------------------------------------------------
    def clear(self, note: str = "") -> None:
        self._chart.removeAllSeries()
        self._anchor = None
        self._chart.setTitle(self._title + (f" — {note}" if note else ""))

    def _attach(self, series: QAbstractSeries, *axes: QDateTimeAxis | QValueAxis) -> None:
        self._chart.addSeries(series)
        for axis in axes:
            self._style_axis(axis)
            series.attachAxis(axis)
        if self._anchor is None:
            self._anchor = series

    def _line(
        self,
        points: Sequence[tuple[float, float]],
        pen: QPen,
        name: str,
        axes: tuple[QDateTimeAxis | QValueAxis, ...],
    ) -> QLineSeries:
        s = QLineSeries()
        s.setName(name)
        s.setPen(pen)
        s.replace([QPointF(x, y) for x, y in points])
        self._attach(s, *axes)
        return s

    def _area(
        self,
        upper: Sequence[tuple[float, float]],
        lower: Sequence[tuple[float, float]] | None,
        brush: QBrush,
        pen: QPen,
        name: str,
        axes: tuple[QDateTimeAxis | QValueAxis, ...],
    ) -> QAreaSeries:
        top = QLineSeries()
        top.replace([QPointF(x, y) for x, y in upper])
        bottom = None
        if lower is not None:
            bottom = QLineSeries()
            bottom.replace([QPointF(x, y) for x, y in lower])
        area = QAreaSeries(top, bottom)
        top.setParent(area)  # the area series does not own its lines
        if bottom is not None:
            bottom.setParent(area)
        area.setName(name)
        area.setBrush(brush)
        area.setPen(pen)
        self._attach(area, *axes)
        return area

    def _date_axis(self, first: date, last: date) -> QDateTimeAxis:
        axis = QDateTimeAxis()
        span = (last - first).days
        axis.setFormat("MMM yyyy" if span > LONG_SPAN_DAYS else "d MMM")
        axis.setRange(_qdt(day_ms(first, -0.5)), _qdt(day_ms(last, 0.5)))
        axis.setGridLineVisible(True)
        self._fit_date_ticks(axis)
        return axis

    def _fit_date_ticks(self, axis: QDateTimeAxis) -> None:
        """As many date labels as fit side by side in the plot, never cut ("Dec 20…")."""
        days = axis.min().daysTo(axis.max())
        sample = axis.min().toString(axis.format())
        label = QFontMetrics(axis.labelsFont()).horizontalAdvance(sample + "MM")
        fit = max(2, (self.width() - AXES_ALLOWANCE) // max(1, label))
        axis.setTickCount(max(2, min(MAX_DATE_TICKS, days + 1, fit)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for axis in self._chart.axes(Qt.Orientation.Horizontal):
            if isinstance(axis, QDateTimeAxis):
                self._fit_date_ticks(axis)
        self.resized.emit()  # the panel lines the plot areas up again

    # -- hovering -----------------------------------------------------------
    def value_at(self, pos: QPoint) -> QPointF | None:
        """The data coordinates under a viewport position, or None outside the plot."""
        if self._anchor is None:
            return None
        scene = self.mapToScene(pos)
        item = self._chart.mapFromScene(scene)
        if not self._chart.plotArea().contains(item):
            return None
        return self._chart.mapToValue(item, self._anchor)

    def tooltip_at(self, value: QPointF) -> str | None:
        raise NotImplementedError

    def tooltip_for(self, pos: QPoint) -> str | None:
        value = self.value_at(pos)
        return None if value is None else self.tooltip_at(value)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        text = self.tooltip_for(pos)
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def position_of(self, x: float, y: float) -> QPoint:
        """The viewport position of a data point (for tests and keyboard users)."""
        assert self._anchor is not None
        item = self._chart.mapToPosition(QPointF(x, y), self._anchor)
        return self.mapFromScene(self._chart.mapToScene(item))


def _qdt(ms: float) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(ms))


class PainChart(HoverChartView):
    """Daily worst pain (dots), the 7-day average (line), the daily range (band), runs."""

    def __init__(self) -> None:
        super().__init__("Pain over time (0–10)")
        self.setObjectName("pain_chart")
        self.series: PeriodSeries | None = None
        self.runs: Mapping[date, Sequence[Run]] = {}
        self.unit: DistanceUnit | None = None
        self._index: dict[date, int] = {}

    def show_data(
        self,
        series: PeriodSeries,
        runs: Mapping[date, Sequence[Run]],
        unit: DistanceUnit,
        span: tuple[date, date],
    ) -> None:
        self.series, self.runs, self.unit = series, runs, unit
        self._redraw = lambda: self.show_data(series, runs, unit, span)
        self._index = {d: i for i, d in enumerate(series.days)}
        self.table_rows = (
            ("Day", "Worst pain", "Least pain", "7-day average", "Runs"),
            [
                (
                    d.isoformat(),
                    _cell(w, 0),
                    _cell(lo, 0),
                    _cell(a, 1),
                    "; ".join(run_text(r, unit) for r in runs.get(d, ())),
                )
                for d, w, lo, a in zip(
                    series.days,
                    series.worst.tolist(),
                    series.least.tolist(),
                    series.average7.tolist(),
                    strict=True,
                )
            ],
        )
        INK, WORST, BAND, RUN = (self.c(n) for n in ("ink", "worst", "band", "run"))
        worst = series.points("worst")
        self.clear("" if worst else "no pain entries in this period")
        x = self._date_axis(*span)
        y = QValueAxis()
        y.setRange(*PAIN_AXIS)
        y.setTickType(QValueAxis.TickType.TicksDynamic)
        y.setTickAnchor(0)
        y.setTickInterval(2)
        y.setLabelFormat("%d")
        y.setTitleText("pain")
        self._chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for old in self._chart.axes():
            if old not in (x, y):
                self._chart.removeAxis(old)
        axes = (x, y)

        # The daily range as steps, each day as wide as a day, in one series: across a
        # missing day the band has no height, so it leaves a gap without breaking in two.
        upper: list[tuple[float, float]] = []
        lower: list[tuple[float, float]] = []
        for d, w, lo in zip(series.days, series.worst.tolist(), series.least.tolist(), strict=True):
            if math.isnan(w):
                w = lo = upper[-1][1] if upper else 0.0
            for off in (-0.5, 0.5):
                upper.append((day_ms(d, off), w))
                lower.append((day_ms(d, off), lo))
        if upper:
            self._area(upper, lower, QBrush(BAND), QPen(Qt.PenStyle.NoPen), "daily range", axes)
        for seg in _segments(series.days, series.average7.tolist()):
            self._line([(day_ms(d), v) for d, v in seg], _pen(INK, 2.4), "7-day average", axes)
        dots = QScatterSeries()
        dots.setName("worst of the day")
        dots.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
        dots.setMarkerSize(5.5)
        dots.setColor(WORST)
        dots.setBorderColor(WORST)
        dots.replace([QPointF(day_ms(d), v) for d, v in worst])
        self._attach(dots, *axes)
        marks = QScatterSeries()
        marks.setName("run")
        marks.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeTriangle)
        # Triangles about two days wide, so a week of runs stays a row of separate marks.
        days = (span[1] - span[0]).days + 1
        marks.setMarkerSize(min(9.0, max(4.5, 2.2 * max(300, self.width() - 90) / days)))
        marks.setColor(RUN)
        marks.setBorderColor(RUN)
        marks.replace([QPointF(day_ms(d), RUN_LANE) for d in sorted(runs)])
        self._attach(marks, *axes)
        self.legend_html = _legend(
            self.c("chart_background"),
            (WORST, "●", "worst pain of the day"),
            (INK, "━", "7-day average"),
            (BAND, "█", "the day's least to worst"),
            (RUN, "▲", "a run"),
        )

    def tooltip_at(self, value: QPointF) -> str | None:
        if self.series is None or self.unit is None:
            return None
        d = ms_day(value.x())
        i = self._index.get(d)
        if i is None:
            return None
        s = self.series
        lines = [_weekday(d)]
        worst = float(s.worst[i])
        if math.isnan(worst):
            lines.append("no diary entry (a missing day, not 0)")
        else:
            least = float(s.least[i])
            lines.append(
                f"worst pain {worst:.0f}"
                + (f", least {least:.0f}" if not math.isnan(least) and least != worst else "")
            )
            for label, values in (("on waking", s.morning), ("later that day", s.later)):
                v = float(values[i])
                if not math.isnan(v):
                    lines.append(f"{label} {v:.0f}")
        avg = float(s.average7[i])
        if not math.isnan(avg):
            lines.append(f"7-day average {_num(avg)}")
        for run in self.runs.get(d, ()):
            lines.append("run: " + run_text(run, self.unit))
        return "\n".join(lines)


class WeeklyChart(HoverChartView):
    """Weekly distance (bars) with the week's average daily-worst pain (line) over them."""

    def __init__(self) -> None:
        super().__init__("Weekly distance and pain")
        self.setObjectName("weekly_chart")
        self.weekly: WeeklyLoad | None = None
        self.unit: DistanceUnit | None = None

    def show_data(self, weekly: WeeklyLoad, unit: DistanceUnit, span: tuple[date, date]) -> None:
        self.weekly, self.unit = weekly, unit
        self._redraw = lambda: self.show_data(weekly, unit, span)
        INK, BARS, BAR_EDGE = (self.c(n) for n in ("ink", "bars", "bar_edge"))
        distance = [unit.from_metres(km * 1000.0) for km in weekly.distance_km.tolist()]
        self.table_rows = (
            ("Week of", f"Distance ({unit.code})", "Runs", "Average daily worst pain"),
            [
                (monday.isoformat(), _cell(dist, 1), str(int(n)), _cell(pain, 1))
                for monday, dist, n, pain in zip(
                    weekly.week_starts,
                    distance,
                    weekly.runs.tolist(),
                    weekly.mean_pain.tolist(),
                    strict=True,
                )
            ],
        )
        ran = any(v > 0 for v in distance)
        self.clear("" if ran else "no runs in this period")
        x = self._date_axis(*span)
        left = QValueAxis()
        top = max(distance, default=0.0)
        ceiling = _nice_ceiling(top * 1.08 if top > 0 else 10.0)
        left.setRange(0, ceiling)
        left.setTickType(QValueAxis.TickType.TicksDynamic)
        left.setTickAnchor(0)
        left.setTickInterval(_nice_ceiling(ceiling / 5.0))
        left.setLabelFormat("%g")
        left.setTitleText(unit.code)
        right = QValueAxis()
        right.setRange(0, 10)
        right.setTickCount(6)
        right.setLabelFormat("%d")
        right.setTitleText("pain")
        right.setGridLineVisible(False)
        self._chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        self._chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        for old in self._chart.axes():
            if old not in (x, left, right):
                self._chart.removeAxis(old)
        bars: list[tuple[float, float]] = []
        for monday, value in zip(weekly.week_starts, distance, strict=True):
            a, b = day_ms(monday, -0.3), day_ms(monday, 6.3)
            bars += [(a, 0.0), (a, value), (b, value), (b, 0.0)]
        if bars:
            self._area(bars, None, QBrush(BARS), _pen(BAR_EDGE, 1.0), "distance", (x, left))
        pain = _segments(
            [d + timedelta(days=3) for d in weekly.week_starts], weekly.mean_pain.tolist()
        )
        for seg in pain:
            line = self._line(
                [(day_ms(d), v) for d, v in seg],
                _pen(INK, 2.0, Qt.PenStyle.DashLine),
                "pain",
                (x, right),
            )
            line.setPointsVisible(True)
            line.setMarkerSize(4.0)
        self.legend_html = _legend(
            self.c("chart_background"),
            (BAR_EDGE, "█", f"{unit.code} a week (left)"),
            (INK, "╌●╌", "pain: the week's average daily worst (right)"),
        )

    def tooltip_at(self, value: QPointF) -> str | None:
        if self.weekly is None or self.unit is None:
            return None
        d = ms_day(value.x())
        w = self.weekly
        for i, monday in enumerate(w.week_starts):
            if monday <= d < monday + timedelta(days=7):
                runs = int(w.runs[i])
                km = float(w.distance_km[i])
                lines = [f"Week of {monday.day} {monday:%b %Y}"]
                if runs:
                    lines.append(
                        f"{self.unit.distance(km * 1000.0, 1)} in {runs} run"
                        f"{'s' if runs != 1 else ''} ({_num(float(w.time_h[i]))} h)"
                    )
                else:
                    lines.append("no runs")
                pain = float(w.mean_pain[i])
                lines.append(
                    "pain: fewer than 3 diary days"
                    if math.isnan(pain)
                    else f"pain: average daily worst {_num(pain)}"
                )
                return "\n".join(lines)
        return None


def _cell(value: float, digits: int) -> str:
    """A table cell: the value, or empty for a missing day (never 0)."""
    return "" if math.isnan(value) else f"{value:.{digits}f}"


def _nice_ceiling(value: float) -> float:
    """The next round number at or above value (10, 20, 25, 50, 100, ...)."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


class RatioChart(HoverChartView):
    """The EWMA acute:chronic load ratio with the 0.8-1.3 band (Gabbett, BJSM 2016)."""

    def __init__(self) -> None:
        super().__init__("Load ratio, acute:chronic (context, not a prediction)")
        self.setObjectName("ratio_chart")
        self.series: PeriodSeries | None = None
        self.load_unit = ""
        self._index: dict[date, int] = {}

    def show_data(self, series: PeriodSeries, load_unit: str, span: tuple[date, date]) -> None:
        self.series = series
        self.load_unit = load_unit
        self._redraw = lambda: self.show_data(series, load_unit, span)
        self._index = {d: i for i, d in enumerate(series.days)}
        INK, SWEET, HIGH = (self.c(n) for n in ("ink", "sweet", "high"))
        self.table_rows = (
            ("Day", "Load ratio (7 against 28 days)"),
            [
                (d.isoformat(), _cell(r, 2))
                for d, r in zip(series.days, series.load_ratio.tolist(), strict=True)
            ],
        )
        ratio = series.points("load_ratio")
        top = max((v for _, v in ratio), default=0.0)
        clipped = top > RATIO_AXIS_TOP
        note = "" if ratio else "needs 4 weeks of runs"
        self.clear(f"above {RATIO_AXIS_TOP:g} drawn at the top" if clipped else note)
        x = self._date_axis(*span)
        y = QValueAxis()
        y.setRange(0, min(RATIO_AXIS_TOP, max(2.0, math.ceil(top * 5 + 0.5) / 5)))
        y.setTickType(QValueAxis.TickType.TicksDynamic)
        y.setTickAnchor(0)
        y.setTickInterval(RATIO_TICK)
        y.setLabelFormat("%.1f")
        y.setTitleText("ratio")
        self._chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for old in self._chart.axes():
            if old not in (x, y):
                self._chart.removeAxis(old)
        a, b = day_ms(span[0], -0.5), day_ms(span[1], 0.5)
        lo, hi = SWEET_SPOT
        self._area(
            [(a, hi), (b, hi)],
            [(a, lo), (b, lo)],
            QBrush(SWEET),
            QPen(Qt.PenStyle.NoPen),
            "band",
            (x, y),
        )
        self._line(
            [(a, HIGH_RATIO), (b, HIGH_RATIO)],
            _pen(HIGH, 1.4, Qt.PenStyle.DashLine),
            "high",
            (x, y),
        )
        for seg in _segments(series.days, series.load_ratio.tolist()):
            points = [(day_ms(d), min(v, RATIO_AXIS_TOP)) for d, v in seg]
            self._line(points, _pen(INK, 2.0), "ratio", (x, y))
        self.legend_html = _legend(
            self.c("chart_background"),
            (INK, "━", "load ratio, 7 against 28 days"),
            (SWEET, "█", f"{lo:g}–{hi:g} band"),
            (HIGH, "╌╌", f"{HIGH_RATIO:g}: high"),
        )

    def tooltip_at(self, value: QPointF) -> str | None:
        if self.series is None:
            return None
        d = ms_day(value.x())
        i = self._index.get(d)
        if i is None:
            return None
        r = float(self.series.load_ratio[i])
        if math.isnan(r):
            return f"{_weekday(d)}\nno load ratio yet (needs 4 weeks of runs)"
        lo, hi = SWEET_SPOT
        where = (
            f"below {lo:g}"
            if r < lo
            else f"within {lo:g}–{hi:g}"
            if r <= hi
            else f"above {hi:g}"
            if r < HIGH_RATIO
            else f"{HIGH_RATIO:g} or more (high)"
        )
        return (
            f"{_weekday(d)}\nload ratio {r:.2f}, {where}\n"
            f"(7-day against 28-day load, in {self.load_unit})\ncontext, not a prediction"
        )


CAVEAT = (
    "The load ratio compares the last week's training with the last four weeks' "
    "(exponentially weighted; Williams 2017). The 0.8–1.3 band comes from Gabbett 2016, "
    "but the ratio is contested (Impellizzeri et al., Sports Med 2021): read it as "
    "context, not as a prediction of pain or injury."
)


class ChartsPanel(QWidget):
    """The three charts over the same dates, one above the other, their plot areas lined up
    so a day sits at the same place in each, with the load-ratio caveat under them."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("charts")
        self.pain = PainChart()
        self.weekly = WeeklyChart()
        self.ratio = RatioChart()
        self.legends: dict[HoverChartView, QLabel] = {}
        self._align_timer = QTimer(self)
        self._align_timer.setSingleShot(True)
        self._align_timer.setInterval(0)
        self._align_timer.timeout.connect(self.align)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for view, stretch in ((self.pain, 5), (self.weekly, 4), (self.ratio, 4)):
            legend = QLabel()
            legend.setObjectName(f"{view.objectName()}_legend")
            legend.setTextFormat(Qt.TextFormat.RichText)
            legend.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            legend.setWordWrap(True)
            self.legends[view] = legend
            view.resized.connect(self._align_timer.start)
            view.legend_changed.connect(lambda v=view, lbl=legend: lbl.setText(v.legend_html))
            layout.addWidget(view, stretch)
            layout.addWidget(legend)
            layout.addSpacing(4)
        self.caveat = QLabel(CAVEAT)
        self.caveat.setObjectName("ratio_caveat")
        self.caveat.setWordWrap(True)
        layout.addWidget(self.caveat)

    def show_data(
        self,
        series: PeriodSeries,
        weekly: WeeklyLoad,
        runs: Mapping[date, Sequence[Run]],
        load_unit: str,
        unit: DistanceUnit,
        period: tuple[date, date],
    ) -> None:
        first, last = period
        if weekly.week_starts:
            first = min(first, weekly.week_starts[0])
            last = max(last, weekly.week_starts[-1] + timedelta(days=6))
        span = (first, last)
        self.pain.show_data(series, runs, unit, span)
        self.weekly.show_data(weekly, unit, span)
        self.ratio.show_data(series, load_unit, span)
        for view, legend in self.legends.items():
            legend.setText(view.legend_html)
        self._align_timer.start()

    def views(self) -> tuple[HoverChartView, ...]:
        return (self.pain, self.weekly, self.ratio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._align_timer.start()  # once the views have their new size

    def align(self) -> None:
        """Give the three plot areas the same left and right edges."""
        charts = [v.chart() for v in self.views()]
        areas = []
        for chart in charts:
            chart.setPlotArea(QRectF())  # back to Qt's own layout, to measure it
            layout = chart.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()
            areas.append(chart.plotArea())
        left = max(a.left() for a in areas)
        right = min(a.right() for a in areas)
        if right - left < 50:
            return
        for chart, area in zip(charts, areas, strict=True):
            chart.setPlotArea(QRectF(left, area.top(), right - left, area.height()))
