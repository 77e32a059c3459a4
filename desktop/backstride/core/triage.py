"""The symptom check-up's rules: answers in, urgency tier and advice out.

``evaluate`` is a pure, deterministic function of the answers (and of the packaged wording,
read once). It never diagnoses: it sorts answers by how soon to get care, names the
patterns and running factors worth a look, and says which answers led there. Every rule is
summarised with its source in docs/clinical-sources.md (cited below by section). Change
RULES_VERSION whenever a rule changes, so stored results say which rules made them.

Decisions worth knowing:
- The urgency tier is the most urgent one any answer reaches: emergency, urgent, soon, else
  self-care. ``basis`` says what set it (e.g. "nerve_root" for soon); the headline, the
  action and the "why" follow the basis.
- Self-care says "no warning signs found" only when every warning-sign question was
  answered no and nothing on the body map contradicts an answer. An unanswered emergency
  question gives at least "urgent", an unanswered urgent one (or the age) at least "soon":
  the app cannot say there is nothing urgent while it does not know. ``reasons`` then stays
  empty (no answer set the tier) and ``unanswered`` lists the questions.
- A body-map region that contradicts a "no" (the saddle area, both legs) gives "urgent"
  until the question is answered again (``recheck``): the wizard asks it on the spot.
- Age at onset is ``history.onset_age``, or the current ``age`` when that is not given
  (onset can only be earlier, so "before 45/35/20" stays true, and "after 55" errs towards
  getting checked).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
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
from backstride.core.vocab import REGIONS

__all__ = [
    "BASES",
    "FACTORS",
    "PATTERNS",
    "RULES_VERSION",
    "TIERS",
    "Answers",
    "AnswersError",
    "Contradiction",
    "TriageResult",
    "WordingError",
    "action_text",
    "body_map_conflicts",
    "evaluate",
    "factor_wording",
    "headline_text",
    "load_questions",
    "load_wording",
    "parse_answers",
    "pattern_wording",
    "question_label",
    "reason_lines",
    "render_text",
    "tier_wording",
    "urgent_sign_answered",
    "why_text",
]

RULES_VERSION: Final = "2026.12.1"

TIERS: Final[tuple[Tier, ...]] = ("emergency", "urgent", "soon", "self_care")  # most urgent first
PATTERNS: Final = ("nerve_root", "inflammatory", "inflammatory_possible", "non_specific")
FACTORS: Final = ("warmup", "core", "fatigue", "gait", "weight", "speed", "downhill", "load")
# What can set each tier; results.toml words each one.
BASES: Final[Mapping[str, Tier]] = {
    "emergency_sign": "emergency",
    "contradiction": "urgent",
    "urgent_sign": "urgent",
    "unanswered_emergency": "urgent",
    "inflammatory": "soon",
    "inflammatory_hla_b27": "soon",
    "nerve_root": "soon",
    "unanswered_urgent": "soon",
    "nerve_root_settling": "self_care",
    "minor_fall_low_risk": "self_care",
    "clear": "self_care",
}

EMERGENCY_FLAGS: Final = red_flag_keys("emergency")
URGENT_FLAGS: Final = red_flag_keys("urgent")  # every question whose "yes" can be urgent

# Fracture risk ("See a doctor urgently"): a minor fall, knock or strenuous lift is urgent
# at 65 or over (studies used over 70: a conservative cut), with osteoporosis or on
# long-term steroids (NICE CG88-based pathway; Han et al., Cochrane 2023).
MINOR_FALL: Final = "red_flags.minor_fall"
FRACTURE_RISK_FROM_AGE: Final = 65

# Onset under 20 or over 55 is an urgent flag ("See a doctor urgently": Downie et al., BMJ
# 2013; Finucane et al., JOSPT 2020).
ONSET_URGENT_UNDER: Final = 20
ONSET_URGENT_OVER: Final = 55

# NICE NG65 ("Inflammatory back pain"): onset before 45, lasting over 3 months, and 4 or
# more of 9 criteria -> refer to rheumatology; exactly 3 -> HLA-B27 test.
NICE_ONSET_BEFORE: Final = 45
NICE_EARLY_ONSET_BEFORE: Final = 35
NICE_LONGER_THAN_WEEKS: Final = 13  # 3 months = 13 weeks; "over 3 months" is 14 or more
NICE_REFER_FROM: Final = 4
NICE_HLA_B27_AT: Final = 3
# An older form asked these three criteria in one question.
NICE_SEPARATE: Final = (
    "pattern.arthritis_history",
    "pattern.enthesitis_history",
    "pattern.psoriasis_history",
)
NICE_LEGACY: Final = "pattern.psoriasis_arthritis_enthesitis"

# Sciatica ("Sciatica"): NHS advises a GP when it has not improved after a few weeks of
# home treatment, is getting worse or stops normal activities; 3 weeks is our reading.
SCIATICA_SOON_FROM_WEEKS: Final = 3

# Running factors ("Running factors"). Maselli et al., BMC MSD 2020: BMI > 24 among risk
# factors for runners' back pain.
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
# Each body-map conflict ("Unanswered and contradicting answers"): its code, the warning
# sign it contradicts, the question asked again, and the regions that contradict a "no"
# (both legs: one on each side).
_CONFLICTS: Final = (
    ("saddle", "red_flags.saddle_numbness", "recheck.saddle_numbness", (frozenset({"saddle"}),)),
    ("both_legs", "red_flags.both_legs", "recheck.both_legs", (_LEFT_LEG, _RIGHT_LEG)),
)

# Placeholders each factor's detail may use (filled by _factor_measures).
_FACTOR_MEASURES: Final = {
    "gait": ("cadence",),
    "weight": ("bmi",),
    "load": ("now", "before", "change_pct"),
}


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Body-map regions marked while the matching warning-sign question says no."""

    code: str  # "saddle" or "both_legs"
    question: str  # the warning sign answered no
    recheck: str  # the same question asked again
    regions: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "question": self.question,
            "answer": False,
            "recheck": self.recheck,
            "regions": list(self.regions),
        }


