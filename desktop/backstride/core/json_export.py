"""The JSON export: every record in one versioned document (format: docs/json-format.md).

Keys and types come from the record dataclasses in core/models.py, so a field added there is
exported and imported without a second list here. Reading checks every record (shapes and
types here, values through the validators hand entry and CSV import use) and lists every
problem by its JSON path (``runs[12].distance_m``) with what to enter.
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime, time
from functools import partial
from typing import Any, TextIO

from backstride.core import limits
from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.experiments import ExperimentRecord, validate_experiment_record
from backstride.core.models import Assessment, HabitDay, PainEntry, ProfilePoint, Run, Shoe
from backstride.core.pain import validate_pain_entry
from backstride.core.training import validate_habit_day, validate_run, validate_shoe

FORMAT = "backstride-export"
VERSION = 1
# Records are read one at a time, so an import needs about twice the file's size in memory
# (its bytes and its text, briefly). A profile costs ~27 kB per hour run, so this holds
# about 7,000 hours of runs: twenty years of a heavy runner's training.
MAX_BYTES = 200 * 1024 * 1024
MAX_PROFILE_POINTS = 50_000  # a 48-hour run sampled every 10 s is 17,280
MAX_NESTING = 16  # a check-up's answers and result are three levels deep
MAX_INT = 2**53  # beyond this a number is a typo, and SQLite cannot store it beyond 2**63
MAX_KEY_SHOWN = 40  # an unknown key is quoted this far in a message
NOT_EXPORTED = frozenset({"id"})  # the store's row numbers; a fresh store numbers its own

# ASCII digits only: int() and fromisoformat would also take Arabic-Indic ones.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_CLOCK = re.compile(r"[0-2]\d:[0-5]\d", re.ASCII)
_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)",
    re.ASCII,
)
_HEADER_KEYS = ("format", "version", "exported_at", "app_version", "demo")


class JsonImportError(ValidationError):
    """A JSON export that cannot be imported; nothing was saved. Shows the first problems."""

    def __init__(self, file: str, problems: list[FieldProblem], total: int) -> None:
        super().__init__(problems)
        self.file = file
        self.total = total

    @classmethod
    def refused(cls, file: str, message: str, field: str = "") -> JsonImportError:
        """The whole file refused for one reason."""
        return cls(file, [FieldProblem(field, message)], 1)

    def __str__(self) -> str:
        shown = "; ".join(
            f"{p.field}: {p.message}" if p.field else p.message for p in self.problems
        )
        more = self.total - len(self.problems)
        tail = f"; and {more} more problem(s)" if more > 0 else ""
        return f"{self.file}: nothing was imported: {shown}{tail}"


def assessment_problems(a: Assessment, today: date) -> list[FieldProblem]:
    """What the store needs of a check-up (answers and result are kept as they were)."""
    p: list[FieldProblem] = []
    if a.taken_at.tzinfo is None:
        p.append(FieldProblem("taken_at", "give the time with its UTC offset, e.g. +01:00"))
    else:
        late = limits.day_problem("taken_at", a.taken_at.date(), today, zone_slack=True)
        p += [late] if late else []
    if not a.rules_version.strip():
        p.append(FieldProblem("rules_version", "give the version of the rules, e.g. 2026.11.1"))
    return p


def validate_assessment(a: Assessment, today: date) -> Assessment:
    problems = assessment_problems(a, today)
    if problems:
        raise ValidationError(problems)
    return a


@dataclass(frozen=True, slots=True)
class _Section:
    key: str
    record: type[Any]
    validate: Callable[[Any, date], Any]


# In import order: shoes before the runs that name them.
SECTIONS = (
    _Section("shoes", Shoe, validate_shoe),
    _Section("runs", Run, validate_run),
    _Section("habits", HabitDay, validate_habit_day),
    _Section("pain", PainEntry, validate_pain_entry),
    _Section("assessments", Assessment, validate_assessment),
    _Section("experiments", ExperimentRecord, validate_experiment_record),
)
PROFILE_FIELDS = tuple(f.name for f in fields(ProfilePoint))


def record_fields(record: type[Any]) -> list[tuple[str, Any, bool]]:
    """(key, type, required) of each exported field of a record dataclass, in order."""
    hints = typing.get_type_hints(record)
    return [
        (f.name, hints[f.name], f.default is MISSING and f.default_factory is MISSING)
        for f in fields(record)
        if f.name not in NOT_EXPORTED
    ]


# ---------------------------------------------------------------- writing


def _encode(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # stored by an older version (a sensor's 1e308 became Inf): unknown
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")  # diary times are minutes
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, ProfilePoint):
        return [_encode(getattr(value, name)) for name in PROFILE_FIELDS]
    return value


def write_export(
    out: TextIO,
    records: Mapping[str, Iterable[Any]],
    demo: str | None,
    exported_at: datetime,
    app_version: str,
) -> dict[str, int]:
    """Write the document, one record per line (readable, and a diff of two exports shows
    the records that changed); returns the number of records per section.

    Records are written as they come, so a caller can hand over runs one at a time with
    their profiles instead of holding every profile in memory.
    """

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))

    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
        "app_version": app_version,
        "demo": demo,
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {dumps(key)}: {dumps(value)},\n")
    counts: dict[str, int] = {}
    for n, section in enumerate(SECTIONS):
        keys = [key for key, _, _ in record_fields(section.record)]
        out.write(f"  {dumps(section.key)}: [")
        count = 0
        for record in records[section.key]:
            line = dumps({key: _encode(getattr(record, key)) for key in keys})
            out.write(f"{',' if count else ''}\n    {line}")
            count += 1
        out.write("\n  ]" if count else "]")
        out.write(",\n" if n < len(SECTIONS) - 1 else "\n")
        counts[section.key] = count
    out.write("}\n")
    return counts


# ---------------------------------------------------------------- reading


class _Problems:
    """Every problem is counted; the first few are kept to be shown."""

    def __init__(self) -> None:
        self.shown: list[FieldProblem] = []
        self.total = 0

    def add(self, path: str, message: str) -> None:
        self.total += 1
        if len(self.shown) < limits.MAX_LISTED_PROBLEMS:
            self.shown.append(FieldProblem(path, message))


class _Bad(Exception):
    """One value of the wrong shape; the reader records it and goes on with the next field."""


def _quote(text: str) -> str:
    """A key from the file, shortened and with control characters escaped, for a message."""
    short = text if len(text) <= MAX_KEY_SHOWN else text[:MAX_KEY_SHOWN] + "…"
    return repr(short)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _text(raw: bytes, filename: str) -> str:
    refuse = partial(JsonImportError.refused, filename)
    if len(raw) > MAX_BYTES:
        raise refuse(
            f"is {len(raw) / 2**20:.0f} MB; a Backstride export is at most "
            f"{MAX_BYTES // 2**20} MB, so this is not one"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse("is not UTF-8 text; give a file written by backstride export") from None


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SECTION_BY_KEY = {s.key: s for s in SECTIONS}


class ExportReader:
    """Reads a document one record at a time, so a caller can save each as it comes (in
    one transaction, rolled back if finish() finds any problem) and only one record's
    parsed JSON is ever held: a decade of run profiles parsed at once would take several
    times the file's size in memory.

    Use: for key, records in reader.sections(): save the records (each section's before
    the next); then reader.finish() raises JsonImportError naming every problem.
    """

    def __init__(self, raw: bytes, filename: str, today: date) -> None:
        self.filename = filename
        self.today = today
        self._text = _text(raw, filename)
        self._pos = 0
        self._decoder = json.JSONDecoder(parse_constant=_reject_constant)
        self._problems = _Problems()
        self._header: dict[str, Any] = {}
        self._shoes: dict[str, int] = {}  # name -> index, to check the runs' shoes
        self._run_shoes: list[tuple[int, str]] = []
        self._days: dict[date, int] = {}

    def sections(self) -> Iterator[tuple[str, Iterator[Any]]]:
        """Each section in the file's order, with its checked records (none are given
        once a problem is found; the rest are still checked, to list their problems)."""
        seen: set[str] = set()
        for key in self._members():
            if key in seen:
                self._problems.add(key, "appears twice; keep one")
            seen.add(key)
            section = _SECTION_BY_KEY.get(key)
            if section is None:
                value = self._value()
                if key in _HEADER_KEYS:
                    self._header[key] = value
                else:
                    self._problems.add(
                        "", f"unknown key {_quote(key)}; see docs/json-format.md for the keys"
                    )
                continue
            records = self._records(section)
            yield key, records
            for _ in records:  # the scan goes on past whatever the caller left unread
                pass

    def finish(self) -> str | None:
        """Raise JsonImportError unless the whole document is right; returns its demo mark."""
        header, problems, refuse = self._header, self._problems, self._refuse
        if header.get("format") != FORMAT:
            raise refuse(
                "this is not a Backstride export; give a file written by backstride export "
                f'(its "format" is "{FORMAT}")',
                "format",
            )
        version = header.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise refuse(f"must be a whole number from 1 to {VERSION}", "version")
        if version > VERSION:
            raise refuse(
                f"this export was written by a newer Backstride (format version {version}; "
                f"this version reads up to {VERSION}); install the newer Backstride to import it",
                "version",
            )
        demo = header.get("demo")
        if demo is not None and not _is_text(demo):
            problems.add("demo", "must be null or text")
        for n, shoe in self._run_shoes:
            if shoe not in self._shoes:
                problems.add(f"runs[{n}].shoe", "names no shoe in shoes; add the shoe there")
        if problems.total:
            raise JsonImportError(self.filename, problems.shown, problems.total)
        return demo if isinstance(demo, str) else None

    # -- scanning: the JSON grammar of the top level and of the section lists

    def _refuse(self, message: str, field: str = "") -> JsonImportError:
        return JsonImportError.refused(self.filename, message, field)

    def _syntax(self, message: str, pos: int) -> JsonImportError:
        error = json.JSONDecodeError(message, self._text, pos)
        return self._refuse(
            f"is not valid JSON (line {error.lineno}, column {error.colno}: {message}); "
            "give a file written by backstride export"
        )

    def _skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self._text, pos)
        return match.end() if match else pos

    def _at(self, pos: int) -> str:
        return self._text[pos : pos + 1]

    def _decode(self, pos: int) -> tuple[Any, int]:
        """The JSON value at pos and where it ends."""
        try:
            return self._decoder.raw_decode(self._text, pos)
        except json.JSONDecodeError as exc:
            raise self._syntax(exc.msg, exc.pos) from None
        except RecursionError:
            raise self._refuse("is nested too deeply to be a Backstride export") from None
        except ValueError as exc:  # NaN/Infinity, or an integer of thousands of digits
            raise self._refuse(f"is not a Backstride export ({exc})") from None

    def _value(self) -> Any:
        value, self._pos = self._decode(self._pos)
        return value

    def _members(self) -> Iterator[str]:
        """The top-level object's keys; the consumer reads each value from self._pos."""
        pos = self._skip(0)
        if self._at(pos) != "{":
            self._decode(pos)  # says why it is not JSON, else it is JSON but no export
            raise self._refuse(
                f'this is not a Backstride export (its "format" is "{FORMAT}")', "format"
            )
        pos = self._skip(pos + 1)
        if self._at(pos) != "}":
            while True:
                if self._at(pos) != '"':
                    raise self._syntax("Expecting property name enclosed in double quotes", pos)
                key, pos = self._decode(pos)
                pos = self._skip(pos)
                if self._at(pos) != ":":
                    raise self._syntax("Expecting ':' delimiter", pos)
                self._pos = self._skip(pos + 1)
                yield key
                pos = self._skip(self._pos)
                if self._at(pos) == ",":
                    pos = self._skip(pos + 1)
                elif self._at(pos) == "}":
                    break
                else:
                    raise self._syntax("Expecting ',' delimiter", pos)
        if self._skip(pos + 1) != len(self._text):
            raise self._syntax("Extra data", self._skip(pos + 1))

    def _records(self, section: _Section) -> Iterator[Any]:
        pos = self._pos
        if self._at(pos) != "[":
            self._value()
            self._problems.add(section.key, "must be a list of records, [] when there are none")
            return
        pos = self._skip(pos + 1)
        if self._at(pos) == "]":
            self._pos = pos + 1
            return
        spec = record_fields(section.record)
        n = 0
        while True:
            item, pos = self._decode(pos)
            record = self._checked(section, spec, n, item)
            del item  # only one record's parsed JSON at a time
            if record is not None and not self._problems.total:
                yield record
            n += 1
            pos = self._skip(pos)
            if self._at(pos) == ",":
                pos = self._skip(pos + 1)
            elif self._at(pos) == "]":
                self._pos = pos + 1
                return
            else:
                raise self._syntax("Expecting ',' delimiter", pos)

    # -- checking one record

    def _checked(
        self, section: _Section, spec: Sequence[tuple[str, Any, bool]], n: int, item: Any
    ) -> Any | None:
        path = f"{section.key}[{n}]"
        record = _read_record(item, section.record, spec, path, self._problems)
        if record is None:
            return None
        try:
            record = section.validate(record, self.today)
        except ValidationError as exc:
            keys = [key for key, _, _ in spec]
            for p in exc.problems:
                self._problems.add(f"{path}.{_key_for(p.field, keys)}", p.message)
            return None
        self._check_references(section.key, n, record)
        return record

    def _check_references(self, key: str, n: int, record: Any) -> None:
        """Names and days unique, a run's shoe in shoes, names as the store keeps them."""
        problems = self._problems
        if key == "shoes":
            if record.name != record.name.strip():
                problems.add(f"shoes[{n}].name", "remove the spaces at its start and end")
            if record.name in self._shoes:
                first = self._shoes[record.name]
                problems.add(f"shoes[{n}].name", f"the same name as shoes[{first}]")
            self._shoes.setdefault(record.name, n)
        elif key == "runs" and record.shoe is not None:
            self._run_shoes.append((n, record.shoe))
        elif key == "habits":
            if record.day in self._days:
                first = self._days[record.day]
                problems.add(f"habits[{n}].day", f"the same day as habits[{first}]")
            self._days.setdefault(record.day, n)


