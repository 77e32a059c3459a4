"""Careful decoding of XML activity files (GPX, TCX) before they reach a parser.

Activity files never need a document type or entity declarations, so any file that has
one is refused outright. The check looks at the decoded text, the very string the
parsers are given, so no encoding (UTF-16, UTF-7, ...) can hide a declaration; TCX is
parsed with defusedxml as well, which refuses them again.
"""

from __future__ import annotations

import codecs
import re
from datetime import UTC, datetime

from backstride.core import limits
from backstride.importers._build import utc
from backstride.importers.errors import ImportFileError

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


def xml_text(data: bytes, kind: str) -> str:
    """The document as text, without byte-order mark, leading blanks or XML declaration.

    Strava's TCX exports start with blanks before the declaration, which strict XML
    parsers reject; the declaration is dropped because the text is already decoded.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"  # before UTF-16: the UTF-32 LE mark starts with UTF-16's
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
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
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ImportFileError(
            f"it declares XML entities or a document type, which {kind} files never need; "
            "it was refused for safety. Export the activity again from the watch or app"
        )
    return _DECLARATION.sub("", text.lstrip("\ufeff \t\r\n"), count=1)


def count_elements(text: str, names: tuple[str, ...], noun: str) -> None:
    """ImportFileError when the text opens more of the elements `names` than a real run
    holds (`limits.MAX_SAMPLES`); counted before parsing, so such a file is refused
    before its tree is built."""
    pattern = re.compile(rf"<(?:[\w.-]+:)?(?:{'|'.join(names)})[\s/>]")
    count = sum(1 for _ in pattern.finditer(text))
    if count > limits.MAX_SAMPLES:
        raise ImportFileError(
            f"it holds {count:,} {noun}s, more than {limits.MAX_SAMPLES:,} (two days recorded "
            "every second), so it is not one run; export the activity on its own"
        )


def parse_time(text: str | None) -> tuple[datetime | None, bool]:
    """An ISO-8601 time as an aware datetime at its own offset, and whether it lacked a
    zone.

    A time without a zone is read as UTC, which is what GPX and TCX prescribe.
    Returns (None, False) for text that is not a time, or one past the calendar's ends.
    """
    if not text:
        return None, False
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, False
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC), True
    return (moment, False) if utc(moment) is not None else (None, False)


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
