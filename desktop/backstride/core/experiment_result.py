"""An experiment's result as the app, the CLI and the JSON show it: numbers, plain words and
the caveats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backstride.core.experiment_stats import (
    HELPED,
    NO_DIFFERENCE,
    UNCLEAR,
    WORSE,
    Comparison,
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
    RECENT_DAYS,
    STOPPED,
    Experiment,
    ExperimentDay,
    Log,
    adherence,
    experiment_days,
)

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
        return "Not clear yet — one more pair would likely settle it."

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


def build_result(experiment: Experiment, log: Log, today: date) -> Result:
    days = experiment_days(experiment, log, today)
    plan_result = per_plan(days)
    mic = smallest_change(experiment, days)
    status = experiment.status(today)
    return Result(
        experiment,
        status,
        tuple(days),
        plan_result,
        as_done(days),
        randomisation_p(days),
        mic,
        verdict(plan_result, mic) if status in (FINISHED, STOPPED) else UNCLEAR,
        adherence(days),
        _events(experiment, log, experiment.last_day(today)),
    )


__all__ = ["CAVEATS", "HELPED", "NO_DIFFERENCE", "UNCLEAR", "WORSE", "Result", "build_result"]
