"""The check-up's rules, answers format and wording (issue 5)."""

from __future__ import annotations

import copy
import json
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core import triage
from backstride.core.resources import read_toml
from backstride.core.triage import (
    EMERGENCY_FLAGS,
    FACTORS,
    PATTERNS,
    RULES_VERSION,
    TIERS,
    URGENT_FLAGS,
    AnswersError,
    evaluate,
    load_questions,
    load_wording,
    parse_answers,
    render_text,
)
from backstride.core.triage_answers import SPECS, Answers
from backstride.core.triage_wording import WordingError, parse_questions, parse_results
from backstride.core.vocab import REGIONS

VIGNETTE_DIR = Path(__file__).parent / "vignettes"
DELETE = object()  # marks a key to remove from the base answers

# A 35-year-old runner with three weeks of central low back pain, no warning signs and no
# running factor: the baseline every vignette changes.
BASE: dict[str, Any] = {
    "age": 35,
    "height_cm": 175,
    "weight_kg": 68,  # BMI 22.2
    "red_flags": {k.split(".")[1]: False for k in (*EMERGENCY_FLAGS, *URGENT_FLAGS)},
    "history": {"conditions": [], "pain_weeks": 3, "onset_age": 35, "recurrence": False},
    "pattern": {
        "regions": ["lower_back_centre"],
        "below_knee": False,
        "leg_worse_than_back": False,
        "numbness_tingling": False,
        "morning_stiffness_min": 5,
        "better_with_movement": False,
        "better_with_rest": True,
        "wakes_second_half_night": False,
        "buttock_pain_alternating": False,
        "nsaid_relief_48h": False,
        "family_spondyloarthritis": False,
        "psoriasis_arthritis_enthesitis": False,
        "running_relation": "after",
    },
    "running": {
        "warmup": "full",
        "core_sessions_per_week": 3,
        "long_run_fatigue": False,
        "cadence_spm": 174,
        "speed_increase_recent": False,
        "downhill_share": "low",
        "weekly_km": 30,
        "weekly_km_4w_ago": 28,
    },
}


