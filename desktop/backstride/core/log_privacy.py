"""A log that never holds diary text.

Error messages can quote what the runner wrote (a CSV cell, a note, a shoe name, a file's
contents), so a logged error keeps its type, where it happened (file, line, column, field)
and, for a bug, its traceback: never its message.
"""

from __future__ import annotations

import io
import logging
import re
import traceback
from pathlib import Path

from backstride.core.errors import ValidationError
from backstride.core.safe_write import open_private_append
from backstride.core.text import printable_name

WITHHELD = "(message withheld: it may quote diary text)"
# Our column and field names, and JSON paths made of them (runs[3].distance_m); a name
# taken from a file's own header row could be any text, so it is left out.
_NAME = r"[a-z][a-z0-9_]{0,39}(\[\d+\])*"
_OUR_NAME = re.compile(rf"{_NAME}(\.{_NAME})*")


def error_place(exc: BaseException) -> str:
    """An error's type and where it happened, with nothing the runner typed."""
    parts = [type(exc).__name__]
    file = getattr(exc, "file", None) or getattr(exc, "filename", None)
    if isinstance(file, str | Path):
        parts.append(f"file {printable_name(str(file))}")
    line = getattr(exc, "line", None)
    if isinstance(line, int) and line:
        parts.append(f"line {line}")
    column = getattr(exc, "column", None)
    if isinstance(column, str) and _OUR_NAME.fullmatch(column):
        parts.append(f"column {column}")
    if isinstance(exc, OSError) and exc.errno is not None:
        parts.append(f"errno {exc.errno}")
    if isinstance(exc, ValidationError):
        fields = [p.field for p in exc.problems if _OUR_NAME.fullmatch(p.field)]
        parts.append(f"{getattr(exc, 'total', len(exc.problems))} problem(s)")
        if fields:
            parts.append(f"fields {', '.join(fields)}")
    return ", ".join(parts)


def redacted_traceback(exc: BaseException) -> str:
    """The traceback a bug report needs (frames and types), each message withheld."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    lines: list[str] = []
    for n, link in enumerate(reversed(chain)):
        if n:
            lines.append("\nwhich led to:\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(link.__traceback__))
        lines.append(f"{error_place(link)}: {WITHHELD}\n")
    return "".join(lines).rstrip("\n")


class PrivateRecords(logging.Filter):
    """Replaces a record's exception (and an exception logged as the message or among its
    arguments) by its type and place."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redacted_traceback(record.exc_info[1])
            record.exc_info = None
        if isinstance(record.msg, BaseException):
            record.msg = error_place(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                error_place(a) if isinstance(a, BaseException) else a for a in record.args
            )
        return True


class PrivateLogFile(logging.FileHandler):
    """A log file created owner-only (0600), never through a symlink, without diary text."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8")  # opened now, so a refusal is an OSError here
        self.addFilter(PrivateRecords())

    def _open(self) -> io.TextIOWrapper:
        return open_private_append(Path(self.baseFilename))