@dataclass(frozen=True, slots=True)
class TriageResult:
    tier: Tier
    basis: str  # what set the tier: a key of BASES
    reasons: tuple[str, ...]  # answer keys that set the tier (empty for self-care)
    patterns: tuple[str, ...]
    factors: tuple[str, ...]
    advice: tuple[str, ...]  # plain words, most important first
    unanswered_emergency: tuple[str, ...]
    unanswered_urgent: tuple[str, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()  # still standing: not answered again
    other_flags: tuple[str, ...] = ()  # warning signs of a lower tier also answered yes
    nice_features: tuple[str, ...] = ()  # answer keys meeting NICE NG65 criteria
    raised_for_unanswered: bool = False  # the tier is set by unanswered questions alone
    rules_version: str = RULES_VERSION

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Unanswered warning-sign questions: emergency ones first."""
        return self.unanswered_emergency + self.unanswered_urgent

    def to_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "basis": self.basis,
            "reasons": list(self.reasons),
            "contradictions": [c.to_json() for c in self.contradictions],
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
    require(wording, "bases", BASES)
    require(wording, "patterns", PATTERNS)
    require(wording, "factors", FACTORS)
    require(wording, "prompts", ("unanswered_emergency", "unanswered_urgent", "nerve_root_unknown"))
    require(wording, "checks", _CHECKS)
    require(wording, "general", ("topical", "older_rules", "nerve_root_visit"))
    require(wording, "disclaimer", ("not_diagnosis", "when_to_seek_care"))
    require(wording, "labels", _LABELS)
    for name, template in wording.prompts.items():
        require_placeholders(template, ("questions",), f"prompts.{name}")
    for name, template in wording.checks.items():
        allowed = ("regions", "question") if name == "contradiction" else ()
        require_placeholders(template, allowed, f"checks.{name}")
    require_placeholders(wording.general["older_rules"], ("version",), "general.older_rules")
    for code, factor in wording.factors.items():
        require_placeholders(factor.detail, _FACTOR_MEASURES.get(code, ()), f"factors.{code}")
    for code, tier in BASES.items():
        for phrase in ("headline", "action", "why"):
            if not _phrase(wording, code, phrase):
                raise WordingError(
                    RESULTS_FILE, f"bases.{code}", f"no {phrase} here or in tiers.{tier}"
                )
    return wording


_CHECKS: Final = (
    "contradiction",
    "saddle_on_map",
    "both_legs_on_map",
    "minor_fall_low_risk",
    "older_form",
)
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


def _phrase(wording: Wording, basis: str, phrase: str) -> str:
    """A basis's headline, action or why: its own, else its tier's."""
    own: str = getattr(wording.bases[basis], phrase)
    return own or str(getattr(wording.tiers[BASES[basis]], phrase))


def tier_wording(tier: str) -> TierWording:
    return load_wording().tiers[tier]


def pattern_wording(code: str) -> PatternWording:
    return load_wording().patterns[code]


def factor_wording(code: str) -> FactorWording:
    return load_wording().factors[code]


def headline_text(result: TriageResult) -> str:
    """The line a result page leads with, e.g. "Get emergency help now"."""
    return _phrase(load_wording(), result.basis, "headline")


def action_text(basis: str) -> str:
    """What to do now, for what set the tier (the first line of a result's advice)."""
    return _phrase(load_wording(), basis, "action")


def why_text(result: TriageResult) -> str:
    """Why this tier, for what set it."""
    return _phrase(load_wording(), result.basis, "why")


def question_label(key: str) -> str:
    """A question's label; a key from other rules (or a legacy one) is shown as it is."""
    try:
        return load_questions().label(key)
    except KeyError:
        return key


def reason_lines(result: TriageResult) -> tuple[str, ...]:
    """The answers that set the tier, in words: each contradiction as a sentence naming the
    regions and the answer, then the labels of the other reasons."""
    w = load_wording()
    lines = [
        w.checks["contradiction"].format(
            regions=_region_list(c.regions), question=question_label(c.question)
        )
        for c in result.contradictions
    ]
    named = {k for c in result.contradictions for k in ("pattern.regions", c.question)}
    rest = [k for k in result.reasons if k not in named]
    if rest:
        lines.append("; ".join(question_label(k) for k in rest))
    return tuple(lines)


def _region_list(codes: tuple[str, ...]) -> str:
    """Body-map regions inside a sentence: "back of left thigh and right foot"."""
    names = [REGIONS.get(c, c) for c in codes]
    names = [n[:1].lower() + n[1:] for n in names]
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1])))