def answers(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """BASE with dotted-key changes applied (DELETE removes the key)."""
    data = copy.deepcopy(BASE)
    for key, value in (changes or {}).items():
        *section, name = key.split(".")
        target = data[section[0]] if section else data
        if value is DELETE:
            target.pop(name, None)
        else:
            target[name] = value
    return data


# NICE NG65 features, each alone (onset_age 30 adds "onset before 35").
NICE_GATE = {"history.onset_age": 30, "history.pain_weeks": 20}
NICE_3 = {
    **NICE_GATE,
    "pattern.wakes_second_half_night": True,
    "pattern.better_with_movement": True,
}
NICE_4 = {**NICE_3, "pattern.nsaid_relief_48h": True}
NICE_4_REASONS = (
    "history.onset_age",
    "history.pain_weeks",
    "pattern.wakes_second_half_night",
    "pattern.better_with_movement",
    "pattern.nsaid_relief_48h",
)
# Four features without early onset (onset 40 is before 45 but not before 35).
NICE_4_LATE = {
    "age": 50,
    "history.onset_age": 40,
    "history.pain_weeks": 20,
    "pattern.wakes_second_half_night": True,
    "pattern.better_with_movement": True,
    "pattern.family_spondyloarthritis": True,
    "pattern.psoriasis_arthritis_enthesitis": True,
}


@dataclass(frozen=True)
class Vignette:
    name: str
    changes: dict[str, Any]
    tier: str
    reasons: tuple[str, ...] = ()
    patterns: tuple[str, ...] | None = None  # None: not checked
    factors: tuple[str, ...] | None = None


VIGNETTES = [
    Vignette("healthy runner", {}, "self_care", (), ("non_specific",), ()),
    # Each red flag alone gives its tier and names itself.
    *(Vignette(f"{k} alone", {k: True}, "emergency", (k,)) for k in EMERGENCY_FLAGS),
    *(Vignette(f"{k} alone", {k: True}, "urgent", (k,)) for k in URGENT_FLAGS),
    # Age at onset: under 20 or over 55 (Downie 2013).
    Vignette("onset 19", {"age": 19, "history.onset_age": 19}, "urgent", ("history.onset_age",)),
    Vignette("onset 20", {"age": 20, "history.onset_age": 20}, "self_care"),
    Vignette("onset 55", {"age": 55, "history.onset_age": 55}, "self_care"),
    Vignette("onset 56", {"age": 60, "history.onset_age": 56}, "urgent", ("history.onset_age",)),
    Vignette("onset 40 at 60", {"age": 60, "history.onset_age": 40}, "self_care"),
    Vignette("onset unknown, age 56", {"age": 56, "history.onset_age": None}, "urgent", ("age",)),
    Vignette("onset unknown, age 17", {"age": 17, "history.onset_age": DELETE}, "urgent", ("age",)),
    Vignette(
        "osteoporosis in history",
        {"history.conditions": ["osteoporosis"]},
        "urgent",
        ("history.conditions",),
    ),
    # NICE NG65: 4 features give "soon", exactly 3 only a pattern to mention.
    Vignette("NICE 4 features", NICE_4, "soon", NICE_4_REASONS, ("inflammatory",)),
    Vignette("NICE 3 features", NICE_3, "self_care", (), ("inflammatory_possible",)),
    Vignette(
        "NICE 2 features",
        {**NICE_GATE, "pattern.better_with_movement": True},
        "self_care",
        (),
        ("non_specific",),
    ),
    Vignette(
        "NICE 4 but only 13 weeks",
        {**NICE_4, "history.pain_weeks": 13},
        "self_care",
        (),
        ("non_specific",),
    ),
    Vignette("NICE 4 at 14 weeks", {**NICE_4, "history.pain_weeks": 14}, "soon", NICE_4_REASONS),
    Vignette(
        "NICE 4 without early onset, onset 44",
        {**NICE_4_LATE, "history.onset_age": 44},
        "soon",
        (
            "history.onset_age",
            "history.pain_weeks",
            "pattern.wakes_second_half_night",
            "pattern.better_with_movement",
            "pattern.family_spondyloarthritis",
            "pattern.psoriasis_arthritis_enthesitis",
        ),
        ("inflammatory",),
    ),
    Vignette(
        "NICE 4 but onset 45",
        {**NICE_4_LATE, "history.onset_age": 45},
        "self_care",
        (),
        ("non_specific",),
    ),
    Vignette(
        "NICE buttock pain from the body map",
        {**NICE_3, "pattern.regions": ["lower_back_centre", "buttock_right"]},
        "soon",
        (
            "history.onset_age",
            "history.pain_weeks",
            "pattern.wakes_second_half_night",
            "pattern.regions",
            "pattern.better_with_movement",
        ),
        ("inflammatory",),
    ),
    # Combinations: the most urgent tier wins and names only its own reasons.
    Vignette(
        "emergency beats urgent",
        {"red_flags.both_legs": True, "red_flags.fever": True},
        "emergency",
        ("red_flags.both_legs",),
    ),
    Vignette(
        "two emergencies",
        {"red_flags.foot_drop": True, "red_flags.chest_pain": True},
        "emergency",
        ("red_flags.foot_drop", "red_flags.chest_pain"),
    ),
    Vignette(
        "urgent beats NICE",
        {**NICE_4, "red_flags.cancer_history": True},
        "urgent",
        ("red_flags.cancer_history",),
        ("inflammatory",),
    ),
    # Unanswered emergency questions never give self-care.
    Vignette("saddle question missing", {"red_flags.saddle_numbness": DELETE}, "urgent", (), ()),
    Vignette("chest pain null", {"red_flags.chest_pain": None}, "urgent", (), ()),
    Vignette("all red flags unanswered", {"red_flags": None}, "urgent", ()),
    Vignette(
        "missing emergency beats NICE",
        {**NICE_4, "red_flags.both_legs": None},
        "urgent",
        (),
        ("inflammatory",),
    ),
    Vignette(
        "missing emergency, urgent yes",
        {"red_flags.foot_drop": None, "red_flags.fever": True},
        "urgent",
        ("red_flags.fever",),
    ),
    Vignette(
        "missing emergency, emergency yes",
        {"red_flags.foot_drop": None, "red_flags.major_trauma": True},
        "emergency",
        ("red_flags.major_trauma",),
    ),
    Vignette("missing urgent question only", {"red_flags.fever": None}, "self_care"),
    # Nerve-root pattern: 2 of below-knee, leg worse than back, numbness (clinical.md s2).
    Vignette(
        "below knee and tingling",
        {"pattern.below_knee": True, "pattern.numbness_tingling": True},
        "self_care",
        (),
        ("nerve_root",),
    ),
    Vignette(
        "below knee on the map, leg worse",
        {"pattern.regions": ["below_knee_left"], "pattern.leg_worse_than_back": True},
        "self_care",
        (),
        ("nerve_root",),
    ),
    Vignette("below knee alone", {"pattern.below_knee": True}, "self_care", (), ("non_specific",)),
    # Running factors, each at its boundary.
    Vignette("no warm-up", {"running.warmup": "none"}, "self_care", factors=("warmup",)),
    Vignette("short warm-up", {"running.warmup": "short"}, "self_care", factors=("warmup",)),
    Vignette(
        "1 core session", {"running.core_sessions_per_week": 1}, "self_care", factors=("core",)
    ),
    Vignette("2 core sessions", {"running.core_sessions_per_week": 2}, "self_care", factors=()),
    Vignette(
        "long-run fatigue", {"running.long_run_fatigue": True}, "self_care", factors=("fatigue",)
    ),
    Vignette("cadence 165", {"running.cadence_spm": 165}, "self_care", factors=("gait",)),
    Vignette("cadence 166", {"running.cadence_spm": 166}, "self_care", factors=()),
    Vignette("BMI 24.2", {"height_cm": 170, "weight_kg": 70}, "self_care", factors=("weight",)),
    Vignette("BMI 23.9", {"height_cm": 170, "weight_kg": 69}, "self_care", factors=()),
    Vignette(
        "BMI over 24 at 16",
        {"age": 16, "history.onset_age": 16, "height_cm": 160, "weight_kg": 70},
        "urgent",
        ("history.onset_age",),
        factors=(),
    ),
    Vignette(
        "speed increase", {"running.speed_increase_recent": True}, "self_care", factors=("speed",)
    ),
    Vignette(
        "some downhill", {"running.downhill_share": "some"}, "self_care", factors=("downhill",)
    ),
    Vignette(
        "much downhill", {"running.downhill_share": "high"}, "self_care", factors=("downhill",)
    ),
    Vignette(
        "km 40 from 30",
        {"running.weekly_km": 40, "running.weekly_km_4w_ago": 30},
        "self_care",
        factors=("load",),
    ),
    Vignette(
        "km 39 from 30",
        {"running.weekly_km": 39, "running.weekly_km_4w_ago": 30},
        "self_care",
        factors=(),
    ),
    Vignette(
        "km 10 from 0",
        {"running.weekly_km": 10, "running.weekly_km_4w_ago": 0},
        "self_care",
        factors=("load",),
    ),
    Vignette(
        "km 0 from 0",
        {"running.weekly_km": 0, "running.weekly_km_4w_ago": 0},
        "self_care",
        factors=(),
    ),
]


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_vignette(v: Vignette) -> None:
    result = evaluate(parse_answers(answers(v.changes)))
    assert result.tier == v.tier
    assert result.reasons == v.reasons
    if v.patterns is not None:
        assert result.patterns == v.patterns
    if v.factors is not None:
        assert result.factors == v.factors
    assert result.rules_version == RULES_VERSION
    assert result.advice[0] == load_wording().tiers[v.tier].action


def test_there_are_at_least_30_vignettes() -> None:
    assert len(VIGNETTES) >= 30
    assert len({v.name for v in VIGNETTES}) == len(VIGNETTES)


def test_emergency_also_reports_lower_tier_flags() -> None:
    result = evaluate(
        parse_answers(answers({"red_flags.both_legs": True, "red_flags.fever": True}))
    )
    assert result.other_flags == ("red_flags.fever",)
    assert "Fever" in render_text(result)


def test_unanswered_emergency_result_explains_itself() -> None:
    result = evaluate(parse_answers(answers({"red_flags.saddle_numbness": None})))
    assert result.raised_for_unanswered
    assert result.unanswered_emergency == ("red_flags.saddle_numbness",)
    assert result.to_json()["unanswered"] == ["red_flags.saddle_numbness"]
    label = load_questions().label("red_flags.saddle_numbness")
    assert any(label in line for line in result.advice)
    assert triage.why_text(result) == load_wording().prompts["unanswered_why"]


def test_empty_answers_are_never_self_care() -> None:
    result = evaluate(parse_answers({}))
    assert result.tier == "urgent"
    assert set(result.unanswered) == {*EMERGENCY_FLAGS, *URGENT_FLAGS, "age"}


def test_emergency_advice_is_only_the_emergency_action() -> None:
    data = answers({"red_flags.weakness_worsening": True, "running.warmup": "none"})
    result = evaluate(parse_answers(data))
    assert result.advice == (load_wording().tiers["emergency"].action,)
    assert result.factors == ("warmup",)  # still recorded, just not shown as advice


def test_body_map_checks_ask_to_recheck_red_flag_answers() -> None:
    checks = load_wording().checks
    saddle = evaluate(parse_answers(answers({"pattern.regions": ["saddle"]})))
    assert checks["saddle_on_map"] in saddle.advice
    legs = evaluate(parse_answers(answers({"pattern.regions": ["thigh_left", "foot_right"]})))
    assert checks["both_legs_on_map"] in legs.advice
    one_leg = evaluate(parse_answers(answers({"pattern.regions": ["thigh_left", "foot_left"]})))
    assert checks["both_legs_on_map"] not in one_leg.advice


def test_factor_advice_quotes_the_runners_numbers() -> None:
    data = answers(
        {
            "running.cadence_spm": 158,
            "height_cm": 180,
            "weight_kg": 90,
            "running.weekly_km": 45,
            "running.weekly_km_4w_ago": 30,
        }
    )
    text = "\n".join(evaluate(parse_answers(data)).advice)
    assert "158 steps a minute" in text
    assert "27.8" in text  # BMI
    assert "45 km a week now against 30 km" in text


# ---------------------------------------------------------------- example answer files


@pytest.mark.parametrize("path", sorted(VIGNETTE_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_example_files_give_the_tier_in_their_name(path: Path) -> None:
    result = evaluate(parse_answers(json.loads(path.read_text(encoding="utf-8"))))
    assert result.tier == path.stem.split("-")[0]


def test_example_runner_file_shows_every_factor() -> None:
    data = json.loads((VIGNETTE_DIR / "self_care-runner.json").read_text(encoding="utf-8"))
    result = evaluate(parse_answers(data))
    assert result.factors == FACTORS
    for code in FACTORS:
        assert any(line.startswith(load_wording().factors[code].title) for line in result.advice)


# ---------------------------------------------------------------- answer validation


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"age": 250}, "age", "age: 250 is out of range; enter an age from 0 to 120"),
        ({"weight_kg": -5}, "weight_kg", "weight_kg: -5 is out of range; enter a weight"),
        ({"height_cm": 400}, "height_cm", "enter a height from 50 to 250 cm"),
        ({"age": 34.5}, "age", "34.5 is not a whole number"),
        ({"age": True}, "age", "expected a number, not true"),
        ({"age": "35"}, "age", "expected a number, not '35'"),
        ({"age": math.nan}, "age", "nan is not a number"),
        ({"running.cadence_spm": 20}, "running.cadence_spm", "enter a cadence from 100 to 250"),
        ({"history.pain_weeks": -1}, "history.pain_weeks", "-1 is out of range"),
        ({"red_flags.fever": "yes"}, "red_flags.fever", "expected true or false"),
        ({"red_flags.fever": 1}, "red_flags.fever", "expected true or false"),
        ({"running.downhill_share": "lots"}, "running.downhill_share", "low, some, high"),
        ({"running.warmup": "long"}, "running.warmup", "not one of: none, short, full"),
        ({"pattern.regions": ["knee"]}, "pattern.regions", "unknown code 'knee'"),
        ({"pattern.regions": "saddle"}, "pattern.regions", "expected a list of codes"),
        ({"history.conditions": ["flu"]}, "history.conditions", "unknown code 'flu'"),
        ({"agee": 30}, "agee", "unknown key; did you mean 'age'?"),
        ({"red_flags.fevr": True}, "red_flags.fevr", "did you mean 'fever'?"),
        ({"running.weekly_kms": 3}, "running.weekly_kms", "did you mean 'weekly_km'?"),
        ({"pattern.xyz": 3}, "pattern.xyz", "check the spelling"),
        ({"red_flags": [True]}, "red_flags", "expected an object of answers"),
        ({"age": 30, "history.onset_age": 40}, "history.onset_age", "more than your age (30)"),
    ],
)
def test_bad_answers_name_the_key_and_the_fix(
    changes: dict[str, Any], key: str, words: str
) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(answers(changes))
    assert caught.value.key == key
    assert str(caught.value).startswith(f"{key}: ")
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(answers({"age": 250, "weight_kg": -5, "red_flags.fevr": True}))
    assert [p.field for p in caught.value.problems] == ["age", "weight_kg", "red_flags.fevr"]


