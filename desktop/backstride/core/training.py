"""Rules runs, habit days and shoes must meet before they are saved.

Two kinds of finding: a problem blocks the save (impossible values); a doubt asks the
runner to confirm (possible but unusual values, e.g. a world-class pace), so nothing
surprising is ever saved silently.
"""

from __future__ import annotations

from datetime import date

from backstride.core import limits
from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import MEASURED_RUN_FIELDS, TRACK_RUN_FIELDS, HabitDay, Run, Shoe
from backstride.core.text import quoted
from backstride.core.vocab import SURFACES

# 2:50 min/km over at least 1 km is faster than nearly every runner alive: ask first.
FASTEST_PLAUSIBLE_S_PER_KM = 170.0
_R = limits.RUN
# Measurements whose range problem run_problems words on its own (units, usual values).
_EXPLAINED = frozenset(
    {
        "distance_m",
        "moving_time_s",
        "ascent_m",
        "descent_m",
        "avg_hr",
        "cadence_spm",
        "vertical_oscillation_cm",
    }
)


def _range(name: str, value: float | None, field: str, message: str) -> list[FieldProblem]:
    if value is None or _R[name].holds(value):
        return []
    return [FieldProblem(field, message)]


def run_problems(run: Run, today: date) -> list[FieldProblem]:
    p: list[FieldProblem] = []
    if run.start.tzinfo is None:
        p.append(FieldProblem("start", "the start time has no time zone"))
    else:
        late = limits.day_problem("date", run.day, today, zone_slack=True)
        p += [late] if late else []
    d, t = run.distance_m, run.moving_time_s
    longest = _R["distance_m"].high / 1000
    if d is not None and not _R["distance_m"].holds(d):
        p.append(
            FieldProblem(
                "distance",
                "distance cannot be negative"
                if d < 0
                else f"{d / 1000:,.0f} km is longer than any one run ({longest:,.0f} km at "
                "most); check the units",
            )
        )
    if t is not None and not _R["moving_time_s"].holds(t):
        p.append(
            FieldProblem(
                "moving_time",
                "moving time cannot be negative"
                if t < 0
                else f"moving time over {_R['moving_time_s'].high / 3600:.0f} hours; "
                "check the hours and minutes",
            )
        )
    if d == 0 and t:
        p.append(FieldProblem("distance", "a run with a time needs a distance above 0"))
    if t == 0 and d:
        p.append(FieldProblem("moving_time", "a run with a distance needs a moving time above 0"))
    if not p and d and t and not limits.SPEED_MPS.holds(d / t):
        fastest = 1000 / limits.SPEED_MPS.high
        p.append(
            FieldProblem(
                "moving_time",
                f"faster than {int(fastest // 60)}:{round(fastest % 60):02d} min/km, faster "
                "than anyone runs; check the distance and time",
            )
        )
    for name, value in (("ascent", run.ascent_m), ("descent", run.descent_m)):
        p += _range(f"{name}_m", value, name, f"{name} must be {_R[f'{name}_m'].text()}")
    p += _range(
        "avg_hr",
        run.avg_hr,
        "avg_hr",
        f"{run.avg_hr or 0:g} beats/min is not a possible average heart rate; "
        f"enter {_R['avg_hr'].text(unit='')} or leave it empty",
    )
    p += _range(
        "cadence_spm",
        run.cadence_spm,
        "cadence",
        f"cadence is in steps per minute, usually 150-200; enter {_R['cadence_spm'].text(unit='')}",
    )
    p += _range(
        "vertical_oscillation_cm",
        run.vertical_oscillation_cm,
        "vertical_oscillation",
        "vertical oscillation is in cm, usually 5-15; "
        f"enter {_R['vertical_oscillation_cm'].text(unit='')}",
    )
    p += _range("rpe", run.rpe, "rpe", "effort is 0 (rest) to 10 (maximal)")
    p += _range(
        "warmup_min",
        run.warmup_min,
        "warmup_min",
        f"warm-up must be {_R['warmup_min'].text(unit='minutes')} (0 = none)",
    )
    for name in (*MEASURED_RUN_FIELDS, *TRACK_RUN_FIELDS):
        if name not in _EXPLAINED:  # the rest share one wording
            p += _range(name, getattr(run, name), name, f"must be {_R[name].text()}")
    if run.surface is not None and run.surface not in SURFACES:
        p.append(
            FieldProblem(
                "surface", f"unknown surface {quoted(run.surface)}; use {', '.join(SURFACES)}"
            )
        )
    if run.shoe is not None and len(run.shoe) > limits.SHOE_NAME_CHARS:
        p.append(
            FieldProblem("shoe", f"keep the shoe name under {limits.SHOE_NAME_CHARS} characters")
        )
    long_note = limits.note_problem("note", "the note", run.note)
    p += [long_note] if long_note else []
    if len(run.source) > limits.SOURCE_CHARS:
        p.append(FieldProblem("source", f"keep the source under {limits.SOURCE_CHARS} characters"))
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


_H = limits.HABIT
_HABIT_MESSAGES = {
    "core_min": f"core work must be {_H['core_min'].text()}",
    "stretch_min": f"stretching must be {_H['stretch_min'].text()}",
    "cross_min": f"cross-training must be {_H['cross_min'].text()}",
    "sleep_h": f"sleep must be {_H['sleep_h'].text()}",
    "sitting_h": f"sitting must be {_H['sitting_h'].text()}",
    "weight_kg": f"body weight must be {_H['weight_kg'].text()}",
    "fatigue": f"fatigue is {_H['fatigue'].low:g} (fresh) to {_H['fatigue'].high:g} (exhausted)",
}


def habit_problems(h: HabitDay, today: date) -> list[FieldProblem]:
    p: list[FieldProblem] = []
    late = limits.day_problem("date", h.day, today)
    p += [late] if late else []
    for name, message in _HABIT_MESSAGES.items():
        value = getattr(h, name)
        if value is not None and not limits.HABIT[name].holds(value):
            p.append(FieldProblem(name, message))
    if h.sleep_h is not None and h.sitting_h is not None and h.sleep_h + h.sitting_h > 24:
        p.append(FieldProblem("sitting_h", "sleep and sitting add up to more than 24 hours"))
    long_note = limits.note_problem("note", "the note", h.note)
    p += [long_note] if long_note else []
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
    if len(s.name) > limits.SHOE_NAME_CHARS:
        p.append(FieldProblem("name", f"keep the name under {limits.SHOE_NAME_CHARS} characters"))
    for name in ("first_used", "retired"):
        day = getattr(s, name)
        late = limits.day_problem(name, day, today) if day is not None else None
        p += [late] if late else []
    if s.retired is not None and s.first_used is not None and s.retired < s.first_used:
        p.append(FieldProblem("retired", "retired before first use; check the dates"))
    if not limits.SHOE_WARN_KM.holds(s.warn_km):
        p.append(FieldProblem("warn_km", f"warning distance must be {limits.SHOE_WARN_KM.text()}"))
    return p


def validate_shoe(s: Shoe, today: date) -> Shoe:
    problems = shoe_problems(s, today)
    if problems:
        raise ValidationError(problems)
    return s
