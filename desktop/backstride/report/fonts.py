"""The report's font: Source Sans Pro (SIL Open Font License), from the font-source-sans-pro
package, embedded in every PDF so Greek, Cyrillic and accented Latin print the same on
any computer, with no system font needed.

A character the font lacks (an emoji, say) is replaced by a visible ``[?]`` (one for a run
of them) rather than printed as an empty box or failing the report.
"""

from __future__ import annotations

import functools
import html
from importlib import resources

FAMILY = "BackstrideSans"
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
MISSING = "[?]"
_FILES = {
    FAMILY: "SourceSansPro-Regular.ttf",
    BOLD: "SourceSansPro-Bold.ttf",
    ITALIC: "SourceSansPro-It.ttf",
}


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register the family with reportlab once; the code points the font can print."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = resources.files("font_source_sans_pro") / "files"
    covered: frozenset[int] = frozenset()
    for name, file in _FILES.items():
        with resources.as_file(folder / file) as path:
            font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        if name == FAMILY:
            covered = frozenset(font.face.charToGlyph)
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD)
    return covered


def printable(text: str) -> str:
    """text with every character the font cannot draw replaced by MISSING; line breaks
    and tabs become spaces (the report wraps text itself)."""
    covered = register_fonts()
    out = []
    for ch in text:
        if ch in "\r\n\t":
            out.append(" ")
        elif ord(ch) in covered:
            out.append(ch)
        elif ch.isspace() or ch in "\u200d\ufe0f":  # joiners and variation selectors
            out.append(" " if ch.isspace() else "")
        elif not out or out[-1] != MISSING:  # an emoji with a skin tone is one mark
            out.append(MISSING)
    return "".join(out)


def markup(text: str) -> str:
    """printable text escaped for a reportlab Paragraph."""
    return html.escape(printable(text), quote=False)