def test_answers_must_be_an_object() -> None:
    with pytest.raises(AnswersError, match="expected a JSON object"):
        parse_answers([1, 2])  # type: ignore[arg-type]


def test_missing_and_null_both_mean_unanswered() -> None:
    missing = parse_answers(answers({"red_flags.fever": DELETE, "running": DELETE}))
    null = parse_answers(answers({"red_flags.fever": None, "running": None}))
    assert missing == null
    assert missing.get("red_flags.fever") is None
    assert missing.get("running.weekly_km") is None


def test_whole_numbers_and_repeated_codes_are_normalised() -> None:
    parsed = parse_answers(answers({"age": 35.0, "pattern.regions": ["saddle", "saddle"]}))
    assert parsed.age == 35 and isinstance(parsed.age, int)
    assert parsed.pattern.regions == ("saddle",)


def test_to_dict_round_trips_and_is_json() -> None:
    data = json.loads((VIGNETTE_DIR / "self_care-runner.json").read_text(encoding="utf-8"))
    parsed = parse_answers(data)
    stored = json.loads(json.dumps(parsed.to_dict()))
    assert parse_answers(stored) == parsed
    assert stored["running"]["warmup"] == "none"
    assert stored["pattern"]["regions"] == ["lower_back_centre", "lower_back_left"]
    assert set(parse_answers({}).to_dict()) == {
        "age",
        "height_cm",
        "weight_kg",
        "red_flags",
        "history",
        "pattern",
        "running",
    }


