"""A small typed CSV codec: columns declared once, read and written the same way.

Reading is all-or-nothing: the first bad cell raises CsvError naming file, line and column,
and the caller imports nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Generic, TextIO, TypeVar

from backstride.core.errors import CsvError, ValidationError

T = TypeVar("T")


class CellError(ValueError):
    """A cell that cannot be parsed; the codec adds file, line and column."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    format: Callable[[Any], str]


@dataclass(frozen=True, slots=True)
class Table(Generic[T]):
    columns: Sequence[Column]
    build: Callable[[dict[str, Any]], T]  # parsed cells -> record (may raise ValidationError)
    cells: Callable[[T], Sequence[Any]]  # record -> values in column order

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def write_table(table: Table[T], records: Iterable[T], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; also quotes a lone CR
    writer.writerow(table.header)
    for record in records:
        writer.writerow(
            col.format(v) for col, v in zip(table.columns, table.cells(record), strict=True)
        )


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
            filename, 1, unknown[0], f"unknown column; the header must be {','.join(table.header)}"
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
                raw = row[index[col.name]]
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


def parse_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise CellError(f"{raw!r} is not a date; write it as YYYY-MM-DD") from None


def parse_optional_date(raw: str) -> date | None:
    return parse_date(raw) if raw.strip() else None


def parse_optional_time(raw: str) -> time | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        hh, mm = raw.split(":")
        if len(mm) != 2:
            raise ValueError
        return time(int(hh), int(mm))
    except ValueError:
        raise CellError(
            f"{raw!r} is not a time; write it as HH:MM (24-hour) or leave it empty"
        ) from None


def parse_int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise CellError(f"{raw!r} is not a whole number") from None


def parse_optional_int(raw: str) -> int | None:
    return parse_int(raw) if raw.strip() else None


def parse_optional_float(raw: str) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise CellError(f"{raw!r} is not a number; use a dot for decimals") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError(f"{raw!r} is not a finite number")
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
