"""The possible range of every measurement, declared once for every way data comes in.

Hand entry (`core.training`, `core.pain`), the CSV files, every watch importer and the
analysis read their bounds from here, so whatever one entry path stores another accepts
(an export always imports again). Ranges are physical, not typical: a value outside one
is a typo, a unit mix-up or a broken sensor, never a real run. Units are the stored ones
(metres, seconds, steps per minute).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.core.errors import FieldProblem


@dataclass(frozen=True, slots=True)
class Limit:
    low: float
    high: float
    unit: str  # as shown after the numbers: "m", "beats/min"

    def holds(self, value: float) -> bool:
        """Finite and within [low, high]; a huge int is compared exactly, never overflows."""
        if isinstance(value, float) and not math.isfinite(value):
            return False
        return self.low <= value <= self.high

    def text(self, scale: float = 1.0, unit: str | None = None) -> str:
        """ "25-230 beats/min"; `scale` and `unit` show it in another unit (m as km)."""
        shown = self.unit if unit is None else unit
        return f"{_number(self.low * scale)}-{_number(self.high * scale)} {shown}".rstrip()


def _number(value: float) -> str:
    grouped = "," if abs(value) >= 10_000 else ""  # 20,000 but 1440
    return f"{value:{grouped}.0f}" if value == int(value) else f"{value:{grouped}g}"


# Dates. A run's day is its start's date at the file's own UTC offset, which can be a day
# ahead of this computer's today; diary and habit days are the runner's own dates.
EARLIEST_DAY = date(1900, 1, 1)
ZONE_SLACK = timedelta(days=1)


def latest_run_day(today: date) -> date:
    return today + ZONE_SLACK


def day_problem(
    field: str, day: date, today: date, *, zone_slack: bool = False
) -> FieldProblem | None:
    latest = latest_run_day(today) if zone_slack else today
    if day > latest:
        return FieldProblem(field, f"{day.isoformat()} is in the future; pick today or earlier")
    if day < EARLIEST_DAY:
        return FieldProblem(
            field, f"{day.isoformat()} is before {EARLIEST_DAY.year}; check the year"
        )
    return None


# A run's summary, by Run field name. Sources: 24-hour record 319.6 km (Sorokin 2022),
# fastest human speed about 12.4 m/s (Bolt 2009), Everest base-to-summit climbs ~ 9 km.
RUN: dict[str, Limit] = {
    "distance_m": Limit(0, 500_000, "m"),
    "moving_time_s": Limit(0, 48 * 3600, "s"),
    "elapsed_time_s": Limit(0, 7 * 24 * 3600, "s"),
    "ascent_m": Limit(0, 20_000, "m"),
    "descent_m": Limit(0, 20_000, "m"),
    "avg_hr": Limit(25, 230, "beats/min"),
    "cadence_spm": Limit(60, 260, "steps/min"),
    "vertical_oscillation_cm": Limit(1, 30, "cm"),
    "stance_time_ms": Limit(50, 1000, "ms"),
    "step_length_m": Limit(0.1, 3, "m"),
    "vertical_ratio_pct": Limit(1, 30, "%"),
    "max_descent_grade_pct": Limit(0, 100, "%"),
    "fastest_km_s": Limit(80, 48 * 3600, "s"),  # 1 km at the top speed below
    "pace_surges": Limit(0, 48 * 3600 // 30, "spans"),  # one per 30-second span
    "rpe": Limit(0, 10, ""),
    "warmup_min": Limit(0, 180, "min"),
}
# The decimals a run's measurements are kept to, in the store and in runs.csv alike (so an
# export imports as itself): distance and time to the millimetre and the millisecond (an
# exported run is known as already there when imported again); the rest to what a watch
# resolves (FIT: altitude 0.2 m, heart rate and cadence whole beats and steps, vertical
# oscillation 1 mm), one decimal more where an average of such readings falls between them.
DECIMALS: dict[str, int] = {
    "distance_m": 3,
    "moving_time_s": 3,
    "ascent_m": 1,
    "descent_m": 1,
    "avg_hr": 1,
    "cadence_spm": 1,
    "vertical_oscillation_cm": 1,
}


def kept(field: str, value: float | None) -> float | None:
    """value rounded to the decimals DECIMALS keeps for field (unchanged if none)."""
    if value is None or field not in DECIMALS:
        return value
    return round(value, DECIMALS[field])


# Average speed over a whole run (distance / moving time): faster is not running.
SPEED_MPS = Limit(0, 12.5, "m/s")

# One recorded sample, by `core.track.Track` column. Wider than the summary ranges: a
# single reading may be odd (a standing cadence of 0 is ignored by the averages).
SAMPLE: dict[str, Limit] = {
    "lat_deg": Limit(-90, 90, "°"),
    "lon_deg": Limit(-180, 180, "°"),
    "distance_m": Limit(0, 10_000_000, "m"),  # an odometer; a run's total is checked after
    "elevation_m": Limit(-500, 9000, "m"),
    "heart_rate": Limit(0, 300, "beats/min"),
    "cadence_spm": Limit(0, 400, "steps/min"),
    "vertical_oscillation_cm": Limit(0, 50, "cm"),
    "stance_time_ms": Limit(0, 2000, "ms"),
    "step_length_m": Limit(0, 5, "m"),
    "vertical_ratio_pct": Limit(0, 50, "%"),
}
# A 24-hour ultra recorded every second is about 90,000 samples.
MAX_SAMPLES = 200_000

HABIT: dict[str, Limit] = {
    "core_min": Limit(0, 600, "minutes"),
    "stretch_min": Limit(0, 600, "minutes"),
    "cross_min": Limit(0, 600, "minutes"),
    "sleep_h": Limit(0, 24, "hours"),
    "sitting_h": Limit(0, 24, "hours"),
    "weight_kg": Limit(25, 300, "kg"),
    "fatigue": Limit(0, 10, ""),
}
SHOE_WARN_KM = Limit(50, 5000, "km")

PAIN: dict[str, Limit] = {
    "intensity": Limit(0, 10, ""),
    "stiffness_min": Limit(0, 24 * 60, "minutes"),
}

# Text lengths in characters. A note longer than this is almost certainly a paste by
# mistake; a file name is at most 255 on every common file system.
NOTE_CHARS = 2000
SHOE_NAME_CHARS = 80
SOURCE_CHARS = 255


def note_problem(field: str, name: str, text: str) -> FieldProblem | None:
    """A free-text field over NOTE_CHARS, named ("the note", "the medication")."""
    if len(text) <= NOTE_CHARS:
        return None
    return FieldProblem(field, f"{name} is {len(text):,} characters; keep it under {NOTE_CHARS:,}")


# Error lists name the first few problems and count the rest, so one bad file cannot
# print megabytes.
MAX_LISTED_PROBLEMS = 20


def capped(problems: list[FieldProblem], field: str) -> list[FieldProblem]:
    """The first MAX_LISTED_PROBLEMS problems, and one more counting those left out."""
    if len(problems) <= MAX_LISTED_PROBLEMS:
        return problems
    rest = len(problems) - MAX_LISTED_PROBLEMS
    return [
        *problems[:MAX_LISTED_PROBLEMS],
        FieldProblem(field, f"and {rest:,} more problem(s) like these; fix the ones above first"),
    ]
