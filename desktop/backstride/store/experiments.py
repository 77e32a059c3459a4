"""Personal experiments, their deviations and daily ticks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from backstride.core.experiments import ACTIVE, Deviation, Experiment, ExperimentRecord, Plan
from backstride.store.database import Store, StoreError

_COLUMNS = (
    "id, change, label, target, start, phase_days, pairs, baseline, washout_days, outcome, "
    "mic_points, seed, paused_since, stopped_on, stop_reason"
)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _deviations(db: sqlite3.Connection, experiment_id: int) -> list[tuple[Any, ...]]:
    return list(
        db.execute(
            "SELECT day, kind, shift_days, text FROM experiment_deviation "
            "WHERE experiment_id = ? ORDER BY id",
            [experiment_id],
        )
    )


def _experiment(db: sqlite3.Connection, row: Sequence[Any]) -> Experiment:
    deviations = _deviations(db, row[0])
    shifts = tuple(
        # A resume is logged on the day it resumes; its pause began shift_days before.
        (date.fromisoformat(d[0]) - timedelta(days=d[2]), d[2])
        for d in deviations
        if d[1] == "resume"
    )
    plan = Plan(
        change=row[1],
        label=row[2],
        target=row[3],
        start=date.fromisoformat(row[4]),
        phase_days=row[5],
        pairs=row[6],
        baseline=bool(row[7]),
        washout_days=row[8],
        outcome=row[9],
        mic_points=row[10],
        seed=row[11],
        shift_days=shifts,
    )
    return Experiment(
        plan=plan,
        id=row[0],
        paused_since=_day(row[12]),
        stopped_on=_day(row[13]),
        stop_reason=row[14],
        deviations=tuple(Deviation(date.fromisoformat(d[0]), d[1], d[3]) for d in deviations),
    )


def add_experiment(store: Store, experiment: Experiment, created_at: datetime) -> Experiment:
    """Save a new experiment (with an id: put a deleted one back, for undo)."""
    plan = experiment.plan
    row: dict[str, Any] = {
        "change": plan.change,
        "label": plan.label,
        "target": plan.target,
        "start": plan.start.isoformat(),
        "phase_days": plan.phase_days,
        "pairs": plan.pairs,
        "baseline": int(plan.baseline),
        "washout_days": plan.washout_days,
        "outcome": plan.outcome,
        "mic_points": plan.mic_points,
        "seed": plan.seed,
        "phases": json.dumps([p.to_json() for p in plan.phases()]),
        "created_at": created_at.isoformat(timespec="seconds"),
        "paused_since": None
        if experiment.paused_since is None
        else experiment.paused_since.isoformat(),
        "stopped_on": None if experiment.stopped_on is None else experiment.stopped_on.isoformat(),
        "stop_reason": experiment.stop_reason,
    }
    if experiment.id is not None:
        row["id"] = experiment.id
    with store.write() as db:
        cur = db.execute(
            f"INSERT INTO experiment ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return replace(experiment, id=cur.lastrowid)


def delete_experiment(store: Store, experiment_id: int) -> None:
    with store.write() as db:
        db.execute("DELETE FROM experiment WHERE id = ?", [experiment_id])


def get_experiment(store: Store, experiment_id: int) -> Experiment | None:
    with store.read() as db:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM experiment WHERE id = ?", [experiment_id]
        ).fetchone()
        return None if row is None else _experiment(db, row)


def list_experiments(store: Store) -> list[Experiment]:
    """Newest first."""
    with store.read() as db:
        rows = db.execute(f"SELECT {_COLUMNS} FROM experiment ORDER BY start DESC, id DESC")
        return [_experiment(db, r) for r in rows.fetchall()]


def current_experiment(store: Store) -> Experiment | None:
    """The experiment not stopped (at most one is allowed), newest first."""
    with store.read() as db:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM experiment WHERE stopped_on IS NULL "
            "ORDER BY start DESC, id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else _experiment(db, row)


def planned_phases(store: Store, experiment_id: int) -> list[dict[str, str]]:
    """The phases as stored at the start (for auditing the plan against its seed)."""
    with store.read() as db:
        row = db.execute("SELECT phases FROM experiment WHERE id = ?", [experiment_id]).fetchone()
    return [] if row is None else list(json.loads(row[0]))


def update_state(
    store: Store,
    experiment_id: int,
    *,
    pairs: int,
    paused_since: date | None,
    stopped_on: date | None,
    stop_reason: str,
) -> None:
    with store.write() as db:
        db.execute(
            "UPDATE experiment SET pairs = ?, paused_since = ?, stopped_on = ?, stop_reason = ? "
            "WHERE id = ?",
            [
                pairs,
                None if paused_since is None else paused_since.isoformat(),
                None if stopped_on is None else stopped_on.isoformat(),
                stop_reason,
                experiment_id,
            ],
        )


def add_deviation(
    store: Store, experiment_id: int, deviation: Deviation, shift_days: int = 0
) -> int:
    with store.write() as db:
        cur = db.execute(
            "INSERT INTO experiment_deviation (experiment_id, day, kind, shift_days, text) "
            "VALUES (?, ?, ?, ?, ?)",
            [experiment_id, deviation.day.isoformat(), deviation.kind, shift_days, deviation.text],
        )
    return int(cur.lastrowid or 0)


def delete_deviation(store: Store, deviation_id: int) -> None:
    with store.write() as db:
        db.execute("DELETE FROM experiment_deviation WHERE id = ?", [deviation_id])


def ticks(store: Store, experiment_id: int) -> dict[date, bool]:
    with store.read() as db:
        rows = db.execute(
            "SELECT day, kept FROM experiment_tick WHERE experiment_id = ?", [experiment_id]
        )
        return {date.fromisoformat(d): bool(k) for d, k in rows.fetchall()}


def set_tick(store: Store, experiment_id: int, day: date, kept: bool | None) -> bool | None:
    """Record the day's answer (None clears it); returns the answer before, for undo."""
    with store.write() as db:
        row = db.execute(
            "SELECT kept FROM experiment_tick WHERE experiment_id = ? AND day = ?",
            [experiment_id, day.isoformat()],
        ).fetchone()
        if kept is None:
            db.execute(
                "DELETE FROM experiment_tick WHERE experiment_id = ? AND day = ?",
                [experiment_id, day.isoformat()],
            )
        else:
            db.execute(
                "INSERT INTO experiment_tick (experiment_id, day, kept) VALUES (?, ?, ?) "
                "ON CONFLICT (experiment_id, day) DO UPDATE SET kept = excluded.kept",
                [experiment_id, day.isoformat(), int(kept)],
            )
    return None if row is None else bool(row[0])


