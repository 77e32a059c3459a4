"""Simulated runners: the analysis finds planted patterns and does not invent them.

The simulator is the demo generator (backstride.core.demo) with its ``effects`` knob: 120
days of a runner with 3-5 runs a week, holidays, missed diary days, an autocorrelated pain
level with flares, core-work spells and entry noise. ``effects={}`` plants nothing; the
same seed then gives the same runs and habits with different pain.

These run the analysis with its default number of permutations (2000): at 120 days one
analysis takes about 15 ms, so 150 analyses stay within a few seconds.

The confounder tests below are a fast subset of tests/bench/bench_patterns.py (the full
batteries, with rates over 40-100 runners a scenario) on the simulated runners of
tests/sim/runners.py; their bounds come from those rates with room for chance, so they
catch a method that lets a confounder through (before issue 12: 52 % of 365-day
reverse-causation runners and 48 % of seasonal ones had a pattern), not a single seed.
"""

from __future__ import annotations

from datetime import date

import pytest

from backstride.core.analysis import analyze
from backstride.core.demo import DEMO_EFFECTS, generate_demo
from tests.sim.runners import simulate

SEEDS = range(50)
END = date(2025, 6, 30)


def _found(effects: dict[str, float], seed: int) -> set[str]:
    """Factors with an association at q < 0.1 and pain higher after exposure."""
    data = generate_demo(120, seed=seed, end=END, effects=effects)
    return {f.factor for f in analyze(data).patterns if (f.effect or 0) > 0}


@pytest.mark.parametrize("factor", ["descent", "warmup"])
def test_a_planted_two_point_effect_is_found(factor: str) -> None:
    hits = sum(factor in _found({factor: 2.0}, seed) for seed in SEEDS)
    assert hits >= 0.9 * len(SEEDS), f"{factor}: found in {hits} of {len(SEEDS)} runners"


def test_nothing_is_found_when_nothing_is_planted() -> None:
    clean = 0
    for seed in SEEDS:
        data = generate_demo(120, seed=seed, end=END, effects={})
        clean += not analyze(data).patterns
    assert clean >= 0.9 * len(SEEDS), f"only {clean} of {len(SEEDS)} runners had no pattern"


@pytest.mark.parametrize("seed", range(5))
def test_the_demo_year_shows_its_planted_relationships(seed: int) -> None:
    """The planted effects, in the right direction, in a year of demo data.

    Measured over 60 seeds: descent, warm-up and core in all 60; the long run (about ten
    runs a year are more than 10 % longer than the recent longest) in 49, since training
    factors are compared against that morning's pain only (issue 12: the state before the
    run, which stops reverse causation leaking through; before, with the evening and
    morning before averaged in, 56). Longer histories find them all (next test).
    """
    data = generate_demo(365, seed=seed, end=END)
    a = analyze(data)
    found = {f.factor for f in a.patterns if f.effect is not None and f.effect > 0}
    assert set(DEMO_EFFECTS) - {"long_run"} <= found
    wrong_way = {f.factor for f in a.patterns if f.factor in DEMO_EFFECTS and f.effect < 0}  # type: ignore[operator]
    assert not wrong_way


def test_the_demo_year_mostly_shows_its_long_run_effect() -> None:
    found = sum(
        "long_run" in {f.factor for f in analyze(generate_demo(365, seed=seed, end=END)).patterns}
        for seed in range(10)
    )
    assert found >= 6, f"long runs found in {found} of 10 demo years"


def test_ten_years_of_demo_data_show_every_planted_relationship_clearly() -> None:
    data = generate_demo(3650, seed=0, end=END)
    a = analyze(data)
    for factor, size in DEMO_EFFECTS.items():
        morning = [f for f in a.patterns if f.factor == factor and f.lag == "next morning"]
        assert morning, f"{factor} not found"
        best = max(morning, key=lambda f: f.effect or 0)
        assert best.q is not None and best.q < 0.01
        assert best.interval is not None and best.interval[0] > 0
        # The marginal comparison is diluted by the runner's own thresholds and by the
        # other planted effects, but stays well above zero and below the planted size + 1.
        assert 0.3 * size < (best.effect or 0) < size + 1.0
    # An example sentence, as the GUI and CLI show it.
    descent = next(f for f in a.patterns if f.factor == "descent" and "per km" not in f.summary)
    assert descent.summary.startswith("On mornings after runs with ")
    assert "m or more of descent your pain averaged" in descent.summary


QUICK = 499  # permutations: q < 0.1 needs p < 0.003 at most, well resolved by 499
CONFOUNDED_RUNNERS = 10


@pytest.mark.parametrize(
    ("scenario", "days"), [("reverse", 365), ("recovery", 120), ("seasonal", 365)]
)
def test_confounders_do_not_become_patterns(scenario: str, days: int) -> None:
    """Pain driving training, natural recovery with drifting habits, a shared season: about
    10 % of such runners get a pattern by chance (bench_patterns), never most of them."""
    found = sum(
        bool(analyze(simulate(scenario, days, seed), permutations=QUICK).patterns)
        for seed in range(CONFOUNDED_RUNNERS)
    )
    assert found <= 3, f"{scenario}: {found} of {CONFOUNDED_RUNNERS} runners had a pattern"


@pytest.mark.parametrize("factor", ["descent", "warmup"])
def test_planted_effects_survive_the_adjustments(factor: str) -> None:
    """2 points planted: found in 85 % (descent) and 95 % (warm-up) of 120-day runners in
    the battery (fresh seeds), after allowing for that morning and the local level."""
    found = sum(
        any(
            f.factor == factor and (f.effect or 0) > 0
            for f in analyze(
                simulate("steady", 120, 1000 + seed, effect=factor, size=2.0), permutations=QUICK
            ).patterns
        )
        for seed in range(CONFOUNDED_RUNNERS)
    )
    assert found >= 6, f"{factor}: found in {found} of {CONFOUNDED_RUNNERS} runners"


def test_alerts_are_rare_on_steady_runners_and_see_a_worsening() -> None:
    """Battery (fresh seeds): some alert is current for 8.5 % of steady runners over 120
    days ("getting worse" for 4.5 %), and a sustained 3-point worsening over 2 weeks is
    alerted in about 80 % (the issue asks for 90 %; bench_patterns prints the trade-off and
    the bound: the likelihood-ratio test that knows the simulator's model but not when the
    rise began sees 86 % at 5 %)."""
    steady = sum(
        any(
            f.current
            for f in analyze(simulate("steady", 120, seed), permutations=99).of_kind("alert")
        )
        for seed in range(20)
    )
    assert steady <= 5
    worse = sum(
        any(
            f.factor == "pain_worsening" and f.current
            for f in analyze(simulate("steady", 120, seed, worsening=3.0), permutations=99).of_kind(
                "alert"
            )
        )
        for seed in range(10)
    )
    assert worse >= 3
