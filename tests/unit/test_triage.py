"""The check-up's rules, answers format and wording (issue 5)."""

from __future__ import annotations

import copy
import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core import triage
from backstride.core.resources import read_toml
from backstride.core.triage import (
    BASES,
    EMERGENCY_FLAGS,
    FACTORS,
    PATTERNS,
    RULES_VERSION,
    TIERS,
    URGENT_FLAGS,
    AnswersError,
    action_text,
    evaluate,
    load_questions,
    load_wording,
    parse_answers,
    render_text,
)
from backstride.core.triage_answers import SPECS, Answers
from backstride.core.triage_record import RecordError, result_from_record, result_record
from backstride.core.triage_wording import WordingError, parse_questions, parse_results
from backstride.core.vocab import REGIONS
from tests.unit.vignettes.cases import (
    DELETE,
    LEGS_MAP,
    NICE_3,
    NICE_4,
    SADDLE_MAP,
    VIGNETTES,
    Vignette,
    answers,
)

VIGNETTE_DIR = Path(__file__).parent / "vignettes"


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_vignette(v: Vignette) -> None:
    result = evaluate(parse_answers(answers(v.changes)))
    assert (result.tier, result.basis) == (v.tier, v.basis)
    assert result.reasons == v.reasons
    if v.patterns is not None:
        assert result.patterns == v.patterns
    if v.factors is not None:
        assert result.factors == v.factors
    assert result.rules_version == RULES_VERSION
    assert result.advice[0] == action_text(v.basis)


def test_there_are_vignettes_for_every_basis() -> None:
    assert len(VIGNETTES) >= 100
    assert len({v.name for v in VIGNETTES}) == len(VIGNETTES)
    assert {v.basis for v in VIGNETTES} == set(BASES)
    assert all(BASES[v.basis] == v.tier for v in VIGNETTES)


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
    assert triage.why_text(result) == load_wording().bases["unanswered_emergency"].why


def test_empty_answers_are_never_self_care() -> None:
    result = evaluate(parse_answers({}))
    assert result.tier == "urgent"
    assert set(result.unanswered) == {*EMERGENCY_FLAGS, *URGENT_FLAGS, "age"}


def test_emergency_advice_is_only_the_emergency_action() -> None:
    data = answers({"red_flags.weakness_worsening": True, "running.warmup": "none"})
    result = evaluate(parse_answers(data))
    assert result.advice == (load_wording().tiers["emergency"].action,)
    assert result.factors == ("warmup",)  # still recorded, just not shown as advice


def test_a_contradiction_names_the_regions_and_the_answer() -> None:
    result = evaluate(parse_answers(answers(LEGS_MAP)))
    (found,) = result.contradictions
    assert found.to_json() == {
        "code": "both_legs",
        "question": "red_flags.both_legs",
        "answer": False,
        "recheck": "recheck.both_legs",
        "regions": ["thigh_left", "foot_right"],
    }
    assert result.to_json()["contradictions"] == [found.to_json()]
    text = render_text(result)
    assert (
        "Because you answered: You marked back of left thigh and right foot on the body map, but "
        'answered no to the question "Symptoms in both legs".'
    ) in text
    saddle = render_text(evaluate(parse_answers(answers(SADDLE_MAP))))
    assert "You marked saddle area (between the legs) on the body map, but answered no" in saddle
    assert "Numbness or tingling in the saddle area" in saddle


def test_a_region_marked_with_its_question_unanswered_asks_for_it() -> None:
    checks = load_wording().checks
    saddle = evaluate(parse_answers(answers({**SADDLE_MAP, "red_flags.saddle_numbness": None})))
    assert checks["saddle_on_map"] in saddle.advice and not saddle.contradictions
    legs = evaluate(parse_answers(answers({**LEGS_MAP, "red_flags.both_legs": None})))
    assert checks["both_legs_on_map"] in legs.advice
    one_leg = evaluate(parse_answers(answers({"pattern.regions": ["thigh_left", "foot_left"]})))
    assert checks["both_legs_on_map"] not in one_leg.advice


def test_unanswered_urgent_questions_are_listed_and_never_all_clear() -> None:
    result = evaluate(parse_answers(answers({"red_flags.fever": None})))
    assert result.unanswered == ("red_flags.fever",) and result.raised_for_unanswered
    text = render_text(result)
    assert "No warning signs found" not in text
    assert "You answered no to every warning sign" not in text
    assert "Not answered yet: Fever" in text


