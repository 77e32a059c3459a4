"""The symptom check-up's rules: answers in, urgency tier and advice out.

``evaluate`` is a pure, deterministic function of the answers (and of the packaged wording,
read once). It never diagnoses: it sorts answers by how soon to get care, names the
patterns and running factors worth a look, and says which answers led there. Facts and
thresholds come from ../shared/clinical.md, cited where they are used. Change
RULES_VERSION whenever a rule changes, so stored results say which rules made them.

Decisions worth knowing:
- The urgency tier is the most urgent one any answer reaches: emergency, urgent, soon
  (NICE NG65 inflammatory back pain), else self-care.
- An unanswered emergency question counts as "urgent" until it is answered: the app cannot
  say there is nothing urgent while it does not know. ``reasons`` then stays empty (no answer
  set the tier) and ``unanswered`` lists the questions; the advice asks for them.
- Age at onset is ``history.onset_age``, or the current ``age`` when that is not given
  (onset can only be earlier, so "before 45/35/20" stays true, and "after 55" errs towards
  getting checked).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Final

from backstride.core.resources import read_toml
from backstride.core.triage_answers import (
    Answers,
    AnswersError,
    Tier,
    parse_answers,
    red_flag_keys,
)
from backstride.core.triage_wording import (
    QUESTIONS_FILE,
    RESULTS_FILE,
    FactorWording,
    PatternWording,
    Questionnaire,
    TierWording,
    Wording,
    WordingError,
    parse_questions,
    parse_results,
    require,
    require_placeholders,
)

__all__ = [
    "FACTORS",
    "PATTERNS",
    "RULES_VERSION",
    "TIERS",
    "Answers",
    "AnswersError",
    "TriageResult",
    "WordingError",
    "evaluate",
    "factor_wording",
    "headline_text",
    "load_questions",
    "load_wording",
    "parse_answers",
    "pattern_wording",
    "question_label",
    "render_text",
    "tier_wording",
    "why_text",
]

RULES_VERSION: Final = "2026.11.1"

TIERS: Final[tuple[Tier, ...]] = ("emergency", "urgent", "soon", "self_care")  # most urgent first
PATTERNS: Final = ("nerve_root", "inflammatory", "inflammatory_possible", "non_specific")
FACTORS: Final = ("warmup", "core", "fatigue", "gait", "weight", "speed", "downhill", "load")

EMERGENCY_FLAGS: Final = red_flag_keys("emergency")
URGENT_FLAGS: Final = red_flag_keys("urgent")

# Onset under 20 or over 55 is an urgent flag (clinical.md s1: Downie et al., BMJ 2013;
# Finucane et al., JOSPT 2020).
ONSET_URGENT_UNDER: Final = 20
ONSET_URGENT_OVER: Final = 55

# NICE NG65 inflammatory back pain: onset before 45, lasting over 3 months, and >= 4 of
# 7 criteria (one of them onset before 35); with exactly 3 a doctor may test HLA-B27.
NICE_ONSET_BEFORE: Final = 45
NICE_EARLY_ONSET_BEFORE: Final = 35
NICE_LONGER_THAN_WEEKS: Final = 13  # 3 months = 13 weeks; "over 3 months" is 14 or more
NICE_MIN_FEATURES: Final = 4

# Maselli et al., BMC MSD 2020: BMI > 24 among risk factors for runners' back pain.
# Adult BMI cut-offs do not apply to children, so only from 18 (or age not given).
BMI_OVER: Final = 24.0
ADULT_FROM_AGE: Final = 18
# Drozda et al., Gait Posture 2024: runners with back pain averaged 166 steps/min against
# 171 (association only).
CADENCE_BELOW: Final = 166.0
# Load: the 10 % rule is unsupported (Buist 2008; Nielsen 2014; Fredette 2022) and load
# ratios are contested (Impellizzeri 2021). We mention a rise above 1.3x in 4 weeks (the top
# of Gabbett's 2016 "sweet spot") only as something to test, never as a risk estimate.
LOAD_RATIO_OVER: Final = 1.3
# The seed's advice is a core routine; fewer than 2 sessions a week is this app's prompt,
# not an evidence-based dose.
CORE_SESSIONS_BELOW: Final = 2

_LEFT_LEG: Final = frozenset({"thigh_left", "below_knee_left", "foot_left"})
_RIGHT_LEG: Final = frozenset({"thigh_right", "below_knee_right", "foot_right"})
_BELOW_KNEE: Final = frozenset({"below_knee_left", "below_knee_right", "foot_left", "foot_right"})
_BUTTOCKS: Final = frozenset({"buttock_left", "buttock_right"})

# Placeholders each factor's detail may use (filled by _factor_measures).
_FACTOR_MEASURES: Final = {
    "gait": ("cadence",),
    "weight": ("bmi",),
    "load": ("now", "before", "change_pct"),
}


@dataclass(frozen=True, slots=True)
class TriageResult:
    tier: Tier
    reasons: tuple[str, ...]  # answer keys that set the tier (empty for self-care)
    patterns: tuple[str, ...]
    factors: tuple[str, ...]
    advice: tuple[str, ...]  # plain words, most important first
    unanswered_emergency: tuple[str, ...]
    unanswered_urgent: tuple[str, ...] = ()
    other_flags: tuple[str, ...] = ()  # warning signs of a lower tier also answered yes
    nice_features: tuple[str, ...] = ()  # answer keys meeting NICE NG65 criteria
    raised_for_unanswered: bool = False  # tier is "urgent" only because of unanswered items
    rules_version: str = RULES_VERSION

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Unanswered warning-sign questions: emergency ones first."""
        return self.unanswered_emergency + self.unanswered_urgent

    def to_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "reasons": list(self.reasons),
            "patterns": list(self.patterns),
            "factors": list(self.factors),
            "advice": list(self.advice),
            "rules_version": self.rules_version,
            "unanswered": list(self.unanswered),
        }


