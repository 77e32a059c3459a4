"""Error types the domain raises; each carries words a runner can act on."""

from __future__ import annotations

from dataclasses import dataclass


class BackstrideError(Exception):
    """Every error a runner can meet: its message says what to fix. Anything else that
    escapes is a bug, logged with its traceback."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with one field, said so the user knows what to fix."""

    field: str
    message: str


class ValidationError(BackstrideError, ValueError):
    """A record that cannot be saved as it is; problems name the fields."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


class CsvError(BackstrideError, ValueError):
    """A CSV file that cannot be imported; names the file, line and column."""

    def __init__(self, file: str, line: int, column: str, message: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        where = (
            file + (f", line {line}" if line else "") + (f", column '{column}'" if column else "")
        )
        super().__init__(f"{where}: {message}")


# What the app and the CLI show in words; OSError covers files the runner names.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (BackstrideError, OSError)