def test_settling_sciatica_headline_and_action_agree() -> None:
    result = evaluate(
        parse_answers(
            answers(
                {
                    "pattern.below_knee": True,
                    "pattern.numbness_tingling": True,
                    "history.pain_weeks": 1,
                }
            )
        )
    )
    headline, action = triage.headline_text(result), result.advice[0]
    assert result.basis == "nerve_root_settling"
    assert headline.startswith("Home care for now") and "within a few weeks" in headline
    assert "home care" in action and "not improved after a few weeks" in action
    assert "emergency number" in action
    assert "No warning signs found" not in headline
    assert "routine appointment is fine" not in render_text(result)


def test_nice_wording_counts_9_criteria_and_names_hla_b27() -> None:
    text = (Path(__file__).parents[2] / "resources" / "wizard" / "results.toml").read_text("utf-8")
    assert "of 7" not in text and "7 features" not in text
    three = render_text(evaluate(parse_answers(answers(NICE_3))))
    assert "HLA-B27" in three and "of 9" in three
    assert "no need to book one specially" not in three
    four = render_text(evaluate(parse_answers(answers(NICE_4))))
    assert "rheumatologist" in four and "at least 4 of 9" in four


def test_an_older_merged_nice_answer_is_read_and_said_to_be_older() -> None:
    data = answers({"pattern.psoriasis_arthritis_enthesitis": True})
    for key in ("arthritis_history", "enthesitis_history", "psoriasis_history"):
        del data["pattern"][key]
    parsed = parse_answers(data)
    assert parsed.to_dict()["pattern"]["psoriasis_arthritis_enthesitis"] is True
    assert load_wording().checks["older_form"] in evaluate(parsed).advice
    assert "psoriasis_arthritis_enthesitis" not in parse_answers(answers()).to_dict()["pattern"]
    assert load_wording().checks["older_form"] not in evaluate(parse_answers(answers())).advice


def test_a_minor_fall_without_fracture_risk_says_when_it_would_matter() -> None:
    result = evaluate(parse_answers(answers({"red_flags.minor_fall": True})))
    assert load_wording().checks["minor_fall_low_risk"] in result.advice
    assert "No warning signs found" not in triage.headline_text(result)
    older = evaluate(parse_answers(answers({"red_flags.minor_fall": True, "age": 65})))
    assert load_wording().checks["minor_fall_low_risk"] not in older.advice


def test_fever_is_asked_apart_from_the_warmth_after_a_run() -> None:
    fever = load_questions().question("red_flags.fever")
    assert "lasts" in fever.text and "without exercise" in fever.text
    assert "right after a hard or hot run" in fever.help and "does not count" in fever.help


def test_every_default_phrase_of_a_tier_is_used_by_a_basis() -> None:
    wording = load_wording()
    for tier in TIERS:
        for phrase in ("headline", "action", "why"):
            if getattr(wording.tiers[tier], phrase):
                users = [
                    b
                    for b, t in BASES.items()
                    if t == tier and not getattr(wording.bases[b], phrase)
                ]
                assert users, f"tiers.{tier}.{phrase} is never shown"


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
        "recheck",
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
    assert sorted(keys) == sorted(k for k, spec in SPECS.items() if not spec.legacy)
    assert [k for k, spec in SPECS.items() if spec.legacy] == [
        "pattern.psoriasis_arthritis_enthesitis"
    ]
    assert len(keys) == len(set(keys))


def test_pages_come_in_the_issue_order_with_red_flags_first() -> None:
    pages = load_questions().pages
    assert [p.code for p in pages] == ["red_flags", "history", "pattern", "recheck", "running"]
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
        assert all((tier.name, tier.contact, tier.limits))
    assert set(wording.bases) == set(BASES)
    for basis in BASES:
        result = triage.TriageResult(BASES[basis], basis, (), (), (), (action_text(basis),), ())
        assert triage.headline_text(result) and triage.why_text(result)
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
    assert triage.action_text(result.basis) in text
    assert wording.disclaimer["not_diagnosis"] in text
    assert wording.disclaimer["when_to_seek_care"] in text
    assert RULES_VERSION in text


