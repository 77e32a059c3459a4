"""The report's vector charts, drawn with reportlab graphics from the report's plain values.

Every series differs by shape or line style as well as shade (dots, a solid line, a grey
band, triangles; bars and a dashed line), so a black-and-white print reads as well as
colour. A day without a diary entry is a gap, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from backstride.core.experiment_result import Result as ExperimentResult
from backstride.core.experiments import BASELINE, OFF, ON
from backstride.core.units import DistanceUnit
from backstride.report.data import Count, DayPoint, WeekRow
from backstride.report.fonts import FAMILY, printable

INK = colors.Color(0.1, 0.1, 0.1)
GRID = colors.Color(0.85, 0.85, 0.85)
BAND = colors.Color(0.78, 0.80, 0.84)
AVERAGE = colors.Color(0.12, 0.30, 0.50)  # dark blue: near black in greyscale
BARS = colors.Color(0.80, 0.84, 0.88)
LABEL_PT = 7
LEGEND_H = 12  # the legend's strip above each chart
LEFT, RIGHT, BOTTOM = 24, 26, 16  # room for the axes' labels
PAIN_MAX = 10
RUN_STRIP = 10  # the row of run marks under the pain axis


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = FAMILY  # else the renderer selects Helvetica, unembedded
    return d


def _text(x: float, y: float, text: str, size: float = LABEL_PT, anchor: str = "start") -> String:
    return String(
        x, y, printable(text), fontName=FAMILY, fontSize=size, fillColor=INK, textAnchor=anchor
    )


def _day_label(day: Any) -> str:
    return f"{day.day} {day:%b}"


def _legend(d: Drawing, y: float, items: Sequence[tuple[str, Any]]) -> None:
    """Swatches and words left to right; each swatch is a callable drawing at (x, y)."""
    x = float(LEFT)
    for text, swatch in items:
        swatch(d, x, y)
        d.add(_text(x + 14, y - 2.5, text))
        x += 14 + len(text) * LABEL_PT * 0.48 + 14


def _pain_axis(d: Drawing, x0: float, x1: float, y0: float, h: float, left: bool) -> None:
    for v in range(0, PAIN_MAX + 1, 2):
        y = y0 + h * v / PAIN_MAX
        if left:
            d.add(Line(x0, y, x1, y, strokeColor=GRID, strokeWidth=0.4))
            d.add(_text(x0 - 4, y - 2.5, str(v), anchor="end"))
        else:
            d.add(_text(x1 + 4, y - 2.5, str(v)))


def pain_chart(days: Sequence[DayPoint], width: float, height: float) -> Drawing:
    """Daily worst (dots), 7-day average (line), daily range (band), runs (triangles)."""
    d = _drawing(width, height)
    y0 = BOTTOM + RUN_STRIP
    plot_h = height - y0 - LEGEND_H - 8
    x0, x1 = float(LEFT), width - RIGHT
    n = max(1, len(days))
    step = (x1 - x0) / n

    def x_of(i: int) -> float:
        return x0 + step * (i + 0.5)

    def y_of(v: float) -> float:
        return y0 + plot_h * v / PAIN_MAX

    _pain_axis(d, x0, x1, y0, plot_h, left=True)
    bar = max(0.8, min(step * 0.7, 6.0))
    for i, p in enumerate(days):
        if p.worst is not None and p.least is not None and p.worst > p.least:
            d.add(
                Rect(
                    x_of(i) - bar / 2,
                    y_of(p.least),
                    bar,
                    y_of(p.worst) - y_of(p.least),
                    fillColor=BAND,
                    strokeColor=None,
                )
            )
    segment: list[float] = []
    for i, q in enumerate([*days, None]):
        if q is not None and q.average7 is not None:
            segment += [x_of(i), y_of(q.average7)]
            continue
        if len(segment) >= 4:
            d.add(PolyLine(segment, strokeColor=AVERAGE, strokeWidth=1.6))
        segment = []
    dot = max(0.7, min(step * 0.3, 1.8))
    for i, p in enumerate(days):
        if p.worst is not None:
            d.add(Circle(x_of(i), y_of(p.worst), dot, fillColor=INK, strokeColor=None))
    # Runs: open triangles in a strip below the axis, so they never hide a pain dot.
    tri = max(1.2, min(step * 0.4, 3.0))
    for i, p in enumerate(days):
        if p.run_m > 0:
            cx, cy = x_of(i), y0 - RUN_STRIP / 2
            d.add(
                Polygon(
                    [cx - tri, cy - tri, cx + tri, cy - tri, cx, cy + tri],
                    fillColor=colors.white,
                    strokeColor=INK,
                    strokeWidth=0.6,
                )
            )
    d.add(Line(x0, y0, x1, y0, strokeColor=INK, strokeWidth=0.6))
    _date_ticks(d, days, x_of, y0 - RUN_STRIP, BOTTOM - 9)
    _legend(
        d,
        height - LEGEND_H / 2,
        [
            ("worst pain of the day", lambda d, x, y: d.add(Circle(x + 5, y, 1.8, fillColor=INK))),
            (
                "7-day average",
                lambda d, x, y: d.add(Line(x, y, x + 10, y, strokeColor=AVERAGE, strokeWidth=1.6)),
            ),
            (
                "range of the day (least to worst)",
                lambda d, x, y: d.add(Rect(x + 2, y - 4, 6, 8, fillColor=BAND, strokeColor=None)),
            ),
            (
                "run",
                lambda d, x, y: d.add(
                    Polygon(
                        [x + 2, y - 3, x + 8, y - 3, x + 5, y + 3],
                        fillColor=colors.white,
                        strokeColor=INK,
                        strokeWidth=0.6,
                    )
                ),
            ),
            ("no dot: nothing logged that day", lambda d, x, y: None),
        ],
    )
    return d


def _date_ticks(d: Drawing, days: Sequence[DayPoint], x_of: Any, top: float, y: float) -> None:
    """A date under every Monday, thinned so labels never touch."""
    mondays = [i for i, p in enumerate(days) if p.day.weekday() == 0]
    if not mondays and days:
        mondays = [0]
    every = 1
    while len(mondays) / every > 13:
        every += 1
    for i in mondays[::every]:
        d.add(Line(x_of(i), top, x_of(i), top - 3, strokeColor=INK, strokeWidth=0.5))
        d.add(_text(x_of(i), y, _day_label(days[i].day), anchor="middle"))


def weekly_chart(
    weeks: Sequence[WeekRow], unit: DistanceUnit, width: float, height: float
) -> Drawing:
    """Weekly distance as bars (left axis) with the week's average pain (right axis)."""
    d = _drawing(width, height)
    y0 = BOTTOM + 10.0
    plot_h = height - y0 - LEGEND_H - 10
    x0, x1 = float(LEFT), width - RIGHT
    n = max(1, len(weeks))
    step = (x1 - x0) / n
    most = max((unit.from_metres(w.distance_m) for w in weeks), default=0.0)
    top = _nice_top(most)
    for k in range(5):
        v = top * k / 4
        y = y0 + plot_h * k / 4
        d.add(Line(x0, y, x1, y, strokeColor=GRID, strokeWidth=0.4))
        d.add(_text(x0 - 4, y - 2.5, f"{v:.0f}", anchor="end"))
    d.add(_text(x0 - 4, y0 + plot_h + 6, unit.code, anchor="end"))
    _pain_axis(d, x0, x1, y0, plot_h, left=False)
    d.add(_text(x1 + 4, y0 + plot_h + 6, "pain"))
    points: list[int] = []
    for i, w in enumerate(weeks):
        km = unit.from_metres(w.distance_m)
        bx = x0 + step * i + step * 0.15
        if km > 0:
            d.add(
                Rect(
                    bx,
                    y0,
                    step * 0.7,
                    plot_h * km / top,
                    fillColor=BARS,
                    strokeColor=INK,
                    strokeWidth=0.5,
                )
            )
        d.add(_text(x0 + step * (i + 0.5), y0 - 10, _day_label(w.monday), anchor="middle"))
        if w.mean_pain is not None:
            points.append(i)
    d.add(Line(x0, y0, x1, y0, strokeColor=INK, strokeWidth=0.6))
    segment: list[float] = []
    for i, wk in enumerate([*weeks, None]):
        if wk is not None and wk.mean_pain is not None:
            segment += [x0 + step * (i + 0.5), y0 + plot_h * wk.mean_pain / PAIN_MAX]
            continue
        if len(segment) >= 4:
            d.add(PolyLine(segment, strokeColor=INK, strokeWidth=1.3, strokeDashArray=[3, 2]))
        segment = []
    for i in points:
        w = weeks[i]
        assert w.mean_pain is not None
        cx, cy = x0 + step * (i + 0.5), y0 + plot_h * w.mean_pain / PAIN_MAX
        d.add(Rect(cx - 2, cy - 2, 4, 4, fillColor=INK, strokeColor=None))
    d.add(_text(x0, 2, "weeks start on Monday"))
    _legend(
        d,
        height - LEGEND_H / 2,
        [
            (
                f"distance per week ({unit.code}, left)",
                lambda d, x, y: d.add(
                    Rect(x + 1, y - 4, 8, 8, fillColor=BARS, strokeColor=INK, strokeWidth=0.5)
                ),
            ),
            (
                "average daily worst pain (right)",
                lambda d, x, y: (
                    d.add(
                        Line(
                            x,
                            y,
                            x + 10,
                            y,
                            strokeColor=INK,
                            strokeWidth=1.3,
                            strokeDashArray=[3, 2],
                        )
                    ),
                    d.add(Rect(x + 3, y - 2, 4, 4, fillColor=INK, strokeColor=None)),
                ),
            ),
        ],
    )
    return d


