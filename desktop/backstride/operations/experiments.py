"""Experiment operations: start, answer a day, pause and resume, extend by a pair, stop.

Once started, the plan itself never changes: a pause, an extra pair and a stop are logged as
deviations beside it, and each can be undone (which removes its deviation again).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.experiments import (
    ACTIVE,
    MAX_PAIRS,
    PAUSED,
    PLANNED,
    REASON_LENGTH,
    RECENT_DAYS,
    RUNNING,
    Deviation,
    Experiment,
    Log,
    Plan,
    validate_plan,
)
from backstride.operations import Change
from backstride.store import experiments as experiment_store
from backstride.store.database import Store
from backstride.store.habits import list_habit_days
from backstride.store.pain import list_pain_entries
from backstride.store.runs import list_runs

EXPERIMENTS = "experiments"  # the kind of data these operations change


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([FieldProblem(field, message)])


def active_experiment(store: Store, today: date) -> Experiment | None:
    """The experiment planned, running or paused (at most one), else None."""
    current = experiment_store.current_experiment(store)
    if current is None or current.status(today) not in ACTIVE:
        return None
    return current


def latest_experiment(store: Store) -> Experiment | None:
    """The newest experiment, whatever its state."""
    listed = experiment_store.list_experiments(store)
    return listed[0] if listed else None


def load_log(store: Store, experiment: Experiment) -> Log:
    """What the result reads: the diary, runs and habits from 30 days before the start (the
    longest recent run) to the day after the end (its next morning), and the ticks."""
    plan = experiment.plan
    first = plan.start - timedelta(days=RECENT_DAYS)
    last = plan.end + timedelta(days=1)
    return Log(
        pain=list_pain_entries(store, first, last),
        runs=list_runs(store, first, last),
        habits=list_habit_days(store, first, last),
        ticks=experiment_store.ticks(store, _id(experiment)),
    )


def _id(experiment: Experiment) -> int:
    assert experiment.id is not None, "the store gives every saved experiment an id"
    return experiment.id


def start_experiment(store: Store, plan: Plan, now: datetime) -> Change[Experiment]:
    today = now.date()
    validate_plan(plan, today)
    running = active_experiment(store, today)
    if running is not None:
        raise _refuse(
            "change",
            f"an experiment on {running.plan.name} is {running.status(today)}; stop it first "
            "(one change at a time, or neither result can be trusted)",
        )
    saved = experiment_store.add_experiment(store, Experiment(plan=plan), now)
    saved_id = _id(saved)
    return Change(
        f"start experiment: {plan.name}",
        saved,
        redo=lambda: experiment_store.add_experiment(store, saved, now),
        undo=lambda: experiment_store.delete_experiment(store, saved_id),
        kinds=(EXPERIMENTS,),
    )


def tick_day(store: Store, experiment: Experiment, day: date, kept: bool) -> Change[bool]:
    """The once-a-day answer: was the plan kept on day?"""
    exp_id = _id(experiment)
    phases = experiment.plan.phases()
    if not phases[0].start <= day <= phases[-1].end:
        raise _refuse("day", f"{day:%d %b %Y} is not a day of this experiment")
    before = experiment_store.set_tick(store, exp_id, day, kept)
    return Change(
        f"answer {day:%d %b}",
        kept,
        redo=lambda: experiment_store.set_tick(store, exp_id, day, kept),
        undo=lambda: experiment_store.set_tick(store, exp_id, day, before),
        kinds=(EXPERIMENTS,),
    )


def _with_deviation(
    store: Store,
    old: Experiment,
    new: Experiment,
    deviation: Deviation,
    text: str,
    shift_days: int = 0,
) -> Change[Experiment]:
    """Save new's state with its deviation; undo puts old's state back and drops it."""
    exp_id = _id(old)
    ids: list[int] = []

    def state(e: Experiment) -> None:
        experiment_store.update_state(
            store,
            exp_id,
            pairs=e.plan.pairs,
            paused_since=e.paused_since,
            stopped_on=e.stopped_on,
            stop_reason=e.stop_reason,
        )

    def do() -> None:
        with store.write():
            state(new)
            ids.append(experiment_store.add_deviation(store, exp_id, deviation, shift_days))

    def undo() -> None:
        with store.write():
            state(old)
            experiment_store.delete_deviation(store, ids.pop())

    do()
    saved = experiment_store.get_experiment(store, exp_id) or new
    return Change(text, saved, redo=do, undo=undo, kinds=(EXPERIMENTS,))


def _must_be(experiment: Experiment, today: date, *states: str) -> None:
    status = experiment.status(today)
    if status not in states:
        raise _refuse(
            "status",
            f"the experiment is {status}; that is possible only when it is {' or '.join(states)}",
        )


def pause(store: Store, experiment: Experiment, today: date) -> Change[Experiment]:
    """Pause from today: the days paused are left out and later phases move on."""
    _must_be(experiment, today, RUNNING)
    new = replace(experiment, paused_since=today)
    deviation = Deviation(today, "pause", "paused")
    return _with_deviation(store, experiment, new, deviation, "pause experiment")


def resume(store: Store, experiment: Experiment, today: date) -> Change[Experiment]:
    _must_be(experiment, today, PAUSED)
    assert experiment.paused_since is not None
    days = max((today - experiment.paused_since).days, 0)
    new = replace(experiment, paused_since=None)
    text = f"resumed after {days} day{'s' * (days != 1)}; later phases moved by as many"
    deviation = Deviation(today, "resume", text)
    return _with_deviation(store, experiment, new, deviation, "resume experiment", days)


def extend(store: Store, experiment: Experiment, today: date) -> Change[Experiment]:
    """One more pair, its order drawn from the same seed (earlier orders stay as they were)."""
    _must_be(experiment, today, PLANNED, RUNNING, PAUSED)
    pairs = experiment.plan.pairs + 1
    if pairs > MAX_PAIRS:
        raise _refuse("pairs", f"an experiment has at most {MAX_PAIRS} pairs")
    new = replace(experiment, plan=replace(experiment.plan, pairs=pairs))
    deviation = Deviation(today, "extend", f"extended to {pairs} pairs")
    return _with_deviation(store, experiment, new, deviation, "extend experiment by a pair")


def stop(store: Store, experiment: Experiment, today: date, reason: str) -> Change[Experiment]:
    """Stop early; the result uses the days up to today."""
    reason = " ".join(reason.split())
    if not reason:
        raise _refuse("reason", "say in a few words why you stop (it is kept with the result)")
    if len(reason) > REASON_LENGTH:
        raise _refuse("reason", f"keep the reason to {REASON_LENGTH} characters")
    _must_be(experiment, today, *ACTIVE)
    # A pause stays on record: its days up to the stop are left out as well.
    new = replace(experiment, stopped_on=today, stop_reason=reason)
    deviation = Deviation(today, "stop", f"stopped: {reason}")
    return _with_deviation(store, experiment, new, deviation, "stop experiment")
