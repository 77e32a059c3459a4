"""The check-up's answers: their schema, validation and storage form.

The answers travel as a JSON-shaped dict (the CLI's ANSWERS.json, the stored assessment).
A missing key or ``null`` means "not answered"; an unknown key is an error so that a typo
never silently drops an answer. The schema lives here, in code, because the rules depend on
the types; ``resources/wizard/questions.toml`` repeats kinds and limits for the GUI and
``triage_wording`` checks that the two agree.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.limits import MAX_LISTED_PROBLEMS, capped
from backstride.core.text import printable_name, quoted
from backstride.core.vocab import REGIONS

Kind = Literal["yes_no", "number", "choice", "multi", "regions"]
KINDS: tuple[Kind, ...] = ("yes_no", "number", "choice", "multi", "regions")
Tier = Literal["emergency", "urgent", "soon", "self_care"]
FlagTier = Literal["emergency", "urgent"]


@dataclass(frozen=True, slots=True)
class Spec:
    """What one answer may hold. ``key`` is the dotted path in the answers JSON."""

    key: str
    kind: Kind
    what: str = "a value"  # for messages: "enter an age from 0 to 120 years"
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    integer: bool = False
    codes: tuple[str, ...] = ()
    tier: FlagTier | None = None  # red flags only: how urgent a "yes" is
    legacy: bool = False  # read from older files and stored check-ups, no longer asked


def _spec(kind: Kind, **kw: Any) -> Any:
    # The key is filled in when the dataclasses are walked (see _collect_specs).
    return field(default=None, metadata={"spec": Spec(key="", kind=kind, **kw)})


def _flag(tier: FlagTier) -> Any:
    return _spec("yes_no", tier=tier)


def _yes_no() -> Any:
    return _spec("yes_no")


def _legacy_yes_no() -> Any:
    return _spec("yes_no", legacy=True)


# Conditions a runner may have been told about (the seed's list, issue 5).
CONDITION_CODES = (
    "sprain_strain",
    "scoliosis",
    "kyphosis",
    "spondylosis",
    "ankylosing_spondylitis",
    "disc",
    "osteoarthritis",
    "rheumatoid_arthritis",
    "sacroiliitis_infection",
    "sciatica",
    "nerve_compression",
    "osteoporosis",
)
RUNNING_RELATION_CODES = ("during", "after", "next_day", "unrelated")
WARMUP_CODES = ("none", "short", "full")
DOWNHILL_CODES = ("low", "some", "high")


@dataclass(frozen=True, slots=True)
class RedFlagAnswers:
    # Emergency: cauda equina signs, trauma, chest pain (docs/clinical-sources.md,
    # "Emergency now").
    saddle_numbness: bool | None = _flag("emergency")
    bladder_bowel_change: bool | None = _flag("emergency")
    sexual_dysfunction_new: bool | None = _flag("emergency")
    both_legs: bool | None = _flag("emergency")
    weakness_worsening: bool | None = _flag("emergency")
    foot_drop: bool | None = _flag("emergency")
    major_trauma: bool | None = _flag("emergency")
    chest_pain: bool | None = _flag("emergency")
    # Urgent: fracture, cancer, infection screens (docs/clinical-sources.md,
    # "See a doctor urgently"). A minor fall is urgent only with a fracture risk (the rules).
    fever: bool | None = _flag("urgent")
    weight_loss: bool | None = _flag("urgent")
    cancer_history: bool | None = _flag("urgent")
    night_pain_unrelieved: bool | None = _flag("urgent")
    cough_sneeze_worse: bool | None = _flag("urgent")
    thoracic_pain: bool | None = _flag("urgent")
    steroid_use: bool | None = _flag("urgent")
    osteoporosis: bool | None = _flag("urgent")
    minor_fall: bool | None = _flag("urgent")
    immunosuppressed: bool | None = _flag("urgent")
    back_deformity: bool | None = _flag("urgent")


@dataclass(frozen=True, slots=True)
class HistoryAnswers:
    conditions: tuple[str, ...] | None = _spec("multi", codes=CONDITION_CODES)
    pain_weeks: int | None = _spec(
        "number", what="a number of weeks", minimum=0, maximum=5200, unit="weeks", integer=True
    )
    onset_age: int | None = _spec(
        "number", what="an age", minimum=0, maximum=120, unit="years", integer=True
    )
    recurrence: bool | None = _yes_no()
    getting_worse: bool | None = _yes_no()
    limits_daily_activities: bool | None = _yes_no()


@dataclass(frozen=True, slots=True)
class PatternAnswers:
    regions: tuple[str, ...] | None = _spec("regions", codes=tuple(REGIONS))
    below_knee: bool | None = _yes_no()
    leg_worse_than_back: bool | None = _yes_no()
    numbness_tingling: bool | None = _yes_no()
    morning_stiffness_min: int | None = _spec(
        "number", what="a number of minutes", minimum=0, maximum=1440, unit="min", integer=True
    )
    better_with_movement: bool | None = _yes_no()
    better_with_rest: bool | None = _yes_no()
    wakes_second_half_night: bool | None = _yes_no()
    buttock_pain_alternating: bool | None = _yes_no()
    nsaid_relief_48h: bool | None = _yes_no()
    family_spondyloarthritis: bool | None = _yes_no()
    arthritis_history: bool | None = _yes_no()
    enthesitis_history: bool | None = _yes_no()
    psoriasis_history: bool | None = _yes_no()
    running_relation: str | None = _spec("choice", codes=RUNNING_RELATION_CODES)
    # Rules before 2026.12.1 asked these three in one question (NICE NG65 counts them apart).
    psoriasis_arthritis_enthesitis: bool | None = _legacy_yes_no()


@dataclass(frozen=True, slots=True)
class RecheckAnswers:
    """The warning-sign questions asked again when the body map contradicts a "no"."""

    saddle_numbness: bool | None = _yes_no()
    both_legs: bool | None = _yes_no()


@dataclass(frozen=True, slots=True)
class RunningAnswers:
    warmup: str | None = _spec("choice", codes=WARMUP_CODES)
    core_sessions_per_week: int | None = _spec(
        "number", what="a number of sessions", minimum=0, maximum=21, unit="per week", integer=True
    )
    long_run_fatigue: bool | None = _yes_no()
    cadence_spm: float | None = _spec(
        "number", what="a cadence", minimum=100, maximum=250, unit="steps/min"
    )
    speed_increase_recent: bool | None = _yes_no()
    downhill_share: str | None = _spec("choice", codes=DOWNHILL_CODES)
    weekly_km: float | None = _spec(
        "number", what="a weekly distance", minimum=0, maximum=500, unit="km"
    )
    weekly_km_4w_ago: float | None = _spec(
        "number", what="a weekly distance", minimum=0, maximum=500, unit="km"
    )


_SECTIONS: dict[str, type] = {
    "red_flags": RedFlagAnswers,
    "history": HistoryAnswers,
    "pattern": PatternAnswers,
    "recheck": RecheckAnswers,
    "running": RunningAnswers,
}


@dataclass(frozen=True, slots=True)
class Answers:
    """Validated answers; ``None`` anywhere means "not answered"."""

    age: int | None = _spec(
        "number", what="an age", minimum=0, maximum=120, unit="years", integer=True
    )
    height_cm: float | None = _spec("number", what="a height", minimum=50, maximum=250, unit="cm")
    weight_kg: float | None = _spec("number", what="a weight", minimum=20, maximum=300, unit="kg")
    red_flags: RedFlagAnswers = field(default_factory=RedFlagAnswers)
    history: HistoryAnswers = field(default_factory=HistoryAnswers)
    pattern: PatternAnswers = field(default_factory=PatternAnswers)
    recheck: RecheckAnswers = field(default_factory=RecheckAnswers)
    running: RunningAnswers = field(default_factory=RunningAnswers)

    def get(self, key: str) -> Any:
        """The answer at a dotted key such as ``red_flags.fever`` (None if unanswered)."""
        if key not in SPECS:
            raise KeyError(f"{key!r} is not an answer key")
        node: Any = self
        for part in key.split("."):
            node = getattr(node, part)
        return node

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped form for storage; every key is present, ``None`` if unanswered
        (a legacy key only when it was answered)."""
        out: dict[str, Any] = {}
        for key, spec in SPECS.items():
            value = self.get(key)
            if spec.legacy and value is None:
                continue
            if isinstance(value, tuple):
                value = list(value)
            *section, name = key.split(".")
            target = out.setdefault(section[0], {}) if section else out
            target[name] = value
        return out