# ---------------------------------------------------------------- rules


def evaluate(answers: Answers) -> TriageResult:
    """The check-up's result for validated answers. Pure and deterministic."""
    standing = tuple(c for c in body_map_conflicts(answers) if answers.get(c.recheck) is None)
    emergency = _emergency_reasons(answers)
    contradiction = _unique(k for c in standing for k in ("pattern.regions", c.question))
    urgent = _urgent_reasons(answers)
    nice_gate = _nice_gate(answers)
    nice = _nice_features(answers) if nice_gate else ()
    nerve = _nerve_root_keys(answers)
    nerve_triggers, nerve_unknown = _sciatica_course(answers) if nerve else ((), ())
    unanswered_emergency = tuple(k for k in EMERGENCY_FLAGS if answers.get(k) is None)
    unanswered_urgent = tuple(k for k in (*URGENT_FLAGS, "age") if answers.get(k) is None)

    reasons: tuple[str, ...] = ()
    basis: str
    if emergency:
        basis, reasons = "emergency_sign", emergency
    elif contradiction or urgent:
        basis = "contradiction" if contradiction else "urgent_sign"
        reasons = _unique((*contradiction, *urgent))
    elif unanswered_emergency:
        basis = "unanswered_emergency"
    elif len(nice) >= NICE_HLA_B27_AT or nerve_triggers or nerve_unknown:
        if len(nice) >= NICE_REFER_FROM:
            basis = "inflammatory"
        elif len(nice) == NICE_HLA_B27_AT:
            basis = "inflammatory_hla_b27"
        else:
            basis = "nerve_root"
        nice_reasons = (*nice_gate, *nice) if len(nice) >= NICE_HLA_B27_AT else ()
        nerve_reasons = (*nerve, *nerve_triggers) if nerve_triggers or nerve_unknown else ()
        reasons = _unique((*nice_reasons, *nerve_reasons))
    elif unanswered_urgent:
        basis = "unanswered_urgent"
    elif nerve:
        basis = "nerve_root_settling"
    elif answers.red_flags.minor_fall:
        basis = "minor_fall_low_risk"
    else:
        basis = "clear"
    tier = BASES[basis]

    patterns: list[str] = []
    if nerve:
        patterns.append("nerve_root")
    if len(nice) >= NICE_REFER_FROM:
        patterns.append("inflammatory")
    elif len(nice) == NICE_HLA_B27_AT:
        patterns.append("inflammatory_possible")
    if not patterns and tier == "self_care":
        patterns.append("non_specific")

    measures = _factor_measures(answers)
    factors = tuple(code for code in FACTORS if code in measures)
    advice = _advice(
        basis,
        tuple(patterns),
        factors,
        measures,
        (unanswered_emergency, unanswered_urgent, () if nerve_triggers else nerve_unknown),
        answers,
    )
    return TriageResult(
        tier=tier,
        basis=basis,
        reasons=reasons,
        patterns=tuple(patterns),
        factors=factors,
        advice=advice,
        unanswered_emergency=unanswered_emergency,
        unanswered_urgent=unanswered_urgent,
        contradictions=standing if tier == "urgent" else (),
        other_flags=urgent if tier == "emergency" else (),
        nice_features=nice,
        raised_for_unanswered=basis in ("unanswered_emergency", "unanswered_urgent"),
    )


