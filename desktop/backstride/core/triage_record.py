"""The stored form of a check-up: answers as nested JSON, the result with what its page needs.

``TriageResult.to_json()`` is the CLI's public output; a stored result keeps that and adds
the fields the result page shows (other flags, unanswered questions by tier, the NICE
features), so a saved check-up is shown again exactly as it was, even after the rules change.
A result stored before rules 2026.12.1 has no ``basis``: it is the one its tier had then.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final, cast

from backstride.core.errors import BackstrideError
from backstride.core.triage import BASES, TIERS, Contradiction, TriageResult
from backstride.core.triage_answers import SPECS, Tier

__all__ = [
    "RecordError",
    "flatten_answers",
    "nest_answers",
    "result_from_record",
    "result_record",
    "when_text",
]


class RecordError(BackstrideError, ValueError):
    """A stored result that cannot be read back (damaged, or from an unknown version)."""


def when_text(moment: datetime) -> str:
    """A check-up's time as the runner reads it, in local time: "3 Mar 2026, 14:05"."""
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


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
    raised = record.get("raised_for_unanswered") is True
    return TriageResult(
        tier=cast(Tier, tier),
        basis=_basis(record.get("basis", _OLDER_BASIS[tier]), tier, raised),
        reasons=texts("reasons"),
        patterns=texts("patterns"),
        factors=texts("factors"),
        advice=texts("advice"),
        unanswered_emergency=texts("unanswered_emergency"),
        unanswered_urgent=texts("unanswered_urgent"),
        contradictions=_contradictions(record.get("contradictions", [])),
        other_flags=texts("other_flags"),
        nice_features=texts("nice_features"),
        raised_for_unanswered=raised,
        rules_version=version if isinstance(version, str) and version else "unknown",
    )


# What set each tier before results said so (rules 2026.11.1 and earlier): the one basis
# each tier had then.
_OLDER_BASIS: Final[Mapping[str, str]] = {
    "emergency": "emergency_sign",
    "urgent": "urgent_sign",
    "soon": "inflammatory",
    "self_care": "clear",
}


def _basis(basis: object, tier: str, raised: bool) -> str:
    if basis == "urgent_sign" and raised:
        return "unanswered_emergency"  # older rules raised urgent for unanswered questions
    if not isinstance(basis, str) or BASES.get(basis) != tier:
        raise RecordError(f"the stored result has an unknown basis {basis!r} for {tier!r}")
    return basis


def _contradictions(value: object) -> tuple[Contradiction, ...]:
    problem = RecordError("the stored result's 'contradictions' are damaged")
    if not isinstance(value, list):
        raise problem
    found: list[Contradiction] = []
    for item in value:
        if not isinstance(item, Mapping):
            raise problem
        code, question, recheck = item.get("code"), item.get("question"), item.get("recheck")
        regions = item.get("regions")
        texts = (code, question, recheck)
        if not all(isinstance(t, str) for t in texts) or not isinstance(regions, list):
            raise problem
        found.append(
            Contradiction(str(code), str(question), str(recheck), tuple(map(str, regions)))
        )
    return tuple(found)


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