def _collect_specs() -> dict[str, Spec]:
    specs: dict[str, Spec] = {}

    def walk(cls: type, prefix: str) -> None:
        for f in fields(cls):
            if f.name in _SECTIONS and not prefix:
                walk(_SECTIONS[f.name], f"{f.name}.")
                continue
            spec: Spec = f.metadata["spec"]
            key = prefix + f.name
            specs[key] = replace(spec, key=key)

    walk(Answers, "")
    return specs


# Every answer key, in the order of the dataclasses (top-level first, then by section).
SPECS: Mapping[str, Spec] = _collect_specs()


def red_flag_keys(tier: FlagTier) -> tuple[str, ...]:
    """The red-flag keys whose "yes" means ``tier``, in question order."""
    return tuple(k for k, s in SPECS.items() if s.tier == tier)


class AnswersError(ValidationError):
    """Answers that cannot be evaluated; each problem names its key and what to fix."""

    @property
    def key(self) -> str:
        return self.problems[0].field


def parse_answers(data: Mapping[str, Any]) -> Answers:
    """Validate a JSON-shaped answers dict; raise AnswersError listing every problem."""
    problems: list[FieldProblem] = []
    if not isinstance(data, Mapping):
        raise AnswersError(
            [FieldProblem("answers", "expected a JSON object with keys such as age and red_flags")]
        )
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
    for name, raw in data.items():
        if not isinstance(name, str):
            problems.append(FieldProblem(_show(name), "answer keys must be text"))
        elif name in _SECTIONS:
            _parse_section(name, raw, sections[name], problems)
        elif name in SPECS and "." not in name:  # "red_flags.fever" belongs in its section
            top[name] = _parse_value(SPECS[name], raw, problems)
        else:
            problems.append(FieldProblem(_key(name), _unknown_message(name, "", problems)))
    answers = Answers(
        **top,
        **{name: cls(**sections[name]) for name, cls in _SECTIONS.items()},
    )
    onset, age = answers.history.onset_age, answers.age
    if onset is not None and age is not None and onset > age:
        problems.append(
            FieldProblem(
                "history.onset_age",
                f"{onset} is more than your age ({age}); enter the age when the pain began",
            )
        )
    if problems:
        raise AnswersError(capped(problems, "answers"))
    return answers