def _unique(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))


def body_map_conflicts(answers: Answers) -> tuple[Contradiction, ...]:
    """Body-map regions marked while the matching warning sign was answered no, whether or
    not the question has been asked again (the wizard asks it for each of these)."""
    marked = set(answers.pattern.regions or ())
    found: list[Contradiction] = []
    for code, question, recheck, sides in _CONFLICTS:
        if answers.get(question) is False and all(side & marked for side in sides):
            regions = tuple(r for r in REGIONS if any(r in side for side in sides) and r in marked)
            found.append(Contradiction(code, question, recheck, regions))
    return tuple(found)


def _emergency_reasons(answers: Answers) -> tuple[str, ...]:
    asked_again = tuple(c[2] for c in _CONFLICTS)
    return tuple(k for k in (*EMERGENCY_FLAGS, *asked_again) if answers.get(k) is True)


def _onset(answers: Answers) -> tuple[int, str] | None:
    """Age at onset and the key it came from (see the module docstring)."""
    if answers.history.onset_age is not None:
        return answers.history.onset_age, "history.onset_age"
    if answers.age is not None:
        return answers.age, "age"
    return None


def urgent_sign_answered(answers: Answers) -> bool:
    """A "yes" to an urgent warning sign (a minor fall counts only with a fracture risk)."""
    plain = any(answers.get(k) is True for k in URGENT_FLAGS if k != MINOR_FALL)
    return plain or bool(_fracture_risk_fall(answers))


def _urgent_reasons(answers: Answers) -> tuple[str, ...]:
    found = [k for k in URGENT_FLAGS if k != MINOR_FALL and answers.get(k) is True]
    # Osteoporosis is a fracture-risk flag however it was reported ("See a doctor urgently").
    if _osteoporosis_in_history(answers) and answers.red_flags.osteoporosis is not True:
        found.append("history.conditions")
    found += _fracture_risk_fall(answers)
    onset = _onset(answers)
    if onset is not None and not ONSET_URGENT_UNDER <= onset[0] <= ONSET_URGENT_OVER:
        found.append(onset[1])
    return _unique(found)


def _osteoporosis_in_history(answers: Answers) -> bool:
    return "osteoporosis" in (answers.history.conditions or ())


