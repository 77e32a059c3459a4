"""Simulated runners who follow an experiment's plan (issue 15): known truth, many seeds.

Pain follows the project's runner model (tests/sim/runners.py): a personal level plus a
latent AR(1) wander (SD 1 point, day-to-day correlation 0.9 unless given) plus entry noise
(SD 0.7), rounded to 0-10. The level is 4: a runner testing a change has a back that
hurts, and a level near 0 would hide a benefit in the floor of the scale.

The runner keeps to the plan on 85 % of "on" days and 95 % of "off" days (doing the change
on an off day now and then), answers the daily question on 90 % of days, and logs a
morning entry on 85 % of mornings. Doing the change lowers pain by ``size`` points from the
next morning, building up and wearing off with a half-life of one day (back pain carries
over: the reason for the wash-out).

Before the start the runner kept the diary too: the same wander and noise, a morning entry
on 85 % of the PRESTART_DAYS mornings before the start, no change done. These are drawn
after everything else, so a runner's experiment days are the same with or without them
(``prestart=False``: a runner who logged nothing before the start).
"""

from __future__ import annotations

from datetime import date, time, timedelta

import numpy as np

from backstride.core.experiments import ON, Experiment, Log, Plan
from backstride.core.models import PainEntry

START = date(2025, 3, 3)
LEVEL = 4.0
NOISE_SD = 0.7
KEPT_ON, KEPT_OFF = 0.85, 0.95
ANSWERED = 0.90
LOGGED = 0.85
CARRY = 0.5  # a day's effect halves each day after it
BURN_IN = 60  # days of wander before the plan starts, so it starts at a random level
PRESTART_DAYS = 30  # the diary kept before the start: mornings of the 30 days before it


def simulate(
    seed: int,
    size: float,
    *,
    pairs: int = 3,
    phase_days: int = 7,
    phi: float = 0.9,
    start: date = START,
    label: str = "simulated change",
    prestart: bool = True,
) -> tuple[Experiment, Log]:
    """One runner's experiment on a custom change (adherence from the daily answer)."""
    experiment, log, _ = simulate_with_truth(
        seed,
        size,
        pairs=pairs,
        phase_days=phase_days,
        phi=phi,
        start=start,
        label=label,
        prestart=prestart,
    )
    return experiment, log


def simulate_with_truth(
    seed: int,
    size: float,
    *,
    pairs: int = 3,
    phase_days: int = 7,
    phi: float = 0.9,
    start: date = START,
    label: str = "simulated change",
    prestart: bool = True,
) -> tuple[Experiment, Log, dict[date, float]]:
    """simulate(), and the planted change in pain each day's outcome carries (negative:
    less pain), keyed like the experiment's days (the outcome of day d is the morning of
    d + 1): the truth an interval should cover."""
    plan = Plan(
        change="custom",
        label=label,
        start=start,
        phase_days=phase_days,
        pairs=pairs,
        seed=seed,
    )
    rng = np.random.default_rng([15, seed, int(size * 100), pairs, phase_days, int(phi * 100)])
    phases = plan.phases()
    days = (phases[-1].end - start).days + 2  # and the last phase's next morning
    arm = np.zeros(days, dtype=bool)
    for phase in phases:
        arm[(phase.start - start).days : (phase.end - start).days + 1] = phase.arm == ON
    kept = np.where(arm, rng.random(days) < KEPT_ON, rng.random(days) < KEPT_OFF)
    done = np.where(arm, kept, ~kept)
    effect = np.zeros(days)
    level = 0.0
    for i in range(days):
        level = CARRY * level + (1 - CARRY) * float(done[i])
        effect[i] = level
    latent = np.empty(days + BURN_IN)
    latent[0] = rng.normal()
    shocks = rng.normal(0.0, np.sqrt(1 - phi**2), days + BURN_IN)
    for i in range(1, days + BURN_IN):
        latent[i] = phi * latent[i - 1] + shocks[i]
    wander = latent[BURN_IN:]
    noise = rng.normal(0.0, NOISE_SD, days)
    logged = rng.random(days) < LOGGED
    answered = rng.random(days) < ANSWERED
    pain = []
    ticks = {}
    truth: dict[date, float] = {}
    for i in range(days):
        day = start + timedelta(days=i)
        # Doing the change on day i shows in the morning of day i + 1.
        before = effect[i - 1] if i else 0.0
        value = int(np.clip(np.round(LEVEL + wander[i] - size * before + noise[i]), 0, 10))
        if logged[i]:
            pain.append(PainEntry(day=day, intensity=value, time=time(7, 0), timing="on_waking"))
        if answered[i]:
            ticks[day] = bool(kept[i])
        truth[day - timedelta(days=1)] = -size * before
    if prestart:
        before_noise = rng.normal(0.0, NOISE_SD, PRESTART_DAYS)
        before_logged = rng.random(PRESTART_DAYS) < LOGGED
        earlier = []
        for k in range(PRESTART_DAYS):  # k = 0: PRESTART_DAYS mornings before the start
            value = int(
                np.clip(
                    np.round(LEVEL + latent[BURN_IN - PRESTART_DAYS + k] + before_noise[k]), 0, 10
                )
            )
            if before_logged[k]:
                day = start - timedelta(days=PRESTART_DAYS - k)
                earlier.append(
                    PainEntry(day=day, intensity=value, time=time(7, 0), timing="on_waking")
                )
        pain = earlier + pain
    return Experiment(plan=plan, id=1), Log(pain=tuple(pain), ticks=ticks), truth
