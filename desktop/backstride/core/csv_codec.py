"""A small typed CSV codec: columns declared once, read and written the same way.

Reading is all-or-nothing: the first bad cell raises CsvError naming file, line and column,
and the caller imports nothing.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Generic, TextIO, TypeVar

from backstride.core.errors import CsvError, ValidationError
from backstride.core.text import printable_name, quoted

T = TypeVar("T")


class CellError(ValueError):
    """A cell that cannot be parsed; the codec adds file, line and column."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    format: Callable[[Any], str]
    field: str | None = None  # the record field it holds, when not named like the column


@dataclass(frozen=True, slots=True)
class Table(Generic[T]):
    columns: Sequence[Column]
    build: Callable[[dict[str, Any]], T]  # parsed cells -> record (may raise ValidationError)
    cells: Callable[[T], Sequence[Any]]  # record -> values in column order

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def record_table(
    cls: Callable[..., T], columns: Sequence[Column], validate: Callable[[T], T]
) -> Table[T]:
    """A table whose every column holds one field of the record: the record is built from
    and written to the columns by their field names, so the fields are listed once."""

    def build(values: dict[str, Any]) -> T:
        return validate(cls(**{col.field or col.name: values[col.name] for col in columns}))

    def cells(record: T) -> list[Any]:
        return [getattr(record, col.field or col.name) for col in columns]

    return Table(columns=columns, build=build, cells=cells)


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"  # what spreadsheets themselves use to mark a cell as text


def escape_cell(text: str) -> str:
    """A free-text cell a spreadsheet shows as text instead of running it.

    A leading quote is escaped too, so unescape_cell restores every text exactly.
    """
    return ESCAPE + text if text.startswith((*FORMULA_START, ESCAPE)) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith(ESCAPE) else text


def write_table(table: Table[T], records: Iterable[T], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; also quotes a lone CR
    writer.writerow(table.header)
    for record in records:
        cells = zip(table.columns, table.cells(record), strict=True)
        writer.writerow(_cell_text(col, value) for col, value in cells)


def _cell_text(col: Column, value: Any) -> str:
    # Only text values are escaped: a number, date or code list never starts with a quote,
    # so a negative number stays a number and reading back stays exact.
    text = col.format(value)
    return escape_cell(text) if isinstance(value, str) else text


def read_table(table: Table[T], stream: TextIO, filename: str) -> list[T]:
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError(filename, 1, "", "the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise CsvError(filename, 1, "", f"not a valid CSV file ({exc})") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    missing = [n for n in table.header if n not in header]
    if missing:
        raise CsvError(
            filename,
            1,
            missing[0],
            f"missing column(s) {', '.join(missing)}; the header must be {','.join(table.header)}",
        )
    unknown = [n for n in header if n not in table.header]
    if unknown:
        raise CsvError(
            filename,
            1,
            printable_name(unknown[0][:40]),  # a header cell may be anything, of any length
            f"unknown column; the header must be {','.join(table.header)}",
        )
    index = {name: header.index(name) for name in table.header}
    records: list[T] = []
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise CsvError(filename, line, "", f"has {len(row)} cells; expected {len(header)}")
            values: dict[str, Any] = {}
            for col in table.columns:
                raw = unescape_cell(row[index[col.name]])
                try:
                    values[col.name] = col.parse(raw)
                except CellError as exc:
                    raise CsvError(filename, line, col.name, str(exc)) from None
            try:
                records.append(table.build(values))
            except ValidationError as exc:
                problem = exc.problems[0]
                raise CsvError(filename, line, problem.field, problem.message) from None
    except csv.Error as exc:
        raise CsvError(filename, reader.line_num, "", f"not valid CSV ({exc})") from None
    return records


def read_table_text(table: Table[T], text: str, filename: str) -> list[T]:
    return read_table(table, io.StringIO(text, newline=""), filename)


# Cell parsers and formatters. Empty cells are unknown (None), never zero.


# Strict ASCII forms: Python's own parsers also take "20240501", week dates ("2024-W18-3"),
# digit separators ("1_0") and non-ASCII digits, none of which a spreadsheet writes.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_INT = re.compile(r"[-+]?[0-9]{1,18}")  # 18 digits: far beyond any field, never slow
_FLOAT = re.compile(r"[-+]?([0-9]{1,18}(\.[0-9]{0,18})?|\.[0-9]{1,18})([eE][-+]?[0-9]{1,3})?")


def parse_date(raw: str) -> date:
    text = raw.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{quoted(raw)} is not a date; write it as YYYY-MM-DD") from None


def parse_optional_date(raw: str) -> date | None:
    return parse_date(raw) if raw.strip() else None


def parse_optional_time(raw: str) -> time | None:
    raw = raw.strip()
    if not raw:
        return None
    match = _TIME.fullmatch(raw)
    try:
        if match is None:
            raise ValueError
        return time(int(match[1]), int(match[2]))
    except ValueError:
        raise CellError(
            f"{quoted(raw)} is not a time; write it as HH:MM (24-hour) or leave it empty"
        ) from None


def parse_int(raw: str) -> int:
    text = raw.strip()
    if not _INT.fullmatch(text):
        raise CellError(f"{quoted(raw)} is not a whole number")
    return int(text)


def parse_optional_int(raw: str) -> int | None:
    return parse_int(raw) if raw.strip() else None


def parse_optional_float(raw: str) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    if not _FLOAT.fullmatch(raw):
        raise CellError(f"{quoted(raw)} is not a number; use a dot for decimals")
    value = float(raw)
    if not math.isfinite(value):
        raise CellError(f"{quoted(raw)} is not a finite number")
    return value


def parse_codes(raw: str) -> tuple[str, ...]:
    from backstride.core.vocab import split_codes

    return split_codes(raw)


def parse_optional_code(raw: str) -> str | None:
    return raw.strip() or None


def parse_text(raw: str) -> str:
    return raw


def fmt_optional(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return format_float(value)
    return str(value)


def format_float(value: float) -> str:
    """Shortest text that reads back to the same float (repr), without a trailing '.0'."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def fmt_codes(codes: tuple[str, ...]) -> str:
    from backstride.core.vocab import join_codes

    return join_codes(codes)