def _fracture_risk_fall(answers: Answers) -> tuple[str, ...]:
    """A minor fall and the fracture risks that make it urgent, or () when it is not."""
    if answers.red_flags.minor_fall is not True:
        return ()
    risks = [
        key
        for key, present in (
            ("age", answers.age is not None and answers.age >= FRACTURE_RISK_FROM_AGE),
            ("red_flags.osteoporosis", answers.red_flags.osteoporosis is True),
            ("history.conditions", _osteoporosis_in_history(answers)),
            ("red_flags.steroid_use", answers.red_flags.steroid_use is True),
        )
        if present
    ]
    return (MINOR_FALL, *risks) if risks else ()


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
    """Answer keys meeting NICE NG65's 9 criteria (one key per criterion)."""
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
    for key in (
        "pattern.better_with_movement",
        "pattern.nsaid_relief_48h",
        "pattern.family_spondyloarthritis",
        *NICE_SEPARATE,
    ):
        if answers.get(key) is True:
            found.append(key)
    # The older merged answer stands for one criterion, unless the three were answered.
    if answers.get(NICE_LEGACY) is True and all(answers.get(k) is None for k in NICE_SEPARATE):
        found.append(NICE_LEGACY)
    return tuple(found)


def _nerve_root_keys(answers: Answers) -> tuple[str, ...]:
    """Radicular pattern ("Sciatica"): the keys of at least 2 of below-knee leg symptoms,
    leg pain worse than back pain, numbness or tingling; () when fewer. Below-knee pain
    alone can be referred pain."""
    p = answers.pattern
    found: list[str] = []
    if p.below_knee:
        found.append("pattern.below_knee")
    elif _BELOW_KNEE & set(p.regions or ()):
        found.append("pattern.regions")
    if p.leg_worse_than_back:
        found.append("pattern.leg_worse_than_back")
    if p.numbness_tingling:
        found.append("pattern.numbness_tingling")
    return tuple(found) if len(found) >= 2 else ()


def _sciatica_course(answers: Answers) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """For a nerve-root pattern: the answers that call for an appointment (3 weeks or more,
    getting worse, stopping normal activities), and those not known. Self-care needs it to
    be known to be shorter and settling."""
    h = answers.history
    weeks = h.pain_weeks
    triggers = [
        key
        for key, present in (
            ("history.pain_weeks", weeks is not None and weeks >= SCIATICA_SOON_FROM_WEEKS),
            ("history.getting_worse", h.getting_worse is True),
            ("history.limits_daily_activities", h.limits_daily_activities is True),
        )
        if present
    ]
    keys = ("history.pain_weeks", "history.getting_worse", "history.limits_daily_activities")
    unknown = tuple(k for k in keys if answers.get(k) is None)
    return tuple(triggers), unknown


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
    basis: str,
    patterns: tuple[str, ...],
    factors: tuple[str, ...],
    measures: dict[str, dict[str, float]],
    unanswered: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    answers: Answers,
) -> tuple[str, ...]:
    """The basis's action first; on an emergency nothing else distracts from it."""
    w = load_wording()
    advice = [action_text(basis)]
    if BASES[basis] == "emergency":
        return tuple(advice)
    for prompt, keys in zip(
        ("unanswered_emergency", "unanswered_urgent", "nerve_root_unknown"), unanswered, strict=True
    ):
        if keys:
            advice.append(w.prompts[prompt].format(questions=_labels(keys)))
    regions = set(answers.pattern.regions or ())
    # A region marked while its question is unanswered: the prompt above asks for it too.
    if "saddle" in regions and answers.red_flags.saddle_numbness is None:
        advice.append(w.checks["saddle_on_map"])
    if regions & _LEFT_LEG and regions & _RIGHT_LEG and answers.red_flags.both_legs is None:
        advice.append(w.checks["both_legs_on_map"])
    if answers.red_flags.minor_fall and not _fracture_risk_fall(answers):
        advice.append(w.checks["minor_fall_low_risk"])
    if answers.get(NICE_LEGACY) is not None:
        advice.append(w.checks["older_form"])
    if basis == "nerve_root":
        advice.append(w.general["nerve_root_visit"])
    for code in patterns:
        advice.append(f"{w.patterns[code].title}: {w.patterns[code].action}")
    for code in factors:
        f = w.factors[code]
        detail = f.detail.format(**measures[code]) + " " if f.detail else ""
        advice.append(f"{f.title}: {detail}{f.advice} {w.labels['test_it']} {f.log}")
    if BASES[basis] in ("soon", "self_care"):
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
    lines += [f"{label['reasons']}: {line}" for line in reason_lines(result)]
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
