"""Simulated runners for proving the analysis honest (issue 12): known truth, many seeds.

Every runner follows a weekly plan (three easy runs and a long run, each skipped now and
then, the odd extra run; hilly routes in 6-week blocks,
warm-ups skipped in lazy spells, core work in spells of 1-4 weeks), logs habits, and
rates pain on waking and most evenings. Pain is a personal level ``mean`` plus a latent
AR(1) wander (SD 1 point) plus entry noise (SD 0.7), rounded to 0-10. Nothing affects
pain unless a scenario or a planted effect says so:

- ``steady``: the plain null runner.
- ``reverse``: pain drives training. On days the runner feels worse (the latent level
  plus that day's own noise, not the recorded number) they run less often, shorter,
  flatter and slower; pain persists from day to day (AR 0.95).
- ``recovery``: natural recovery, the level falling from 6 to 2 over the period while
  hill runs and skipped warm-ups become more common.
- ``seasonal``: worse in winter (+-1.5 points over the year), trails and hills in summer,
  more sitting and less sleep in winter; each runner's period ends on a random day of
  the year.
- ``autocorrelated``: a latent level that wanders over weeks (AR 0.97).
- ``sparse``: about half the mornings and a quarter of the evenings logged, habits on
  40 % of days.

``effect`` plants one relationship of ``size`` points (clinical-sized: 1 or 2):
``descent`` (the morning after a run with 250 m or more of descent; the same evening
half of it), ``warmup`` (after a run without a warm-up, likewise) or ``core`` (every
entry on a day with no core work in the previous 7 days). ``worsening`` adds a sustained
rise of that many points, ramping over the 14 days that end 7 days before the last day
(so in full for the last 7 days; the bench counts it alerted when the alert is current at
the end of the period, i.e. raised within its last 14 days). The wander (AR 0.9, SD 1:
about ten days' memory) makes a 3-point rise three of its SDs, which limits what any
detector can see: bench_patterns.py prints that bound.

All draws are vectorised and come from one generator seeded by (scenario, days, seed), so
a planted effect changes pain only: the same seed gives the same training.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from backstride.core.models import Dataset, HabitDay, PainEntry, Run

SCENARIOS: tuple[str, ...] = (
    "steady",
    "reverse",
    "recovery",
    "seasonal",
    "autocorrelated",
    "sparse",
)
EFFECTS: tuple[str, ...] = ("descent", "warmup", "core")
END = date(2025, 6, 30)
TZ = timezone(timedelta(hours=1))
HILLY_M = 250.0  # the planted descent threshold
NOISE_SD = 0.7
WANDER_PHI = 0.9  # the latent wander's AR(1) coefficient (day to day), stationary SD 1
SCENARIO_PHI = {"reverse": 0.95, "autocorrelated": 0.97}
WORSENING_RAMP_DAYS = 14
WORSENING_END_BEFORE = 7


def simulate(
    scenario: str,
    days: int,
    seed: int,
    *,
    effect: str | None = None,
    size: float = 0.0,
    worsening: float = 0.0,
) -> Dataset:
    """One simulated runner's ``days`` days of diary, runs and habits."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}")
    if effect is not None and effect not in EFFECTS:
        raise ValueError(f"unknown effect {effect!r}")
    rng = np.random.default_rng([SCENARIOS.index(scenario), days, seed])
    end = END
    if scenario == "seasonal":
        end = END - timedelta(days=int(rng.integers(365)))
    start = end - timedelta(days=days - 1)
    t = np.arange(days)
    frac = t / max(days - 1, 1)
    doy = np.array([(start + timedelta(days=int(i))).timetuple().tm_yday for i in t])
    winter = np.cos(2 * np.pi * (doy - 15) / 365.25)  # 1 in mid-January, -1 in July

    # Pain level: mean and latent AR(1) wander (stationary SD 1 point).
    phi = SCENARIO_PHI.get(scenario, WANDER_PHI)
    mean = np.full(days, 2.5)
    if scenario == "recovery":
        mean = 6.0 - 4.0 * frac
    elif scenario == "seasonal":
        mean = 3.0 + 1.5 * winter
    shocks = rng.normal(0.0, np.sqrt(1 - phi**2), days)
    latent = np.empty(days)
    latent[0] = rng.normal()
    for i in range(1, days):
        latent[i] = phi * latent[i - 1] + shocks[i]
    level = mean + latent
    felt = level + rng.normal(0.0, 0.5, days) - 2.5  # how bad today feels, 0 = usual

    # Training.
    block = (t + int(rng.integers(42))) // 42 % 2 == 0  # hilly 6-week blocks
    lazy = (t + int(rng.integers(21))) // 21 % 3 == 0  # a lazy 3-week spell in three
    # A steady weekly plan: three easy runs and a long run, each skipped now and then.
    p_run = np.select([t % 7 == 6, np.isin(t % 7, (1, 3, 5))], [0.9, 0.85], 0.08)
    p_hill = np.where(block, 0.45, 0.15)
    p_skip = np.where(lazy, 0.5, 0.12)
    km_scale = np.ones(days)
    slow = np.zeros(days)
    p_trail = np.full(days, 0.2)
    if scenario == "reverse":
        p_run = np.clip(p_run - 0.15 * felt, 0.05, 0.95)
        km_scale = np.clip(1.0 - 0.12 * felt, 0.5, 1.3)
        p_hill = np.clip(p_hill - 0.1 * felt, 0.02, 0.9)
        slow = 12.0 * felt
    elif scenario == "recovery":
        p_hill = 0.1 + 0.5 * frac
        p_skip = 0.05 + 0.5 * frac
    elif scenario == "seasonal":
        p_trail = np.clip(0.35 - 0.3 * winter, 0.02, 0.9)
        p_hill = np.clip(0.3 - 0.2 * winter, 0.02, 0.9)
    u = rng.random((days, 8))
    z = rng.normal(size=(days, 8))
    ran = u[:, 0] < p_run
    long_day = t % 7 == 6
    km = np.where(long_day, 14.0 + 1.0 * z[:, 0], 8.0 + 1.2 * z[:, 0]) * km_scale
    km = np.maximum(km, 3.0)
    pace = 355.0 + 12.0 * z[:, 1] + slow  # seconds per km
    hilly = u[:, 1] < p_hill
    descent = np.where(hilly, 260.0 + 250.0 * u[:, 2], 20.0 + 120.0 * u[:, 2])
    descent *= np.maximum(km / 10.0, 0.6)
    skipped = u[:, 3] < p_skip
    warmup = np.where(skipped, 0, 5 + (u[:, 4] * 11).astype(int))
    trail = u[:, 5] < np.where(hilly, np.maximum(p_trail, 0.6), p_trail)
    rpe = np.clip(np.round(4 + 1.2 * z[:, 2] + 0.1 * (km - 8)), 1, 10).astype(int)
    cadence = 168.0 + 4.0 * z[:, 3]
    oscillation = 8.5 + 0.7 * z[:, 4]
    surges = rng.poisson(2.0, days)
    hour = 17 + (u[:, 6] * 3).astype(int)

    # Habits.
    core_spell = (t + int(rng.integers(28))) // 14 % 2 == 0
    core_done = core_spell & (u[:, 7] < 0.55)
    sleep = 7.2 + 0.7 * z[:, 5]
    sitting = 7.0 + 1.5 * z[:, 6]
    if scenario == "seasonal":
        sleep -= 0.6 * winter
        sitting += 1.5 * winter
    weight = 70.0 + np.cumsum(rng.normal(0.0, 0.05, days))
    habit_logged = rng.random(days) < (0.4 if scenario == "sparse" else 0.9)
    weighed = t % 7 == 0

    # Planted effects.
    morning_bump = np.zeros(days)
    evening_bump = np.zeros(days)
    if effect in ("descent", "warmup") and size:
        exposed = ran & ((descent >= HILLY_M) if effect == "descent" else skipped)
        morning_bump[1:] += size * exposed[:-1]
        evening_bump += 0.5 * size * exposed
    elif effect == "core" and size:
        logged_core = habit_logged & core_done
        recent = np.convolve(logged_core.astype(float), np.ones(7))[:days]
        before = np.concatenate(([0.0], recent[:-1]))
        morning_bump += size * (before == 0)
        evening_bump += size * (before == 0)
    if worsening:
        ramp_end = days - WORSENING_END_BEFORE
        ramp = np.clip((t - (ramp_end - WORSENING_RAMP_DAYS)) / WORSENING_RAMP_DAYS, 0, 1)
        level = level + worsening * ramp

    p_morning, p_evening = (0.5, 0.25) if scenario == "sparse" else (0.92, 0.6)
    logged = rng.random((days, 2)) < (p_morning, p_evening)
    noise = rng.normal(0.0, NOISE_SD, (days, 2))
    morning = np.clip(np.round(level + morning_bump + noise[:, 0]), 0, 10).astype(int)
    evening = np.clip(np.round(level + evening_bump + 0.3 + noise[:, 1]), 0, 10).astype(int)

    pain: list[PainEntry] = []
    runs: list[Run] = []
    habits: list[HabitDay] = []
    for i in range(days):
        day = start + timedelta(days=i)
        if logged[i, 0]:
            pain.append(
                PainEntry(day=day, intensity=int(morning[i]), time=time(7), timing="on_waking")
            )
        if logged[i, 1]:
            pain.append(
                PainEntry(day=day, intensity=int(evening[i]), time=time(21), timing="evening")
            )
        if ran[i]:
            runs.append(
                Run(
                    start=datetime.combine(day, time(int(hour[i])), TZ),
                    distance_m=round(float(km[i]) * 1000.0, 1),
                    moving_time_s=round(float(km[i] * pace[i]), 1),
                    descent_m=round(float(descent[i]), 1),
                    rpe=int(rpe[i]),
                    warmup_min=int(warmup[i]),
                    cadence_spm=round(float(cadence[i]), 1),
                    vertical_oscillation_cm=round(float(oscillation[i]), 2),
                    pace_surges=int(surges[i]),
                    surface="trail" if trail[i] else "road",
                    shoe="Trail shoe" if trail[i] else ("Road A" if i % 2 else "Road B"),
                )
            )
        if habit_logged[i]:
            habits.append(
                HabitDay(
                    day=day,
                    core_min=20 if core_done[i] else 0,
                    sleep_h=round(float(sleep[i]), 1),
                    sitting_h=round(float(sitting[i]), 1),
                    weight_kg=round(float(weight[i]), 1) if weighed[i] else None,
                )
            )
    return Dataset(pain=tuple(pain), runs=tuple(runs), habits=tuple(habits))
