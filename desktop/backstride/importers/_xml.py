"""Careful decoding of XML activity files (GPX, TCX) before they reach a parser.

The standard library's expat guards against entity-expansion bombs and never fetches
external entities; activity files never need entity declarations at all, so any file
that declares one is refused outright.
"""

from __future__ import annotations

import codecs
import re
from datetime import UTC, datetime

from backstride.importers.errors import ImportFileError

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


def xml_text(data: bytes, kind: str) -> str:
    """The document as text, without byte-order mark, leading blanks or XML declaration.

    Strava's TCX exports start with blanks before the declaration, which strict XML
    parsers reject; the declaration is dropped because the text is already decoded.
    """
    if b"<!ENTITY" in data:
        raise ImportFileError(
            f"it declares XML entities, which {kind} files never need; it was refused "
            "for safety. Export the activity again from the watch or app"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
        declared = _ENCODING.search(data[:200])
        if declared is not None:
            encoding = declared.group(1).decode("ascii")
    try:
        text = data.decode(encoding)
    except LookupError as exc:
        raise ImportFileError(
            f"it declares the text encoding '{encoding}', which is unknown; save it again as UTF-8"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"its text is not valid {encoding} (byte {exc.start} is wrong), so it is damaged "
            "or not a text file; export the activity again"
        ) from exc
    except (UnicodeError, ValueError, TypeError) as exc:
        raise ImportFileError(
            f"its text cannot be read with its declared encoding '{encoding}'; "
            "save it again as UTF-8"
        ) from exc
    return _DECLARATION.sub("", text.lstrip("\ufeff \t\r\n"), count=1)


def parse_time(text: str | None) -> tuple[datetime | None, bool]:
    """An ISO-8601 time as an aware UTC datetime, and whether it lacked a zone.

    A time without a zone is read as UTC, which is what GPX and TCX prescribe.
    Returns (None, False) for text that is not a time.
    """
    if not text:
        return None, False
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, False
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC), True
    return moment, False


def local_name(tag: object) -> str:
    """An element's name without its namespace (`{uri}hr` or `gpxtpx:hr` -> `hr`)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
