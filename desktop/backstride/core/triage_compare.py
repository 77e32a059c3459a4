"""Two stored check-ups side by side: the result's tier, patterns and factors, then every
answer that differs, each in plain words (question labels and choice labels from
questions.toml, result names from results.toml).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backstride.core.models import Assessment
from backstride.core.triage import load_questions, load_wording
from backstride.core.triage_record import flatten_answers
from backstride.core.triage_wording import Question
from backstride.core.vocab import REGIONS

__all__ = ["NOT_ANSWERED", "ComparedRow", "compare_assessments", "format_answer"]

NOT_ANSWERED = "Not answered"
NONE_CHOSEN = "None"


@dataclass(frozen=True, slots=True)
class ComparedRow:
    key: str  # "tier", "patterns", "factors", "rules_version" or an answer key
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def format_answer(question: Question, value: Any) -> str:
    """One answer as the runner would say it, e.g. "Yes", "35 years", "A short warm-up"."""
    if value is None:
        return NOT_ANSWERED
    if question.kind == "yes_no":
        return "Yes" if value is True else "No" if value is False else str(value)
    if question.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        return f"{value:g} {question.unit}".strip()
    if question.kind == "choice":
        return question.choice_label(str(value))
    if not isinstance(value, list | tuple):
        return str(value)
    if question.kind == "regions":
        labels = [REGIONS.get(str(code), str(code)) for code in value]
    else:
        labels = [question.choice_label(str(code)) for code in value]
    return "; ".join(labels) if labels else NONE_CHOSEN


def compare_assessments(older: Assessment, newer: Assessment) -> tuple[ComparedRow, ...]:
    """The result rows (always) and the answer rows that differ, in question order."""
    w = load_wording()

    def tier_name(result: Mapping[str, Any]) -> str:
        tier = result.get("tier")
        found = w.tiers.get(str(tier))
        return found.name if found else str(tier)

    def titles(codes: Any, table: Mapping[str, Any]) -> str:
        if not isinstance(codes, list) or not codes:
            return NONE_CHOSEN
        return "; ".join(getattr(table.get(c), "title", str(c)) for c in codes)

    rows = [
        ComparedRow("tier", "Result", tier_name(older.result), tier_name(newer.result)),
        ComparedRow(
            "patterns",
            w.labels["patterns"],
            titles(older.result.get("patterns"), w.patterns),
            titles(newer.result.get("patterns"), w.patterns),
        ),
        ComparedRow(
            "factors",
            "Running factors",
            titles(older.result.get("factors"), w.factors),
            titles(newer.result.get("factors"), w.factors),
        ),
    ]
    if older.rules_version != newer.rules_version:
        rows.append(
            ComparedRow(
                "rules_version", w.labels["rules_version"], older.rules_version, newer.rules_version
            )
        )
    rows.extend(_answer_rows(older.answers, newer.answers))
    return tuple(rows)


def _answer_rows(older: Mapping[str, Any], newer: Mapping[str, Any]) -> Iterable[ComparedRow]:
    before, after = flatten_answers(older), flatten_answers(newer)
    for question in load_questions().questions:
        old = format_answer(question, before.get(question.key))
        new = format_answer(question, after.get(question.key))
        if old != new:
            yield ComparedRow(question.key, question.label, old, new)
