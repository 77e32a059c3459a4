"""WCAG 2 contrast of both schemes (ui/theme.py): text on its background at least 4.5:1
(1.4.3), chart lines, marks and the pain colours against the chart background at least 3:1
(1.4.11). A pain colour too close to the background gets an outline that reaches 3:1
against both."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from backstride.ui.theme import CHART_LINES, DARK, LIGHT, Scheme, color
from backstride.ui.widgets.pain_colors import (
    NON_TEXT_CONTRAST,
    PAIN_MAX,
    PAIN_MIN,
    contrast_ratio,
    pain_color,
    pain_edge,
    text_color_for,
)

TEXT = 4.5
SCHEMES = pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)

# (text, background) pairs of the widget palette that carry words.
TEXT_PAIRS = (
    ("window_text", "window"),
    ("text", "base"),
    ("text", "alternate_base"),
    ("button_text", "button"),
    ("placeholder", "base"),
    ("placeholder", "window"),
    ("highlighted_text", "highlight"),
    ("link", "base"),
    ("link_visited", "base"),
    ("tooltip_text", "tooltip_base"),
    ("chart_text", "chart_background"),
    ("error_text", "window"),
    ("error_text", "base"),
    ("window_text", "alert_background"),
    ("link", "alert_background"),
    ("window_text", "notice_background"),
    ("text", "notice_background"),
)


def ratio(scheme: Scheme, a: str, b: str) -> float:
    return contrast_ratio(color(getattr(scheme, a)), color(getattr(scheme, b)))


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


@SCHEMES
@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_text_reaches_4_5_to_1(scheme: Scheme, fg: str, bg: str) -> None:
    assert ratio(scheme, fg, bg) >= TEXT, f"{scheme.name}: {fg} on {bg}"


@SCHEMES
@pytest.mark.parametrize("line", CHART_LINES)
def test_chart_lines_reach_3_to_1_against_the_chart(scheme: Scheme, line: str) -> None:
    assert ratio(scheme, line, "chart_background") >= NON_TEXT_CONTRAST, f"{scheme.name}: {line}"


@SCHEMES
@pytest.mark.parametrize("intensity", range(PAIN_MIN, PAIN_MAX + 1))
def test_every_pain_colour_stands_out_and_its_number_reads(scheme: Scheme, intensity: int) -> None:
    fill = pain_color(intensity)
    assert contrast_ratio(text_color_for(fill), fill) >= TEXT
    for background in (scheme.base, scheme.chart_background, scheme.window):
        bg = QColor(background)
        edge = pain_edge(fill, bg)
        if edge is None:
            assert contrast_ratio(fill, bg) >= NON_TEXT_CONTRAST
        else:
            assert contrast_ratio(edge, fill) >= NON_TEXT_CONTRAST
            assert contrast_ratio(edge, bg) >= NON_TEXT_CONTRAST


def test_pale_steps_get_an_outline_on_light_and_deep_ones_on_dark() -> None:
    white, dark = QColor(LIGHT.base), QColor(DARK.base)
    assert pain_edge(pain_color(0), white) is not None
    assert pain_edge(pain_color(10), white) is None
    assert pain_edge(pain_color(0), dark) is None
    assert pain_edge(pain_color(10), dark) is not None


def test_both_schemes_declare_the_same_colours_differently() -> None:
    assert LIGHT.name != DARK.name
    assert color(LIGHT.window).lightness() > color(DARK.window).lightness()
    assert color(LIGHT.ink).lightness() < color(DARK.ink).lightness()


def test_a_colour_with_alpha_is_read_alpha_last() -> None:
    band = color("#f0a04b96")
    assert (band.red(), band.green(), band.blue(), band.alpha()) == (240, 160, 75, 150)
