"""Rules runs, habit days and shoes must meet before they are saved.

Two kinds of finding: a problem blocks the save (impossible values); a doubt asks the
runner to confirm (possible but unusual values, e.g. a world-class pace), so nothing
surprising is ever saved silently.
"""

from __future__ import annotations

from datetime import date

from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import HabitDay, Run, Shoe
from backstride.core.vocab import SURFACES

# 2:50 min/km over at least 1 km is faster than nearly every runner alive: ask first.
FASTEST_PLAUSIBLE_S_PER_KM = 170.0
MAX_HEART_RATE = 230  # above any recorded adult maximum; 300 is a typo
MIN_HEART_RATE = 25
LONGEST_PLAUSIBLE_M = 250_000.0  # multi-day ultras exist; beyond this is a typo
MAX_MOVING_TIME_S = 48 * 3600.0


def run_problems(run: Run, today: date) -> list[FieldProblem]:
    p: list[FieldProblem] = []
    if run.start.tzinfo is None:
        p.append(FieldProblem("start", "the start time has no time zone"))
    elif run.day > today:
        p.append(
            FieldProblem("date", f"{run.day.isoformat()} is in the future; pick today or earlier")
        )
    d, t = run.distance_m, run.moving_time_s
    if d is not None and d < 0:
        p.append(FieldProblem("distance", "distance cannot be negative"))
    if d is not None and d > LONGEST_PLAUSIBLE_M:
        p.append(
            FieldProblem(
                "distance", f"{d / 1000:.0f} km is longer than any one run; check the units"
            )
        )
    if t is not None and t < 0:
        p.append(FieldProblem("moving_time", "moving time cannot be negative"))
    if t is not None and t > MAX_MOVING_TIME_S:
        p.append(
            FieldProblem("moving_time", "moving time over 48 hours; check the hours and minutes")
        )
    if d == 0 and t:
        p.append(FieldProblem("distance", "a run with a time needs a distance above 0"))
    if t == 0 and d:
        p.append(FieldProblem("moving_time", "a run with a distance needs a moving time above 0"))
    for name, value in (("ascent", run.ascent_m), ("descent", run.descent_m)):
        if value is not None and not 0 <= value <= 20_000:
            p.append(FieldProblem(name, f"{name} must be between 0 and 20,000 m"))
    if run.avg_hr is not None and not MIN_HEART_RATE <= run.avg_hr <= MAX_HEART_RATE:
        p.append(
            FieldProblem(
                "avg_hr",
                f"{run.avg_hr:.0f} beats/min is not a possible average heart rate; "
                f"enter {MIN_HEART_RATE}-{MAX_HEART_RATE} or leave it empty",
            )
        )
    if run.cadence_spm is not None and not 60 <= run.cadence_spm <= 260:
        p.append(
            FieldProblem("cadence", "cadence is in steps per minute, usually 150-200; enter 60-260")
        )
    vo = run.vertical_oscillation_cm
    if vo is not None and not 0 < vo <= 30:
        p.append(
            FieldProblem(
                "vertical_oscillation", "vertical oscillation is in cm, usually 5-15; enter 0-30"
            )
        )
    if run.rpe is not None and not 0 <= run.rpe <= 10:
        p.append(FieldProblem("rpe", "effort is 0 (rest) to 10 (maximal)"))
    if run.warmup_min is not None and not 0 <= run.warmup_min <= 180:
        p.append(FieldProblem("warmup_min", "warm-up must be 0-180 minutes (0 = none)"))
    if run.surface is not None and run.surface not in SURFACES:
        p.append(
            FieldProblem("surface", f"unknown surface {run.surface!r}; use {', '.join(SURFACES)}")
        )
    if len(run.note) > 2000:
        p.append(FieldProblem("note", "keep the note under 2,000 characters"))
    return p


def run_doubts(run: Run) -> list[FieldProblem]:
    """Unusual but possible values the runner must confirm before saving."""
    doubts: list[FieldProblem] = []
    pace = run.pace_s_per_km
    if pace is not None and (run.distance_m or 0) >= 1000 and pace < FASTEST_PLAUSIBLE_S_PER_KM:
        minutes, seconds = divmod(round(pace), 60)
        doubts.append(
            FieldProblem(
                "moving_time",
                f"a pace of {minutes}:{seconds:02d} min/km is faster than 2:50 "
                "min/km, close to world-record speed; check the distance and time",
            )
        )
    if pace is not None and pace > 20 * 60:
        doubts.append(
            FieldProblem(
                "moving_time", "slower than 20 min/km: was this a walk, or is the time wrong?"
            )
        )
    if run.descent_m and run.distance_m and run.descent_m / (run.distance_m / 1000) > 150:
        doubts.append(
            FieldProblem(
                "descent", "more than 150 m of descent per km is mountain terrain; check it"
            )
        )
    return doubts


def validate_run(run: Run, today: date) -> Run:
    problems = run_problems(run, today)
    if problems:
        raise ValidationError(problems)
    return run


def habit_problems(h: HabitDay, today: date) -> list[FieldProblem]:
    p: list[FieldProblem] = []
    if h.day > today:
        p.append(
            FieldProblem("date", f"{h.day.isoformat()} is in the future; pick today or earlier")
        )
    for name, value in (
        ("core_min", h.core_min),
        ("stretch_min", h.stretch_min),
        ("cross_min", h.cross_min),
    ):
        if value is not None and not 0 <= value <= 600:
            p.append(FieldProblem(name, "minutes must be between 0 and 600"))
    if h.sleep_h is not None and not 0 <= h.sleep_h <= 24:
        p.append(FieldProblem("sleep_h", "sleep must be between 0 and 24 hours"))
    if h.sitting_h is not None and not 0 <= h.sitting_h <= 24:
        p.append(FieldProblem("sitting_h", "sitting must be between 0 and 24 hours"))
    if h.sleep_h is not None and h.sitting_h is not None and h.sleep_h + h.sitting_h > 24:
        p.append(FieldProblem("sitting_h", "sleep and sitting add up to more than 24 hours"))
    if h.weight_kg is not None and not 25 <= h.weight_kg <= 300:
        p.append(FieldProblem("weight_kg", "body weight must be between 25 and 300 kg"))
    if h.fatigue is not None and not 0 <= h.fatigue <= 10:
        p.append(FieldProblem("fatigue", "fatigue is 0 (fresh) to 10 (exhausted)"))
    if len(h.note) > 2000:
        p.append(FieldProblem("note", "keep the note under 2,000 characters"))
    return p


def validate_habit_day(h: HabitDay, today: date) -> HabitDay:
    problems = habit_problems(h, today)
    if problems:
        raise ValidationError(problems)
    return h


def shoe_problems(s: Shoe, today: date) -> list[FieldProblem]:
    p: list[FieldProblem] = []
    if not s.name.strip():
        p.append(FieldProblem("name", "give the shoe a name, e.g. 'Pegasus 40 blue'"))
    if len(s.name) > 80:
        p.append(FieldProblem("name", "keep the name under 80 characters"))
    if s.first_used is not None and s.first_used > today:
        p.append(FieldProblem("first_used", "first use cannot be in the future"))
    if s.retired is not None and s.first_used is not None and s.retired < s.first_used:
        p.append(FieldProblem("retired", "retired before first use; check the dates"))
    if not 50 <= s.warn_km <= 5000:
        p.append(FieldProblem("warn_km", "warning distance must be between 50 and 5,000 km"))
    return p


def validate_shoe(s: Shoe, today: date) -> Shoe:
    problems = shoe_problems(s, today)
    if problems:
        raise ValidationError(problems)
    return s
