"""Rules a pain-diary entry must meet before it is saved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time

from backstride.core import limits
from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import PainEntry
from backstride.core.pain_days import MORNING_BEFORE
from backstride.core.text import quoted
from backstride.core.vocab import HELPED, QUALITIES, REGIONS, TIMINGS, WORSE, unknown_codes

EVENING_FROM = time(18, 0)


def _codes_problem(
    field: str, codes: tuple[str, ...], vocab: Mapping[str, str]
) -> list[FieldProblem]:
    bad = unknown_codes(codes, vocab)
    if not bad:
        return []
    return [
        FieldProblem(
            field,
            f"unknown code {', '.join(quoted(b) for b in bad[:5])}"
            + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
            + f"; use {', '.join(vocab)}",
        )
    ]


def pain_entry_problems(entry: PainEntry, today: date) -> list[FieldProblem]:
    """Every problem with entry, each naming its field and what to fix."""
    problems: list[FieldProblem] = []
    late = limits.day_problem("date", entry.day, today)
    problems += [late] if late else []
    if not limits.PAIN["intensity"].holds(entry.intensity):
        problems.append(
            FieldProblem(
                "intensity", f"{entry.intensity} is not on the scale; enter 0 (no pain) to 10"
            )
        )
    problems += _codes_problem("regions", entry.regions, REGIONS)
    if entry.timing is not None and entry.timing not in TIMINGS:
        problems.append(
            FieldProblem(
                "timing", f"unknown timing {quoted(entry.timing)}; use {', '.join(TIMINGS)}"
            )
        )
    problems += _codes_problem("quality", entry.quality, QUALITIES)
    stiffness = limits.PAIN["stiffness_min"]
    if entry.stiffness_min is not None and not stiffness.holds(entry.stiffness_min):
        problems.append(
            FieldProblem("stiffness_min", f"morning stiffness must be {stiffness.text()}")
        )
    problems += _codes_problem("worse", entry.worse, WORSE)
    problems += _codes_problem("helped", entry.helped, HELPED)
    for field, text in (("medication", entry.medication), ("note", entry.note)):
        long = limits.note_problem(field, f"the {field}", text)
        problems += [long] if long else []
    return problems


def validate_pain_entry(entry: PainEntry, today: date) -> PainEntry:
    problems = pain_entry_problems(entry, today)
    if problems:
        raise ValidationError(problems)
    return entry


def implied_timing(at: time) -> str | None:
    """The timing a clock reading implies: on waking before 10:00, evening from 18:00.

    Daytime implies none of the timings; the time itself says when.
    """
    if at < MORNING_BEFORE:
        return "on_waking"
    if at >= EVENING_FROM:
        return "evening"
    return None


def no_pain_entry(at: datetime) -> PainEntry:
    """'No pain today' at this moment: a real 0, distinct from a day with no entry.

    It keeps the time and the timing it implies, so a pain-free morning counts as that
    day's next-morning pain (core.pain_days).
    """
    minute = at.time().replace(second=0, microsecond=0)
    return PainEntry(day=at.date(), intensity=0, time=minute, timing=implied_timing(minute))
