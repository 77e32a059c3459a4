"""Stored check-ups (the ``assessment`` table), and the running answers the training log gives.

An assessment keeps the answers, the result and the rules version as JSON with the time it
was taken (ISO-8601 with its UTC offset), so a past result reads as it was even after the
rules change. ``running_prefill`` reads the ``run`` and ``habit_day`` tables with plain SQL
on the columns of db/0001_initial.sql, so it does not depend on the training log's code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from backstride.core.models import Assessment
from backstride.store.database import Store, StoreError

_COLUMNS = "id, taken_at, answers, result, rules_version"


# ---------------------------------------------------------------- assessments


def _row(assessment: Assessment) -> dict[str, Any]:
    if not isinstance(assessment.answers, dict) or not isinstance(assessment.result, dict):
        raise ValueError("an assessment's answers and result must be JSON objects (dicts)")
    if not assessment.rules_version.strip():
        raise ValueError("an assessment needs the rules version that made its result")
    try:
        answers = json.dumps(assessment.answers, ensure_ascii=False, allow_nan=False)
        result = json.dumps(assessment.result, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"an assessment must be plain JSON data: {exc}") from exc
    return {
        "taken_at": _aware(assessment.taken_at).isoformat(),
        "answers": answers,
        "result": result,
        "rules_version": assessment.rules_version,
    }


def _aware(moment: datetime) -> datetime:
    """Stored instants carry their UTC offset; a naive time is taken as local time."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _assessment(row: Sequence[Any]) -> Assessment:
    try:
        answers = json.loads(row[2])
        result = json.loads(row[3])
        taken_at = _aware(datetime.fromisoformat(row[1]))
    except ValueError as exc:
        raise StoreError(
            f"The saved check-up number {row[0]} is damaged ({exc}). Restore the data file "
            "from a backup; Backstride has not changed it."
        ) from exc
    if not isinstance(answers, dict) or not isinstance(result, dict):
        raise StoreError(
            f"The saved check-up number {row[0]} is damaged (its answers or result are not "
            "JSON objects). Restore the data file from a backup; Backstride has not changed it."
        )
    return Assessment(
        id=row[0], taken_at=taken_at, answers=answers, result=result, rules_version=row[4]
    )


def add_assessment(store: Store, assessment: Assessment) -> Assessment:
    """Save a check-up (or, with an id, put a deleted one back for undo)."""
    row = _row(assessment)
    if assessment.id is not None:
        row["id"] = assessment.id
    with store.write() as db:
        cur = db.execute(
            f"INSERT INTO assessment ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return replace(assessment, id=cur.lastrowid, taken_at=_aware(assessment.taken_at))


def get_assessment(store: Store, assessment_id: int) -> Assessment | None:
    with store.read() as db:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM assessment WHERE id = ?", [assessment_id]
        ).fetchone()
    return None if row is None else _assessment(row)


def list_assessments(store: Store) -> list[Assessment]:
    """Every check-up, newest first (by the instant taken, whatever its UTC offset)."""
    with store.read() as db:
        rows = db.execute(f"SELECT {_COLUMNS} FROM assessment").fetchall()
    found = [_assessment(r) for r in rows]
    found.sort(key=lambda a: (a.taken_at, a.id or 0), reverse=True)
    return found


def latest_assessment(store: Store) -> Assessment | None:
    found = list_assessments(store)
    return found[0] if found else None


def delete_assessment(store: Store, assessment_id: int) -> Assessment | None:
    """Delete and return the check-up (for undo); None when it was already gone."""
    with store.write() as db:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM assessment WHERE id = ?", [assessment_id]
        ).fetchone()
        if row is None:
            return None
        db.execute("DELETE FROM assessment WHERE id = ?", [assessment_id])
    return _assessment(row)


# ---------------------------------------------------------------- training-log pre-fill


def running_prefill(store: Store, today: date | None = None) -> dict[str, Any]:
    """The running answers the training log can give (core.checkup_prefill decides)."""
    from backstride.core.checkup_prefill import READ_DAYS
    from backstride.core.checkup_prefill import running_prefill as prefill
    from backstride.store.habits import list_habit_days
    from backstride.store.runs import list_runs

    today = today or date.today()
    since = today - timedelta(days=READ_DAYS)
    with store.read() as db:
        first_run = db.execute("SELECT min(day) FROM run").fetchone()[0]
        first_core = db.execute(
            "SELECT min(day) FROM habit_day WHERE core_min IS NOT NULL"
        ).fetchone()[0]
    return prefill(
        list_runs(store, since, today),
        list_habit_days(store, since, today),
        today,
        runs_since=date.fromisoformat(first_run) if first_run else None,
        core_log_since=date.fromisoformat(first_core) if first_core else None,
    )
