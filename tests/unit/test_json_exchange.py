"""The JSON export: everything in one versioned file, imported all-or-nothing (issue 10,
"Full JSON export and import"), and fuzzed: any document gives a clean import or our own
error, never a partial write or a traceback."""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.cli import main
from backstride.core import json_export as jx
from backstride.core.models import Assessment, HabitDay, PainEntry, ProfilePoint, Run, Shoe
from backstride.store.assessments import add_assessment, list_assessments
from backstride.store.database import Store, StoreError, open_store
from backstride.store.demo import DEMO_KEY, is_demo
from backstride.store.habits import import_habit_days, list_habit_days
from backstride.store.json_exchange import export_json, import_json
from backstride.store.pain import import_pain_entries, list_pain_entries
from backstride.store.runs import get_run, import_runs, list_runs
from backstride.store.shoes import import_shoes, list_shoes

TODAY = date.today()
NOW = datetime(2026, 5, 2, 18, 0, tzinfo=timezone(timedelta(hours=2)))
DOCS = Path(__file__).resolve().parents[2] / "docs" / "json-format.md"
FUZZ_EXAMPLES = int(os.environ.get("BACKSTRIDE_FUZZ_EXAMPLES", "50"))
TABLES = ("shoe", "run", "run_profile", "habit_day", "pain_entry", "assessment", "meta")


def fill(store: Store) -> None:
    """One of every record kind, with every field set and a profile on a run."""
    day = TODAY - timedelta(days=3)
    import_shoes(store, [Shoe("Pegasus 40", first_used=day - timedelta(days=30), warn_km=650.0)])
    start = datetime.combine(day, datetime.min.time(), timezone(timedelta(hours=-4)))
    import_runs(
        store,
        [
            Run(
                start=start.replace(hour=7, second=12),
                distance_m=10_012.5,
                moving_time_s=3012.25,
                ascent_m=120.0,
                descent_m=118.5,
                avg_hr=151.0,
                cadence_spm=172.4,
                vertical_oscillation_cm=8.9,
                rpe=6,
                warmup_min=0,
                surface="trail",
                shoe="Pegasus 40",
                note='a "quoted" note,\nover two lines',
                source="morning.fit",
                source_hash="ab12",
                elapsed_time_s=3100.0,
                max_descent_grade_pct=8.5,
                fastest_km_s=270.0,
                pace_surges=2,
                stance_time_ms=240.0,
                step_length_m=1.1,
                vertical_ratio_pct=7.5,
                profile=(
                    ProfilePoint(0.0, 0.0, 101.5, None, None, None),
                    ProfilePoint(10.0, 31.5, 101.0, 317.5, 170.0, 140.0),
                ),
            ),
            Run(start=start.replace(hour=18), distance_m=5000.0, moving_time_s=1500.0),
        ],
    )
    import_habit_days(
        store, [HabitDay(day, core_min=20, sleep_h=7.5, weight_kg=70.2, fatigue=3, note="tired")]
    )
    import_pain_entries(
        store,
        [
            PainEntry(
                day=day,
                intensity=4,
                time=datetime.min.time().replace(hour=7, minute=5),
                regions=("lower_back_left", "saddle"),
                timing="on_waking",
                quality=("aching",),
                stiffness_min=15,
                worse=("sitting",),
                helped=("heat", "topical"),
                medication="ibuprofen 400",
                note="=SUM(A1)",
            ),
            PainEntry(day=day, intensity=0),
        ],
    )
    add_assessment(
        store,
        Assessment(
            taken_at=NOW,
            answers={"age": 40, "red_flags": {"fever": False}},
            result={"tier": "self_care", "advice": ["Keep moving."]},
            rules_version="2026.11.1",
        ),
    )


def contents(store: Store) -> tuple[Any, ...]:
    """Everything a runner keeps, without the row numbers a fresh store gives anew."""
    return (
        [replace(u.shoe, id=None) for u in list_shoes(store)],
        [replace(get_run(store, r.id or 0) or r, id=None) for r in list_runs(store)],
        list_habit_days(store),
        [replace(e, id=None) for e in list_pain_entries(store)],
        [replace(a, id=None) for a in list_assessments(store)],
    )


def counts(store: Store) -> dict[str, int]:
    with store.read() as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def source(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "a")
    fill(store)
    return store


