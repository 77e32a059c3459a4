"""`backstride assess ANSWERS.json [--json]` (issue 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backstride.cli import main
from backstride.core.triage import (
    FACTORS,
    PATTERNS,
    RULES_VERSION,
    TIERS,
    action_text,
    evaluate,
    load_wording,
    parse_answers,
    render_text,
)
from tests.unit.vignettes.cases import VIGNETTES as CASES
from tests.unit.vignettes.cases import Vignette, answers

VIGNETTES = sorted((Path(__file__).parent / "vignettes").glob("*.json"))


@pytest.fixture(autouse=True)
def _no_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder that cannot exist (under a plain file): assess must never need it."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(blocker / "data"))
    return blocker


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_text_output_is_the_rendered_result(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "assess", str(path))
    assert (code, err) == (0, "")
    result = evaluate(parse_answers(json.loads(path.read_text(encoding="utf-8"))))
    assert out == render_text(result)
    tier = path.stem.split("-")[0]
    assert out.startswith(load_wording().tiers[tier].name.upper() + ":")
    assert load_wording().disclaimer["not_diagnosis"] in out
    assert RULES_VERSION in out


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_json_output(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "assess", str(path), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["tier"] == path.stem.split("-")[0]
    assert data["tier"] in TIERS
    assert set(data) >= {"tier", "reasons", "patterns", "factors", "advice", "rules_version"}
    assert set(data["patterns"]) <= set(PATTERNS)
    assert set(data["factors"]) <= set(FACTORS)
    assert data["rules_version"] == RULES_VERSION
    assert data["advice"][0] == action_text(data["basis"])


@pytest.mark.parametrize("v", CASES, ids=[v.name for v in CASES])
def test_every_vignette_through_the_command(
    v: Vignette, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers(v.changes)), encoding="utf-8")
    code, out, err = run(capsys, "assess", str(path), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["tier"], data["basis"], tuple(data["reasons"])) == (v.tier, v.basis, v.reasons)
    if v.patterns is not None:
        assert tuple(data["patterns"]) == v.patterns
    if v.factors is not None:
        assert tuple(data["factors"]) == v.factors
    code, text, _ = run(capsys, "assess", str(path))
    assert code == 0
    assert ("No warning signs found" in text) == (v.basis == "clear")


def test_json_of_specific_vignettes(capsys: pytest.CaptureFixture[str]) -> None:
    folder = VIGNETTES[0].parent
    _, out, _ = run(capsys, "assess", "--json", str(folder / "emergency-saddle.json"))
    assert json.loads(out)["reasons"] == ["red_flags.saddle_numbness"]
    _, out, _ = run(capsys, "assess", "--json", str(folder / "self_care-runner.json"))
    assert json.loads(out)["factors"] == list(FACTORS)
    _, out, _ = run(capsys, "assess", "--json", str(folder / "urgent-unanswered.json"))
    data = json.loads(out)
    assert data["reasons"] == [] and "red_flags.saddle_numbness" in data["unanswered"]
    _, out, _ = run(capsys, "assess", "--json", str(folder / "soon-fever-unanswered.json"))
    data = json.loads(out)
    assert (data["tier"], data["unanswered"]) == ("soon", ["red_flags.fever"])
    assert any("Not answered yet: Fever" in line for line in data["advice"])
    _, out, _ = run(capsys, "assess", "--json", str(folder / "urgent-contradiction-saddle.json"))
    data = json.loads(out)
    assert data["contradictions"] == [
        {
            "code": "saddle",
            "question": "red_flags.saddle_numbness",
            "answer": False,
            "recheck": "recheck.saddle_numbness",
            "regions": ["saddle"],
        }
    ]


def test_text_names_the_contradicting_region_and_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = VIGNETTES[0].parent
    _, out, _ = run(capsys, "assess", str(folder / "urgent-contradiction-both-legs.json"))
    assert out.startswith("URGENT:")
    assert (
        "Because you answered: You marked back of left thigh and right foot on the body map, but "
        'answered no to the question "Symptoms in both legs".'
    ) in out


def test_older_form_file_still_reads_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    folder = VIGNETTES[0].parent
    data = json.loads((folder / "soon-older-form.json").read_text(encoding="utf-8"))
    assert data["pattern"]["psoriasis_arthritis_enthesitis"] is True
    code, out, _ = run(capsys, "assess", str(folder / "soon-older-form.json"))
    assert code == 0 and out.startswith("SOON:")
    assert load_wording().checks["older_form"] in out
    assert "HLA-B27" in out


def test_does_not_create_the_data_folder(
    tmp_path: Path, _no_data_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "assess", str(VIGNETTES[0]))
    assert code == 0
    assert _no_data_folder.is_file()  # nothing tried to make it a folder


def test_empty_object_is_urgent_and_asks_for_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.json"
    path.write_text("{}", encoding="utf-8")
    code, out, _ = run(capsys, "assess", str(path))
    assert code == 0
    assert out.startswith("URGENT:")
    assert "Not answered yet" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"age": 250}', "age: 250 is out of range; enter an age from 0 to 120 years"),
        ('{"weight_kg": -5}', "weight_kg: -5 is out of range; enter a weight from 20 to 300 kg"),
        ('{"red_flags": {"fevr": true}}', "red_flags.fevr: unknown key; did you mean 'fever'?"),
        ('{"red_flags": {"fever": "yes"}}', "expected true or false (null if unanswered)"),
        ("[1, 2]", "answers: expected a JSON object"),
        ('{"age": 30, "history": {"onset_age": 40}}', "history.onset_age: 40 is more than your"),
    ],
)
def test_invalid_answers_print_the_answers_error(
    tmp_path: Path, content: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "assess", str(path), "--json")
    assert code == 1 and out == ""
    assert err.startswith(f"backstride: {path}: ")
    assert words in err
    assert err.count("\n") == 1


def test_every_problem_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"age": 250, "weight_kg": -5}', encoding="utf-8")
    code, _, err = run(capsys, "assess", str(path))
    assert code == 1 and "age: 250" in err and "weight_kg: -5" in err


def test_bad_json_names_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{\n  "age": 35,\n  "red_flags": {"fever": tru}\n}\n', encoding="utf-8")
    code, out, err = run(capsys, "assess", str(path))
    assert code == 1 and out == ""
    assert "not valid JSON at line 3, column 26: Expecting value" in err
    assert "docs/answers-format.md" in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.json"
    code, out, err = run(capsys, "assess", str(path))
    assert code == 1 and out == ""
    assert (
        err == f"backstride: {path}: no such file; give the path of a check-up answers JSON file\n"
    )


def test_folder_and_non_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "assess", str(tmp_path))
    assert code == 1 and "is a folder" in err
    path = tmp_path / "latin1.json"
    path.write_bytes('{"age": 35, "x": "é"}'.encode("latin-1"))
    code, _, err = run(capsys, "assess", str(path))
    assert code == 1 and "not UTF-8" in err


def test_file_argument_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["assess"])
    assert exc.value.code == 2
    assert "ANSWERS.json" in capsys.readouterr().err
