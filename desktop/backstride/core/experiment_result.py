"""An experiment's result as the app, the CLI and the JSON show it: numbers, plain words and
the caveats.

The verdict rule (chosen on simulated runners, tests/bench/bench_experiments.py --select,
and confirmed on fresh seeds; the figures are in the README):

- the effect is the per-plan difference, on minus off, in pain points (negative: less pain),
  from the REML regression of core.experiment_stats; its 90 % interval is shown;
- "helped" when the 95 % interval lies wholly below 0 (its upper bound < 0), "worse" when it
  lies wholly above 0. Each is a one-sided test at 2.5 %, so with no effect either is said
  by chance at most 5 % of the time together. (Deciding on the 90 % interval shown would
  allow 10 %.) A helped effect smaller than the smallest change that matters says so;
- "no difference that matters" when the 90 % interval lies within plus or minus the
  smallest change that matters times the adherence contrast (two one-sided tests at 5 %).
  The contrast is the share of on days kept minus the share of off days on which the change
  was done anyway: a change kept on 85 % of on days and done on 5 % of off days shows only
  80 % of its effect per plan, so "smaller than 2 points when done" means "smaller than 1.6
  points per plan". Without it, a change worth 2 points was called "no difference" in 15 %
  of runners and a 1-point change more often than "not clear yet";
- else "not clear yet": the interval still holds both no effect and one that matters.

The verdict is given only when the plan has ended or was stopped (Result.final).

Expected power: EXPECTED_POWER is the share of simulated runners (300 per design, seeds
20000-20299, AR(1) correlation 0.9 and 0.6, 85 % / 95 % adherence, 15 % of mornings
missing, a 2-day wash-out, 30 days of diary before the start) in whom a planted 2-point
benefit was found "helped", with these statistics; tests/bench/power_table.py makes it and
`make bench` checks it against fresh runners. The default 3 pairs of 7 days finds it in
about 62 % / 41 %: not the 80 % a trial is usually planned for. Even knowing the true
day-to-day correlation (no estimation at all) found it in only 74 % / 60 % from the
experiment's days, so no honest analysis of 3 pairs of 7 days reaches 80 %; the planner
shows the figure and suggests SUGGESTED_DESIGN, the shortest that reached 80 % at both
correlations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from backstride.core.experiment_stats import (
    HELPED,
    NO_DIFFERENCE,
    UNCLEAR,
    WORSE,
    Comparison,
    adherence_contrast,
    as_done,
    per_plan,
    randomisation_p,
    smallest_change,
    verdict,
)
from backstride.core.experiments import (
    FINISHED,
    LONG_RUN_FACTOR,
    NEXT_MORNING,
    OUTCOMES,
    PLANNED,
    RECENT_DAYS,
    STOPPED,
    Experiment,
    ExperimentDay,
    Log,
    adherence,
    experiment_days,
)
from backstride.core.pain_days import morning_pain, worst_pain

# (pairs, phase days): (found at AR 0.9, found at AR 0.6), see the module docstring.
EXPECTED_POWER: dict[tuple[int, int], tuple[float, float]] = {
    (2, 5): (0.17, 0.11),
    (2, 6): (0.26, 0.21),
    (2, 7): (0.32, 0.26),
    (2, 8): (0.43, 0.29),
    (2, 9): (0.45, 0.31),
    (2, 10): (0.50, 0.33),
    (2, 11): (0.51, 0.36),
    (2, 12): (0.50, 0.38),
    (2, 13): (0.52, 0.45),
    (2, 14): (0.51, 0.46),
    (3, 5): (0.37, 0.29),
    (3, 6): (0.54, 0.38),
    (3, 7): (0.62, 0.41),
    (3, 8): (0.64, 0.50),
    (3, 9): (0.70, 0.54),
    (3, 10): (0.68, 0.58),
    (3, 11): (0.71, 0.63),
    (3, 12): (0.70, 0.66),
    (3, 13): (0.71, 0.69),
    (3, 14): (0.74, 0.75),
    (4, 5): (0.57, 0.40),
    (4, 6): (0.70, 0.47),
    (4, 7): (0.74, 0.59),
    (4, 8): (0.79, 0.65),
    (4, 9): (0.86, 0.72),
    (4, 10): (0.84, 0.71),
    (4, 11): (0.86, 0.78),
    (4, 12): (0.88, 0.85),
    (4, 13): (0.88, 0.88),
    (4, 14): (0.89, 0.90),
}
POWER_EFFECT = 2.0  # the planted benefit of EXPECTED_POWER, in points
POWER_WASHOUT = 2  # the wash-out EXPECTED_POWER was simulated with
POWER_TARGET = 0.80
# The shortest design (fewest days) found >= POWER_TARGET at both correlations.
SUGGESTED_DESIGN = min(
    (design for design, found in EXPECTED_POWER.items() if min(found) >= POWER_TARGET),
    key=lambda design: (design[0] * design[1], design),
)


def suggested_design(pairs: int, phase_days: int) -> tuple[int, int] | None:
    """SUGGESTED_DESIGN when this design falls short of POWER_TARGET, else None."""
    found = EXPECTED_POWER.get((pairs, phase_days))
    if found is None or min(found) >= POWER_TARGET:
        return None
    return SUGGESTED_DESIGN


def one_more_pair_settles(comparison: Comparison, pairs: int, mic: float, contrast: float) -> bool:
    """Whether one more pair would likely turn "not clear yet" into a verdict: the same
    rule (experiment_stats.verdict) on both intervals narrowed as the square root of the
    pairs, a rough projection, hence "likely"."""
    effect, interval, decision = comparison.effect, comparison.interval, comparison.decision
    if effect is None or interval is None or decision is None:
        return False
    shrink = math.sqrt(pairs / (pairs + 1))

    def narrowed(bounds: tuple[float, float]) -> tuple[float, float]:
        half = (bounds[1] - bounds[0]) / 2 * shrink
        return effect - half, effect + half

    projected = replace(comparison, interval=narrowed(interval), decision=narrowed(decision))
    return verdict(projected, mic, contrast) != UNCLEAR


def power_text(pairs: int, phase_days: int, washout_days: int = POWER_WASHOUT) -> str:
    """For the planner: the chance this design finds a 2-point benefit, and a design that
    would reach 80 % when this one does not."""
    found = EXPECTED_POWER.get((pairs, phase_days))
    if found is None:
        return ""
    high, low = max(found), min(found)
    text = (
        f"If the change lowers your pain by {POWER_EFFECT:g} points, this plan finds it in "
        f"about {low * 100:.0f}–{high * 100:.0f} % of runners like you (simulated: kept on "
        "85 % of days, pain that wanders from day to day)."
    )
    longer = suggested_design(pairs, phase_days)
    if longer is not None:
        p, d = longer
        best = min(EXPECTED_POWER[longer])
        text += f" {p} pairs of {d}-day phases would find it in at least {best * 100:.0f} %."
    if washout_days != POWER_WASHOUT:
        text += f" (Figures for a {POWER_WASHOUT}-day wash-out.)"
    return text


CAVEATS = (
    "You knew when the change was on (no blinding): expecting it to help can lower the pain "
    "you rate.",
    "A change in season, training load or life during the experiment can look like an "
    "effect of the change, or hide one.",
    "This is one person's trial, to discuss with your physiotherapist; it is not a diagnosis.",
)


@dataclass(frozen=True, slots=True)
class Result:
    experiment: Experiment
    status: str
    days: tuple[ExperimentDay, ...]
    plan_result: Comparison
    done_result: Comparison
    p: float | None
    mic: float
    verdict: str
    adherence: dict[str, float | None]
    events: tuple[str, ...]

    @property
    def final(self) -> bool:
        """A verdict only at the end: looking at a running trial's result and stopping
        when it looks good would make chance results look real."""
        return self.status in (FINISHED, STOPPED)

    def words(self) -> str:
        plan = self.experiment.plan
        if not self.final:
            return (
                f"Still {self.status}: the verdict comes when the plan ends "
                f"({plan.end:%d %b %Y}); the numbers so far are only a first look."
            )
        after = "the morning after" if plan.outcome == NEXT_MORNING else "on the day"
        effect = self.plan_result.effect
        if self.verdict == HELPED and effect is not None:
            text = f"Helped: about {abs(effect):.1f} points less pain {after}"
            if abs(effect) < self.mic:
                text += f" (less than the {self.mic:g} points that usually matter)"
            return text + "."
        if self.verdict == WORSE and effect is not None:
            return f"Worse: about {effect:.1f} points more pain {after}."
        if self.verdict == NO_DIFFERENCE:
            return (
                f"No difference that matters: any effect is smaller than {self.mic:g} points "
                "either way."
            )
        if effect is None:
            return (
                "Not clear yet: too few days with a pain entry to compare "
                f"({self.plan_result.n_on} on, {self.plan_result.n_off} off; "
                "at least 5 of each are needed)."
            )
        interval = self.plan_result.interval
        lean = ""
        if interval is not None and interval[1] < 0:
            lean = f" It leans towards helping (about {abs(effect):.1f} points less pain)."
        elif interval is not None and interval[0] > 0:
            lean = f" It leans towards worse (about {effect:.1f} points more pain)."
        contrast = adherence_contrast(self.adherence)
        if one_more_pair_settles(self.plan_result, plan.pairs, self.mic, contrast):
            return "Not clear yet — one more pair would likely settle it." + lean
        return (
            "Not clear yet — one more pair would probably not settle it either: a longer "
            "plan would be needed (the planner shows how likely each design is to tell)." + lean
        )

    def headline(self) -> str:
        """One line for the Insights panel and the report: the change, its state and, once
        the plan has ended, the verdict in words."""
        e = self.experiment
        if self.status == PLANNED:
            return f"Testing {e.plan.name}: starts {e.plan.start:%d %b %Y}."
        if not self.final:
            return (
                f"Testing {e.plan.name}: {self.status}; the verdict comes when the plan ends "
                f"({e.plan.end:%d %b %Y})."
            )
        ended = e.stopped_on if e.stopped_on is not None else e.plan.end
        how = "stopped" if self.status == STOPPED else "finished"
        return f"Tested {e.plan.name} ({how} {ended:%d %b %Y}). " + self.words()

    def to_json(self) -> dict[str, object]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        def pair(values: tuple[float, float] | None) -> list[float] | None:
            return None if values is None else [round(values[0], 2), round(values[1], 2)]

        e = self.experiment
        return {
            "id": e.id,
            "status": self.status,
            "plan": e.plan.to_json(),
            "adherence": self.adherence,
            "effect": rounded(self.plan_result.effect),
            "interval": pair(self.plan_result.interval),
            "p": None if self.p is None else round(self.p, 4),
            "verdict": self.verdict,
            "summary": self.words(),
            "smallest_change": self.mic,
            "n_on": self.plan_result.n_on,
            "n_off": self.plan_result.n_off,
            "as_done": {
                "effect": rounded(self.done_result.effect),
                "interval": pair(self.done_result.interval),
                "n_on": self.done_result.n_on,
                "n_off": self.done_result.n_off,
            },
            "outcome": OUTCOMES[e.plan.outcome],
            "stopped_on": None if e.stopped_on is None else e.stopped_on.isoformat(),
            "stop_reason": e.stop_reason or None,
            "deviations": [
                {"day": d.day.isoformat(), "kind": d.kind, "text": d.text} for d in e.deviations
            ],
            "events": list(self.events),
            "caveats": list(CAVEATS),
        }


def _events(experiment: Experiment, log: Log, last: date) -> tuple[str, ...]:
    """Load events during the experiment: a run over 110 % of the longest of the previous
    30 days (Garmin-RUNSAFE, BJSM 2025)."""
    start = experiment.plan.start
    found = []
    for run in log.runs:
        if not start <= run.day <= last or not run.distance_m:
            continue
        before = [
            r.distance_m
            for r in log.runs
            if run.day - timedelta(days=RECENT_DAYS) <= r.day < run.day and r.distance_m
        ]
        if before and run.distance_m > LONG_RUN_FACTOR * max(before):
            found.append(
                f"{run.day:%d %b}: a run of {run.distance_m / 1000:.1f} km, more than 10 % "
                "longer than your longest of the previous 30 days"
            )
    return tuple(found)


def prestart_outcomes(experiment: Experiment, log: Log) -> list[tuple[date, float]]:
    """The outcome of each of the RECENT_DAYS days before the start that has one, from the
    log's diary (the operations layer and the report load it from 30 days before the start):
    the correlations of core.experiment_stats are fitted on these and the experiment's days.
    A day's next-morning outcome is the morning after it, so the day before the start is
    judged by the start day's morning, before the change is first done."""
    plan = experiment.plan
    outcome = morning_pain(log.pain) if plan.outcome == NEXT_MORNING else worst_pain(log.pain)
    lag = timedelta(days=1 if plan.outcome == NEXT_MORNING else 0)
    found = []
    for k in range(RECENT_DAYS, 0, -1):
        day = plan.start - timedelta(days=k)
        value = outcome.get(day + lag)
        if value is not None:
            found.append((day, float(value)))
    return found


def build_result(experiment: Experiment, log: Log, today: date) -> Result:
    days = experiment_days(experiment, log, today)
    prior = prestart_outcomes(experiment, log)
    plan_result = per_plan(days, prior)
    mic = smallest_change(experiment, days)
    status = experiment.status(today)
    shares = adherence(days)
    final = status in (FINISHED, STOPPED)
    return Result(
        experiment,
        status,
        tuple(days),
        plan_result,
        as_done(days, prior),
        randomisation_p(days),
        mic,
        verdict(plan_result, mic, adherence_contrast(shares)) if final else UNCLEAR,
        shares,
        _events(experiment, log, experiment.last_day(today)),
    )


__all__ = [
    "CAVEATS",
    "EXPECTED_POWER",
    "HELPED",
    "NO_DIFFERENCE",
    "SUGGESTED_DESIGN",
    "UNCLEAR",
    "WORSE",
    "Result",
    "build_result",
    "power_text",
    "prestart_outcomes",
]