def test_unknown_answer_key_in_get_is_an_error() -> None:
    with pytest.raises(KeyError):
        Answers().get("red_flags.fevr")


# ---------------------------------------------------------------- questions and wording


def _sample_value(kind: str, q: Any) -> Any:
    if kind == "yes_no":
        return True
    if kind == "number":
        return q.maximum if q.integer else (q.minimum + q.maximum) / 2
    if kind == "choice":
        return q.choices[-1].code
    if kind == "multi":
        return [c.code for c in q.choices]
    return list(REGIONS)


def test_every_question_key_is_accepted_by_parse_answers() -> None:
    data: dict[str, Any] = {}
    for q in load_questions().questions:
        *section, name = q.key.split(".")
        target = data.setdefault(section[0], {}) if section else data
        target[name] = _sample_value(q.kind, q)
    data["history"]["onset_age"] = data["age"]  # onset cannot be after today's age
    parsed = parse_answers(data)
    for q in load_questions().questions:
        value = parsed.get(q.key)
        expected = _sample_value(q.kind, q) if q.key != "history.onset_age" else parsed.age
        assert value == (tuple(expected) if isinstance(expected, list) else expected), q.key


def test_every_answer_key_has_exactly_one_question() -> None:
    keys = [q.key for q in load_questions().questions]
    assert sorted(keys) == sorted(SPECS)
    assert len(keys) == len(set(keys))