def _nice_top(value: float) -> float:
    """The axis top: 4 steps of 1, 2, 2.5 or 5 times a power of ten above value."""
    if value <= 0:
        return 4.0
    scale = 1.0
    while value / scale > 40:
        scale *= 10
    while value / scale < 4:
        scale /= 10
    for quarter in (1, 2, 2.5, 5, 10):
        if quarter * scale * 4 >= value:
            return quarter * scale * 4
    return value


# The back outline (a runner seen from behind), in a 100 x 200 box: each region a
# rectangle (x, y, w, h) with y from the bottom; "saddle" sits below and between the buttocks.
_BODY: dict[str, tuple[float, float, float, float]] = {
    "upper_back": (28, 140, 44, 30),
    "lower_back_left": (28, 116, 14, 24),
    "lower_back_centre": (42, 116, 16, 24),
    "lower_back_right": (58, 116, 14, 24),
    "buttock_left": (28, 96, 21, 20),
    "buttock_right": (51, 96, 21, 20),
    "saddle": (47, 84, 6, 11),
    "thigh_left": (30, 58, 17, 36),
    "thigh_right": (53, 58, 17, 36),
    "below_knee_left": (31, 16, 15, 40),
    "below_knee_right": (54, 16, 15, 40),
    "foot_left": (27, 4, 19, 10),
    "foot_right": (54, 4, 19, 10),
}
# Shades by the share of pain days a region was marked on: darker is more often.
SHADES: tuple[tuple[float, float, str], ...] = (
    (0.10, 0.88, "under 10 % of pain days"),
    (0.25, 0.70, "10–25 %"),
    (0.50, 0.50, "25–50 %"),
    (1.01, 0.30, "over half"),
)


