# pytest-qt's QtBot helpers carry no type hints.
# mypy: disable-error-code="no-untyped-call"
"""The body map and the region picker: mouse, keyboard, sync with the list, rendering."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from backstride.core.vocab import REGIONS
from backstride.ui.widgets import body_map
from backstride.ui.widgets.body_map import BodyMap, RegionPicker

pytestmark = pytest.mark.gui

# The body from top to bottom: each band lies wholly above the next one.
BANDS = (
    ("upper_back",),
    ("lower_back_left", "lower_back_centre", "lower_back_right"),
    ("buttock_left", "buttock_right"),
    ("thigh_left", "thigh_right"),
    ("below_knee_left", "below_knee_right"),
    ("foot_left", "foot_right"),
)


@pytest.fixture
def bmap(qtbot: QtBot) -> BodyMap:
    widget = BodyMap()
    qtbot.addWidget(widget)
    widget.resize(220, 440)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def picker(qtbot: QtBot) -> RegionPicker:
    widget = RegionPicker()
    qtbot.addWidget(widget)
    widget.resize(480, 440)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def centre(widget: BodyMap, code: str) -> QPoint:
    return widget.regionRect(code).center().toPoint()


def pixel(widget: QWidget, point: QPoint) -> QColor:
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


@pytest.mark.parametrize("size", [(220, 440), (600, 500), (130, 600)])
def test_clicking_the_centre_of_each_region_toggles_exactly_that_region(
    qtbot: QtBot, bmap: BodyMap, size: tuple[int, int]
) -> None:
    bmap.resize(*size)
    for code in REGIONS:
        point = centre(bmap, code)
        assert bmap.regionAt(QPointF(point)) == code
        with qtbot.waitSignal(bmap.regionsChanged) as on:
            qtbot.mouseClick(bmap, Qt.MouseButton.LeftButton, pos=point)
        assert on.args == [(code,)]
        assert bmap.regions() == (code,)
        qtbot.mouseClick(bmap, Qt.MouseButton.LeftButton, pos=point)
        assert bmap.regions() == ()


def test_clicks_add_up_and_come_back_in_vocabulary_order(qtbot: QtBot, bmap: BodyMap) -> None:
    for code in ("saddle", "foot_right", "upper_back"):
        qtbot.mouseClick(bmap, Qt.MouseButton.LeftButton, pos=centre(bmap, code))
    assert bmap.regions() == ("upper_back", "foot_right", "saddle")


def test_clicks_off_the_regions_change_nothing(qtbot: QtBot, bmap: BodyMap) -> None:
    head = QPoint(bmap.width() // 2, round(bmap.height() * 30 / 440))
    corner = QPoint(3, 3)
    arm = QPoint(round(bmap.width() / 2 + 58), round(bmap.height() * 170 / 440))
    for point in (head, corner, arm):
        assert bmap.regionAt(QPointF(point)) is None
        with qtbot.assertNotEmitted(bmap.regionsChanged):
            qtbot.mouseClick(bmap, Qt.MouseButton.LeftButton, pos=point)
    assert bmap.regions() == ()


def test_regions_sit_where_a_back_view_puts_them(bmap: BodyMap) -> None:
    mid = bmap.width() / 2
    for code in REGIONS:
        x = bmap.regionRect(code).center().x()
        if code.endswith("_left"):  # back view: the person's left is on the viewer's left
            assert x < mid - 5, code
        elif code.endswith("_right"):
            assert x > mid + 5, code
        else:
            assert abs(x - mid) < 1, code
    for upper, lower in itertools.pairwise(BANDS):
        for a in upper:
            for b in lower:
                # the gluteal fold curves, so compare centres, and tops for a clear order
                assert bmap.regionRect(a).center().y() < bmap.regionRect(b).center().y(), (a, b)
                assert bmap.regionRect(a).top() < bmap.regionRect(b).top(), (a, b)
    saddle = bmap.regionRect("saddle")
    assert bmap.regionRect("buttock_left").top() < saddle.center().y()
    assert saddle.center().y() < bmap.regionRect("thigh_left").bottom()


def test_regions_do_not_overlap(bmap: BodyMap) -> None:
    codes = list(REGIONS)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            common = bmap.regionPath(a).intersected(bmap.regionPath(b)).boundingRect()
            assert common.width() * common.height() < 1.0, (a, b)


def test_the_figure_keeps_its_aspect_ratio(bmap: BodyMap) -> None:
    bmap.resize(220, 440)
    tall = bmap.regionRect("upper_back")
    bmap.resize(660, 440)  # wider only: the figure must not stretch sideways
    wide = bmap.regionRect("upper_back")
    assert wide.width() == pytest.approx(tall.width(), abs=0.5)
    assert wide.height() == pytest.approx(tall.height(), abs=0.5)
    bmap.resize(440, 880)
    double = bmap.regionRect("upper_back")
    assert double.width() == pytest.approx(2 * tall.width(), abs=0.5)


def test_size_hints(bmap: BodyMap) -> None:
    assert (bmap.sizeHint().width(), bmap.sizeHint().height()) == (220, 440)
    minimum = bmap.minimumSizeHint()
    assert 0 < minimum.width() < 220 and 0 < minimum.height() < 440


def test_set_regions_emits_once_and_only_on_change(qtbot: QtBot, bmap: BodyMap) -> None:
    seen: list[tuple[str, ...]] = []
    bmap.regionsChanged.connect(seen.append)
    bmap.setRegions(["saddle", "foot_right", "upper_back", "thigh_left"])
    assert seen == [("upper_back", "thigh_left", "foot_right", "saddle")]
    bmap.setRegions(("thigh_left", "saddle", "upper_back", "foot_right"))
    assert len(seen) == 1
    bmap.clear()
    assert seen[-1] == () and len(seen) == 2
    bmap.clear()
    assert len(seen) == 2


def test_unknown_region_codes_are_refused_with_the_valid_ones_named(bmap: BodyMap) -> None:
    with pytest.raises(ValueError, match=r"'lower_back_middle'.*lower_back_centre"):
        bmap.setRegions(["upper_back", "lower_back_middle"])
    assert bmap.regions() == ()


def test_keyboard_only_selection(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    before = QLineEdit(window)
    bmap = BodyMap(window)
    layout = QVBoxLayout(window)
    layout.addWidget(before)
    layout.addWidget(bmap)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)

    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(bmap.hasFocus)
    assert bmap.currentRegion() == "upper_back"
    qtbot.keyClick(bmap, Qt.Key.Key_Down)
    qtbot.keyClick(bmap, Qt.Key.Key_Left)
    assert bmap.currentRegion() == "lower_back_left"
    qtbot.keyClick(bmap, Qt.Key.Key_Space)
    assert bmap.regions() == ("lower_back_left",)
    qtbot.keyClick(bmap, Qt.Key.Key_Down)
    qtbot.keyClick(bmap, Qt.Key.Key_Right)
    assert bmap.currentRegion() == "saddle"
    qtbot.keyClick(bmap, Qt.Key.Key_Return)
    assert bmap.regions() == ("lower_back_left", "saddle")
    qtbot.keyClick(bmap, Qt.Key.Key_Up)
    qtbot.keyClick(bmap, Qt.Key.Key_Left)
    qtbot.keyClick(bmap, Qt.Key.Key_Space)
    assert bmap.regions() == ("saddle",)
    qtbot.keyClick(bmap, Qt.Key.Key_Up)
    qtbot.keyClick(bmap, Qt.Key.Key_Up)  # nothing above the upper back: stays put
    assert bmap.currentRegion() == "upper_back"


def test_arrow_keys_reach_every_region(qtbot: QtBot, bmap: BodyMap) -> None:
    keys = {"U": Qt.Key.Key_Up, "D": Qt.Key.Key_Down, "L": Qt.Key.Key_Left, "R": Qt.Key.Key_Right}
    visited = {bmap.currentRegion()}
    for letter in "DLRRDLLDRDLDR":
        qtbot.keyClick(bmap, keys[letter])
        visited.add(bmap.currentRegion())
    assert visited == set(REGIONS)
    assert bmap.regions() == ()  # moving never toggles


def test_arrow_directions_match_the_picture(bmap: BodyMap) -> None:
    assert set(body_map._NEIGHBOURS) == set(REGIONS)
    for code, (up, down, left, right) in body_map._NEIGHBOURS.items():
        here = bmap.regionRect(code).center()
        if up:
            assert bmap.regionRect(up).center().y() < here.y(), (code, up)
        if down:
            assert bmap.regionRect(down).center().y() > here.y(), (code, down)
        if left:
            assert bmap.regionRect(left).center().x() < here.x(), (code, left)
        if right:
            assert bmap.regionRect(right).center().x() > here.x(), (code, right)


def test_selection_and_hover_are_drawn(qtbot: QtBot, bmap: BodyMap) -> None:
    left, right = centre(bmap, "thigh_left"), centre(bmap, "thigh_right")
    idle = pixel(bmap, right)
    bmap.setRegions(["thigh_left"])
    assert pixel(bmap, left) == body_map._SELECTED
    assert pixel(bmap, right) == idle
    qtbot.mouseMove(bmap, right)
    qtbot.waitUntil(lambda: pixel(bmap, right) == body_map._REGION_HOVER)
    qtbot.mouseMove(bmap, left)
    qtbot.waitUntil(lambda: pixel(bmap, left) == body_map._SELECTED_HOVER)
    assert pixel(bmap, right) == idle


# The offscreen platform cannot raise the tooltip window and says so.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_tooltip_names_the_region(bmap: BodyMap) -> None:
    point = centre(bmap, "buttock_left")
    event = QHelpEvent(QEvent.Type.ToolTip, point, bmap.mapToGlobal(point))
    QApplication.sendEvent(bmap, event)
    assert QToolTip.text() == "Left buttock (not selected)"
    QToolTip.hideText()


def test_accessible_name_and_description(bmap: BodyMap) -> None:
    assert bmap.accessibleName()
    assert "Selected: none" in bmap.accessibleDescription()
    bmap.setRegions(["foot_left", "saddle"])
    assert "Selected: Left foot, Saddle area (between the legs)." in bmap.accessibleDescription()
    assert bmap.focusPolicy() == Qt.FocusPolicy.StrongFocus


def list_checked(picker: RegionPicker) -> tuple[str, ...]:
    items = [picker.list.item(row) for row in range(picker.list.count())]
    return tuple(
        i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked
    )


def test_the_list_has_one_labelled_checkable_item_per_region(picker: RegionPicker) -> None:
    items = [picker.list.item(row) for row in range(picker.list.count())]
    assert [i.text() for i in items] == list(REGIONS.values())
    assert [i.data(Qt.ItemDataRole.UserRole) for i in items] == list(REGIONS)
    assert all(i.flags() & Qt.ItemFlag.ItemIsUserCheckable for i in items)
    assert picker.list.accessibleName()
    assert picker.list.height() >= picker.list.sizeHint().height()  # all 13 rows visible


def test_map_clicks_tick_the_list(qtbot: QtBot, picker: RegionPicker) -> None:
    seen: list[tuple[str, ...]] = []
    picker.regionsChanged.connect(seen.append)
    qtbot.mouseClick(
        picker.map, Qt.MouseButton.LeftButton, pos=centre(picker.map, "below_knee_right")
    )
    assert list_checked(picker) == ("below_knee_right",)
    assert picker.regions() == ("below_knee_right",)
    assert seen == [("below_knee_right",)]


def test_list_ticks_select_on_the_map(qtbot: QtBot, picker: RegionPicker) -> None:
    seen: list[tuple[str, ...]] = []
    picker.regionsChanged.connect(seen.append)
    picker.list.item(list(REGIONS).index("buttock_left")).setCheckState(Qt.CheckState.Checked)
    assert picker.map.regions() == ("buttock_left",)
    assert seen == [("buttock_left",)]
    picker.list.item(list(REGIONS).index("buttock_left")).setCheckState(Qt.CheckState.Unchecked)
    assert picker.map.regions() == ()
    assert seen == [("buttock_left",), ()]


def test_keyboard_ticks_in_the_list(qtbot: QtBot, picker: RegionPicker) -> None:
    picker.activateWindow()
    picker.map.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(picker.map.hasFocus)
    qtbot.keyClick(picker.map, Qt.Key.Key_Tab)
    qtbot.waitUntil(picker.list.hasFocus)
    picker.list.setCurrentRow(0)
    for _ in range(list(REGIONS).index("lower_back_right")):
        qtbot.keyClick(picker.list, Qt.Key.Key_Down)
    qtbot.keyClick(picker.list, Qt.Key.Key_Space)
    assert picker.regions() == ("lower_back_right",)
    assert picker.map.regions() == ("lower_back_right",)


def test_picker_set_regions_emits_once_and_syncs_both(picker: RegionPicker) -> None:
    seen: list[tuple[str, ...]] = []
    picker.regionsChanged.connect(seen.append)
    picker.setRegions(["foot_left", "upper_back", "lower_back_centre"])
    assert seen == [("upper_back", "lower_back_centre", "foot_left")]
    assert list_checked(picker) == ("upper_back", "lower_back_centre", "foot_left")
    picker.setRegions(["upper_back", "lower_back_centre", "foot_left"])
    assert len(seen) == 1
    picker.clear()
    assert seen[-1] == () and list_checked(picker) == ()


def test_renders_to_png(tmp_path: Path, picker: RegionPicker) -> None:
    picker.setRegions(["lower_back_centre", "buttock_right", "thigh_right"])
    target = tmp_path / "picker.png"
    assert picker.grab().save(str(target))
    image = QImage(str(target))
    assert not image.isNull() and image.width() >= 400
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert QColor(body_map._SELECTED).rgb() in colours
