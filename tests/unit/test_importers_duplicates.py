"""Spotting a run that is already in the log (core/duplicates.py), and merging a typed one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from backstride.core.duplicates import (
    find_duplicate,
    is_hand_entered,
    is_same_run,
    merge_into_manual,
)
from backstride.core.models import ProfilePoint, Run

START = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)


def imported(**changes: object) -> Run:
    values: dict[str, object] = {
        "start": START,
        "distance_m": 10_000.0,
        "moving_time_s": 3000.0,
        "source": "morning.fit",
        "source_hash": "abc",
        "ascent_m": 80.0,
        "profile": (ProfilePoint(0.0, 0.0),),
    }
    values.update(changes)
    return Run(**values)  # type: ignore[arg-type]


def test_same_content_hash_is_a_duplicate_whatever_else_differs() -> None:
    existing = [imported(start=START - timedelta(days=3), distance_m=1.0, id=7)]
    assert find_duplicate(imported(), existing) is existing[0]


def test_same_start_within_two_minutes_and_distance_within_two_percent() -> None:
    other = imported(source_hash="zzz", id=1)
    assert find_duplicate(imported(start=START + timedelta(seconds=119)), [other]) is other
    assert find_duplicate(imported(start=START - timedelta(seconds=121)), [other]) is None
    assert find_duplicate(imported(distance_m=10_199.0), [other]) is other
    # 2.5 % apart: a duplicate only as the same recording (overlapping by 90 % or more).
    assert find_duplicate(imported(distance_m=10_250.0), [other]) is other
    assert find_duplicate(imported(distance_m=10_250.0, moving_time_s=2000.0), [other]) is None
    assert find_duplicate(imported(distance_m=9_801.0), [other]) is other


def test_starts_compare_as_instants_across_time_zones() -> None:
    paris = imported(start=START.astimezone(timezone(timedelta(hours=2))), source_hash="x")
    assert is_same_run(imported(), paris)


def test_the_closest_start_wins_among_several_matches() -> None:
    far = imported(source_hash="1", start=START + timedelta(seconds=100), id=1)
    near = imported(source_hash="2", start=START + timedelta(seconds=10), id=2)
    assert find_duplicate(imported(), [far, near]) is near


def test_a_hand_entered_run_without_distance_matches_on_start_and_can_be_merged() -> None:
    typed = Run(
        start=START + timedelta(minutes=1),
        distance_m=None,
        moving_time_s=3100.0,
        rpe=6,
        warmup_min=10,
        surface="trail",
        shoe="Pegasus",
        note="left hip tight",
        source="manual",
        id=42,
    )
    found = find_duplicate(imported(source_hash="new"), [typed])
    assert found is typed and is_hand_entered(found)
    assert not is_hand_entered(imported())

    merged = merge_into_manual(typed, imported(source_hash="new", avg_hr=None))
    assert merged.id == 42
    assert (merged.rpe, merged.warmup_min, merged.surface, merged.shoe) == (
        6,
        10,
        "trail",
        "Pegasus",
    )
    assert merged.note == "left hip tight"
    assert merged.distance_m == 10_000.0  # the watch's measurement replaces the estimate
    assert merged.moving_time_s == 3000.0
    assert merged.source == "morning.fit" and merged.source_hash == "new"
    assert merged.profile == (ProfilePoint(0.0, 0.0),)


def test_merge_keeps_typed_figures_the_file_lacks() -> None:
    typed = Run(start=START, avg_hr=150.0, ascent_m=120.0, source="manual", id=3)
    merged = merge_into_manual(typed, imported(ascent_m=None, avg_hr=None))
    assert merged.ascent_m == 120.0 and merged.avg_hr == 150.0


def test_naive_starts_are_read_as_local_time() -> None:
    naive = imported(start=START.astimezone().replace(tzinfo=None), source_hash="n")
    assert is_same_run(imported(), naive)


def test_no_existing_runs_no_duplicate() -> None:
    assert find_duplicate(imported(), []) is None
