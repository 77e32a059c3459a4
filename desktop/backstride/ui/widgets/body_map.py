"""A clickable back-view body chart, and the picker that pairs it with a checkable list.

The figure is drawn from QPainterPaths built here (no image files), in a fixed logical
canvas that is scaled to the widget with its aspect ratio kept. It is a BACK view: the
person's left is on the viewer's left, so every "_left" region sits at negative x.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolTip,
    QWidget,
)

from backstride.core.vocab import REGIONS, unknown_codes

# Logical canvas; the figure's centre line is x = 0 (CANVAS_LEFT .. -CANVAS_LEFT).
CANVAS_W = 220.0
CANVAS_H = 440.0
_CANVAS_LEFT = -CANVAS_W / 2

# Right half of the silhouette (viewer's right), from the neck down the arm, up the
# inner arm, down the trunk and leg, round the heel and up the inner leg to the crotch.
# (x, y, corner): a corner point gets a sharp join instead of a smooth curve.
_RIGHT_HALF: tuple[tuple[float, float, bool], ...] = (
    (9.0, 52.0, True),
    (10.0, 66.0, False),
    (15.0, 75.0, False),
    (30.0, 81.0, False),
    (45.0, 86.0, False),
    (53.0, 96.0, False),
    (56.0, 116.0, False),
    (57.5, 148.0, False),
    (61.0, 185.0, False),
    (63.0, 220.0, False),
    (66.5, 238.0, False),
    (65.0, 256.0, False),
    (60.0, 262.0, False),
    (55.5, 250.0, False),
    (54.0, 228.0, False),
    (50.5, 190.0, False),
    (47.0, 154.0, False),
    (44.0, 128.0, False),
    (40.5, 113.0, True),
    (39.0, 124.0, False),
    (37.5, 150.0, False),
    (34.0, 176.0, False),
    (37.0, 199.0, False),
    (43.5, 221.0, False),
    (45.0, 240.0, False),
    (43.0, 272.0, False),
    (38.5, 306.0, False),
    (33.5, 331.0, False),
    (36.0, 352.0, False),
    (31.0, 376.0, False),
    (22.5, 394.0, False),
    (24.5, 402.0, False),
    (25.5, 415.0, False),
    (26.5, 425.0, False),
    (21.0, 431.5, False),
    (11.0, 431.5, False),
    (7.0, 427.0, False),
    (6.5, 414.0, False),
    (6.8, 401.0, False),
    (8.5, 390.0, False),
    (8.0, 370.0, False),
    (7.5, 348.0, False),
    (6.5, 331.0, False),
    (5.0, 300.0, False),
    (2.5, 262.0, False),
    (0.0, 250.0, True),
)
_HEAD = QRectF(-19.0, 8.0, 38.0, 50.0)

# Boundaries between regions (y in canvas units), chosen to match a physiotherapy body chart:
# the upper back ends at the lower ribs, the lower back at the iliac crests, the buttock
# at the gluteal fold, the thigh at the knee crease and the leg at the ankle.
_NECK_BASE = 72.0
_RIBS = 158.0
_ILIAC = 201.0
_KNEE = 331.0
_ANKLE = 400.0
_TRUNK_HALF = 40.5  # the line between the upper back and the shoulder/arm
_SPINE_HALF = 11.0  # half-width of the "centre" strip of the lower back
_HIP_HALF = 49.0  # stays inside the gap between the hips and the hands

# Keyboard navigation: (up, down, left, right) for each region, left/right as the VIEWER
# sees them, which in a back view is also the person's left/right.
_NEIGHBOURS: dict[str, tuple[str | None, str | None, str | None, str | None]] = {
    "upper_back": (None, "lower_back_centre", "lower_back_left", "lower_back_right"),
    "lower_back_left": ("upper_back", "buttock_left", None, "lower_back_centre"),
    "lower_back_centre": ("upper_back", "saddle", "lower_back_left", "lower_back_right"),
    "lower_back_right": ("upper_back", "buttock_right", "lower_back_centre", None),
    "buttock_left": ("lower_back_left", "thigh_left", None, "saddle"),
    "saddle": ("lower_back_centre", "thigh_left", "buttock_left", "buttock_right"),
    "buttock_right": ("lower_back_right", "thigh_right", "saddle", None),
    "thigh_left": ("buttock_left", "below_knee_left", None, "thigh_right"),
    "thigh_right": ("buttock_right", "below_knee_right", "thigh_left", None),
    "below_knee_left": ("thigh_left", "foot_left", None, "below_knee_right"),
    "below_knee_right": ("thigh_right", "foot_right", "below_knee_left", None),
    "foot_left": ("below_knee_left", None, None, "foot_right"),
    "foot_right": ("below_knee_right", None, "foot_left", None),
}
_ARROWS = {Qt.Key.Key_Up: 0, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: 2, Qt.Key.Key_Right: 3}
_KEYBOARD_FOCUS = {
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
}
_TOGGLE_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select}

# Colours: a neutral figure, lighter clickable regions, and one warm accent for "it hurts
# here". Fixed rather than palette-derived so the chart reads the same in every theme.
_SKIN = QColor("#dde2e8")
_REGION_IDLE = QColor("#f5f7f9")
_REGION_HOVER = QColor("#fbd3bd")
_SELECTED = QColor("#e0531f")
_SELECTED_HOVER = QColor("#bf3f12")
_REGION_EDGE = QColor("#b3bcc7")
_DETAIL = QColor("#9aa4b1")
_DETAIL_ON_SELECTED = QColor(255, 255, 255, 150)
_OUTLINE = QColor("#485262")
_SIDE_LABEL_SIZE = 0.9  # the L and R labels, relative to the widget's (the system's) font


def _check_codes(codes: Iterable[str]) -> tuple[str, ...]:
    codes = tuple(codes)
    unknown = unknown_codes(codes, REGIONS)
    if unknown:
        raise ValueError(
            f"Unknown body region code(s): {', '.join(map(repr, unknown))}. "
            f"Use one of: {', '.join(REGIONS)}."
        )
    return tuple(c for c in REGIONS if c in set(codes))


def _smooth(points: Sequence[tuple[float, float, bool]]) -> QPainterPath:
    """A closed Catmull-Rom curve through the points (sharp at corner points)."""
    n = len(points)
    pts = [QPointF(x, y) for x, y, _ in points]
    path = QPainterPath(pts[0])
    for i in range(n):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[(i + 1) % n], pts[(i + 2) % n]
        c1 = p1 + (p2 - p0) / 6 if not points[i][2] else p1 + (p2 - p1) / 3
        c2 = p2 - (p3 - p1) / 6 if not points[(i + 1) % n][2] else p2 - (p2 - p1) / 3
        path.cubicTo(c1, c2, p2)
    path.closeSubpath()
    return path


def _rect(x0: float, y0: float, x1: float, y1: float) -> QPainterPath:
    path = QPainterPath()
    path.addRect(QRectF(QPointF(x0, y0), QPointF(x1, y1)))
    return path


def _gluteal_fold(side: int) -> QPainterPath:
    """The area above the fold under one buttock (side -1 = viewer's left, +1 = right)."""
    path = QPainterPath(QPointF(0.0, _ILIAC))
    path.lineTo(side * _HIP_HALF, _ILIAC)
    path.lineTo(side * _HIP_HALF, 250.0)
    path.cubicTo(side * 36.0, 262.0, side * 14.0, 264.0, side * 2.0, 257.0)
    path.lineTo(0.0, 257.0)
    path.closeSubpath()
    return path


@cache
def _geometry() -> tuple[QPainterPath, QPainterPath, dict[str, QPainterPath]]:
    """(trunk and limbs, head, region paths) in canvas units; built once."""
    right = list(_RIGHT_HALF)
    left = [(-x, y, corner) for x, y, corner in reversed(right[:-1])]
    body = _smooth(right + left[:-1] + [(-right[0][0], right[0][1], True)])
    head = QPainterPath()
    head.addEllipse(_HEAD)
    for s in (-1, 1):
        ear = QPainterPath()
        ear.addEllipse(QPointF(s * 18.5, 35.0), 3.6, 7.0)
        head = head.united(ear)

    # A teardrop from the lower end of the buttock cleft over the crotch onto the inner
    # upper thighs: the "saddle" a rider's seat would touch.
    saddle_shape = QPainterPath(QPointF(0.0, 226.0))
    saddle_shape.cubicTo(4.0, 236.0, 12.0, 246.0, 11.0, 256.0)
    saddle_shape.cubicTo(10.0, 266.0, -10.0, 266.0, -11.0, 256.0)
    saddle_shape.cubicTo(-12.0, 246.0, -4.0, 236.0, 0.0, 226.0)
    saddle_shape.closeSubpath()
    saddle = body.intersected(saddle_shape)

    def part(shape: QPainterPath) -> QPainterPath:
        return body.intersected(shape).subtracted(saddle_shape).simplified()

    regions: dict[str, QPainterPath] = {}
    regions["upper_back"] = part(_rect(-_TRUNK_HALF, _NECK_BASE, _TRUNK_HALF, _RIBS))
    regions["lower_back_left"] = part(_rect(-_TRUNK_HALF, _RIBS, -_SPINE_HALF, _ILIAC))
    regions["lower_back_centre"] = part(_rect(-_SPINE_HALF, _RIBS, _SPINE_HALF, _ILIAC))
    regions["lower_back_right"] = part(_rect(_SPINE_HALF, _RIBS, _TRUNK_HALF, _ILIAC))
    for side, name in ((-1, "left"), (1, "right")):
        fold = _gluteal_fold(side)
        regions[f"buttock_{name}"] = part(fold)
        regions[f"thigh_{name}"] = part(
            _rect(0.0, _ILIAC, side * _HIP_HALF, _KNEE).subtracted(fold)
        )
        regions[f"below_knee_{name}"] = part(_rect(0.0, _KNEE, side * _HIP_HALF, _ANKLE))
        regions[f"foot_{name}"] = part(_rect(0.0, _ANKLE, side * _HIP_HALF, CANVAS_H))
    regions["saddle"] = saddle.simplified()
    return body, head, {code: regions[code] for code in REGIONS}


@cache
def _details() -> QPainterPath:
    """Anatomical hints drawn as thin lines: the spine, shoulder blades and buttock cleft."""
    path = QPainterPath()
    path.moveTo(0.0, 80.0)
    path.lineTo(0.0, 218.0)
    path.moveTo(0.0, 218.0)
    path.cubicTo(0.0, 232.0, 0.5, 240.0, 0.0, 247.0)
    for s in (-1, 1):
        # shoulder blade: the inner edge and the spine of the scapula
        path.moveTo(s * 12.0, 98.0)
        path.cubicTo(s * 11.0, 115.0, s * 14.0, 130.0, s * 24.0, 140.0)
        path.moveTo(s * 13.0, 101.0)
        path.cubicTo(s * 20.0, 97.0, s * 28.0, 95.0, s * 36.0, 96.0)
    return path


class BodyMap(QWidget):
    """Back view of a person; click or use the keyboard to select the regions that hurt.

    Keys: arrows move the focus ring between regions (left/right as seen on screen),
    Space or Enter toggles the region under the ring.
    """

    regionsChanged = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selected: frozenset[str] = frozenset()
        self._hover: str | None = None
        self._current = next(iter(REGIONS))
        self._keyboard_ring = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Body map, back view")
        self._update_description()

    # --- public API -------------------------------------------------------------------

    def regions(self) -> tuple[str, ...]:
        """The selected region codes, in REGIONS order."""
        return tuple(c for c in REGIONS if c in self._selected)

    def setRegions(self, codes: Iterable[str]) -> None:
        """Replace the selection; emits regionsChanged once, and only if it changed."""
        self._set(frozenset(_check_codes(codes)))

    def clear(self) -> None:
        self._set(frozenset())

    def toggleRegion(self, code: str) -> None:
        _check_codes((code,))
        self._set(self._selected ^ {code})

    def currentRegion(self) -> str:
        """The region under the keyboard focus ring."""
        return self._current

    def regionAt(self, pos: QPointF | QPoint) -> str | None:
        """The region at a point in widget coordinates, or None."""
        inverse, ok = self._transform().inverted()
        if not ok:
            return None
        p = inverse.map(QPointF(pos))
        for code, path in _geometry()[2].items():
            if path.contains(p):
                return code
        return None

    def regionPath(self, code: str) -> QPainterPath:
        """A region's outline in widget coordinates."""
        _check_codes((code,))
        return self._transform().map(_geometry()[2][code])

    def regionRect(self, code: str) -> QRectF:
        """The bounding box of a region in widget coordinates (its centre lies inside it)."""
        return self.regionPath(code).boundingRect()

    # --- sizing -----------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(220, 440)

    def minimumSizeHint(self) -> QSize:
        return QSize(110, 220)

    # --- internals --------------------------------------------------------------------

    def _set(self, selected: frozenset[str]) -> None:
        if selected == self._selected:
            return
        self._selected = selected
        self._update_description()
        self.update()
        self.regionsChanged.emit(self.regions())

    def _update_description(self) -> None:
        chosen = ", ".join(REGIONS[c] for c in self.regions()) or "none"
        self.setAccessibleDescription(
            "Back view: the person's left is on your left. Arrow keys move between "
            f"regions, Space toggles one. Selected: {chosen}."
        )

    def _transform(self) -> QTransform:
        scale = min(self.width() / CANVAS_W, self.height() / CANVAS_H)
        dx = (self.width() - CANVAS_W * scale) / 2
        dy = (self.height() - CANVAS_H * scale) / 2
        return QTransform(scale, 0, 0, scale, dx - _CANVAS_LEFT * scale, dy)

    def _label(self, code: str) -> str:
        state = "selected" if code in self._selected else "not selected"
        return f"{REGIONS[code]} ({state})"

    # --- events -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        body, head, regions = _geometry()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setTransform(self._transform())

        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(_SKIN)
        p.drawPath(body)
        p.drawPath(head)

        edge = QPen(_REGION_EDGE, 0.9)
        for code, path in regions.items():
            selected = code in self._selected
            if selected:
                fill = _SELECTED_HOVER if code == self._hover else _SELECTED
            else:
                fill = _REGION_HOVER if code == self._hover else _REGION_IDLE
            p.setBrush(fill)
            p.setPen(edge)
            p.drawPath(path)

        # Anatomical hints, lighter over selected regions so they stay visible there.
        details = _details()
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(_DETAIL, 0.9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawPath(details)
        for code in self._selected:
            p.save()
            p.setClipPath(regions[code])
            p.setPen(QPen(_DETAIL_ON_SELECTED, 0.9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawPath(details)
            p.restore()

        outline = QPen(_OUTLINE, 1.5)
        outline.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(outline)
        p.drawPath(body.united(head))

        if self.hasFocus() and self._keyboard_ring:
            # A dark halo under the highlight ring: the ring stays visible on an idle
            # (pale) region and on a selected (orange) one alike.
            p.setBrush(QBrush())
            for colour, width in ((_OUTLINE, 4.6), (self.palette().highlight().color(), 2.6)):
                ring = QPen(colour, width)
                ring.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                p.setPen(ring)
                p.drawPath(regions[self._current])

        # Side labels: a back view is easy to mirror by mistake.
        # The labels are as tall on screen as the widget's own font (the system's size),
        # whatever the figure's scale.
        font = QFont(self.font())
        scale = self._transform().m11()
        if scale > 0 and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * _SIDE_LABEL_SIZE / scale)
        font.setBold(True)
        p.setFont(font)
        p.setPen(self.palette().placeholderText().color())
        for text, x in (("L", -52.0), ("R", 52.0)):
            p.drawText(
                QRectF(x - 10, 410, 20, 20),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextDontClip,
                text,
            )
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        code = self.regionAt(event.position())
        if code is None:
            super().mousePressEvent(event)
            return
        self._current = code
        self._keyboard_ring = False
        self.toggleRegion(code)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        code = self.regionAt(event.position())
        if code != self._hover:
            self._hover = code
            if code is None:
                self.unsetCursor()
            else:
                self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.unsetCursor()
            self.update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in _ARROWS:
            target = _NEIGHBOURS[self._current][_ARROWS[key]]
            if target is not None:
                self._current = target
            self._keyboard_ring = True
            self.update()
            event.accept()
        elif key in _TOGGLE_KEYS:
            self._keyboard_ring = True
            self.toggleRegion(self._current)
            event.accept()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if event.reason() in _KEYBOARD_FOCUS:
            self._keyboard_ring = True
        elif event.reason() == Qt.FocusReason.MouseFocusReason:
            self._keyboard_ring = False
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            code = self.regionAt(QPointF(event.pos()))
            if code is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self._label(code), self)
            return True
        return super().event(event)


class _RegionList(QListWidget):
    """The checkable list, sized to show every region without scrolling."""

    def sizeHint(self) -> QSize:
        frame = 2 * self.frameWidth()
        rows = sum(self.sizeHintForRow(r) for r in range(self.count()))
        return QSize(self.sizeHintForColumn(0) + frame + 8, rows + frame)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class RegionPicker(QWidget):
    """The body map beside an equivalent checkable list, kept in sync both ways."""

    regionsChanged = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map = BodyMap(self)
        self.list = _RegionList(self)
        self.list.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setAccessibleName("Body regions")
        self.list.setAccessibleDescription(
            "Tick every region where you feel the pain. Space ticks or unticks."
        )
        self.list.setUniformItemSizes(True)
        for code, label in REGIONS.items():
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Unchecked)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.map, 1)
        layout.addWidget(self.list, 0, Qt.AlignmentFlag.AlignTop)
        QWidget.setTabOrder(self.map, self.list)
        self.setFocusProxy(self.map)

        self.map.regionsChanged.connect(self._from_map)
        self.list.itemChanged.connect(self._from_list)

    def regions(self) -> tuple[str, ...]:
        return self.map.regions()

    def setRegions(self, codes: Iterable[str]) -> None:
        """Replace the selection; emits regionsChanged once, and only if it changed."""
        self.map.setRegions(codes)

    def clear(self) -> None:
        self.map.clear()

    def _from_map(self, regions: tuple[str, ...]) -> None:
        chosen = set(regions)
        self.list.blockSignals(True)
        try:
            for row in range(self.list.count()):
                item = self.list.item(row)
                code = item.data(Qt.ItemDataRole.UserRole)
                state = Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked
                if item.checkState() != state:
                    item.setCheckState(state)
        finally:
            self.list.blockSignals(False)
        self.list.viewport().update()
        self.regionsChanged.emit(regions)

    def _from_list(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        checked = item.checkState() == Qt.CheckState.Checked
        if checked != (code in self.map.regions()):
            self.map.toggleRegion(code)
