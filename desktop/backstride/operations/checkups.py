"""Check-up operations: save a result, delete one."""

from __future__ import annotations

from datetime import datetime

from backstride.core.models import Assessment
from backstride.core.triage import Answers, TriageResult
from backstride.core.triage_record import result_record, when_text
from backstride.operations import ASSESSMENTS, Change
from backstride.store import assessments as assessment_store
from backstride.store.database import Store


def save_checkup(
    store: Store, answers: Answers, result: TriageResult, taken_at: datetime
) -> Change[Assessment]:
    saved = assessment_store.add_assessment(
        store,
        Assessment(
            taken_at=taken_at,
            answers=answers.to_dict(),
            result=result_record(result),
            rules_version=result.rules_version,
        ),
    )
    assert saved.id is not None, "the store gives every saved check-up an id"
    saved_id = saved.id
    return Change(
        "save check-up",
        saved,
        redo=lambda: assessment_store.add_assessment(store, saved),
        undo=lambda: assessment_store.delete_assessment(store, saved_id),
        kinds=(ASSESSMENTS,),
    )


def delete_checkup(store: Store, assessment_id: int) -> Change[Assessment] | None:
    removed = assessment_store.delete_assessment(store, assessment_id)
    if removed is None:
        return None
    return Change(
        f"delete check-up of {when_text(removed.taken_at)}",
        removed,
        redo=lambda: assessment_store.delete_assessment(store, assessment_id),
        undo=lambda: assessment_store.add_assessment(store, removed),
        kinds=(ASSESSMENTS,),
    )
