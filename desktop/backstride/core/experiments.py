"""Personal experiments (issue 15): test one change by switching it on and off in planned
phases, the single-patient (N-of-1) crossover design.

A plan is fixed before it starts: an optional baseline week, then `pairs` pairs of phases of
`phase_days` days, the order within each pair (on-off or off-on) drawn from a stored seed, so
anyone can redraw it from the store and audit it. The first `washout_days` of each phase are
left out of the comparison, because back pain carries over from one day to the next.
Anything that differs from the plan later (a pause, an extra pair, a stop) is a logged
deviation, never a silent change.

This module is plain Python (no numpy): the plan, the day-by-day view and adherence from the
log. The verdict's statistics are in `core.experiment_stats`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import HabitDay, PainEntry, Run
from backstride.core.pain_days import morning_pain, worst_pain

ON, OFF, BASELINE = "on", "off", "baseline"
PLANNED, RUNNING, PAUSED, FINISHED, STOPPED = "planned", "running", "paused", "finished", "stopped"
ACTIVE = (PLANNED, RUNNING, PAUSED)  # under way: at most one experiment at a time
NEXT_MORNING, WORST = "next_morning", "worst"
OUTCOMES = {NEXT_MORNING: "next-morning pain", WORST: "the day's worst pain"}

PHASE_DAYS = (5, 14)  # the runner's choice; single-case standards ask >= 5 points per phase
DEFAULT_PHASE_DAYS = 7
PAIRS = (2, 4)
DEFAULT_PAIRS = 3
MAX_PAIRS = PAIRS[1] + 2  # extending may go two pairs past the longest plan
REASON_LENGTH = 200  # a stop's reason
DEVIATION_KINDS = ("pause", "resume", "extend", "stop")
DEFAULT_WASHOUT_DAYS = 2
MIN_ANALYSED_DAYS = 3  # per phase, after the wash-out
BASELINE_DAYS = 7
# The smallest change that matters in back pain: about 2 points or 30 % (Ostelo et al.,
# Spine 2008).
DEFAULT_MIC_POINTS = 2.0
MIC_PERCENT = 30.0
WARMUP_MIN = 10
CADENCE_STEP = 1.05  # +5 % step rate (Heiderscheit et al., MSSE 2011)
LONG_RUN_FACTOR = 1.10  # no run over 110 % of the longest of the previous 30 days
RECENT_DAYS = 30


@dataclass(frozen=True, slots=True)
class ChangeKind:
    code: str
    title: str  # "a warm-up before every run"
    short: str  # for the banner: "warm-up"
    on_means: str
    source: str  # how adherence is known
    off_is_usual: bool  # off = the runner's usual (always kept); else off = not doing it
    needs_tick: bool  # no log source: asked once a day


CHANGES: dict[str, ChangeKind] = {
    c.code: c
    for c in (
        ChangeKind(
            "warmup",
            "a warm-up before every run",
            "warm-up",
            f"at least {WARMUP_MIN} minutes of warm-up before every run",
            "the warm-up minutes of each run",
            False,
            False,
        ),
        ChangeKind(
            "core",
            "a core/back routine on 3 or more days a week",
            "core routine",
            "core/back-strengthening on at least 3 days in every 7",
            "the core minutes of your daily habits",
            False,
            False,
        ),
        ChangeKind(
            "cadence",
            "a 5 % higher cadence",
            "cadence +5 %",
            "an average cadence of at least the target on every run",
            "the cadence your watch records",
            True,
            False,
        ),
        ChangeKind(
            "descent",
            "flatter routes",
            "flatter routes",
            "no run with more descent than your limit",
            "the descent of each run",
            True,
            False,
        ),
        ChangeKind(
            "long_run",
            "no run over 110 % of your longest recent run",
            "no long-run jumps",
            "no run longer than 110 % of the longest of the previous 30 days",
            "the distance of each run",
            True,
            False,
        ),
        ChangeKind(
            "topical",
            "topical relief (spray or cream) after runs",
            "topical relief",
            "topical spray or cream after every run",
            "a tick each day",
            False,
            True,
        ),
        ChangeKind(
            "custom",
            "a change of your own",
            "my change",
            "the change you describe",
            "a tick each day",
            False,
            True,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Phase:
    start: date
    end: date  # inclusive
    arm: str
    pair: int | None = None  # None for the baseline

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "arm": self.arm}


@dataclass(frozen=True, slots=True)
class Deviation:
    day: date
    kind: str  # "pause", "resume", "extend", "stop"
    text: str


@dataclass(frozen=True, slots=True)
class Plan:
    change: str
    start: date
    phase_days: int = DEFAULT_PHASE_DAYS
    pairs: int = DEFAULT_PAIRS
    baseline: bool = False
    washout_days: int = DEFAULT_WASHOUT_DAYS
    outcome: str = NEXT_MORNING
    mic_points: float | None = DEFAULT_MIC_POINTS  # None: MIC_PERCENT of the off level
    seed: int = 0
    label: str = ""  # the custom change's name
    target: float | None = None  # cadence target (steps/min) or descent limit (m per run)
    shift_days: tuple[tuple[date, int], ...] = ()  # pauses: from this day on, N days later

    @property
    def kind(self) -> ChangeKind:
        return CHANGES[self.change]

    @property
    def name(self) -> str:
        return self.label or self.kind.short

    @property
    def on_means(self) -> str:
        """What "on" means: the runner's own words for a custom change."""
        return self.label if self.change == "custom" and self.label else self.kind.on_means

    def phases(self) -> list[Phase]:
        """Every phase in order, pauses included (later phases move by the paused days)."""
        planned: list[Phase] = []
        day = self.start
        if self.baseline:
            planned.append(Phase(day, day + timedelta(days=BASELINE_DAYS - 1), BASELINE))
            day += timedelta(days=BASELINE_DAYS)
        for pair, first_on in enumerate(pair_orders(self.seed, self.pairs)):
            for arm in (ON, OFF) if first_on else (OFF, ON):
                planned.append(Phase(day, day + timedelta(days=self.phase_days - 1), arm, pair))
                day += timedelta(days=self.phase_days)
        return [self._shifted(p) for p in planned]

    def _shifted(self, phase: Phase) -> Phase:
        start, end = phase.start, phase.end
        for since, days in self.shift_days:
            if start >= since:
                start += timedelta(days=days)
            if end >= since:
                end += timedelta(days=days)
        return replace(phase, start=start, end=end)

    @property
    def end(self) -> date:
        return self.phases()[-1].end

    def to_json(self) -> dict[str, object]:
        return {
            "change": self.change,
            "label": self.label or None,
            "target": self.target,
            "phase_days": self.phase_days,
            "pairs": self.pairs,
            "baseline": self.baseline,
            "washout_days": self.washout_days,
            "outcome": self.outcome,
            "smallest_change": self.mic_points if self.mic_points is not None else "30%",
            "seed": self.seed,
            "phases": [p.to_json() for p in self.phases()],
        }


