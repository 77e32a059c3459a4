"""`core.limits`: one range per field, and every entry path holding to the same ones."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time

import pytest

from backstride.core import limits
from backstride.core.errors import FieldProblem
from backstride.core.models import HabitDay, PainEntry, Run
from backstride.core.pain import pain_entry_problems
from backstride.core.track import Track
from backstride.core.training import habit_problems, run_problems
from backstride.importers._build import checked_run

TODAY = date(2026, 6, 1)
RUN = Run(start=datetime(2026, 5, 1, 7, tzinfo=UTC), distance_m=10_000.0, moving_time_s=3000.0)


@pytest.mark.parametrize(
    ("value", "holds"),
    [
        (25, True),
        (230, True),
        (24.999, False),
        (230.001, False),
        (float("inf"), False),
        (float("nan"), False),
        (10**400, False),  # beyond any float, compared exactly: no OverflowError
        (-(10**400), False),
    ],
)
def test_a_limit_holds_only_finite_values_in_range(value: float, holds: bool) -> None:
    assert limits.RUN["avg_hr"].holds(value) is holds


def test_limits_read_as_words() -> None:
    assert limits.RUN["avg_hr"].text() == "25-230 beats/min"
    assert limits.RUN["ascent_m"].text() == "0-20,000 m"
    assert limits.RUN["distance_m"].text(0.001, "km") == "0-500 km"
    assert limits.RUN["step_length_m"].text() == "0.1-3 m"


def test_every_limit_names_a_real_field() -> None:
    run_fields = {f.name for f in dataclasses.fields(Run)}
    assert set(limits.RUN) <= run_fields
    assert set(limits.SAMPLE) == {name for name, _ in Track(time_s=[])._columns()}
    assert set(limits.HABIT) <= {f.name for f in dataclasses.fields(HabitDay)}
    assert set(limits.PAIN) <= {f.name for f in dataclasses.fields(PainEntry)}


def test_dates_run_from_1900_to_today_with_a_day_for_time_zones() -> None:
    assert limits.day_problem("date", date(1900, 1, 1), TODAY) is None
    assert limits.day_problem("date", TODAY, TODAY) is None
    tomorrow = date(2026, 6, 2)
    assert limits.day_problem("date", tomorrow, TODAY, zone_slack=True) is None
    late = limits.day_problem("date", tomorrow, TODAY)
    assert late is not None and "future" in late.message
    early = limits.day_problem("date", date(1899, 12, 31), TODAY)
    assert early is not None and "before 1900" in early.message


def test_error_lists_are_capped_at_20_with_a_count() -> None:
    problems = [FieldProblem(f"k{i}", "bad") for i in range(25)]
    out = limits.capped(problems, "answers")
    assert len(out) == 21 and out[:20] == problems[:20]
    assert out[-1] == FieldProblem(
        "answers", "and 5 more problem(s) like these; fix the ones above first"
    )
    assert limits.capped(problems[:20], "answers") == problems[:20]


# Run fields a hand entry can set, with the field name its problems carry.
HAND = {
    "distance_m": "distance",
    "moving_time_s": "moving_time",
    "ascent_m": "ascent",
    "descent_m": "descent",
    "avg_hr": "avg_hr",
    "cadence_spm": "cadence",
    "vertical_oscillation_cm": "vertical_oscillation",
    "rpe": "rpe",
    "warmup_min": "warmup_min",
}


@pytest.mark.parametrize("name", sorted(limits.RUN))
def test_hand_entry_and_watch_imports_share_each_runs_limit(name: str) -> None:
    limit = limits.RUN[name]
    integer = name in ("rpe", "warmup_min", "pace_surges")
    # Distance and time alone, so their relations (speed, 0 with the other) stay out.
    base = dataclasses.replace(RUN, distance_m=None, moving_time_s=None)

    def run(value: float) -> Run:
        return dataclasses.replace(base, **{name: int(value) if integer else value})

    assert run_problems(run(limit.low), TODAY) == []
    assert run_problems(run(limit.high), TODAY) == []
    over = run(limit.high + (1 if integer else max(limit.high * 1e-6, 1e-6)))
    assert HAND.get(name, name) in {p.field for p in run_problems(over, TODAY)}
    if name in ("rpe", "warmup_min"):
        return  # never measured by a watch
    warnings: list[str] = []
    if name == "distance_m":
        with pytest.raises(ValueError, match="more than any run"):
            checked_run(over, warnings)
    else:
        assert getattr(checked_run(over, warnings), name) is None and warnings


def test_habit_and_pain_limits_are_the_hand_entry_limits() -> None:
    for name, limit in limits.HABIT.items():
        day = HabitDay(day=TODAY, **{name: limit.high})
        assert habit_problems(day, TODAY) == [], name
        bad = HabitDay(day=TODAY, **{name: limit.high + 1})
        assert [p.field for p in habit_problems(bad, TODAY)] == [name]
    entry = PainEntry(day=TODAY, intensity=11, time=time(7))
    assert [p.field for p in pain_entry_problems(entry, TODAY)] == ["intensity"]
