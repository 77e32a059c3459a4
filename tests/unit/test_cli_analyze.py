"""`backstride analyze`: text and JSON output, the period options and their errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from backstride.cli import main
from backstride.core.demo import generate_demo
from backstride.store.database import open_store
from backstride.store.demo import fill_demo

END = date(2025, 6, 30)
FINDING_KEYS = {
    "factor",
    "kind",
    "effect",
    "interval",
    "p",
    "q",
    "n_exposed",
    "n_unexposed",
    "lag",
    "summary",
    "subject",
    "comparator",
    "exposure",
    "threshold",
    "outcome",
    "needed",
    "action",
    "raised",
    "current",
}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    store = open_store(folder)
    try:
        fill_demo(store, generate_demo(200, seed=1, end=END), "demo")
    finally:
        store.close()
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_shape(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "analyze", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {"period", "findings"}
    assert doc["period"] == {"from": "2024-12-13", "to": END.isoformat()}
    kinds = {f["kind"] for f in doc["findings"]}
    assert kinds <= {"association", "alert", "load", "insufficient"}
    assert "association" in kinds and "load" in kinds
    for f in doc["findings"]:
        assert set(f) == FINDING_KEYS
        assert isinstance(f["summary"], str) and f["summary"]
        if f["kind"] == "association":
            low, high = f["interval"]
            assert low <= f["effect"] <= high
            assert 0 < f["p"] <= 1 and 0 < f["q"] <= 1
            assert f["n_exposed"] >= 5 and f["n_unexposed"] >= 5
            assert f["lag"] in ("next morning", "same evening")
            # Structured fields: nothing needs parsing out of the sentence.
            assert f["subject"] and f["subject"] in f["summary"] and f["comparator"]
            assert f["outcome"] in f["summary"] and f["needed"] == 5
        if f["kind"] == "alert":
            assert isinstance(f["current"], bool) and f["raised"]
            assert (f["action"] is not None) == f["current"] or f["factor"] == "red_flag"
    # The planted warm-up effect (core.demo) is found.
    warmup = [f for f in doc["findings"] if f["factor"] == "warmup" and f["kind"] == "association"]
    assert any(f["q"] < 0.1 and f["effect"] > 0 for f in warmup)


def test_same_input_same_output(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "--data-dir", str(demo_dir), "analyze", "--json")[1]
    assert run(capsys, "--data-dir", str(demo_dir), "analyze", "--json")[1] == first


def test_text_output_reads_as_sections(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "analyze")
    assert code == 0
    assert out.startswith("Backstride analysis, 13 Dec 2024 to 30 Jun 2025\n")
    assert "PATTERNS (Q < 0.1), STRONGEST FIRST" in out
    assert "TRAINING LOAD (CONTEXT, NOT A PREDICTION)" in out
    assert "READ WITH CARE" in out and "Association is not cause" in out
    assert "On mornings after runs without a warm-up" in out


def test_from_and_to_choose_the_period(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("--data-dir", str(demo_dir), "analyze", "--json")
    code, out, _ = run(capsys, *argv, "--from", "2025-03-01", "--to", "2025-04-30")
    assert code == 0
    assert json.loads(out)["period"] == {"from": "2025-03-01", "to": "2025-04-30"}
    code, out, _ = run(capsys, *argv, "--from", "2025-06-01")
    assert json.loads(out)["period"] == {"from": "2025-06-01", "to": END.isoformat()}
    code, out, _ = run(capsys, *argv, "--to", "2025-01-31")
    assert json.loads(out)["period"] == {"from": "2024-12-13", "to": "2025-01-31"}
    # A short period has fewer days to compare, so fewer factors can be tested.
    short = json.loads(out)["findings"]
    full = json.loads(run(capsys, *argv)[1])["findings"]
    tested = [f for f in short if f["kind"] == "association"]
    assert len(tested) < len([f for f in full if f["kind"] == "association"])
    assert any(f["kind"] == "insufficient" for f in short)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from", "2025-13-01"], "--from '2025-13-01' is not a date: write it as YYYY-MM-DD"),
        (["--to", "30/06/2025"], "--to '30/06/2025' is not a date: write it as YYYY-MM-DD"),
        (["--from", "20250101"], "--from '20250101' is not a date"),
        (["--from", "2025-05-01", "--to", "2025-04-01"], "is after --to 2025-04-01: swap"),
    ],
)
def test_bad_dates_fail_with_a_clear_message(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "analyze", *options)
    assert code == 1
    assert out == ""
    assert err.startswith("backstride: ") and message in err


def test_empty_store_says_not_enough_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "analyze")
    assert code == 0
    assert "nothing logged yet" in out
    assert "NOT ENOUGH DATA YET" in out and "log your pain each morning" in out
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "analyze", "--json")
    doc = json.loads(out)
    assert doc["period"] == {"from": None, "to": None}
    assert [f["kind"] for f in doc["findings"]] == ["insufficient"]


def test_unreadable_data_file_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "backstride.sqlite3").write_bytes(b"not a database at all" * 100)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "analyze")
    assert code == 1 and out == ""
    assert err.startswith("backstride: ") and "Traceback" not in err