def pair_orders(seed: int, pairs: int) -> list[bool]:
    """For each pair, True when "on" comes first. Pair k's order depends on the seed and k
    only, so extending by a pair never changes the orders already drawn."""
    return [random.Random(f"backstride-experiment:{seed}:{k}").random() < 0.5 for k in range(pairs)]


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


def validate_plan(plan: Plan, today: date) -> Plan:
    problems = []
    if plan.change not in CHANGES:
        problems.append(
            FieldProblem("change", f"choose one of {', '.join(CHANGES)}; {plan.change!r} is not")
        )
    lo, hi = PHASE_DAYS
    if not lo <= plan.phase_days <= hi:
        problems.append(FieldProblem("phase_days", f"a phase lasts {lo} to {hi} days"))
    lo, hi = PAIRS
    if not lo <= plan.pairs <= hi:
        problems.append(FieldProblem("pairs", f"choose {lo} to {hi} pairs of phases"))
    phase_ok = PHASE_DAYS[0] <= plan.phase_days <= PHASE_DAYS[1]
    if phase_ok and not 0 <= plan.washout_days <= plan.phase_days - MIN_ANALYSED_DAYS:
        problems.append(
            FieldProblem(
                "washout_days",
                f"the wash-out is 0 to {plan.phase_days - MIN_ANALYSED_DAYS} days, so "
                f"each phase keeps at least {MIN_ANALYSED_DAYS} days to compare",
            )
        )
    if plan.outcome not in OUTCOMES:
        problems.append(FieldProblem("outcome", "choose next_morning or worst"))
    if plan.mic_points is not None and not 0.5 <= plan.mic_points <= 5:
        problems.append(FieldProblem("smallest_change", "choose 0.5 to 5 points, or 30 %"))
    if plan.change == "custom" and not plan.label.strip():
        problems.append(FieldProblem("label", "describe your change in a few words"))
    if len(plan.label) > 80:
        problems.append(FieldProblem("label", "keep the description to 80 characters"))
    if plan.change in ("cadence", "descent") and (plan.target is None or plan.target <= 0):
        what = "cadence target in steps/min" if plan.change == "cadence" else "descent limit (m)"
        problems.append(FieldProblem("target", f"give a {what}, more than 0"))
    if plan.start > today + timedelta(days=60):
        problems.append(FieldProblem("start", "start within the next 60 days"))
    if plan.start < today - timedelta(days=366):
        problems.append(FieldProblem("start", "a past start can be at most a year ago"))
    if problems:
        raise ValidationError(problems)
    return plan


