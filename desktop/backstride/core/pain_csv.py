"""pain.csv: the diary as a spreadsheet-friendly file (columns fixed by issue 2, README)."""

from __future__ import annotations

from datetime import date

from backstride.core import csv_codec as c
from backstride.core.models import PainEntry
from backstride.core.pain import validate_pain_entry

PAIN_CSV = "pain.csv"


def pain_table(today: date) -> c.Table[PainEntry]:
    return c.record_table(
        PainEntry,
        [
            c.Column("date", c.parse_date, c.fmt_optional, field="day"),
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
        lambda entry: validate_pain_entry(entry, today),
    )