# ---------------------------------------------------------------- wording


@functools.cache
def load_questions() -> Questionnaire:
    """The wizard's pages and questions (checked against the answer schema)."""
    return parse_questions(read_toml("wizard", QUESTIONS_FILE))


@functools.cache
def load_wording() -> Wording:
    """All result wording, checked to cover every code the rules can return."""
    wording = parse_results(read_toml("wizard", RESULTS_FILE))
    require(wording, "tiers", TIERS)
    require(wording, "patterns", PATTERNS)
    require(wording, "factors", FACTORS)
    require(wording, "prompts", ("unanswered_emergency", "unanswered_urgent", "unanswered_why"))
    require(wording, "checks", ("saddle_on_map", "both_legs_on_map"))
    require(wording, "general", ("topical",))
    require(wording, "disclaimer", ("not_diagnosis", "when_to_seek_care"))
    require(wording, "labels", _LABELS)
    for name, template in wording.prompts.items():
        require_placeholders(template, ("questions",), f"prompts.{name}")
    for code, factor in wording.factors.items():
        require_placeholders(factor.detail, _FACTOR_MEASURES.get(code, ()), f"factors.{code}")
    return wording


_LABELS: Final = (
    "action",
    "contact",
    "why",
    "limits",
    "reasons",
    "other_flags",
    "patterns",
    "advice",
    "test_it",
    "not_diagnosis",
    "when_to_seek_care",
    "rules_version",
)


def tier_wording(tier: str) -> TierWording:
    return load_wording().tiers[tier]


def pattern_wording(code: str) -> PatternWording:
    return load_wording().patterns[code]


def factor_wording(code: str) -> FactorWording:
    return load_wording().factors[code]


def headline_text(result: TriageResult) -> str:
    """The line a result page leads with, e.g. "Get emergency help now"."""
    return tier_wording(result.tier).headline


def why_text(result: TriageResult) -> str:
    """Why this tier: the tier's reason, or the unanswered-questions reason."""
    if result.raised_for_unanswered:
        return load_wording().prompts["unanswered_why"]
    return tier_wording(result.tier).why


def question_label(key: str) -> str:
    return load_questions().label(key)


# ---------------------------------------------------------------- rules