def test_round_trip_is_exact_and_importing_twice_adds_nothing(
    source: Store, tmp_path: Path
) -> None:
    path = tmp_path / "all.json"
    written = export_json(source, path, NOW)
    assert written == {
        "shoes": 1,
        "runs": 2,
        "habits": 1,
        "pain": 2,
        "assessments": 1,
        "experiments": 0,  # round-tripped in test_experiments.py
    }
    target = open_store(tmp_path / "b")
    first = import_json(target, path, TODAY)
    assert [(r.key, r.added) for r in first] == [
        ("shoes", 1),
        ("runs", 2),
        ("habits", 1),
        ("pain", 2),
        ("assessments", 1),
        ("experiments", 0),
    ]
    assert contents(target) == contents(source)
    before = counts(target)
    again = import_json(target, path, TODAY)
    assert all(r.added == 0 and r.updated == 0 for r in again)
    assert counts(target) == before
    # and the file it writes is the same, byte for byte, as the one it read
    export_json(target, tmp_path / "again.json", NOW)
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_document_has_the_format_marker_version_and_one_record_per_line(
    source: Store, tmp_path: Path
) -> None:
    export_json(source, tmp_path / "all.json", NOW)
    text = (tmp_path / "all.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["format"] == "backstride-export" and doc["version"] == 1
    assert doc["exported_at"] == NOW.isoformat() and doc["demo"] is None
    assert doc["runs"][0]["start"].endswith("-04:00")  # the start keeps its UTC offset
    assert doc["runs"][0]["profile"][1] == [10.0, 31.5, 101.0, 317.5, 170.0, 140.0]
    assert doc["pain"][1]["time"] == "07:05" and doc["pain"][1]["regions"] == [
        "lower_back_left",
        "saddle",
    ]
    assert "id" not in doc["runs"][0]
    lines = sum(2 + len(doc[s.key]) if doc[s.key] else 1 for s in jx.SECTIONS)  # [] is one
    assert len(text.splitlines()) == 7 + lines


def test_every_key_is_documented() -> None:
    doc = DOCS.read_text(encoding="utf-8")
    for section in jx.SECTIONS:
        assert f"`{section.key}`" in doc
        for key, _, _ in jx.record_fields(section.record):
            assert f"`{key}`" in doc, f"docs/json-format.md does not describe {section.key}.{key}"
    for name in (*jx.PROFILE_FIELDS, "format", "version", "exported_at", "app_version", "demo"):
        assert f"`{name}`" in doc


def _write(tmp_path: Path, doc: Any, name: str = "x.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _doc(source: Store, tmp_path: Path) -> dict[str, Any]:
    export_json(source, tmp_path / "src.json", NOW)
    doc: dict[str, Any] = json.loads((tmp_path / "src.json").read_text(encoding="utf-8"))
    return doc


def test_errors_name_the_json_path_and_what_to_enter_and_nothing_is_saved(
    source: Store, tmp_path: Path
) -> None:
    doc = _doc(source, tmp_path)
    doc["runs"][1]["distance_m"] = 1_080_000.0  # the 1,080 km "run"
    doc["runs"][0]["start"] = "2100-01-01T07:00:00+00:00"  # and its run dated 2100
    doc["runs"][0]["profile"][1][0] = "ten"
    doc["pain"][1]["intensity"] = 11
    doc["pain"][0]["regions"] = ["lower_back", 3]
    doc["habits"][0]["day"] = "2024-02-30"
    doc["shoes"][0]["nme"] = "typo"
    target = open_store(tmp_path / "b")
    with pytest.raises(jx.JsonImportError) as caught:
        import_json(target, _write(tmp_path, doc), TODAY)
    text = str(caught.value)
    assert text.startswith("x.json: nothing was imported: ")
    for expected in (
        "runs[1].distance_m: ",
        "runs[0].start: 2100-01-01 is in the future",
        "km is longer than any one run",
        "runs[0].profile[1]: must be a number",
        "pain[1].intensity: ",
        "pain[0].regions: must be a list of codes",
        "habits[0].day: 2024-02-30 is not a date in the calendar",
        "shoes[0]: unknown key 'nme'",
    ):
        assert expected in text
    assert counts(target) == dict.fromkeys(TABLES, 0)


def test_error_list_is_capped_at_twenty_with_a_count(tmp_path: Path) -> None:
    doc = {
        "format": "backstride-export",
        "version": 1,
        "pain": [{"day": "2025-01-01", "intensity": 99}] * 1000,
    }
    with pytest.raises(jx.JsonImportError) as caught:
        import_json(open_store(tmp_path / "b"), _write(tmp_path, doc), TODAY)
    assert len(caught.value.problems) == 20
    assert str(caught.value).endswith("; and 980 more problem(s)")
    assert "pain[19].intensity" in str(caught.value) and "pain[20]" not in str(caught.value)
    many_keys = {
        "format": "backstride-export",
        "version": 1,
        **{f"k{n}" * 50: 1 for n in range(10**5)},
    }
    with pytest.raises(jx.JsonImportError) as caught:
        import_json(open_store(tmp_path / "c"), _write(tmp_path, many_keys), TODAY)
    assert len(str(caught.value)) < 3000  # not the 12 MB message of the issue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is not valid JSON (line 1, column 1"),
        ("[1, 2", "is not valid JSON"),
        ('{"a": NaN}', "is not a Backstride export"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": "backstride-export", "version": ' + "9" * 5000 + "}", "Backstride export"),
        ('{"answers": {}}', "format: this is not a Backstride export"),
        ('{"format": "backstride-export", "version": 2}', "written by a newer Backstride"),
        ('{"format": "backstride-export", "version": "1"}', "version: must be a whole number"),
        ('{"format": "backstride-export", "version": 1, "pain": {}}', "pain: must be a list"),
        (
            '{"format": "backstride-export", "version": 1, "pain": [{"day": "2025-01-01", '
            '"intensity": 1, "note": "\\ud800"}]}',
            "pain[0].note: must be text",
        ),
        (
            '{"format": "backstride-export", "version": 1, "assessments": [{"taken_at": '
            '"2025-01-01T08:00:00+01:00", "rules_version": "1", "result": {}, "answers": '
            + '{"a": ' * 50
            + "1"
            + "}" * 50
            + "}]}",
            "assessments[0].answers: is nested more than",
        ),
        (
            '{"format": "backstride-export", "version": 1, "runs": [{"start": '
            '"2025-01-01T08:00:00", "pace_surges": 1e400}]}',
            "runs[0].start: must be a date and time with its UTC offset",
        ),
        (
            '{"format": "backstride-export", "version": 1, "runs": [{"start": '
            '"2025-01-01T08:00:00Z", "pace_surges": 10000000000000000000000}]}',
            "runs[0].pace_surges: is far too large",
        ),
        (
            '{"format": "backstride-export", "version": 1, "pain": [{"day": '
            '"\u0662\u0660\u0662\u0664-\u0660\u0665-\u0660\u0661", "intensity": 1}]}',
            "pain[0].day: must be a date written YYYY-MM-DD",
        ),
    ],
)
def test_hostile_documents_are_refused_in_words(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    target = open_store(tmp_path / "b")
    with pytest.raises(jx.JsonImportError) as caught:
        import_json(target, path, TODAY)
    assert expected in str(caught.value)
    assert counts(target) == dict.fromkeys(TABLES, 0)


def test_size_cap_binary_and_fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = open_store(tmp_path / "b")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    monkeypatch.setattr(jx, "MAX_BYTES", 1024)
    monkeypatch.setattr("backstride.store.json_exchange.MAX_BYTES", 1024)
    with pytest.raises(jx.JsonImportError, match="at most 0 MB"):
        import_json(target, big, TODAY)
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe{")
    with pytest.raises(jx.JsonImportError, match="not UTF-8"):
        import_json(target, tmp_path / "bin.json", TODAY)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
        with pytest.raises(jx.JsonImportError, match="not a regular file"):
            import_json(target, tmp_path / "pipe.json", TODAY)


def test_cross_references_are_checked(source: Store, tmp_path: Path) -> None:
    doc = _doc(source, tmp_path)
    doc["runs"][0]["shoe"] = "Nowhere"
    doc["shoes"].append(dict(doc["shoes"][0]))
    doc["habits"].append(dict(doc["habits"][0]))
    with pytest.raises(jx.JsonImportError) as caught:
        import_json(open_store(tmp_path / "b"), _write(tmp_path, doc), TODAY)
    text = str(caught.value)
    assert "runs[0].shoe: names no shoe in shoes" in text
    assert "shoes[1].name: the same name as shoes[0]" in text
    assert "habits[1].day: the same day as habits[0]" in text


def test_a_changed_habit_day_or_shoe_is_updated(source: Store, tmp_path: Path) -> None:
    doc = _doc(source, tmp_path)
    target = open_store(tmp_path / "b")
    import_json(target, tmp_path / "src.json", TODAY)
    doc["habits"][0]["fatigue"] = 9
    doc["shoes"][0]["warn_km"] = 800.0
    results = {r.key: r for r in import_json(target, _write(tmp_path, doc), TODAY)}
    assert (results["habits"].updated, results["shoes"].updated) == (1, 1)
    assert list_habit_days(target)[0].fatigue == 9


def test_demo_data_never_mix_with_the_runners_own(source: Store, tmp_path: Path) -> None:
    demo = open_store(tmp_path / "demo")
    fill(demo)
    demo.set_meta(DEMO_KEY, "demo runner")
    export_json(demo, tmp_path / "demo.json", NOW)
    export_json(source, tmp_path / "own.json", NOW)
    with pytest.raises(StoreError, match="demo runner's made-up data"):
        import_json(source, tmp_path / "demo.json", TODAY)
    with pytest.raises(StoreError, match="holds the demo runner"):
        import_json(demo, tmp_path / "own.json", TODAY)
    empty = open_store(tmp_path / "empty")
    import_json(empty, tmp_path / "demo.json", TODAY)
    assert is_demo(empty)  # still marked, so the demo can be replaced and never mixes


def test_cli_export_and_import_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(open_store(tmp_path / "a"))
    out = tmp_path / "exports" / "all.json"
    assert main(["--data-dir", str(tmp_path / "a"), "export", str(out)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"wrote {out} (1 shoes, 2 runs, 1 habits, 2 pain, 1 assessments, 0 experiments)"
    )
    assert main(["--data-dir", str(tmp_path / "b"), "import", str(out)]) == 0
    assert "runs: 2 added" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "b"), "import", str(out)]) == 0
    assert "runs: 0 added, 2 already there" in capsys.readouterr().out
    out.write_text('{"format": "backstride-export", "version": 1, "pain": [1]}', "utf-8")
    assert main(["--data-dir", str(tmp_path / "b"), "import", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(r"backstride: all\.json: nothing was imported: pain\[0\]: .*\n", err)


# ---------------------------------------------------------------- fuzzing

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 1e308, 250.0, 2**53 + 1, 59.9, 1440, 10.5]),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "2025-01-01",
            "2100-01-01",
            "0001-01-01",
            "07:30",
            "24:00",
            "road",
            "saddle",
            "2025-06-01T07:30:00+02:00",
            "9999-12-31T23:59:59-23:59",
            "Pegasus 40",
            "\ud800",
        ]
    ),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            found += _paths(v, (*prefix, n))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> str:
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(_VALUES)
        else:
            parent.append(draw(_VALUES))
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 9)) == 0:  # sometimes break the text itself
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.sampled_from(["", "{", "]", '"', ",", "\\u", "1e999"]))
            + text[at + 1 :]
        )
    return text