def suggested_target(change: str, runs: Sequence[Run], start: date) -> float | None:
    """The cadence target (recent median +5 %) or descent limit (recent median) for a plan."""
    recent = [r for r in runs if start - timedelta(days=RECENT_DAYS) <= r.day < start]
    if change == "cadence":
        values = [r.cadence_spm for r in recent if r.cadence_spm]
        return round(median(values) * CADENCE_STEP) if values else None
    if change == "descent":
        values = [r.descent_m for r in recent if r.descent_m is not None]
        return float(round(median(values))) if values else None
    return None


# -- the experiment as it stands ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Experiment:
    plan: Plan
    id: int | None = None
    stopped_on: date | None = None
    stop_reason: str = ""
    paused_since: date | None = None
    deviations: tuple[Deviation, ...] = ()

    def status(self, today: date) -> str:
        if self.stopped_on is not None:
            return STOPPED
        if self.paused_since is not None:
            return PAUSED
        if today < self.plan.start:
            return PLANNED
        return FINISHED if today > self.plan.end else RUNNING

    def last_day(self, today: date) -> date:
        """The last day whose data count: the end, the stop or pause, or yesterday/today."""
        last = min(self.plan.end, today)
        if self.stopped_on is not None:
            last = min(last, self.stopped_on)
        if self.paused_since is not None:
            last = min(last, self.paused_since - timedelta(days=1))
        return last


@dataclass(frozen=True, slots=True)
class Position:
    """Where a day lies in the plan (for the banner and the day cards)."""

    phase_index: int
    phase_count: int
    phase: Phase
    day_in_phase: int  # 1-based
    washout: bool

    def text(self, name: str) -> str:
        return (
            f"Experiment: {name} · phase {self.phase_index + 1} of {self.phase_count} "
            f"({self.phase.arm}) · day {self.day_in_phase} of {self.phase.days}"
        )


def position(plan: Plan, day: date) -> Position | None:
    phases = plan.phases()
    for i, phase in enumerate(phases):
        if phase.start <= day <= phase.end:
            n = (day - phase.start).days + 1
            washout = phase.arm != BASELINE and n <= plan.washout_days
            return Position(i, len(phases), phase, n, washout)
    return None


# -- days, from the log -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExperimentDay:
    day: date
    arm: str
    pair: int | None
    phase_index: int
    washout: bool
    outcome: float | None  # the pain this day is judged by (next morning's, or its worst)
    done: bool | None  # was the change done: None unknown, or nothing to do (no run)
    kept: bool | None  # did the day follow the plan; None unknown or not applicable
    applies: bool = True  # False: nothing to keep that day (no run for a run change)


@dataclass(frozen=True, slots=True)
class Log:
    pain: Sequence[PainEntry] = ()
    runs: Sequence[Run] = ()
    habits: Sequence[HabitDay] = ()
    ticks: Mapping[date, bool] = field(default_factory=dict)  # kept as planned, asked daily


def _done_by_runs(plan: Plan, runs: Sequence[Run], all_runs: Sequence[Run]) -> bool | None:
    """Whether the day's runs did the change; None when a needed measure is missing."""
    c = plan.change
    if c == "warmup":
        values = [r.warmup_min for r in runs]
        return None if None in values else all(v >= WARMUP_MIN for v in values if v is not None)
    if c == "cadence":
        cadence = [r.cadence_spm for r in runs]
        if None in cadence or plan.target is None:
            return None
        return all(v >= plan.target - 1 for v in cadence if v is not None)  # 1 spm: rounding
    if c == "descent":
        descent = [r.descent_m for r in runs]
        if None in descent or plan.target is None:
            return None
        return all(v <= plan.target for v in descent if v is not None)
    if c == "long_run":
        for run in runs:
            before = [
                r.distance_m
                for r in all_runs
                if run.day - timedelta(days=RECENT_DAYS) <= r.day < run.day and r.distance_m
            ]
            if run.distance_m is None:
                return None
            if before and run.distance_m > LONG_RUN_FACTOR * max(d for d in before if d):
                return False
        return True
    raise ValueError(f"{c} is not a change the runs record")


