"""runs.csv, habits.csv and shoes.csv (columns fixed by issue 3, documented in the README).

Distances are written in km and times in minutes, rounded so that a file read and written
again is byte-for-byte the same (metres to the millimetre, seconds to the millisecond).
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import Any

from backstride.core import csv_codec as c
from backstride.core.models import HabitDay, Run, Shoe
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


def parse_clock(raw: str) -> time:
    raw = raw.strip()
    try:
        parts = [int(x) for x in raw.split(":")]
        if len(parts) not in (2, 3) or any(len(x) != 2 for x in raw.split(":")[1:]):
            raise ValueError
        return time(parts[0], parts[1], parts[2] if len(parts) == 3 else 0)
    except ValueError:
        raise c.CellError(f"{raw!r} is not a time; write HH:MM or HH:MM:SS (24-hour)") from None


def format_clock(t: time) -> str:
    return t.strftime("%H:%M:%S" if t.second else "%H:%M")


def runs_table(today: date, local_zone: tzinfo | None) -> c.Table[Run]:
    """local_zone: the zone a hand-written date and time are in (the computer's, normally)."""

    def build(v: dict[str, Any]) -> Run:
        naive = datetime.combine(v["date"], v["start_time"])
        start = naive.replace(tzinfo=local_zone) if local_zone else naive.astimezone()
        run = Run(
            start=start,
            distance_m=_km_to_m(v["distance_km"]),
            moving_time_s=_min_to_s(v["moving_time_min"]),
            ascent_m=v["ascent_m"],
            descent_m=v["descent_m"],
            avg_hr=v["avg_hr"],
            cadence_spm=v["cadence_spm"],
            vertical_oscillation_cm=v["vertical_oscillation_cm"],
            rpe=v["rpe"],
            warmup_min=v["warmup_min"],
            surface=v["surface"],
            shoe=v["shoe"] or None,
            note=v["note"],
            source=v["source"] or "manual",
        )
        return validate_run(run, today)

    def cells(r: Run) -> list[Any]:
        return [
            r.start.date(),
            format_clock(r.start.time()),
            _m_to_km(r.distance_m),
            _s_to_min(r.moving_time_s),
            r.ascent_m,
            r.descent_m,
            r.avg_hr,
            r.cadence_spm,
            r.vertical_oscillation_cm,
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
    def build(v: dict[str, Any]) -> HabitDay:
        return validate_habit_day(
            HabitDay(
                day=v["date"],
                core_min=v["core_min"],
                stretch_min=v["stretch_min"],
                cross_min=v["cross_min"],
                sleep_h=v["sleep_h"],
                weight_kg=v["weight_kg"],
                fatigue=v["fatigue"],
                sitting_h=v["sitting_h"],
                note=v["note"],
            ),
            today,
        )

    def cells(h: HabitDay) -> list[Any]:
        return [
            h.day,
            h.core_min,
            h.stretch_min,
            h.cross_min,
            h.sleep_h,
            h.weight_kg,
            h.fatigue,
            h.sitting_h,
            h.note,
        ]

    i, f = c.parse_optional_int, c.parse_optional_float
    return c.Table(
        columns=[
            c.Column("date", c.parse_date, c.fmt_optional),
            c.Column("core_min", i, c.fmt_optional),
            c.Column("stretch_min", i, c.fmt_optional),
            c.Column("cross_min", i, c.fmt_optional),
            c.Column("sleep_h", f, c.fmt_optional),
            c.Column("weight_kg", f, c.fmt_optional),
            c.Column("fatigue", i, c.fmt_optional),
            c.Column("sitting_h", f, c.fmt_optional),
            c.Column("note", c.parse_text, c.fmt_optional),
        ],
        build=build,
        cells=cells,
    )


def _parse_warn_km(raw: str) -> float:
    value = c.parse_optional_float(raw)
    return 700.0 if value is None else value


def shoes_table(today: date) -> c.Table[Shoe]:
    def build(v: dict[str, Any]) -> Shoe:
        return validate_shoe(
            Shoe(
                name=v["name"].strip(),
                first_used=v["first_used"],
                retired=v["retired"],
                warn_km=v["warn_km"],
            ),
            today,
        )

    def cells(s: Shoe) -> list[Any]:
        return [s.name, s.first_used, s.retired, s.warn_km]

    return c.Table(
        columns=[
            c.Column("name", c.parse_text, c.fmt_optional),
            c.Column("first_used", c.parse_optional_date, c.fmt_optional),
            c.Column("retired", c.parse_optional_date, c.fmt_optional),
            c.Column("warn_km", _parse_warn_km, c.fmt_optional),
        ],
        build=build,
        cells=cells,
    )