def evaluate(answers: Answers) -> TriageResult:
    """The check-up's result for validated answers. Pure and deterministic."""
    emergency = tuple(k for k in EMERGENCY_FLAGS if answers.get(k) is True)
    urgent = _urgent_reasons(answers)
    nice_gate = _nice_gate(answers)
    nice = _nice_features(answers)
    inflammatory = bool(nice_gate) and len(nice) >= NICE_MIN_FEATURES
    soon = tuple(dict.fromkeys(nice_gate + nice)) if inflammatory else ()

    tier: Tier = "self_care"
    reasons: tuple[str, ...] = ()
    ranked: tuple[tuple[Tier, tuple[str, ...]], ...] = (
        ("emergency", emergency),
        ("urgent", urgent),
        ("soon", soon),
    )
    for candidate, found in ranked:
        if found:
            tier, reasons = candidate, found
            break
    unanswered_emergency = tuple(k for k in EMERGENCY_FLAGS if answers.get(k) is None)
    unanswered_urgent = tuple(k for k in (*URGENT_FLAGS, "age") if answers.get(k) is None)
    raised = False
    if unanswered_emergency and TIERS.index(tier) > TIERS.index("urgent"):
        tier, reasons, raised = "urgent", (), True
    other_flags = urgent if tier == "emergency" else ()

    patterns: list[str] = []
    if _nerve_root(answers):
        patterns.append("nerve_root")
    if inflammatory:
        patterns.append("inflammatory")
    elif nice_gate and len(nice) == NICE_MIN_FEATURES - 1:
        patterns.append("inflammatory_possible")
    if not patterns and tier == "self_care":
        patterns.append("non_specific")

    measures = _factor_measures(answers)
    factors = tuple(code for code in FACTORS if code in measures)
    advice = _advice(
        tier, tuple(patterns), factors, measures, unanswered_emergency, unanswered_urgent, answers
    )
    return TriageResult(
        tier=tier,
        reasons=reasons,
        patterns=tuple(patterns),
        factors=factors,
        advice=advice,
        unanswered_emergency=unanswered_emergency,
        unanswered_urgent=unanswered_urgent,
        other_flags=other_flags,
        nice_features=nice,
        raised_for_unanswered=raised,
    )


def _onset(answers: Answers) -> tuple[int, str] | None:
    """Age at onset and the key it came from (see the module docstring)."""
    if answers.history.onset_age is not None:
        return answers.history.onset_age, "history.onset_age"
    if answers.age is not None:
        return answers.age, "age"
    return None


def _urgent_reasons(answers: Answers) -> tuple[str, ...]:
    found = [k for k in URGENT_FLAGS if answers.get(k) is True]
    # Osteoporosis is a fracture-risk flag however it was reported (clinical.md s1).
    conditions = answers.history.conditions or ()
    if "osteoporosis" in conditions and answers.red_flags.osteoporosis is not True:
        found.append("history.conditions")
    onset = _onset(answers)
    if onset is not None and not ONSET_URGENT_UNDER <= onset[0] <= ONSET_URGENT_OVER:
        found.append(onset[1])
    return tuple(found)


def _nice_gate(answers: Answers) -> tuple[str, ...]:
    """The keys meeting NICE NG65's entry condition, or () when it is not met."""
    onset = _onset(answers)
    weeks = answers.history.pain_weeks
    if onset is None or weeks is None:
        return ()
    if onset[0] < NICE_ONSET_BEFORE and weeks > NICE_LONGER_THAN_WEEKS:
        return (onset[1], "history.pain_weeks")
    return ()


def _nice_features(answers: Answers) -> tuple[str, ...]:
    """Answer keys meeting NICE NG65's 7 criteria (one key per criterion)."""
    p = answers.pattern
    found: list[str] = []
    onset = _onset(answers)
    if onset is not None and onset[0] < NICE_EARLY_ONSET_BEFORE:
        found.append(onset[1])
    if p.wakes_second_half_night:
        found.append("pattern.wakes_second_half_night")
    # NICE's criterion is any buttock pain: the alternating question or the body map.
    if p.buttock_pain_alternating:
        found.append("pattern.buttock_pain_alternating")
    elif _BUTTOCKS & set(p.regions or ()):
        found.append("pattern.regions")
    for key, value in (
        ("pattern.better_with_movement", p.better_with_movement),
        ("pattern.nsaid_relief_48h", p.nsaid_relief_48h),
        ("pattern.family_spondyloarthritis", p.family_spondyloarthritis),
        ("pattern.psoriasis_arthritis_enthesitis", p.psoriasis_arthritis_enthesitis),
    ):
        if value:
            found.append(key)
    return tuple(found)


def _nerve_root(answers: Answers) -> bool:
    """Radicular pattern (clinical.md s2): at least 2 of below-knee leg symptoms, leg pain
    worse than back pain, numbness or tingling. Below-knee pain alone can be referred pain."""
    p = answers.pattern
    below_knee = bool(p.below_knee) or bool(_BELOW_KNEE & set(p.regions or ()))
    return sum((below_knee, bool(p.leg_worse_than_back), bool(p.numbness_tingling))) >= 2


