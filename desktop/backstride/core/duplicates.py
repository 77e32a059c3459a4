"""Is an imported run already in the log? Pure comparisons, no storage.

A run matches an existing one when it has the same content hash (the same file imported
again), or when it starts within `START_TOLERANCE` and covers the same distance within
`DISTANCE_TOLERANCE` (the same run exported twice, as FIT and GPX, or from two apps).
When the match is a run the runner typed in by hand, the import can complete it
(`merge_into_manual`) instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from backstride.core.models import Run

START_TOLERANCE = timedelta(minutes=2)
DISTANCE_TOLERANCE = 0.02  # share of the larger distance
MANUAL = "manual"


def _instant(moment: datetime) -> datetime:
    # Runs carry aware starts; a naive one (older data) is read as the computer's time.
    return moment if moment.tzinfo is not None else moment.astimezone()


def same_distance(a: float | None, b: float | None) -> bool:
    """Within DISTANCE_TOLERANCE of the larger one; unknown on either side does not
    contradict (a hand-entered run may have no distance)."""
    if a is None or b is None:
        return True
    larger = max(a, b)
    return larger == 0 or abs(a - b) <= DISTANCE_TOLERANCE * larger


def is_same_run(run: Run, other: Run) -> bool:
    if run.source_hash is not None and run.source_hash == other.source_hash:
        return True
    gap = abs(_instant(run.start) - _instant(other.start))
    return gap <= START_TOLERANCE and same_distance(run.distance_m, other.distance_m)


def find_duplicate(run: Run, existing: Sequence[Run]) -> Run | None:
    """The existing run `run` duplicates, or None.

    A same-hash match wins; otherwise the closest start among the matches.
    """
    if run.source_hash is not None:
        for other in existing:
            if other.source_hash == run.source_hash:
                return other
    start = _instant(run.start)
    matches = [other for other in existing if is_same_run(run, other)]
    if not matches:
        return None
    return min(matches, key=lambda other: abs(_instant(other.start) - start))


def is_hand_entered(run: Run) -> bool:
    """True for a run typed in by the runner: an import matching it can be merged."""
    return run.source == MANUAL


# Figures a watch measures; the imported value wins unless the file lacked it.
_MEASURED = (
    "distance_m",
    "moving_time_s",
    "elapsed_time_s",
    "ascent_m",
    "descent_m",
    "avg_hr",
    "cadence_spm",
    "vertical_oscillation_cm",
    "stance_time_ms",
    "step_length_m",
    "vertical_ratio_pct",
)


def merge_into_manual(manual: Run, imported: Run) -> Run:
    """The hand-entered run completed with the imported track's measurements.

    The runner's own entries stay (effort, warm-up, surface, shoe, note, id); what the
    watch measured replaces the typed figures, which are estimates, except where the
    file has no such figure.
    """
    kept = {name: getattr(manual, name) for name in _MEASURED if getattr(imported, name) is None}
    return replace(
        imported,
        rpe=manual.rpe,
        warmup_min=manual.warmup_min,
        surface=manual.surface,
        shoe=manual.shoe,
        note=manual.note or imported.note,
        id=manual.id,
        **kept,
    )
