"""Text from outside (file names, CSV cells) made safe to print on a terminal or a log."""

from __future__ import annotations

import unicodedata

# Control characters, format characters (bidirectional overrides that reorder what is
# shown), line or paragraph separators, and the lone surrogates Python uses for bytes of
# a file name that are not UTF-8 (they cannot even be encoded for printing).
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def printable_name(text: str) -> str:
    """`text` with every unsafe character written as its escape (a newline as \\n,
    ESC as \\x1b), so a file name cannot move the cursor, colour the terminal or fake a
    second output line."""
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _UNSAFE else ch
        for ch in text
    )


def quoted(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, shortened past `limit` characters, so a bad cell or
    key of megabytes cannot make a message of megabytes."""
    return repr(text if len(text) <= limit else text[:limit] + "…")