def _factor_measures(answers: Answers) -> dict[str, dict[str, float]]:
    """The running factors that apply, each with the numbers its wording may quote."""
    r = answers.running
    found: dict[str, dict[str, float]] = {}
    if r.warmup in ("none", "short"):
        found["warmup"] = {}
    if r.core_sessions_per_week is not None and r.core_sessions_per_week < CORE_SESSIONS_BELOW:
        found["core"] = {}
    if r.long_run_fatigue:
        found["fatigue"] = {}
    if r.cadence_spm is not None and r.cadence_spm < CADENCE_BELOW:
        found["gait"] = {"cadence": r.cadence_spm}
    bmi = _bmi(answers)
    adult = answers.age is None or answers.age >= ADULT_FROM_AGE
    if bmi is not None and bmi > BMI_OVER and adult:
        found["weight"] = {"bmi": bmi}
    if r.speed_increase_recent:
        found["speed"] = {}
    if r.downhill_share in ("some", "high"):
        found["downhill"] = {}
    now, before = r.weekly_km, r.weekly_km_4w_ago
    # Starting from nothing (0 km four weeks ago) counts as a rise.
    if now and before is not None and (before == 0 or now / before > LOAD_RATIO_OVER):
        change = (now / before - 1) * 100 if before else 100.0
        found["load"] = {"now": now, "before": before, "change_pct": change}
    return found


def _bmi(answers: Answers) -> float | None:
    if answers.height_cm is None or answers.weight_kg is None:
        return None
    metres = answers.height_cm / 100
    return answers.weight_kg / (metres * metres)


def _advice(
    tier: Tier,
    patterns: tuple[str, ...],
    factors: tuple[str, ...],
    measures: dict[str, dict[str, float]],
    unanswered_emergency: tuple[str, ...],
    unanswered_urgent: tuple[str, ...],
    answers: Answers,
) -> tuple[str, ...]:
    """Tier action first; on an emergency nothing else distracts from it."""
    w = load_wording()
    advice = [w.tiers[tier].action]
    if tier == "emergency":
        return tuple(advice)
    if unanswered_emergency:
        advice.append(
            w.prompts["unanswered_emergency"].format(questions=_labels(unanswered_emergency))
        )
    if unanswered_urgent:
        advice.append(w.prompts["unanswered_urgent"].format(questions=_labels(unanswered_urgent)))
    regions = set(answers.pattern.regions or ())
    if "saddle" in regions and answers.red_flags.saddle_numbness is not True:
        advice.append(w.checks["saddle_on_map"])
    if regions & _LEFT_LEG and regions & _RIGHT_LEG and answers.red_flags.both_legs is not True:
        advice.append(w.checks["both_legs_on_map"])
    for code in patterns:
        advice.append(f"{w.patterns[code].title}: {w.patterns[code].action}")
    for code in factors:
        f = w.factors[code]
        detail = f.detail.format(**measures[code]) + " " if f.detail else ""
        advice.append(f"{f.title}: {detail}{f.advice} {w.labels['test_it']} {f.log}")
    if tier in ("soon", "self_care"):
        advice.append(w.general["topical"])
    return tuple(advice)


def _labels(keys: tuple[str, ...]) -> str:
    return "; ".join(question_label(k) for k in keys)


# ---------------------------------------------------------------- text output


def render_text(result: TriageResult) -> str:
    """The result as plain text for the CLI: tier, why, patterns, advice, disclaimer."""
    w = load_wording()
    label = w.labels
    tier = w.tiers[result.tier]
    lines = [
        f"{tier.name.upper()}: {headline_text(result)}",
        "",
        f"{label['action']}: {result.advice[0]}",
    ]
    if result.reasons:
        lines.append(f"{label['reasons']}: {_labels(result.reasons)}")
    if result.other_flags:
        lines.append(f"{label['other_flags']}: {_labels(result.other_flags)}")
    lines += [
        f"{label['contact']}: {tier.contact}",
        f"{label['why']}: {why_text(result)}",
        f"{label['limits']}: {tier.limits}",
    ]
    if result.patterns and result.tier != "emergency":
        lines += ["", f"{label['patterns']}:"]
        for code in result.patterns:
            p = w.patterns[code]
            lines.append(f"- {p.title}. {p.explanation}")
    if len(result.advice) > 1:
        lines += ["", f"{label['advice']}:"]
        lines += [f"- {item}" for item in result.advice[1:]]
    lines += [
        "",
        f"{label['not_diagnosis']}: {w.disclaimer['not_diagnosis']}",
        f"{label['when_to_seek_care']}: {w.disclaimer['when_to_seek_care']}",
        f"{label['rules_version']}: {result.rules_version}",
    ]
    return "\n".join(lines) + "\n"
