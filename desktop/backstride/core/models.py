"""The records a runner keeps. Plain frozen dataclasses: no Qt, no SQL.

Units are SI in storage (metres, seconds); km or miles is a display choice.
Diary days are the runner's local dates; run starts are aware datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any


@dataclass(frozen=True, slots=True)
class PainEntry:
    day: date
    intensity: int  # 0-10 NRS; 0 is a real "no pain", a missing day has no entry
    time: time | None = None  # local wall-clock, minute resolution
    regions: tuple[str, ...] = ()
    timing: str | None = None
    quality: tuple[str, ...] = ()
    stiffness_min: int | None = None  # morning stiffness
    worse: tuple[str, ...] = ()
    helped: tuple[str, ...] = ()
    medication: str = ""
    note: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Shoe:
    name: str
    first_used: date | None = None
    retired: date | None = None
    warn_km: float = 700.0
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ProfilePoint:
    """One sample of a run's downsampled profile (about every 10 s)."""

    elapsed_s: float
    distance_m: float
    elevation_m: float | None = None
    pace_s_per_km: float | None = None
    cadence_spm: float | None = None
    heart_rate: float | None = None


@dataclass(frozen=True, slots=True)
class Run:
    start: datetime  # aware (carries its UTC offset)
    distance_m: float | None = None
    moving_time_s: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_hr: float | None = None
    cadence_spm: float | None = None  # steps per minute (FIT strides/min x 2)
    vertical_oscillation_cm: float | None = None
    rpe: int | None = None  # effort 0-10, asked after the run
    warmup_min: int | None = None  # 0 = no warm-up, None = not recorded
    surface: str | None = None
    shoe: str | None = None  # shoe name; the store links it to a shoe row
    note: str = ""
    source: str = "manual"  # "manual", or the imported file's name
    source_hash: str | None = None
    # Derived from a track when imported (None when entered by hand).
    elapsed_time_s: float | None = None
    max_descent_grade_pct: float | None = None  # steepest sustained descent over 200 m
    fastest_km_s: float | None = None
    pace_surges: int | None = None
    stance_time_ms: float | None = None
    step_length_m: float | None = None
    vertical_ratio_pct: float | None = None
    profile: tuple[ProfilePoint, ...] = ()
    id: int | None = None

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def pace_s_per_km(self) -> float | None:
        if not self.distance_m or not self.moving_time_s:
            return None
        return self.moving_time_s / (self.distance_m / 1000.0)


# What a watch file measures of a run: an imported value wins over a typed estimate
# (core.duplicates), and a file without it leaves it unknown.
MEASURED_RUN_FIELDS = (
    "distance_m",
    "moving_time_s",
    "elapsed_time_s",
    "ascent_m",
    "descent_m",
    "avg_hr",
    "cadence_spm",
    "vertical_oscillation_cm",
    "stance_time_ms",
    "step_length_m",
    "vertical_ratio_pct",
)
# Worked out from an imported track (never typed in).
TRACK_RUN_FIELDS = ("max_descent_grade_pct", "fastest_km_s", "pace_surges")


@dataclass(frozen=True, slots=True)
class HabitDay:
    day: date
    core_min: int | None = None
    stretch_min: int | None = None
    cross_min: int | None = None
    sleep_h: float | None = None
    weight_kg: float | None = None
    fatigue: int | None = None  # 0-10
    sitting_h: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    taken_at: datetime
    answers: dict[str, Any]
    result: dict[str, Any]
    rules_version: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything the analysis and the report read, in one value."""

    pain: tuple[PainEntry, ...] = ()
    runs: tuple[Run, ...] = ()
    habits: tuple[HabitDay, ...] = ()
    shoes: tuple[Shoe, ...] = field(default_factory=tuple)
