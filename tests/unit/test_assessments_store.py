"""Stored check-ups and the training-log pre-fill (issue 5)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from backstride.core.models import Assessment
from backstride.core.triage import RULES_VERSION, evaluate, load_questions, parse_answers
from backstride.core.triage_compare import compare_assessments, format_answer
from backstride.core.triage_record import (
    RecordError,
    flatten_answers,
    nest_answers,
    result_from_record,
    result_record,
)
from backstride.store.assessments import (
    add_assessment,
    delete_assessment,
    get_assessment,
    latest_assessment,
    list_assessments,
    running_prefill,
)
from backstride.store.database import Store, StoreError, open_store

VIGNETTES = Path(__file__).parent / "vignettes"
TODAY = date(2026, 3, 20)
PLUS2 = timezone(timedelta(hours=2))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path)
    yield s
    s.close()


def vignette(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VIGNETTES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def assessment(name: str, taken_at: datetime) -> Assessment:
    answers = parse_answers(vignette(name))
    return Assessment(
        taken_at=taken_at,
        answers=answers.to_dict(),
        result=result_record(evaluate(answers)),
        rules_version=RULES_VERSION,
    )


# ---------------------------------------------------------------- assessments


def test_add_get_round_trip_keeps_everything(store: Store) -> None:
    a = assessment("self_care-runner", datetime(2026, 3, 1, 9, 30, 15, tzinfo=PLUS2))
    saved = add_assessment(store, a)
    assert saved.id is not None
    assert get_assessment(store, saved.id) == saved
    assert saved.answers == a.answers and saved.result == a.result
    row = store.conn.execute("SELECT taken_at, rules_version FROM assessment").fetchone()
    assert row == ("2026-03-01T09:30:15+02:00", RULES_VERSION)


def test_list_is_newest_first_across_utc_offsets(store: Store) -> None:
    # 08:00+02:00 is 06:00 UTC: earlier than 07:00 UTC although its text sorts later.
    late = add_assessment(store, assessment("urgent-fever", datetime(2026, 3, 1, 7, tzinfo=UTC)))
    early = add_assessment(
        store, assessment("self_care-runner", datetime(2026, 3, 1, 8, tzinfo=PLUS2))
    )
    newest = add_assessment(
        store, assessment("soon-inflammatory", datetime(2026, 3, 5, 12, tzinfo=UTC))
    )
    assert [a.id for a in list_assessments(store)] == [newest.id, late.id, early.id]
    assert latest_assessment(store) == newest


def test_empty_store_has_no_latest(store: Store) -> None:
    assert list_assessments(store) == []
    assert latest_assessment(store) is None
    assert get_assessment(store, 1) is None
    assert delete_assessment(store, 1) is None


def test_naive_time_is_stored_as_local_time_with_offset(store: Store) -> None:
    saved = add_assessment(store, assessment("urgent-fever", datetime(2026, 3, 1, 7, 0)))
    assert saved.taken_at.tzinfo is not None
    stored = store.conn.execute("SELECT taken_at FROM assessment").fetchone()[0]
    assert datetime.fromisoformat(stored).utcoffset() is not None


def test_delete_returns_it_and_add_puts_it_back_with_its_id(store: Store) -> None:
    first = add_assessment(store, assessment("urgent-fever", datetime(2026, 3, 1, tzinfo=UTC)))
    second = add_assessment(store, assessment("self_care-runner", datetime(2026, 3, 2, tzinfo=UTC)))
    removed = delete_assessment(store, first.id or 0)
    assert removed == first
    assert list_assessments(store) == [second]
    assert add_assessment(store, removed) == first  # undo
    assert [a.id for a in list_assessments(store)] == [second.id, first.id]


def test_bad_assessments_are_refused(store: Store) -> None:
    good = assessment("urgent-fever", datetime(2026, 3, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="rules version"):
        add_assessment(store, Assessment(good.taken_at, good.answers, good.result, " "))
    with pytest.raises(ValueError, match="plain JSON"):
        add_assessment(
            store, Assessment(good.taken_at, {"age": float("nan")}, good.result, RULES_VERSION)
        )
    assert list_assessments(store) == []


def test_damaged_row_is_a_store_error_that_says_what_to_do(store: Store) -> None:
    store.conn.execute(
        "INSERT INTO assessment (taken_at, answers, result, rules_version) "
        "VALUES ('2026-03-01T08:00:00+00:00', '{broken', '{}', 'x')"
    )
    with pytest.raises(StoreError, match=r"number 1 is damaged.*from a backup"):
        list_assessments(store)
    with pytest.raises(StoreError, match="number 1 is damaged"):
        get_assessment(store, 1)


# ---------------------------------------------------------------- stored result


@pytest.mark.parametrize(
    "name",
    [
        "emergency-saddle",
        "urgent-fever",
        "urgent-unanswered",
        "soon-inflammatory",
        "self_care-runner",
    ],
)
def test_result_record_reads_back_identically(name: str) -> None:
    result = evaluate(parse_answers(vignette(name)))
    record = json.loads(json.dumps(result_record(result)))
    assert result_from_record(record) == result
    assert {k: record[k] for k in result.to_json()} == result.to_json()


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({"tier": "later"}, "unknown tier 'later'"),
        ({"tier": "soon", "advice": "see a doctor"}, "'advice' is not a list of text"),
        ([], "not a JSON object"),
    ],
)
def test_broken_records_are_refused(record: Any, words: str) -> None:
    with pytest.raises(RecordError, match=words):
        result_from_record(record)


def test_flatten_and_nest_are_inverse() -> None:
    nested = parse_answers(vignette("self_care-runner")).to_dict()
    flat = flatten_answers(nested)
    assert flat["red_flags.fever"] is False and flat["age"] == 38
    assert nest_answers(flat) == nested
    assert flatten_answers({"future_key": 1, "red_flags": {"new_flag": True}}) == {}


# ---------------------------------------------------------------- compare


def test_compare_shows_result_rows_and_only_changed_answers() -> None:
    older = assessment("self_care-runner", datetime(2026, 3, 1, tzinfo=UTC))
    changed = vignette("self_care-runner")
    changed["red_flags"]["fever"] = True
    changed["running"]["warmup"] = "full"
    changed["pattern"]["regions"] = ["saddle"]
    newer_answers = parse_answers(changed)
    newer = Assessment(
        taken_at=datetime(2026, 3, 8, tzinfo=UTC),
        answers=newer_answers.to_dict(),
        result=result_record(evaluate(newer_answers)),
        rules_version="2027.1.1",
    )
    rows = {r.key: r for r in compare_assessments(older, newer)}
    assert (rows["tier"].before, rows["tier"].after) == ("Self-care", "Urgent")
    assert rows["tier"].changed
    assert rows["patterns"].before == "Non-specific low back pain"
    assert "Short or no warm-up" in rows["factors"].before
    assert "Short or no warm-up" not in rows["factors"].after
    assert (rows["rules_version"].before, rows["rules_version"].after) == (
        RULES_VERSION,
        "2027.1.1",
    )
    assert (rows["red_flags.fever"].before, rows["red_flags.fever"].after) == ("No", "Yes")
    assert rows["red_flags.fever"].label == "Fever"
    assert rows["running.warmup"].after == "A full warm-up (10 minutes or more)"
    assert rows["pattern.regions"].after == "Saddle area (between the legs)"
    answer_keys = [k for k in rows if "." in k or k in ("age", "height_cm", "weight_kg")]
    assert answer_keys == ["red_flags.fever", "pattern.regions", "running.warmup"]


def test_compare_same_answers_lists_no_answer_rows() -> None:
    a = assessment("urgent-fever", datetime(2026, 3, 1, tzinfo=UTC))
    rows = compare_assessments(a, a)
    assert [r.key for r in rows] == ["tier", "patterns", "factors"]
    assert not any(r.changed for r in rows)


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("red_flags.fever", None, "Not answered"),
        ("red_flags.fever", True, "Yes"),
        ("age", 35, "35 years"),
        ("running.cadence_spm", 158.5, "158.5 steps/min"),
        ("history.conditions", [], "None"),
        ("history.conditions", ["sciatica", "disc"], "Sciatica; Disc degeneration or a slipped"),
        ("pattern.running_relation", "next_day", "It is worse the day after running"),
    ],
)
def test_format_answer(key: str, value: Any, text: str) -> None:
    assert format_answer(load_questions().question(key), value).startswith(text)


# ---------------------------------------------------------------- running pre-fill


def add_run(store: Store, day: date, km: float | None, **extra: Any) -> None:
    row = {
        "start": f"{day.isoformat()}T07:00:00+00:00",
        "day": day.isoformat(),
        "distance_m": None if km is None else km * 1000,
        **extra,
    }
    store.conn.execute(
        f"INSERT INTO run ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


def add_habit(store: Store, day: date, **values: Any) -> None:
    row = {"day": day.isoformat(), **values}
    store.conn.execute(
        f"INSERT INTO habit_day ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


def test_empty_log_gives_nothing(store: Store) -> None:
    assert running_prefill(store, TODAY) == {}


def test_prefill_from_a_full_log(store: Store) -> None:
    for n in range(0, 60, 2):  # every other day for 60 days
        day = TODAY - timedelta(days=n)
        recent = n < 14
        add_run(
            store,
            day,
            10.0 if recent else 6.0,  # 7 runs in 2 weeks: 35 km/week; before: 21 km/week
            cadence_spm=160.0 if n < 28 else 180.0,
            descent_m=300.0 if n in (2, 10) else 40.0,  # 30 m/km: hilly in 2 of 4 weeks
            warmup_min=0 if n % 4 == 0 else 5,
            surface="road",
        )
    for n in range(28):
        add_habit(store, TODAY - timedelta(days=n), core_min=20 if n % 7 == 0 else 0)
    add_habit(store, TODAY - timedelta(days=40), weight_kg=71.0)
    add_habit(store, TODAY - timedelta(days=100), weight_kg=90.0)

    found = running_prefill(store, TODAY)
    assert found == {
        "running.weekly_km": 35.0,
        "running.weekly_km_4w_ago": 21.0,
        "running.cadence_spm": 160.0,
        "running.downhill_share": "some",
        "running.warmup": "none",  # 7 of 14 at 0 min: the lower median
        "running.core_sessions_per_week": 1,
        "weight_kg": 71.0,
    }
    # Every pre-filled key is a question marked for pre-fill, and the values are valid.
    questions = load_questions()
    assert all(questions.question(k).prefill is not None for k in found)
    parse_answers(nest_answers(found))


def test_short_log_gives_no_distance_for_4_weeks_ago(store: Store) -> None:
    # A new user: runs only in the last 10 days must not read as 0 km four weeks ago.
    for n in range(0, 10, 3):
        add_run(store, TODAY - timedelta(days=n), 8.0)
    found = running_prefill(store, TODAY)
    # 32 km over the 10 days the log covers (not 16: the 4 days before it are unknown).
    assert found["running.weekly_km"] == 22.4
    assert "running.weekly_km_4w_ago" not in found
    assert "running.cadence_spm" not in found and "running.warmup" not in found
    assert "running.downhill_share" not in found  # neither descent nor surface known


def test_old_log_without_recent_runs_gives_nothing_from_runs(store: Store) -> None:
    add_run(store, TODAY - timedelta(days=40), 10.0, cadence_spm=170.0)
    assert running_prefill(store, TODAY) == {}


def test_unknown_distance_is_not_counted_as_zero(store: Store) -> None:
    add_run(store, TODAY - timedelta(days=1), 10.0)
    add_run(store, TODAY - timedelta(days=3), None)
    assert "running.weekly_km" not in running_prefill(store, TODAY)


@pytest.mark.parametrize(
    ("runs", "share"),
    [
        ([(1, 0.0, "road")], "low"),
        ([(1, 0.0, "trail"), (8, 0.0, "road"), (15, 0.0, "road")], "some"),
        ([(1, 300.0, None), (8, 0.0, "trail"), (15, 0.0, "road")], "high"),
        ([(1, 199.0, None)], "low"),  # 19.9 m/km: just under the hilly mark
        ([(1, 200.0, None)], "high"),
    ],
)
def test_downhill_share(
    store: Store, runs: list[tuple[int, float, str | None]], share: str
) -> None:
    for days_ago, descent, surface in runs:
        add_run(store, TODAY - timedelta(days=days_ago), 10.0, descent_m=descent, surface=surface)
    assert running_prefill(store, TODAY)["running.downhill_share"] == share


@pytest.mark.parametrize(
    ("minutes", "code"), [([0, 0, 12], "none"), ([5, 8], "short"), ([10, 15, 0], "full")]
)
def test_warmup_habit(store: Store, minutes: list[int], code: str) -> None:
    for n, m in enumerate(minutes):
        add_run(store, TODAY - timedelta(days=n), 5.0, warmup_min=m)
    assert running_prefill(store, TODAY)["running.warmup"] == code


def test_core_sessions_count_the_weeks_the_habit_log_covers(store: Store) -> None:
    # Habit log started 7 days ago with 3 core days: 3 a week, not 3 in 4 weeks.
    for n in range(7):
        add_habit(store, TODAY - timedelta(days=n), core_min=15 if n in (0, 2, 4) else 0)
    assert running_prefill(store, TODAY) == {"running.core_sessions_per_week": 3}


def test_out_of_range_values_are_left_out(store: Store) -> None:
    add_run(store, TODAY, 1200.0, cadence_spm=85.0)  # 600 km/week; strides, not steps
    add_habit(store, TODAY, weight_kg=400.0)
    assert running_prefill(store, TODAY) == {}
