"""The colour scale for 0-10 pain intensity shared by the calendar, its legend and charts."""

from __future__ import annotations

from PySide6.QtGui import QColor

from backstride.core.vocab import INTENSITY_ANCHORS

PAIN_MIN = 0
PAIN_MAX = 10

# 0 is a calm green ("logged, no pain"), then yellow and orange up to a deep red at 10.
# From 2 upwards each step is darker than the one before, so the order survives greyscale
# printing; the calendar also writes the number, since 0 and 4 are alike in grey.
_SCALE = (
    "#a9dc9b",
    "#d9eca0",
    "#f3ec8f",
    "#fbdc6d",
    "#fcc25a",
    "#f9a54a",
    "#f2843d",
    "#e35f33",
    "#cc3d2b",
    "#a82423",
    "#7a1019",
)

DARK_TEXT = QColor("#1b1b1b")
LIGHT_TEXT = QColor("#ffffff")

NO_PAIN_LABEL = INTENSITY_ANCHORS[str(PAIN_MIN)]
WORST_PAIN_LABEL = INTENSITY_ANCHORS[str(PAIN_MAX)]


def check_intensity(intensity: object) -> int:
    """The intensity as an int, or ValueError saying what a valid one is."""
    if isinstance(intensity, bool) or not isinstance(intensity, int):
        raise ValueError(f"Pain intensity must be a whole number from 0 to 10, not {intensity!r}.")
    if not PAIN_MIN <= intensity <= PAIN_MAX:
        raise ValueError(f"Pain intensity must be from 0 to 10, not {intensity}.")
    return intensity


def pain_color(intensity: int) -> QColor:
    """The fill colour for a 0-10 pain intensity."""
    return QColor(_SCALE[check_intensity(intensity)])


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black .. 1 white)."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    return (
        0.2126 * linear(color.redF())
        + 0.7152 * linear(color.greenF())
        + 0.0722 * linear(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 .. 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# A graphic object needs 3:1 against what surrounds it (WCAG 2.1, 1.4.11 non-text contrast).
NON_TEXT_CONTRAST = 3.0


def pain_edge(fill: QColor, background: QColor) -> QColor | None:
    """The outline a pain-coloured cell needs to stand out from the background, or None.

    The scale runs from pale to deep (so it survives greyscale), so no single background
    contrasts with every step: pale steps on a light background and deep ones on a dark
    background get a dark or light outline that contrasts with both the fill and the
    background.
    """
    if contrast_ratio(fill, background) >= NON_TEXT_CONTRAST:
        return None
    return max(
        (QColor(DARK_TEXT), QColor(LIGHT_TEXT)),
        key=lambda edge: min(contrast_ratio(edge, fill), contrast_ratio(edge, background)),
    )


def text_color_for(background: QColor) -> QColor:
    """Dark or light text, whichever contrasts more with the background."""
    if contrast_ratio(background, DARK_TEXT) >= contrast_ratio(background, LIGHT_TEXT):
        return QColor(DARK_TEXT)
    return QColor(LIGHT_TEXT)