def test_pages_come_in_the_issue_order_with_red_flags_first() -> None:
    pages = load_questions().pages
    assert [p.code for p in pages] == ["red_flags", "history", "pattern", "running"]
    first = [q.key for q in pages[0].questions]
    assert first[:8] == list(EMERGENCY_FLAGS)  # emergencies are asked before anything else
    assert set(first) == {*EMERGENCY_FLAGS, *URGENT_FLAGS, "age"}
    assert "red_flags.saddle_numbness" in first


def test_red_flag_questions_carry_their_tier() -> None:
    questions = load_questions()
    for key in EMERGENCY_FLAGS:
        assert questions.question(key).tier == "emergency"
    for key in URGENT_FLAGS:
        assert questions.question(key).tier == "urgent"
    assert all(q.tier is None for q in questions.questions if not q.key.startswith("red_flags."))


def test_questions_are_worded_and_described() -> None:
    for q in load_questions().questions:
        assert q.text.endswith("?") or q.kind == "regions", q.key
        assert q.label and q.text
        if q.kind == "number":
            assert q.minimum is not None and q.maximum is not None and q.unit, q.key
        if q.kind in ("choice", "multi"):
            assert all(c.label for c in q.choices), q.key


def test_every_code_has_wording() -> None:
    wording = load_wording()
    assert set(wording.tiers) == set(TIERS)
    assert set(wording.patterns) == set(PATTERNS)
    assert set(wording.factors) == set(FACTORS)
    for tier in wording.tiers.values():
        assert all((tier.name, tier.headline, tier.action, tier.contact, tier.why, tier.limits))
    for factor in wording.factors.values():
        assert all((factor.title, factor.advice, factor.evidence, factor.log))
    assert "not a diagnosis" in wording.disclaimer["not_diagnosis"]


