"""What a runner types into a form field, read and written back: numbers with a comma or a
point, whole numbers, durations, hours. Empty text is unknown (None), never 0. Plain Python,
so the rules are tested without Qt and shared by every form.
"""

from __future__ import annotations

import re
from datetime import date


class FieldError(ValueError):
    """Text that cannot be read as the field's value; the message says what to type."""


def parse_number(text: str) -> float | None:
    """A decimal number; a comma works as the decimal mark too. Empty is unknown."""
    raw = text.strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise FieldError(f"'{text.strip()}' is not a number; type digits, e.g. 12.5") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FieldError(f"'{text.strip()}' is not a number; type digits, e.g. 12.5")
    return value


def parse_whole(text: str) -> int | None:
    value = parse_number(text)
    if value is None:
        return None
    if not value.is_integer():
        raise FieldError(f"type a whole number, not {text.strip()}")
    return int(value)


_CLOCK = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}(?:[.,]\d+)?))?$")


def parse_duration(text: str) -> float | None:
    """Seconds from h:mm:ss, m:ss, or plain minutes ("52" or "52.5"). Empty is unknown."""
    raw = text.strip()
    if not raw:
        return None
    match = _CLOCK.match(raw)
    if match is None:
        try:
            minutes = parse_number(raw)
        except FieldError:
            minutes = None
        if minutes is None:
            raise FieldError(
                f"'{raw}' is not a time; write h:mm:ss (e.g. 1:05:30), m:ss (e.g. 52:30) "
                "or minutes (e.g. 52)"
            )
        return minutes * 60.0
    a, b, c = match.groups()
    if c is None:  # m:ss
        minutes, seconds = int(a), int(b)
        if seconds >= 60:
            raise FieldError(f"'{raw}': seconds must be below 60")
        return minutes * 60.0 + seconds
    secs = float(c.replace(",", "."))
    if int(b) >= 60 or secs >= 60:
        raise FieldError(f"'{raw}': minutes and seconds must be below 60")
    return int(a) * 3600.0 + int(b) * 60.0 + secs


def parse_hours(text: str) -> float | None:
    """Hours as a decimal ("7.5") or as h:mm ("7:30"). Empty is unknown."""
    raw = text.strip()
    if ":" in raw:
        hours, _, minutes = raw.partition(":")
        if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(minutes) < 60:
            return int(hours) + int(minutes) / 60.0
        raise FieldError(f"'{raw}' is not a number of hours; write 7.5 or 7:30")
    return parse_number(raw)


def format_number(value: float | None, digits: int = 2) -> str:
    """Short text for a stored number: no trailing zeros, at most `digits` decimals."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_clock_duration(seconds: float | None) -> str:
    """h:mm:ss for the moving-time field (always with hours, so it reads back the same)."""
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII: \d takes any script's digits


def parse_day_option(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD date given to a command-line option, or ValueError naming the option
    and the format (Python's own parser also takes "20250301" and week dates)."""
    if text is None:
        return None
    try:
        if not _ISO_DAY.fullmatch(text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{option} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-03-31"
        ) from None
