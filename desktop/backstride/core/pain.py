"""Rules a pain-diary entry must meet before it is saved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from backstride.core import limits
from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import PainEntry
from backstride.core.text import quoted
from backstride.core.vocab import HELPED, QUALITIES, REGIONS, TIMINGS, WORSE, unknown_codes


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
    for name, text in (("medication", entry.medication), ("note", entry.note)):
        if len(text) > limits.NOTE_CHARS:
            problems.append(
                FieldProblem(
                    name, f"is {len(text):,} characters; keep it under {limits.NOTE_CHARS:,}"
                )
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
