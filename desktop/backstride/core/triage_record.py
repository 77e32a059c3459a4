"""The stored form of a check-up: answers as nested JSON, the result with what its page needs.

``TriageResult.to_json()`` is the CLI's public output; a stored result keeps that and adds
the fields the result page shows (other flags, unanswered questions by tier, the NICE
features), so a saved check-up is shown again exactly as it was, even after the rules change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from backstride.core.triage import TIERS, TriageResult
from backstride.core.triage_answers import SPECS, Tier

__all__ = [
    "RecordError",
    "flatten_answers",
    "nest_answers",
    "result_from_record",
    "result_record",
]


class RecordError(ValueError):
    """A stored result that cannot be read back (damaged, or from an unknown version)."""


def result_record(result: TriageResult) -> dict[str, Any]:
    """The result as stored: ``to_json()`` plus what the result page needs to show it again."""
    record = result.to_json()
    record.update(
        {
            "unanswered_emergency": list(result.unanswered_emergency),
            "unanswered_urgent": list(result.unanswered_urgent),
            "other_flags": list(result.other_flags),
            "nice_features": list(result.nice_features),
            "raised_for_unanswered": result.raised_for_unanswered,
        }
    )
    return record


def result_from_record(record: Mapping[str, Any]) -> TriageResult:
    """A stored result read back; RecordError if it is not one."""
    if not isinstance(record, Mapping):
        raise RecordError("the stored result is not a JSON object")
    tier = record.get("tier")
    if tier not in TIERS:
        raise RecordError(f"the stored result has an unknown tier {tier!r}")

    def texts(name: str) -> tuple[str, ...]:
        value = record.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RecordError(f"the stored result's '{name}' is not a list of text")
        return tuple(value)

    version = record.get("rules_version")
    return TriageResult(
        tier=cast(Tier, tier),
        reasons=texts("reasons"),
        patterns=texts("patterns"),
        factors=texts("factors"),
        advice=texts("advice"),
        unanswered_emergency=texts("unanswered_emergency"),
        unanswered_urgent=texts("unanswered_urgent"),
        other_flags=texts("other_flags"),
        nice_features=texts("nice_features"),
        raised_for_unanswered=record.get("raised_for_unanswered") is True,
        rules_version=version if isinstance(version, str) and version else "unknown",
    )


def flatten_answers(nested: Mapping[str, Any]) -> dict[str, Any]:
    """Answers keyed by dotted key (``red_flags.fever``); keys this schema lacks are left out."""
    flat: dict[str, Any] = {}
    for key in SPECS:
        section, _, name = key.rpartition(".")
        source = nested.get(section) if section else nested
        if isinstance(source, Mapping) and name in source:
            flat[key] = source[name]
    return flat


def nest_answers(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The answers-JSON shape (``{"red_flags": {"fever": ...}}``) of dotted-key answers."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        section, _, name = key.rpartition(".")
        target = nested.setdefault(section, {}) if section else nested
        target[name] = value
    return nested