def experiment_days(experiment: Experiment, log: Log, today: date) -> list[ExperimentDay]:
    """Each day of the plan up to the last that counts, with its outcome and adherence."""
    plan = experiment.plan
    last = experiment.last_day(today)
    outcome = morning_pain(log.pain) if plan.outcome == NEXT_MORNING else worst_pain(log.pain)
    lag = timedelta(days=1 if plan.outcome == NEXT_MORNING else 0)
    runs_by_day: dict[date, list[Run]] = {}
    for run in log.runs:
        runs_by_day.setdefault(run.day, []).append(run)
    core_days = {h.day: bool(h.core_min) for h in log.habits if h.core_min is not None}
    kind = plan.kind
    paused = {since + timedelta(days=k) for since, n in plan.shift_days for k in range(n)}
    days: list[ExperimentDay] = []
    for index, phase in enumerate(plan.phases()):
        day = phase.start
        while day <= min(phase.end, last):
            if day in paused:
                day += timedelta(days=1)
                continue
            n = (day - phase.start).days + 1
            washout = phase.arm != BASELINE and n <= plan.washout_days
            applies = True
            done: bool | None
            if kind.needs_tick:
                tick = log.ticks.get(day)
                done = None if tick is None else (tick if phase.arm == ON else not tick)
            elif plan.change == "core":
                week = [core_days.get(day - timedelta(days=k)) for k in range(7)]
                if core_days.get(day) is None:
                    done = None
                elif phase.arm == ON:
                    done = sum(1 for v in week if v) >= 3 or bool(core_days[day])
                else:
                    done = bool(core_days[day])
            else:
                today_runs = runs_by_day.get(day, [])
                applies = bool(today_runs)
                done = _done_by_runs(plan, today_runs, log.runs) if applies else None
            kept: bool | None
            if phase.arm == BASELINE or not applies:
                kept = None
            elif kind.needs_tick:
                kept = log.ticks.get(day)
            elif done is None:
                kept = None
            elif phase.arm == OFF and kind.off_is_usual:
                kept = True
            else:
                kept = done if phase.arm == ON else not done
            value = outcome.get(day + lag)
            days.append(
                ExperimentDay(
                    day,
                    phase.arm,
                    phase.pair,
                    index,
                    washout,
                    None if value is None else float(value),
                    done,
                    kept,
                    applies,
                )
            )
            day += timedelta(days=1)
    return days


def adherence(days: Iterable[ExperimentDay]) -> dict[str, float | None]:
    """The share of days kept as planned, per arm, over the days where it is known."""
    shares: dict[str, float | None] = {}
    listed = list(days)
    for arm in (ON, OFF):
        known = [d.kept for d in listed if d.arm == arm and d.kept is not None]
        shares[arm] = round(sum(known) / len(known), 3) if known else None
    return shares


def ticks_needed(experiment: Experiment, log: Log, today: date) -> list[date]:
    """Days of the plan, up to today, that still need their once-a-day answer."""
    if not experiment.plan.kind.needs_tick:
        return []
    return [
        d.day
        for d in experiment_days(experiment, log, today)
        if d.arm != BASELINE and d.day not in log.ticks
    ]


def checkin_due(plan: Plan | Experiment, log: Log, today: date) -> str | None:
    """The once-a-day adherence question for today, or None when none is due.

    Due only for a change the log cannot show (topical relief, a custom change: adherence is
    a daily tick), on a day of an on or off phase, while the experiment runs, and when today
    has no answer yet. The reminder (issue 14) calls this; it asks nothing itself.
    """
    if isinstance(plan, Experiment):
        if plan.status(today) != RUNNING:
            return None
        plan = plan.plan
    if not plan.kind.needs_tick or today in log.ticks:
        return None
    paused = {since + timedelta(days=k) for since, n in plan.shift_days for k in range(n)}
    where = position(plan, today)
    if where is None or where.phase.arm == BASELINE or today in paused:
        return None
    what = plan.on_means
    day = f"day {where.day_in_phase} of {where.phase.days}"
    if where.phase.arm == ON:
        return f"Experiment ({plan.name}), an on day ({day}): did you do it today: {what}?"
    return f"Experiment ({plan.name}), an off day ({day}): did you leave it out today: {what}?"