def _parse_section(name: str, raw: Any, out: dict[str, Any], problems: list[FieldProblem]) -> None:
    if raw is None:
        return  # a whole section left unanswered
    if not isinstance(raw, Mapping):
        problems.append(
            FieldProblem(name, f"expected an object of answers (or null), not {_show(raw)}")
        )
        return
    for sub, value in raw.items():
        key = f"{name}.{sub}"
        if key in SPECS:
            out[sub] = _parse_value(SPECS[key], value, problems)
        else:
            problems.append(
                FieldProblem(_key(key), _unknown_message(str(sub), f"{name}.", problems))
            )


def _key(name: str) -> str:
    """A key as named in a message: shortened, and printable."""
    short = name if len(name) <= 60 else name[:60] + "…"
    return printable_name(short)


def _unknown_message(name: str, prefix: str, problems: list[FieldProblem]) -> str:
    if len(problems) >= MAX_LISTED_PROBLEMS:
        return "unknown key"  # only counted (see `capped`): no need to find a close match
    if prefix:
        known = [k.removeprefix(prefix) for k in SPECS if k.startswith(prefix)]
    else:
        known = [k for k in SPECS if "." not in k] + list(_SECTIONS)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
    hint = f"did you mean '{close[0]}'? " if close else "check the spelling. "
    return f"unknown key; {hint}Known keys here: {', '.join(known)}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, int) and abs(value) >= 10**15:
        return "a number of " + f"{len(str(abs(value))):,} digits"
    return str(value)


def _parse_value(spec: Spec, raw: Any, problems: list[FieldProblem]) -> Any:
    if raw is None:
        return None
    before = len(problems)
    value: Any
    if spec.kind == "yes_no":
        value = _parse_yes_no(spec, raw, problems)
    elif spec.kind == "number":
        value = _parse_number(spec, raw, problems)
    elif spec.kind == "choice":
        value = _parse_choice(spec, raw, problems)
    else:
        value = _parse_codes(spec, raw, problems)
    return value if len(problems) == before else None


def _parse_yes_no(spec: Spec, raw: Any, problems: list[FieldProblem]) -> bool | None:
    if isinstance(raw, bool):
        return raw
    problems.append(
        FieldProblem(spec.key, f"expected true or false (null if unanswered), not {_show(raw)}")
    )
    return None


def _parse_number(spec: Spec, raw: Any, problems: list[FieldProblem]) -> float | int | None:
    assert spec.minimum is not None and spec.maximum is not None
    unit = f" {spec.unit}" if spec.unit else ""
    fix = f"enter {spec.what} from {spec.minimum:g} to {spec.maximum:g}{unit}"
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        problems.append(FieldProblem(spec.key, f"expected a number, not {_show(raw)}; {fix}"))
        return None
    # An int is compared exactly: math.isfinite and :g would overflow on 400 digits.
    if isinstance(raw, float) and not math.isfinite(raw):
        problems.append(FieldProblem(spec.key, f"{raw} is not a number; {fix}"))
        return None
    if not spec.minimum <= raw <= spec.maximum:
        shown = _show(raw) if isinstance(raw, int) else f"{raw:g}"
        problems.append(FieldProblem(spec.key, f"{shown} is out of range; {fix}"))
        return None
    if spec.integer:
        if raw != int(raw):
            problems.append(FieldProblem(spec.key, f"{raw:g} is not a whole number; {fix}"))
            return None
        return int(raw)
    return float(raw)


def _parse_choice(spec: Spec, raw: Any, problems: list[FieldProblem]) -> str | None:
    if isinstance(raw, str) and raw in spec.codes:
        return raw
    problems.append(FieldProblem(spec.key, f"{_show(raw)} is not one of: {', '.join(spec.codes)}"))
    return None


def _parse_codes(spec: Spec, raw: Any, problems: list[FieldProblem]) -> tuple[str, ...] | None:
    if not isinstance(raw, list | tuple):
        problems.append(
            FieldProblem(spec.key, f"expected a list of codes (may be empty), not {_show(raw)}")
        )
        return None
    unknown = [c for c in raw if not isinstance(c, str) or c not in spec.codes]
    if unknown:
        shown = ", ".join(_show(c) for c in unknown[:5]) + (
            f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
        )
        problems.append(
            FieldProblem(spec.key, f"unknown code {shown}; use codes from: {', '.join(spec.codes)}")
        )
        return None
    return tuple(dict.fromkeys(raw))  # drop repeats, keep the order given
