"""Rules a pain-diary entry must meet before it is saved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import PainEntry
from backstride.core.vocab import HELPED, QUALITIES, REGIONS, TIMINGS, WORSE, unknown_codes

MAX_TEXT = 2000  # a note longer than this is almost certainly a paste by mistake
MAX_STIFFNESS_MIN = 24 * 60


def _codes_problem(
    field: str, codes: tuple[str, ...], vocab: Mapping[str, str]
) -> list[FieldProblem]:
    bad = unknown_codes(codes, vocab)
    if not bad:
        return []
    return [
        FieldProblem(
            field,
            f"unknown code {', '.join(repr(b) for b in bad)}; use {', '.join(vocab)}",
        )
    ]


def pain_entry_problems(entry: PainEntry, today: date) -> list[FieldProblem]:
    """Every problem with entry, each naming its field and what to fix."""
    problems: list[FieldProblem] = []
    if entry.day > today:
        problems.append(
            FieldProblem("date", f"{entry.day.isoformat()} is in the future; pick today or earlier")
        )
    if not 0 <= entry.intensity <= 10:
        problems.append(
            FieldProblem(
                "intensity", f"{entry.intensity} is not on the scale; enter 0 (no pain) to 10"
            )
        )
    problems += _codes_problem("regions", entry.regions, REGIONS)
    if entry.timing is not None and entry.timing not in TIMINGS:
        problems.append(
            FieldProblem("timing", f"unknown timing {entry.timing!r}; use {', '.join(TIMINGS)}")
        )
    problems += _codes_problem("quality", entry.quality, QUALITIES)
    if entry.stiffness_min is not None and not 0 <= entry.stiffness_min <= MAX_STIFFNESS_MIN:
        problems.append(
            FieldProblem("stiffness_min", "morning stiffness must be between 0 and 1440 minutes")
        )
    problems += _codes_problem("worse", entry.worse, WORSE)
    problems += _codes_problem("helped", entry.helped, HELPED)
    for name, text in (("medication", entry.medication), ("note", entry.note)):
        if len(text) > MAX_TEXT:
            problems.append(
                FieldProblem(name, f"is {len(text)} characters; keep it under {MAX_TEXT}")
            )
    return problems


def validate_pain_entry(entry: PainEntry, today: date) -> PainEntry:
    problems = pain_entry_problems(entry, today)
    if problems:
        raise ValidationError(problems)
    return entry


def no_pain_entry(day: date) -> PainEntry:
    """'No pain today': a real 0, distinct from a day with no entry."""
    return PainEntry(day=day, intensity=0, timing="evening", note="")
