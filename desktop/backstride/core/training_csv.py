"""runs.csv, habits.csv and shoes.csv (columns fixed by issue 3, documented in the README).

Distances are written in km and times in minutes, rounded so that a file read and written
again is byte-for-byte the same (metres to the millimetre, seconds to the millisecond).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from backstride.core import csv_codec as c
from backstride.core import limits
from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import HabitDay, Run, Shoe
from backstride.core.text import quoted
from backstride.core.training import validate_habit_day, validate_run, validate_shoe

RUNS_CSV = "runs.csv"
HABITS_CSV = "habits.csv"
SHOES_CSV = "shoes.csv"


def _km_to_m(km: float | None) -> float | None:
    return None if km is None else round(km * 1000.0, 3)


def _m_to_km(m: float | None) -> float | None:
    return None if m is None else round(m / 1000.0, 6)


def _min_to_s(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes * 60.0, 3)


def _s_to_min(s: float | None) -> float | None:
    return None if s is None else round(s / 60.0, 6)


# HH:MM or HH:MM:SS (fractions allowed), then the UTC offset the run started at: "Z",
# "+02:00", or with seconds for the local mean times zoneinfo gives before about 1900.
_CLOCK = re.compile(
    r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?"
    r"(?:(Z)|([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?"
)


def parse_clock(raw: str) -> time:
    """A start time, aware when the cell gives its UTC offset (as export writes it)."""
    raw = raw.strip()
    match = _CLOCK.fullmatch(raw)
    try:
        if match is None:
            raise ValueError
        hh, mm, ss, frac, z, sign, oh, om, os_ = match.groups()
        zone: tzinfo | None = None
        if z:
            zone = UTC
        elif sign:
            offset = timedelta(hours=int(oh), minutes=int(om), seconds=int(os_ or 0))
            zone = timezone(-offset if sign == "-" else offset)
        micro = int((frac or "").ljust(6, "0"))
        return time(int(hh), int(mm), int(ss or 0), micro, tzinfo=zone)
    except ValueError:
        raise c.CellError(
            f"{quoted(raw)} is not a time; write HH:MM or HH:MM:SS (24-hour), "
            "optionally with the UTC offset, e.g. 07:30+02:00"
        ) from None


def format_clock(t: time) -> str:
    """The start's wall-clock time and its UTC offset, so the instant survives a round
    trip whatever zone the importing computer is in."""
    text = t.strftime("%H:%M:%S" if t.second or t.microsecond else "%H:%M")
    if t.microsecond:
        text += f".{t.microsecond:06d}"
    offset = t.utcoffset()
    if offset is None:
        return text
    sign = "-" if offset < timedelta(0) else "+"
    seconds = int(abs(offset).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def _clock_at_offset(moment: datetime) -> time:
    """The start's clock time with its offset as a fixed zone: the time of a named zone
    (zoneinfo) alone cannot say its offset, which depends on the date."""
    offset = moment.utcoffset()
    clock = moment.timetz()
    return clock if offset is None else clock.replace(tzinfo=timezone(offset))


# What a run's problem is called in runs.csv, where the problem's field name differs.
_RUN_COLUMNS = {
    "start": "start_time",
    "distance": "distance_km",
    "moving_time": "moving_time_min",
    "ascent": "ascent_m",
    "descent": "descent_m",
    "cadence": "cadence_spm",
    "vertical_oscillation": "vertical_oscillation_cm",
}


def runs_table(today: date, local_zone: tzinfo | None) -> c.Table[Run]:
    """local_zone: the zone a hand-written date and time are in (the computer's, normally)."""

    def build(v: dict[str, Any]) -> Run:
        # The day first: a date at the calendar's ends cannot take a time zone.
        late = limits.day_problem("date", v["date"], today, zone_slack=True)
        if late is not None:
            raise ValidationError([late])
        clock: time = v["start_time"]
        moment = datetime.combine(v["date"], clock)
        if clock.tzinfo is None:
            moment = moment.replace(tzinfo=local_zone) if local_zone else moment.astimezone()
        run = Run(
            start=moment,
            distance_m=_km_to_m(v["distance_km"]),
            moving_time_s=_min_to_s(v["moving_time_min"]),
            # Read as precisely as the store keeps them, so what is read writes back as is.
            ascent_m=limits.kept("ascent_m", v["ascent_m"]),
            descent_m=limits.kept("descent_m", v["descent_m"]),
            avg_hr=limits.kept("avg_hr", v["avg_hr"]),
            cadence_spm=limits.kept("cadence_spm", v["cadence_spm"]),
            vertical_oscillation_cm=limits.kept(
                "vertical_oscillation_cm", v["vertical_oscillation_cm"]
            ),
            rpe=v["rpe"],
            warmup_min=v["warmup_min"],
            surface=v["surface"],
            shoe=v["shoe"] or None,
            note=v["note"],
            source=v["source"] or "manual",
        )
        try:
            return validate_run(run, today)
        except ValidationError as exc:
            raise ValidationError(
                [FieldProblem(_RUN_COLUMNS.get(p.field, p.field), p.message) for p in exc.problems]
            ) from None

    def cells(r: Run) -> list[Any]:
        return [
            r.start.date(),
            format_clock(_clock_at_offset(r.start)),
            _m_to_km(r.distance_m),
            _s_to_min(r.moving_time_s),
            # A run saved by an older version may hold more decimals than a watch measures.
            limits.kept("ascent_m", r.ascent_m),
            limits.kept("descent_m", r.descent_m),
            limits.kept("avg_hr", r.avg_hr),
            limits.kept("cadence_spm", r.cadence_spm),
            limits.kept("vertical_oscillation_cm", r.vertical_oscillation_cm),
            r.rpe,
            r.warmup_min,
            r.surface,
            r.shoe,
            r.note,
            r.source,
        ]

    f = c.parse_optional_float
    return c.Table(
        columns=[
            c.Column("date", c.parse_date, c.fmt_optional),
            c.Column("start_time", parse_clock, c.fmt_optional),
            c.Column("distance_km", f, c.fmt_optional),
            c.Column("moving_time_min", f, c.fmt_optional),
            c.Column("ascent_m", f, c.fmt_optional),
            c.Column("descent_m", f, c.fmt_optional),
            c.Column("avg_hr", f, c.fmt_optional),
            c.Column("cadence_spm", f, c.fmt_optional),
            c.Column("vertical_oscillation_cm", f, c.fmt_optional),
            c.Column("rpe", c.parse_optional_int, c.fmt_optional),
            c.Column("warmup_min", c.parse_optional_int, c.fmt_optional),
            c.Column("surface", c.parse_optional_code, c.fmt_optional),
            c.Column("shoe", c.parse_text, c.fmt_optional),
            c.Column("note", c.parse_text, c.fmt_optional),
            c.Column("source", c.parse_text, c.fmt_optional),
        ],
        build=build,
        cells=cells,
    )


def habits_table(today: date) -> c.Table[HabitDay]:
    i, f = c.parse_optional_int, c.parse_optional_float
    return c.record_table(
        HabitDay,
        [
            c.Column("date", c.parse_date, c.fmt_optional, field="day"),
            c.Column("core_min", i, c.fmt_optional),
            c.Column("stretch_min", i, c.fmt_optional),
            c.Column("cross_min", i, c.fmt_optional),
            c.Column("sleep_h", f, c.fmt_optional),
            c.Column("weight_kg", f, c.fmt_optional),
            c.Column("fatigue", i, c.fmt_optional),
            c.Column("sitting_h", f, c.fmt_optional),
            c.Column("note", c.parse_text, c.fmt_optional),
        ],
        lambda habits: validate_habit_day(habits, today),
    )


def _parse_warn_km(raw: str) -> float:
    value = c.parse_optional_float(raw)
    return 700.0 if value is None else value


def shoes_table(today: date) -> c.Table[Shoe]:
    return c.record_table(
        Shoe,
        [
            c.Column("name", _parse_shoe_name, c.fmt_optional),
            c.Column("first_used", c.parse_optional_date, c.fmt_optional),
            c.Column("retired", c.parse_optional_date, c.fmt_optional),
            c.Column("warn_km", _parse_warn_km, c.fmt_optional),
        ],
        lambda shoe: validate_shoe(shoe, today),
    )


def _parse_shoe_name(raw: str) -> str:
    return c.parse_text(raw).strip()