def test_questions_toml_that_disagrees_with_the_schema_is_refused() -> None:
    data = read_toml("wizard", "questions.toml")
    bad = copy.deepcopy(data)
    bad["pages"][0]["questions"][-1]["max"] = 150  # age
    with pytest.raises(WordingError, match=r"age: max is 150\.0 here but 120"):
        parse_questions(bad)
    bad = copy.deepcopy(data)
    del bad["pages"][3]["questions"][-1]
    with pytest.raises(WordingError, match="no question for the answer keys"):
        parse_questions(bad)
    bad = copy.deepcopy(data)
    bad["pages"][0]["questions"][0]["tier"] = "urgent"
    with pytest.raises(WordingError, match="tier is 'urgent' here but 'emergency'"):
        parse_questions(bad)


def test_results_toml_with_a_missing_field_is_refused() -> None:
    data = tomllib.loads(
        (Path(__file__).parents[2] / "resources" / "wizard" / "results.toml").read_text("utf-8")
    )
    del data["factors"]["load"]["log"]
    with pytest.raises(WordingError, match=r"factors\.load: 'log' must be non-empty text"):
        parse_results(data)


@pytest.mark.parametrize("tier", TIERS)
def test_render_text_has_headline_disclaimer_and_version(tier: str) -> None:
    cases: dict[str, dict[str, Any]] = {
        "emergency": {"red_flags.bladder_bowel_change": True},
        "urgent": {"red_flags.steroid_use": True},
        "soon": NICE_4,
        "self_care": {"running.warmup": "none"},
    }
    result = evaluate(parse_answers(answers(cases[tier])))
    assert result.tier == tier
    text = render_text(result)
    wording = load_wording()
    assert triage.headline_text(result) in text
    assert wording.tiers[tier].action in text
    assert wording.disclaimer["not_diagnosis"] in text
    assert wording.disclaimer["when_to_seek_care"] in text
    assert RULES_VERSION in text