# -- the JSON export ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExperimentRecord:
    """An experiment as the JSON export keeps it (docs/json-format.md): the plan, its state,
    every deviation and every daily answer. The result is not kept: it is computed again
    from the diary and the runs."""

    change: str
    start: date
    seed: int
    created_at: datetime
    phase_days: int = DEFAULT_PHASE_DAYS
    pairs: int = DEFAULT_PAIRS
    baseline: bool = False
    washout_days: int = DEFAULT_WASHOUT_DAYS
    outcome: str = NEXT_MORNING
    mic_points: float | None = DEFAULT_MIC_POINTS
    label: str = ""
    target: float | None = None
    paused_since: date | None = None
    stopped_on: date | None = None
    stop_reason: str = ""
    # {"day": "YYYY-MM-DD", "kind": one of DEVIATION_KINDS, "shift_days": N, "text": "..."}
    deviations: tuple[dict[str, Any], ...] = ()
    ticks: dict[str, Any] = field(default_factory=dict)  # {"YYYY-MM-DD": true or false}

    def identity(self) -> tuple[str, str, date, int]:
        """Importing twice adds nothing: the same change, description, start and seed is
        the same experiment."""
        return (self.change, self.label, self.start, self.seed)

    def experiment(self) -> Experiment:
        shifts = tuple(
            (date.fromisoformat(d["day"]) - timedelta(days=d["shift_days"]), d["shift_days"])
            for d in self.deviations
            if d["kind"] == "resume"
        )
        plan = Plan(
            change=self.change,
            start=self.start,
            phase_days=self.phase_days,
            pairs=self.pairs,
            baseline=self.baseline,
            washout_days=self.washout_days,
            outcome=self.outcome,
            mic_points=self.mic_points,
            seed=self.seed,
            label=self.label,
            target=self.target,
            shift_days=shifts,
        )
        return Experiment(
            plan=plan,
            stopped_on=self.stopped_on,
            stop_reason=self.stop_reason,
            paused_since=self.paused_since,
            deviations=tuple(
                Deviation(date.fromisoformat(d["day"]), d["kind"], d["text"])
                for d in self.deviations
            ),
        )

    def planned(self) -> Plan:
        """The plan as it was at the start: before any extension or pause."""
        extended = sum(1 for d in self.deviations if d["kind"] == "extend")
        plan = self.experiment().plan
        return replace(plan, pairs=plan.pairs - extended, shift_days=())


def _iso_day(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def validate_experiment_record(record: ExperimentRecord, _today: date) -> ExperimentRecord:
    """What the store needs of an exported experiment; ValidationError names each field."""
    problems: list[FieldProblem] = []
    if record.created_at.tzinfo is None:
        problems.append(FieldProblem("created_at", "give the time with its UTC offset"))
    if not PAIRS[0] <= record.pairs <= MAX_PAIRS:
        problems.append(FieldProblem("pairs", f"{PAIRS[0]} to {MAX_PAIRS} pairs (extended)"))
    for n, d in enumerate(record.deviations):
        if set(d) != {"day", "kind", "shift_days", "text"}:
            problems.append(FieldProblem(f"deviations[{n}]", "give day, kind, shift_days and text"))
            continue
        if not _iso_day(d["day"]):
            problems.append(FieldProblem(f"deviations[{n}].day", "a date written YYYY-MM-DD"))
        if d["kind"] not in DEVIATION_KINDS:
            problems.append(
                FieldProblem(f"deviations[{n}].kind", f"one of {', '.join(DEVIATION_KINDS)}")
            )
        shift = d["shift_days"]
        if not isinstance(shift, int) or isinstance(shift, bool) or not 0 <= shift <= 366:
            problems.append(FieldProblem(f"deviations[{n}].shift_days", "0 to 366 days"))
        if not isinstance(d["text"], str) or len(d["text"]) > 2 * REASON_LENGTH:
            problems.append(
                FieldProblem(f"deviations[{n}].text", f"text of {2 * REASON_LENGTH} at most")
            )
    for day, kept in record.ticks.items():
        if not _iso_day(day) or not isinstance(kept, bool):
            problems.append(FieldProblem("ticks", 'each answer is "YYYY-MM-DD": true or false'))
            break
    if len(record.stop_reason) > REASON_LENGTH:
        problems.append(FieldProblem("stop_reason", f"at most {REASON_LENGTH} characters"))
    if not problems:
        try:
            # The plan's own rules; the start may lie any time before (an old experiment).
            planned = record.planned()
            validate_plan(
                replace(planned, pairs=min(max(planned.pairs, PAIRS[0]), PAIRS[1])),
                record.start,
            )
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    return record