def _shade(share: float) -> float:
    return next(grey for limit, grey, _ in SHADES if share < limit)


def body_map(regions: Sequence[Count], pain_days: int, width: float, height: float) -> Drawing:
    """The regions on a back outline, shaded by how often they were marked, each with the
    average pain when it was (left and right as seen from behind: the runner's own)."""
    d = _drawing(width, height)
    scale = min((height - 10) / 200, (width * 0.5) / 100)
    ox, oy = 6.0, 4.0

    def box(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        return ox + x * scale, oy + y * scale, w * scale, h * scale

    # Head, neck and arms as an outline only.
    d.add(Circle(ox + 50 * scale, oy + 186 * scale, 11 * scale, fillColor=None, strokeColor=INK))
    for arm in (14, 74):
        d.add(Rect(*box(arm, 100, 12, 66), fillColor=None, strokeColor=GRID, strokeWidth=0.6))
    counts = {c.code: c for c in regions}
    for code, (x, y, w, h) in _BODY.items():
        c = counts.get(code)
        share = c.days / pain_days if c is not None and pain_days else 0.0
        fill = colors.white if c is None else colors.Color(*(_shade(share),) * 3)
        d.add(Rect(*box(x, y, w, h), fillColor=fill, strokeColor=INK, strokeWidth=0.6))
        if c is not None and c.mean_pain is not None:
            bx, by, bw, bh = box(x, y, w, h)
            ink = colors.white if _shade(share) < 0.6 else INK
            d.add(
                String(
                    bx + bw / 2,
                    by + bh / 2 - 2.5,
                    f"{c.mean_pain:.1f}",
                    fontName=FAMILY,
                    fontSize=LABEL_PT,
                    fillColor=ink,
                    textAnchor="middle",
                )
            )
    lx = ox + 100 * scale + 14
    ly = height - 14
    d.add(_text(lx, ly, "Shade: how often marked", size=7.5))
    for i, (_, grey, text) in enumerate(SHADES):
        y = ly - 14 - i * 13
        d.add(Rect(lx, y - 2, 12, 9, fillColor=colors.Color(grey, grey, grey), strokeColor=INK))
        d.add(_text(lx + 17, y, text))
    y = ly - 14 - len(SHADES) * 13 - 6
    d.add(Rect(lx, y - 2, 12, 9, fillColor=colors.white, strokeColor=INK))
    d.add(_text(lx + 17, y, "not marked"))
    d.add(_text(lx, y - 18, "Number: average pain (0–10)", size=7.5))
    d.add(_text(lx, y - 29, "when that region was marked."))
    d.add(_text(lx, y - 44, "Seen from behind: left is", size=7.5))
    d.add(_text(lx, y - 55, "the runner's left."))
    return d


ON_SHADE = colors.Color(0.82, 0.84, 0.87)  # an "on" phase: grey in black and white
OFF_SHADE = colors.white
BASELINE_SHADE = colors.Color(0.94, 0.94, 0.94)


def experiment_chart(result: ExperimentResult, width: float, height: float) -> Drawing:
    """An experiment's outcome by day: the phases shaded (on grey, off white, each named
    above), the days compared as dots, the wash-out days (left out) as open circles over a
    hatched strip, a day without an entry a gap."""
    d = _drawing(width, height)
    phases = result.experiment.plan.phases()
    first, last = phases[0].start, phases[-1].end
    n = (last - first).days + 1
    y0 = BOTTOM + 6
    plot_h = height - y0 - LEGEND_H - 18
    x0, x1 = float(LEFT), width - RIGHT
    step = (x1 - x0) / n

    def x_at(day: date) -> float:
        return x0 + step * (day - first).days

    def y_of(v: float) -> float:
        return y0 + plot_h * v / PAIN_MAX

    shades = {ON: ON_SHADE, OFF: OFF_SHADE, BASELINE: BASELINE_SHADE}
    for phase in phases:
        left, right = x_at(phase.start), x_at(phase.end) + step
        d.add(
            Rect(
                left,
                y0,
                right - left,
                plot_h,
                fillColor=shades[phase.arm],
                strokeColor=INK,
                strokeWidth=0.4,
            )
        )
        d.add(_text((left + right) / 2, y0 + plot_h + 3, phase.arm, anchor="middle"))
    _pain_axis(d, x0, x1, y0, plot_h, left=True)
    washout = [day for day in result.days if day.washout]
    for day in washout:  # a hatched strip along the bottom of each wash-out day
        left = x_at(day.day)
        for k in range(3):
            xa = left + step * k / 3
            d.add(Line(xa, y0, xa + step / 3, y0 + 5, strokeColor=INK, strokeWidth=0.4))
    dot = max(1.0, min(step * 0.3, 2.2))
    for day in result.days:
        if day.outcome is None:
            continue
        cx, cy = x_at(day.day) + step / 2, y_of(day.outcome)
        if day.washout or day.arm == BASELINE:
            d.add(Circle(cx, cy, dot, fillColor=colors.white, strokeColor=INK, strokeWidth=0.6))
        else:
            d.add(Circle(cx, cy, dot, fillColor=INK, strokeColor=None))
    for phase in phases:
        d.add(Line(x_at(phase.start), y0, x_at(phase.start), y0 - 3, strokeColor=INK))
        d.add(_text(x_at(phase.start), BOTTOM - 9, _day_label(phase.start), anchor="middle"))
    _legend(
        d,
        height - LEGEND_H / 2,
        [
            ("pain, compared", lambda d, x, y: d.add(Circle(x + 5, y, 1.8, fillColor=INK))),
            (
                "wash-out day (left out)",
                lambda d, x, y: d.add(
                    Circle(x + 5, y, 1.8, fillColor=colors.white, strokeColor=INK, strokeWidth=0.6)
                ),
            ),
            (
                "on phase",
                lambda d, x, y: d.add(
                    Rect(x, y - 4, 10, 8, fillColor=ON_SHADE, strokeColor=INK, strokeWidth=0.4)
                ),
            ),
            (
                "off phase",
                lambda d, x, y: d.add(
                    Rect(x, y - 4, 10, 8, fillColor=OFF_SHADE, strokeColor=INK, strokeWidth=0.4)
                ),
            ),
            ("no dot: nothing logged", lambda d, x, y: None),
        ],
    )
    return d
