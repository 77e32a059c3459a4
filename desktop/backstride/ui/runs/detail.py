"""A run's detail: elevation and pace profile with descents shaded, metrics, and the pain
logged that evening and the next morning (clinical.md section 3: the next-morning response
matters most)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCharts import QAreaSeries, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import PainEntry, ProfilePoint, Run
from backstride.core.pain_days import morning_pain
from backstride.core.track import descent_per_km
from backstride.core.units import KM, DistanceUnit, duration
from backstride.core.vocab import REGIONS, SURFACES, TIMINGS
from backstride.store.pain import list_pain_entries
from backstride.store.runs import get_run
from backstride.ui.context import AppContext
from backstride.ui.screen_fit import resize_within_screen
from backstride.ui.widgets.pain_colors import pain_color, text_color_for

DESCENT_MIN_DROP_M = 5.0  # shade a descent once it has dropped this much (GPS noise is less)


def descent_spans(points: Sequence[ProfilePoint]) -> list[tuple[int, int]]:
    """Index ranges [i, j] over which the elevation falls by at least DESCENT_MIN_DROP_M."""
    spans: list[tuple[int, int]] = []
    elevations = [p.elevation_m for p in points]
    start = None
    for i in range(1, len(points)):
        a, b = elevations[i - 1], elevations[i]
        falling = a is not None and b is not None and b < a
        if falling and start is None:
            start = i - 1
        if not falling and start is not None:
            spans.append((start, i - 1))
            start = None
    if start is not None:
        spans.append((start, len(points) - 1))
    return [
        (i, j)
        for i, j in spans
        if (elevations[i] or 0) - (elevations[j] or 0) >= DESCENT_MIN_DROP_M
    ]


def smoothed_paces(points: Sequence[ProfilePoint], unit: DistanceUnit) -> list[tuple[float, float]]:
    """(distance in unit, minutes per unit), a running median over 5 samples (~50 s) so GPS
    jitter does not draw spikes; implausible paces (stops, glitches) are left out."""
    raw = [
        (unit.from_metres(p.distance_m), p.pace_s_per_km * unit.metres / 1000.0 / 60.0)
        for p in points
        if p.pace_s_per_km and 120 <= p.pace_s_per_km <= 1200
    ]
    out = []
    for i, (distance, _) in enumerate(raw):
        window = sorted(m for _, m in raw[max(0, i - 2) : i + 3])
        out.append((distance, window[len(window) // 2]))
    return out


def profile_chart(run: Run, unit: DistanceUnit) -> QChart | None:
    points = [p for p in run.profile if p.distance_m is not None]
    if len(points) < 2:
        return None
    chart = QChart()
    chart.setTitle("Elevation and pace (shaded: descents)")
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    x_axis = QValueAxis()
    x_axis.setTitleText(f"Distance ({unit.code})")
    x_axis.setLabelFormat("%.1f")
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)

    def x(p: ProfilePoint) -> float:
        return unit.from_metres(p.distance_m)

    if any(p.elevation_m is not None for p in points):
        elevation = QLineSeries()
        elevation.setName("Elevation (m)")
        elevation.setPen(QPen(QColor("#4a5568"), 2))
        values = [p.elevation_m for p in points if p.elevation_m is not None]
        for p in points:
            if p.elevation_m is not None:
                elevation.append(x(p), p.elevation_m)
        y_axis = QValueAxis()
        y_axis.setTitleText("Elevation (m)")
        y_axis.setRange(min(values) - 5, max(values) + 5)
        y_axis.applyNiceNumbers()
        y_axis.setLabelFormat("%.0f")
        floor = y_axis.min()  # shaded descents reach down to the axis
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for n, (i, j) in enumerate(descent_spans(points)):
            upper, lower = QLineSeries(), QLineSeries()
            for p in points[i : j + 1]:
                upper.append(x(p), p.elevation_m or floor)
                lower.append(x(p), floor)
            area = QAreaSeries(upper, lower)
            upper.setParent(area)  # the area does not own its edges; Python would free them
            lower.setParent(area)
            area.setName("Descent" if n == 0 else "")
            area.setColor(QColor(66, 133, 244, 90))
            area.setBorderColor(QColor(66, 133, 244, 0))
            chart.addSeries(area)
            area.attachAxis(x_axis)
            area.attachAxis(y_axis)
            if n:
                chart.legend().markers(area)[0].setVisible(False)
        chart.addSeries(elevation)
        elevation.attachAxis(x_axis)
        elevation.attachAxis(y_axis)

    paces = smoothed_paces(points, unit)
    if paces:
        pace = QLineSeries()
        pace.setName(f"Pace (min{unit.pace_label}, smoothed)")
        pen = QPen(QColor("#d9480f"), 1.5)
        pen.setStyle(Qt.PenStyle.DashLine)  # readable in black and white too
        pace.setPen(pen)
        for distance, minutes in paces:
            pace.append(QPointF(distance, minutes))
        values = sorted(m for _, m in paces)
        low = values[
            len(values) // 20
        ]  # 5th-95th percentile: stops at lights don't squash the line
        high = values[-1 - len(values) // 20]
        pace_axis = QValueAxis()
        pace_axis.setTitleText(f"Pace (min{unit.pace_label})")
        pace_axis.setReverse(True)  # faster is higher
        pace_axis.setRange(max(0.0, low - 0.5), high + 0.5)
        pace_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        pace_axis.setTickAnchor(0.0)
        pace_axis.setTickInterval(1.0 if high - low > 2 else 0.5)
        pace_axis.setLabelFormat("%.1f")
        chart.addAxis(pace_axis, Qt.AlignmentFlag.AlignRight)
        chart.addSeries(pace)
        pace.attachAxis(x_axis)
        pace.attachAxis(pace_axis)
    x_axis.setRange(x(points[0]), x(points[-1]))
    span = x(points[-1]) - x(points[0])
    x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    x_axis.setTickAnchor(0.0)
    x_axis.setTickInterval(next(step for step in (0.5, 1, 2, 5, 10, 20, 50) if span / step <= 10))
    return chart


def metric_rows(run: Run, unit: DistanceUnit) -> list[tuple[str, str]]:
    rows: list[tuple[str, str | None]] = [
        ("Start", f"{run.start:%a %d %b %Y, %H:%M}"),
        ("Distance", unit.distance(run.distance_m)),
        ("Moving time", duration(run.moving_time_s)),
        ("Pace", unit.pace(run.moving_time_s, run.distance_m)),
        ("Ascent", unit.climb(run.ascent_m) or None),
        ("Descent", unit.climb(run.descent_m) or None),
    ]
    per_km = descent_per_km(run.descent_m, run.distance_m)
    if per_km is not None:
        rows.append(("Descent per km", f"{per_km:.0f} m/km"))
    rows += [
        (
            "Steepest descent (200 m)",
            f"{run.max_descent_grade_pct:.1f} %" if run.max_descent_grade_pct is not None else None,
        ),
        ("Fastest km", duration(run.fastest_km_s) if run.fastest_km_s else None),
        (
            "Pace surges (30 s, ≥15 % faster)",
            str(run.pace_surges) if run.pace_surges is not None else None,
        ),
        ("Average heart rate", f"{run.avg_hr:.0f} bpm" if run.avg_hr else None),
        ("Cadence", f"{run.cadence_spm:.0f} steps/min" if run.cadence_spm else None),
        (
            "Vertical oscillation",
            f"{run.vertical_oscillation_cm:.1f} cm" if run.vertical_oscillation_cm else None,
        ),
        ("Vertical ratio", f"{run.vertical_ratio_pct:.1f} %" if run.vertical_ratio_pct else None),
        ("Stance time", f"{run.stance_time_ms:.0f} ms" if run.stance_time_ms else None),
        ("Step length", f"{run.step_length_m:.2f} m" if run.step_length_m else None),
        ("Effort (0–10)", str(run.rpe) if run.rpe is not None else None),
        (
            "Warm-up",
            ("none" if run.warmup_min == 0 else f"{run.warmup_min} min")
            if run.warmup_min is not None
            else None,
        ),
        ("Surface", SURFACES.get(run.surface, run.surface) if run.surface else None),
        ("Shoe", run.shoe),
        ("Source", run.source),
    ]
    return [(k, v) for k, v in rows if v]


def pain_after(run: Run, entries: Sequence[PainEntry]) -> tuple[list[PainEntry], int | None]:
    """Entries later on the run's day (after its start, or timed after a run / evening /
    night) and the next morning's pain."""
    later = [
        e
        for e in entries
        if e.day == run.day
        and (
            e.timing in ("after_run", "evening", "night")
            or (e.time is not None and e.time >= run.start.time())
        )
    ]
    morning = morning_pain([e for e in entries if e.day == run.day + timedelta(days=1)])
    return later, morning.get(run.day + timedelta(days=1))