def test_to_json_has_exactly_the_documented_keys() -> None:
    out = evaluate(parse_answers(answers(NICE_4))).to_json()
    assert set(out) == {
        "tier",
        "reasons",
        "patterns",
        "factors",
        "advice",
        "rules_version",
        "unanswered",
    }
    assert out["tier"] == "soon"
    assert json.loads(json.dumps(out)) == out


# ---------------------------------------------------------------- properties


def _answer_strategy() -> st.SearchStrategy[dict[str, Any]]:
    """Random valid answers: each key answered, null or missing."""

    def value(key: str) -> st.SearchStrategy[Any]:
        spec = SPECS[key]
        if spec.kind == "yes_no":
            return st.booleans()
        if spec.kind == "number":
            assert spec.minimum is not None and spec.maximum is not None
            if spec.integer:
                return st.integers(int(spec.minimum), int(spec.maximum))
            return st.floats(spec.minimum, spec.maximum)
        if spec.kind == "choice":
            return st.sampled_from(spec.codes)
        return st.lists(st.sampled_from(spec.codes), max_size=4)

    MISSING = object()
    entries = {k: st.one_of(st.just(MISSING), st.none(), value(k)) for k in SPECS}

    def build(picked: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, v in picked.items():
            if v is MISSING:
                continue
            *section, name = key.split(".")
            (data.setdefault(section[0], {}) if section else data)[name] = v
        onset = data.get("history", {}).get("onset_age")
        if onset is not None and data.get("age") is not None and onset > data["age"]:
            data["history"]["onset_age"] = data["age"]
        return data

    return st.fixed_dictionaries(entries).map(build)


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_answer_strategy())
def test_invariants_hold_for_any_answers(data: dict[str, Any]) -> None:
    parsed = parse_answers(data)
    result = evaluate(parsed)
    assert result == evaluate(parse_answers(parsed.to_dict()))  # deterministic, storable
    emergency_yes = [k for k in EMERGENCY_FLAGS if parsed.get(k) is True]
    assert (result.tier == "emergency") == bool(emergency_yes)
    if any(parsed.get(k) is None for k in EMERGENCY_FLAGS):
        assert result.tier != "self_care"
    assert all(k in SPECS for k in result.reasons + result.unanswered)
    assert all(parsed.get(k) is not None for k in result.reasons)
    if result.tier in ("emergency", "urgent", "soon") and not result.raised_for_unanswered:
        assert result.reasons
    assert result.tier != "self_care" or not result.reasons
    assert set(result.patterns) <= set(PATTERNS) and set(result.factors) <= set(FACTORS)
    assert render_text(result)


# ---------------------------------------------------------------- docs/answers-format.md

DOC = Path(__file__).parents[2] / "docs" / "answers-format.md"


def test_format_doc_names_every_key_and_its_example_is_right() -> None:
    text = DOC.read_text(encoding="utf-8")
    for key in SPECS:
        assert f"`{key.split('.')[-1]}`" in text, key
    example, output = re.findall(r"```json\n(.*?)```", text, re.S)[:2]
    result = evaluate(parse_answers(json.loads(example)))
    shown = json.loads(output.replace('"…"', '""').replace(" …", ""))
    for field in ("tier", "reasons", "patterns", "factors", "rules_version", "unanswered"):
        assert result.to_json()[field] == shown[field], field