def _key_for(field: str, keys: Sequence[str]) -> str:
    """The record key a validator's field name stands for ('distance' is distance_m)."""
    if field in keys:
        return field
    with_unit = [k for k in keys if k.startswith(f"{field}_")]
    if len(with_unit) == 1:
        return with_unit[0]
    if field == "date":  # a diary or habit record's day, a run's start
        return next((k for k in ("day", "start") if k in keys), field)
    return field


def _read_record(
    item: Any,
    record: type[Any],
    spec: Sequence[tuple[str, Any, bool]],
    path: str,
    problems: _Problems,
) -> Any | None:
    if not isinstance(item, dict):
        problems.add(path, "must be an object, {...}")
        return None
    names = {key for key, _, _ in spec}
    for key in item:
        if key not in names:
            problems.add(path, f"unknown key {_quote(key)}; see docs/json-format.md")
    values: dict[str, Any] = {}
    ok = True
    for key, hint, required in spec:
        if key not in item:
            if required:
                problems.add(f"{path}.{key}", "is missing; every record needs it")
                ok = False
            continue
        try:
            values[key] = _decode(item[key], hint, f"{path}.{key}", problems)
        except _Bad as exc:
            problems.add(f"{path}.{key}", str(exc))
            ok = False
    return record(**values) if ok else None