def test_to_json_has_exactly_the_documented_keys() -> None:
    out = evaluate(parse_answers(answers(NICE_4))).to_json()
    assert set(out) == {
        "tier",
        "basis",
        "reasons",
        "contradictions",
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
    asked_again = ("recheck.saddle_numbness", "recheck.both_legs")
    emergency_yes = [k for k in (*EMERGENCY_FLAGS, *asked_again) if parsed.get(k) is True]
    assert (result.tier == "emergency") == bool(emergency_yes)
    if any(parsed.get(k) is None for k in EMERGENCY_FLAGS):
        assert result.tier in ("emergency", "urgent")
    if any(parsed.get(k) is None for k in (*URGENT_FLAGS, "age")):
        assert result.tier != "self_care"
    if result.basis == "clear":  # "no warning signs found" only when every answer is no
        assert all(parsed.get(k) is False for k in (*EMERGENCY_FLAGS, *URGENT_FLAGS))
        assert not triage.body_map_conflicts(parsed) or all(
            parsed.get(c.recheck) is False for c in triage.body_map_conflicts(parsed)
        )
    if any(parsed.get(c.recheck) is None for c in triage.body_map_conflicts(parsed)):
        assert result.tier in ("emergency", "urgent")
    assert BASES[result.basis] == result.tier
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
    for field in (
        "tier",
        "basis",
        "reasons",
        "contradictions",
        "patterns",
        "factors",
        "rules_version",
        "unanswered",
    ):
        assert result.to_json()[field] == shown[field], field


# ---------------------------------------------------------------- docs/clinical-sources.md

SOURCES = Path(__file__).parents[2] / "docs" / "clinical-sources.md"


def test_every_section_the_rules_cite_exists_and_names_every_basis() -> None:
    text = SOURCES.read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (.+)$", text, re.M))
    code = Path(triage.__file__).read_text(encoding="utf-8")
    code += (Path(triage.__file__).parent / "triage_answers.py").read_text(encoding="utf-8")
    cited = set(re.findall(r'\("([A-Z][^"]+)"[:)]', code))
    cited |= set(re.findall(r'clinical-sources\.md,\s*#?\s*"([^"]+)', code))
    assert cited and cited <= headings, cited - headings
    for basis in BASES:
        assert f"`{basis}`" in text, basis
    assert RULES_VERSION in text


# ---------------------------------------------------------------- stored results


def test_a_stored_result_reads_back_with_its_basis_and_contradictions() -> None:
    result = evaluate(parse_answers(answers(LEGS_MAP)))
    stored = json.loads(json.dumps(result_record(result)))
    assert result_from_record(stored) == result


@pytest.mark.parametrize(
    ("tier", "raised", "basis"),
    [
        ("emergency", False, "emergency_sign"),
        ("urgent", False, "urgent_sign"),
        ("urgent", True, "unanswered_emergency"),
        ("soon", False, "inflammatory"),
        ("self_care", False, "clear"),
    ],
)
def test_a_result_stored_by_older_rules_reads_as_it_was(
    tier: str, raised: bool, basis: str
) -> None:
    older = {  # rules 2026.11.1: no basis, no contradictions
        "tier": tier,
        "reasons": [],
        "patterns": [],
        "factors": [],
        "advice": ["what the older rules said"],
        "rules_version": "2026.11.1",
        "unanswered": [],
        "raised_for_unanswered": raised,
    }
    result = result_from_record(older)
    assert (result.basis, result.rules_version) == (basis, "2026.11.1")
    assert result.advice == ("what the older rules said",)
    assert triage.headline_text(result)


def test_a_damaged_stored_basis_is_refused() -> None:
    record = result_record(evaluate(parse_answers(answers())))
    with pytest.raises(RecordError, match="unknown basis"):
        result_from_record({**record, "basis": "nerve_root"})  # a soon basis on self-care
    with pytest.raises(RecordError, match="contradictions"):
        result_from_record({**record, "contradictions": [{"code": 1}]})


# The analysis comparisons each running factor's "To test it" text names
# (backstride/core/analysis/factors.py), with a phrase of each.
TESTED_BY = {
    "warmup": {"warmup": "without a warm-up"},
    "core": {"core": "no core work in the previous 7 days"},
    "fatigue": {"duration": "longest runs by time", "long_run": "more than 10 % longer"},
    "gait": {"cadence": "lowest-cadence runs"},
    "weight": {"weight": "weight had risen over 2 weeks"},
    "speed": {"pace": "faster than your typical pace", "surges": "pace surges"},
    "downhill": {"descent": "the most descent"},
    "load": {"long_run": "more than 10 % longer", "load_ratio": "load ratio above 1.3"},
}


def test_to_test_it_texts_name_only_comparisons_the_analysis_makes() -> None:
    from backstride.core.analysis.factors import LOG_HINTS as ANALYSED  # keyed by factor

    assert set(TESTED_BY) == set(FACTORS)
    for code, comparisons in TESTED_BY.items():
        log = " ".join(load_wording().factors[code].log.split())
        assert "Insights page then compares your pain" in log, code
        for factor, phrase in comparisons.items():
            assert factor in ANALYSED and phrase in log, (code, factor)
    everything = " ".join(f.log for f in load_wording().factors.values())
    assert "weeks of higher and lower distance" not in everything
    assert "Record effort" not in everything