def _chip(value: int | None) -> str:
    if value is None:
        return "<i>not logged</i>"
    bg = pain_color(value)
    style = f"background:{bg.name()};color:{text_color_for(bg).name()};"
    return f'<span style="{style}">&nbsp;<b>{value}</b>/10&nbsp;</span>'


class RunDetailDialog(QDialog):
    def __init__(
        self, ctx: AppContext, run_id: int, unit: DistanceUnit = KM, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RunDetailDialog")
        run = get_run(ctx.store, run_id)
        if run is None:
            raise LookupError("that run no longer exists")
        self.run = run
        self.setWindowTitle(f"Run on {run.start:%a %d %b %Y}")
        resize_within_screen(self, 980, 620)

        chart = profile_chart(run, unit)
        if chart is not None:
            view: QWidget = QChartView(chart)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)  # type: ignore[attr-defined]
            view.setMinimumSize(560, 360)
        else:
            view = QLabel("No track for this run (entered by hand, or the file had no samples).")
            view.setAlignment(Qt.AlignmentFlag.AlignCenter)
            view.setWordWrap(True)
        self.chart_view = view

        metrics = QGroupBox("Metrics")
        form = QFormLayout(metrics)
        for label, value in metric_rows(run, unit):
            form.addRow(label, QLabel(value))

        entries = list_pain_entries(ctx.store, run.day, run.day + timedelta(days=1))
        later, morning = pain_after(run, entries)
        pain = QGroupBox("Pain after this run")
        pain_layout = QVBoxLayout(pain)
        worst_later = max((e.intensity for e in later), default=None)
        summary = QLabel(f"Later that day: {_chip(worst_later)}<br>Next morning: {_chip(morning)}")
        summary.setObjectName("pain_summary")
        pain_layout.addWidget(summary)
        for e in later:
            where = ", ".join(REGIONS.get(r, r) for r in e.regions) or "no region noted"
            when = (
                TIMINGS.get(e.timing, "")
                if e.timing
                else (e.time.strftime("%H:%M") if e.time else "")
            )
            line = QLabel(f"{when}: {e.intensity}/10, {where}" + (f" — {e.note}" if e.note else ""))
            line.setWordWrap(True)
            pain_layout.addWidget(line)
        pain_layout.addStretch(1)

        side = QVBoxLayout()
        side.addWidget(metrics)
        side.addWidget(pain)
        body = QHBoxLayout()
        body.addWidget(view, 3)
        body.addLayout(side, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