def _decode(value: Any, hint: Any, path: str, problems: _Problems) -> Any:
    """value as the type hint says, or _Bad saying what to enter."""
    if typing.get_origin(hint) not in (typing.Union, types.UnionType):
        return _decode_value(value, hint, path, problems)
    if value is None:
        return None
    (hint,) = (a for a in typing.get_args(hint) if a is not type(None))
    try:
        return _decode_value(value, hint, path, problems)
    except _Bad as exc:
        raise _Bad(f"{exc}, or null when unknown") from None


def _decode_value(value: Any, hint: Any, path: str, problems: _Problems) -> Any:
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if hint is bool:
        if not isinstance(value, bool):
            raise _Bad("must be true or false")
        return value
    if hint is str:
        if not _is_text(value):
            raise _Bad("must be text (in double quotes)")
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Bad("must be a whole number")
        if abs(value) > MAX_INT:
            raise _Bad("is far too large; check the number")
        return value
    if hint is float:
        return _number(value)
    if hint is date:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise _Bad("must be a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _Bad(f"{value} is not a date in the calendar") from None
    if hint is time:
        if not isinstance(value, str) or not _CLOCK.fullmatch(value):
            raise _Bad("must be a time written HH:MM (24-hour)")
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise _Bad(f"{value} is not a time of day") from None
    if hint is datetime:
        return _instant(value)
    if origin is tuple and args[0] is str:
        if not isinstance(value, list) or not all(_is_text(v) for v in value):
            raise _Bad('must be a list of codes, e.g. ["sitting", "bending"], or []')
        return tuple(value)
    if origin is tuple and args[0] is ProfilePoint:
        return _profile(value, path, problems)
    if origin is tuple and typing.get_origin(args[0]) is dict:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise _Bad("must be a list of objects, [] when there are none")
        _check_plain(value, 1)
        return tuple(value)
    if origin is dict:
        if not isinstance(value, dict):
            raise _Bad("must be an object, {...}")
        _check_plain(value, 1)
        return value
    raise TypeError(f"no JSON reading for {hint}")  # a new model field type: add it above


def _is_text(value: Any) -> bool:
    """A string SQLite can store: JSON may spell lone UTF-16 halves, which UTF-8 cannot."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _Bad("must be a number (a dot for decimals)")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise _Bad("is far too large; check the number")
    number = float(value)
    if not math.isfinite(number):
        raise _Bad("must be a finite number")
    return number


def _instant(value: Any) -> datetime:
    if not isinstance(value, str) or not _INSTANT.fullmatch(value):
        raise _Bad("must be a date and time with its UTC offset, e.g. 2025-05-01T07:30:00+02:00")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{value} is not a moment in the calendar") from None


def _profile(value: Any, path: str, problems: _Problems) -> tuple[ProfilePoint, ...]:
    if not isinstance(value, list):
        raise _Bad("must be a list of points, [] when there is none")
    if len(value) > MAX_PROFILE_POINTS:
        raise _Bad(f"has {len(value)} points; a run's profile has at most {MAX_PROFILE_POINTS}")
    width = len(PROFILE_FIELDS)
    points: list[ProfilePoint] = []
    for n, point in enumerate(value):
        try:
            if not isinstance(point, list) or len(point) != width:
                raise _Bad(f"must be a list of {width} numbers: {', '.join(PROFILE_FIELDS)}")
            elapsed, distance, *rest = (
                None if v is None and i >= 2 else _number(v) for i, v in enumerate(point)
            )
            if elapsed is None or distance is None or elapsed < 0 or distance < 0:
                raise _Bad("elapsed_s and distance_m must be numbers of 0 or more")
            points.append(ProfilePoint(elapsed, distance, *rest))
        except _Bad as exc:
            problems.add(f"{path}[{n}]", str(exc))
    return tuple(points)


def _check_plain(value: Any, depth: int) -> None:
    """Plain JSON the store can keep: bounded nesting, finite numbers, storable text."""
    if depth > MAX_NESTING:
        raise _Bad(f"is nested more than {MAX_NESTING} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            if not _is_text(key):
                raise _Bad("holds a key with an invalid character")
            _check_plain(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_plain(item, depth + 1)
    elif isinstance(value, str):
        if not _is_text(value):
            raise _Bad("holds text with an invalid character")
    elif isinstance(value, float) and not math.isfinite(value):
        raise _Bad("holds a number too large for JSON")
