"""`backstride experiment start|status|result|stop|list|tick`: personal experiments from a
terminal (issue 15). The JSON of status and result is documented in the README."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from backstride.core.csv_codec import parse_date
from backstride.core.experiment_result import CAVEATS, build_result
from backstride.core.experiments import (
    CHANGES,
    DEFAULT_PAIRS,
    DEFAULT_PHASE_DAYS,
    DEFAULT_WASHOUT_DAYS,
    MIC_PERCENT,
    NEXT_MORNING,
    OUTCOMES,
    Experiment,
    Log,
    Plan,
    new_seed,
    position,
    suggested_target,
    ticks_needed,
)
from backstride.operations import experiments as ops
from backstride.store import experiments as experiment_store
from backstride.store.database import Store, open_store
from backstride.store.location import resolve_data_dir
from backstride.store.runs import list_runs


def _fail(message: str) -> int:
    print(f"backstride: {message}", file=sys.stderr)
    return 1


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def _smallest(text: str) -> float | None:
    """'2' points, or '30%' of the off level (the only percentage offered)."""
    text = text.strip()
    if text.rstrip("%").strip() == f"{MIC_PERCENT:g}" and text.endswith("%"):
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(
            f"--smallest-change {text!r}: give points (e.g. 2) or {MIC_PERCENT:g}%"
        ) from None


def _points(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f} points"


def _interval(values: tuple[float, float] | None) -> str:
    return "-" if values is None else f"{values[0]:+.1f} to {values[1]:+.1f}"


def cmd_start(args: argparse.Namespace) -> int:
    today = date.today()
    try:
        start = today if args.start is None else parse_date(args.start)
        mic = _smallest(args.smallest_change)
    except ValueError as exc:
        return _fail(f"{exc}" if "--" in str(exc) else f"--start: {exc}")
    store = open_store(resolve_data_dir(args.data_dir))
    try:
        target = args.target
        if target is None and args.change in ("cadence", "descent"):
            target = suggested_target(args.change, list_runs(store, None, start), start)
            if target is None:
                what = "cadence" if args.change == "cadence" else "descent"
                return _fail(
                    f"no runs with a {what} in the 30 days before the start to set the "
                    "target from; give one with --target"
                )
        plan = Plan(
            change=args.change,
            start=start,
            phase_days=args.phase_days,
            pairs=args.pairs,
            baseline=args.baseline,
            washout_days=args.washout_days,
            outcome=args.outcome,
            mic_points=mic,
            seed=new_seed() if args.seed is None else args.seed,
            label=args.label or "",
            target=target,
        )
        change = ops.start_experiment(store, plan, datetime.now().astimezone())
    finally:
        store.close()
    e = change.result
    print(f"started experiment {e.id}: {plan.kind.title} (seed {plan.seed})")
    for phase in plan.phases():
        print(f"  {phase.start} to {phase.end}  {phase.arm}")
    from backstride.core.experiment_result import power_text

    power = power_text(plan.pairs, plan.phase_days, plan.washout_days)
    if power:
        print(power)
    return 0


def _status_json(store: Store, e: Experiment, log: Log, today: date) -> dict[str, Any]:
    where = position(e.plan, today)
    result = build_result(e, log, today)
    return {
        "id": e.id,
        "status": e.status(today),
        "plan": e.plan.to_json(),
        "today": None
        if where is None
        else {
            "phase": where.phase_index + 1,
            "phases": where.phase_count,
            "arm": where.phase.arm,
            "day": where.day_in_phase,
            "phase_days": where.phase.days,
            "washout": where.washout,
        },
        "adherence": result.adherence,
        # As stored at the start, to audit against the plan redrawn from its seed.
        "planned_phases": experiment_store.planned_phases(store, e.id or 0),
        "unanswered_days": [d.isoformat() for d in ticks_needed(e, log, today)],
    }


def _with_experiment(args: argparse.Namespace, action: Any) -> int:
    store = open_store(resolve_data_dir(args.data_dir))
    try:
        experiment_id = getattr(args, "id", None)
        if experiment_id is not None:
            e = experiment_store.get_experiment(store, experiment_id)
            if e is None:
                return _fail(
                    f"there is no experiment {experiment_id}; `experiment list` lists them"
                )
        else:
            e = ops.latest_experiment(store)
            if e is None:
                return _fail("no experiment yet; start one with `backstride experiment start`")
        return int(action(store, e, ops.load_log(store, e)))
    finally:
        store.close()


def cmd_status(args: argparse.Namespace) -> int:
    today = date.today()

    def show(store: Store, e: Experiment, log: Log) -> int:
        data = _status_json(store, e, log, today)
        if args.json:
            _print_json(data)
            return 0
        where = position(e.plan, today)
        print(f"experiment {e.id}: {e.plan.kind.title}, {data['status']}")
        if where is not None and data["status"] in ("running", "paused"):
            print(where.text(e.plan.name) + (" (wash-out)" if where.washout else ""))
        shares = data["adherence"]
        for arm in ("on", "off"):
            share = shares[arm]
            print(f"  kept as planned, {arm}: {'-' if share is None else f'{share:.0%}'}")
        unanswered = data["unanswered_days"]
        if unanswered:
            shown = ", ".join(unanswered[-5:]) + (" and earlier" if len(unanswered) > 5 else "")
            print(f"  {len(unanswered)} days to answer (`experiment tick`): {shown}")
        return 0

    return _with_experiment(args, show)


def cmd_result(args: argparse.Namespace) -> int:
    today = date.today()

    def show(_store: Store, e: Experiment, log: Log) -> int:
        result = build_result(e, log, today)
        if args.json:
            _print_json(result.to_json())
            return 0
        print(f"experiment {e.id}: {e.plan.kind.title}, {result.status}")
        print(result.words())
        plan, done = result.plan_result, result.done_result
        print(
            f"  effect (on minus off): {_points(plan.effect)}, 90 % interval "
            f"{_interval(plan.interval)}, randomisation p = "
            f"{'-' if result.p is None else f'{result.p:.2f}'}"
        )
        print(f"  days compared: {plan.n_on} on, {plan.n_off} off")
        print(f"  as done: {_points(done.effect)}, 90 % interval {_interval(done.interval)}")
        for event in result.events:
            print(f"  during it: {event}")
        for caveat in CAVEATS:
            print(f"  note: {caveat}")
        return 0

    return _with_experiment(args, show)


def cmd_stop(args: argparse.Namespace) -> int:
    today = date.today()

    def act(store: Store, e: Experiment, _log: Log) -> int:
        ops.stop(store, e, today, args.reason)
        print(f"stopped experiment {e.id} on {today}; `backstride experiment result` shows it")
        return 0

    return _with_experiment(args, act)


def cmd_tick(args: argparse.Namespace) -> int:
    try:
        day = date.today() if args.day is None else parse_date(args.day)
    except ValueError as exc:
        return _fail(f"--day: {exc}")

    def act(store: Store, e: Experiment, _log: Log) -> int:
        ops.tick_day(store, e, day, args.answer == "yes")
        print(f"{day}: {'kept' if args.answer == 'yes' else 'not kept'} as planned")
        return 0

    return _with_experiment(args, act)


def cmd_list(args: argparse.Namespace) -> int:
    today = date.today()
    store = open_store(resolve_data_dir(args.data_dir))
    try:
        listed = experiment_store.list_experiments(store)
        if not listed:
            print("no experiments yet")
        for e in listed:
            verdict = build_result(e, ops.load_log(store, e), today).verdict
            print(
                f"{e.id:>3}  {e.plan.start} to {e.plan.end}  {e.status(today):<8}  "
                f"{verdict:<13}  {e.plan.kind.title}"
            )
    finally:
        store.close()
    return 0


def add_commands(sub: Any) -> None:
    """Add `experiment` and its sub-commands to the CLI's parser."""
    p = sub.add_parser("experiment", help="test one change in planned on/off phases")
    steps = p.add_subparsers(dest="step", metavar="STEP", required=True)

    s = steps.add_parser("start", help="plan and start an experiment")
    s.add_argument("--change", required=True, choices=list(CHANGES), help="what to test")
    s.add_argument("--phase-days", type=int, default=DEFAULT_PHASE_DAYS, help="5-14 (7)")
    s.add_argument("--pairs", type=int, default=DEFAULT_PAIRS, help="2-4 pairs of phases (3)")
    s.add_argument("--baseline", action="store_true", help="a baseline week first")
    s.add_argument("--outcome", choices=list(OUTCOMES), default=NEXT_MORNING)
    s.add_argument("--washout-days", type=int, default=DEFAULT_WASHOUT_DAYS, help="(2)")
    s.add_argument("--smallest-change", default="2", help="points that would matter (2), or 30%%")
    s.add_argument("--seed", type=int, help="the seed of the order (default: a random one)")
    s.add_argument("--start", metavar="DATE", help="YYYY-MM-DD, may lie in the past (today)")
    s.add_argument("--label", help="the custom change, in a few words")
    s.add_argument(
        "--target",
        type=float,
        help="cadence target (steps/min) or descent limit (m per run); default from the "
        "last 30 days",
    )
    s.set_defaults(func=cmd_start)

    for name, func, text in (
        ("status", cmd_status, "where the experiment stands today"),
        ("result", cmd_result, "the effect, interval, p, adherence and verdict"),
    ):
        s = steps.add_parser(name, help=text)
        s.add_argument("--id", type=int, help="an earlier experiment (default: the latest)")
        s.add_argument("--json", action="store_true", help="as JSON (format in the README)")
        s.set_defaults(func=func)

    s = steps.add_parser("stop", help="stop early, with the reason")
    s.add_argument("--reason", required=True, metavar="TEXT")
    s.set_defaults(func=cmd_stop)

    s = steps.add_parser("tick", help="answer whether a day kept the plan (daily-tick changes)")
    s.add_argument("answer", choices=("yes", "no"))
    s.add_argument("--day", metavar="DATE", help="YYYY-MM-DD (today)")
    s.set_defaults(func=cmd_tick)

    s = steps.add_parser("list", help="every experiment with its status and verdict")
    s.set_defaults(func=cmd_list)
