"""The demo runner: reproducible, realistic, fast, with its planted effects switchable."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from backstride.core import demo, vocab
from backstride.core.demo import DEMO_EFFECTS, generate_demo
from backstride.core.models import Dataset

END = date(2025, 6, 30)


@pytest.fixture(scope="module")
def year() -> Dataset:
    return generate_demo(365, seed=3, end=END)


def test_same_seed_same_data_and_other_seed_differs() -> None:
    a = generate_demo(200, seed=7, end=END)
    b = generate_demo(200, seed=7, end=END)
    c = generate_demo(200, seed=8, end=END)
    assert a == b
    assert a.runs != c.runs
    assert a.pain != c.pain


def test_covers_exactly_the_requested_days(year: Dataset) -> None:
    days = [p.day for p in year.pain] + [r.day for r in year.runs] + [h.day for h in year.habits]
    assert min(days) >= END - timedelta(days=364)
    assert max(days) <= END


def test_end_defaults_to_today() -> None:
    data = generate_demo(30, seed=1)
    assert max(p.day for p in data.pain) <= date.today()
    assert min(p.day for p in data.pain) >= date.today() - timedelta(days=29)


def test_training_looks_like_a_runner(year: Dataset) -> None:
    runs = year.runs
    weeks = 365 / 7
    assert 3.0 * weeks * 0.85 <= len(runs) <= 5.0 * weeks  # 3-5 a week, minus holidays
    km = [r.distance_m / 1000 for r in runs if r.distance_m]
    assert min(km) >= 3.0 and max(km) >= 18.0  # easy runs up to long runs
    descents = [r.descent_m for r in runs if r.descent_m is not None]
    assert min(descents) < 60 and max(descents) >= 250  # flat and hilly routes
    assert all(150 <= (r.cadence_spm or 0) <= 190 for r in runs)
    assert all(0 <= (r.rpe or 0) <= 10 for r in runs)
    assert {r.warmup_min for r in runs} >= {0}  # some warm-ups skipped
    assert any((r.warmup_min or 0) >= 5 for r in runs)
    assert all(r.surface in vocab.SURFACES for r in runs)
    assert len({r.surface for r in runs}) >= 3
    assert all(r.start.tzinfo is not None and r.start.utcoffset() is not None for r in runs)
    assert all(r.vertical_oscillation_cm and 5 < r.vertical_oscillation_cm < 13 for r in runs)
    paces = [r.pace_s_per_km for r in runs if r.pace_s_per_km]
    assert min(paces) > 240 and max(paces) < 480  # 4:00 to 8:00 min/km


def test_holidays_leave_gaps_without_runs(year: Dataset) -> None:
    days = sorted({r.day for r in year.runs})
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    assert max(gaps) >= 7


def test_shoes_change_over_time(year: Dataset) -> None:
    names = {s.name for s in year.shoes}
    assert 2 <= len(names) <= 4
    assert {r.shoe for r in year.runs} == names
    assert any(s.retired is not None for s in year.shoes)
    for shoe in year.shoes:
        used = [r.day for r in year.runs if r.shoe == shoe.name]
        assert shoe.first_used == min(used)
        if shoe.retired is not None:
            assert max(used) <= shoe.retired


def test_diary_has_missing_days_and_realistic_entries(year: Dataset) -> None:
    diary_days = {p.day for p in year.pain}
    assert 0.75 * 365 < len(diary_days) < 0.97 * 365  # missed days are missing, not 0
    timings = Counter(p.timing for p in year.pain)
    assert timings["on_waking"] > 250 and timings["evening"] > 50 and timings["after_run"] > 30
    assert set(timings) <= set(vocab.TIMINGS)
    assert all(0 <= p.intensity <= 10 for p in year.pain)
    assert any(p.intensity == 0 for p in year.pain)
    for p in year.pain:
        assert not vocab.unknown_codes(p.regions, vocab.REGIONS)
        assert not vocab.unknown_codes(p.quality, vocab.QUALITIES)
        assert not vocab.unknown_codes(p.worse, vocab.WORSE)
        assert not vocab.unknown_codes(p.helped, vocab.HELPED)
        assert p.time is not None
        assert (p.intensity == 0) == (p.regions == ())
    regions = Counter(r for p in year.pain for r in p.regions)
    lower_back = sum(v for k, v in regions.items() if k.startswith("lower_back"))
    assert lower_back > 0.8 * sum(regions.values())
    assert any(k.startswith(("buttock", "thigh")) for k in regions)
    assert "saddle" not in regions  # the demo logs no red flags
    per_day = Counter(p.day for p in year.pain)
    assert max(per_day.values()) >= 3  # morning, after a run and evening


def test_habits(year: Dataset) -> None:
    habits = year.habits
    assert 0.8 * 365 < len(habits) < 365
    assert any((h.core_min or 0) > 0 for h in habits)
    assert any(h.core_min == 0 for h in habits)
    weights = [h.weight_kg for h in habits if h.weight_kg is not None]
    assert len(weights) > 100 and max(weights) - min(weights) < 8
    assert all(4 <= (h.sleep_h or 0) <= 10 for h in habits)
    assert all(0 <= (h.fatigue or 0) <= 10 for h in habits)
    assert all(0 < (h.sitting_h or 0) <= 14 for h in habits)


def test_effects_only_change_pain() -> None:
    planted = generate_demo(120, seed=5, end=END)
    none = generate_demo(120, seed=5, end=END, effects={})
    assert planted.runs == none.runs and planted.habits == none.habits
    assert planted.pain != none.pain
    assert [(p.day, p.time, p.timing) for p in planted.pain] == [
        (p.day, p.time, p.timing) for p in none.pain
    ]

    def mean(d: Dataset) -> float:
        return sum(p.intensity for p in d.pain) / len(d.pain)

    assert mean(planted) > mean(none)


def test_effects_are_documented() -> None:
    doc = demo.__doc__ or ""
    for name, size in DEMO_EFFECTS.items():
        line = doc[doc.index(f"- ``{name}``") :].split("\n- ")[0]
        assert f"{size:.1f}" in line, f"{name}: the docstring does not give {size}"


def test_bad_arguments_say_what_to_fix() -> None:
    with pytest.raises(ValueError, match="days must be at least 1"):
        generate_demo(0)
    with pytest.raises(ValueError, match=r"Unknown demo effect.*sleep.*use descent"):
        generate_demo(30, effects={"sleep": 1.0})


def test_ten_years_is_fast_and_big_enough() -> None:
    t0 = time.perf_counter()
    data = generate_demo(3650, seed=0, end=END)
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0, f"10 years of demo data took {elapsed:.2f} s"
    assert 1700 <= len(data.runs) <= 2300
    assert 4500 <= len(data.pain) <= 6500
    assert 15 <= len(data.shoes) <= 40