# -- the JSON export ----------------------------------------------------------------------
def export_records(store: Store) -> list[ExperimentRecord]:
    """Every experiment, oldest first, with its deviations and daily answers."""
    with store.read() as db:
        rows = db.execute(
            f"SELECT {_COLUMNS}, created_at FROM experiment ORDER BY start, id"
        ).fetchall()
        records = []
        for row in rows:
            e = _experiment(db, row)
            answers = db.execute(
                "SELECT day, kept FROM experiment_tick WHERE experiment_id = ? ORDER BY day",
                [row[0]],
            )
            plan = e.plan
            records.append(
                ExperimentRecord(
                    change=plan.change,
                    start=plan.start,
                    seed=plan.seed,
                    created_at=datetime.fromisoformat(row[15]),
                    phase_days=plan.phase_days,
                    pairs=plan.pairs,
                    baseline=plan.baseline,
                    washout_days=plan.washout_days,
                    outcome=plan.outcome,
                    mic_points=plan.mic_points,
                    label=plan.label,
                    target=plan.target,
                    paused_since=e.paused_since,
                    stopped_on=e.stopped_on,
                    stop_reason=e.stop_reason,
                    deviations=tuple(
                        {"day": d[0], "kind": d[1], "shift_days": d[2], "text": d[3]}
                        for d in _deviations(db, row[0])
                    ),
                    ticks={d: bool(k) for d, k in answers.fetchall()},
                )
            )
    return records


def import_records(
    store: Store, records: Sequence[ExperimentRecord], today: date
) -> tuple[int, int]:
    """Add the experiments not already there (by ExperimentRecord.identity); returns (added,
    already there). Inside the caller's transaction. At most one experiment may be under way:
    a second one is refused, naming it."""
    with store.write() as db:
        known = {
            (r[1], r[2], date.fromisoformat(r[4]), r[11]): _experiment(db, r)
            for r in db.execute(f"SELECT {_COLUMNS} FROM experiment").fetchall()
        }
        active = [e for e in known.values() if e.status(today) in ACTIVE]
        added = 0
        for record in records:
            if record.identity() in known:
                continue
            experiment = record.experiment()
            if experiment.status(today) in ACTIVE:
                if active:
                    raise StoreError(
                        f"the file's experiment ({experiment.plan.name}, from "
                        f"{experiment.plan.start:%d %b %Y}) is under way, and so is "
                        f"{active[0].plan.name} here; one experiment runs at a time: stop "
                        "the one here first (backstride experiment stop --reason TEXT)"
                    )
                active.append(experiment)
            saved = add_experiment(store, experiment, record.created_at)
            assert saved.id is not None
            db.execute(
                "UPDATE experiment SET phases = ? WHERE id = ?",
                [json.dumps([p.to_json() for p in record.planned().phases()]), saved.id],
            )
            for d in record.deviations:
                db.execute(
                    "INSERT INTO experiment_deviation (experiment_id, day, kind, shift_days, "
                    "text) VALUES (?, ?, ?, ?, ?)",
                    [saved.id, d["day"], d["kind"], d["shift_days"], d["text"]],
                )
            db.executemany(
                "INSERT INTO experiment_tick (experiment_id, day, kept) VALUES (?, ?, ?)",
                [(saved.id, day, int(kept)) for day, kept in record.ticks.items()],
            )
            known[record.identity()] = experiment
            added += 1
    return added, len(records) - added


def with_ticks(store: Store) -> list[tuple[Experiment, dict[date, bool]]]:
    """Every experiment with its daily answers (for the clinician report)."""
    return [(e, ticks(store, e.id or 0)) for e in list_experiments(store)]
