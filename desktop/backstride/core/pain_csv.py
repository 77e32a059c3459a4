"""pain.csv: the diary as a spreadsheet-friendly file (columns fixed by issue 2, README)."""

from __future__ import annotations

from datetime import date
from typing import Any

from backstride.core import csv_codec as c
from backstride.core.models import PainEntry
from backstride.core.pain import validate_pain_entry

PAIN_CSV = "pain.csv"


def pain_table(today: date) -> c.Table[PainEntry]:
    def build(v: dict[str, Any]) -> PainEntry:
        entry = PainEntry(
            day=v["date"],
            time=v["time"],
            intensity=v["intensity"],
            regions=v["regions"],
            timing=v["timing"],
            quality=v["quality"],
            stiffness_min=v["stiffness_min"],
            worse=v["worse"],
            helped=v["helped"],
            medication=v["medication"],
            note=v["note"],
        )
        return validate_pain_entry(entry, today)

    def cells(e: PainEntry) -> list[Any]:
        return [
            e.day,
            e.time,
            e.intensity,
            e.regions,
            e.timing,
            e.quality,
            e.stiffness_min,
            e.worse,
            e.helped,
            e.medication,
            e.note,
        ]

    return c.Table(
        columns=[
            c.Column("date", c.parse_date, c.fmt_optional),
            c.Column("time", c.parse_optional_time, c.fmt_optional),
            c.Column("intensity", c.parse_int, c.fmt_optional),
            c.Column("regions", c.parse_codes, c.fmt_codes),
            c.Column("timing", c.parse_optional_code, c.fmt_optional),
            c.Column("quality", c.parse_codes, c.fmt_codes),
            c.Column("stiffness_min", c.parse_optional_int, c.fmt_optional),
            c.Column("worse", c.parse_codes, c.fmt_codes),
            c.Column("helped", c.parse_codes, c.fmt_codes),
            c.Column("medication", c.parse_text, c.fmt_optional),
            c.Column("note", c.parse_text, c.fmt_optional),
        ],
        build=build,
        cells=cells,
    )