def test_fuzz_documents_import_cleanly_or_are_refused_whole(tmp_path: Path) -> None:
    source = open_store(tmp_path / "a")
    fill(source)
    base = _doc(source, tmp_path)
    target = open_store(tmp_path / "b")
    path = tmp_path / "fuzz.json"
    outcomes = {"imported": 0, "refused": 0}

    @FUZZ
    @given(mutated(base))
    def check(text: str) -> None:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = counts(target)
        try:
            import_json(target, path, TODAY)
        except (jx.JsonImportError, StoreError) as exc:
            assert str(exc) and len(str(exc)) < 5000
            assert counts(target) == before  # never a partial write
            outcomes["refused"] += 1
        else:
            outcomes["imported"] += 1

    check()
    assert outcomes["refused"] and outcomes["imported"]


def test_a_stored_infinity_is_exported_as_unknown(source: Store, tmp_path: Path) -> None:
    """An older version stored a GPX heart rate of 1e308 as Inf; the export stays valid JSON."""
    with source.write() as db:
        db.execute("UPDATE run SET avg_hr = 1e999, fastest_km_s = -1e999")
    export_json(source, tmp_path / "all.json", NOW)
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert {r["avg_hr"] for r in doc["runs"]} == {None}
    target = open_store(tmp_path / "b")
    import_json(target, tmp_path / "all.json", TODAY)
    assert [r.avg_hr for r in list_runs(target)] == [None, None]


def test_any_key_order_reads_and_a_late_problem_saves_nothing(
    source: Store, tmp_path: Path
) -> None:
    doc = _doc(source, tmp_path)
    reordered = {k: doc[k] for k in ["runs", "pain", "assessments", "habits", "shoes"]}
    reordered.update({k: doc[k] for k in ["demo", "version", "format"]})  # header last
    target = open_store(tmp_path / "b")
    import_json(target, _write(tmp_path, reordered), TODAY)
    assert contents(target) == contents(source)
    # Runs are saved as they are read; a problem at the very end rolls them all back.
    late = {**reordered, "format": "something-else"}
    other = open_store(tmp_path / "c")
    with pytest.raises(jx.JsonImportError, match="not a Backstride export"):
        import_json(other, _write(tmp_path, late), TODAY)
    bad_last = dict(reordered)
    bad_last["shoes"] = [{"name": "Pegasus 40", "warn_km": 1}]
    with pytest.raises(jx.JsonImportError, match=r"shoes\[0\]\.warn_km"):
        import_json(other, _write(tmp_path, bad_last), TODAY)
    assert counts(other) == dict.fromkeys(TABLES, 0)
