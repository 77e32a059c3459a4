"""Is an imported run already in the log? Pure comparisons, no storage.

A run matches an existing one when it has the same content hash (the same file imported
again), or when it starts within `START_TOLERANCE` and either covers the same distance
within `DISTANCE_TOLERANCE`, or the two recordings overlap in time by `OVERLAP_SHARE` of
the longer one and their distances agree within `OVERLAP_DISTANCE_TOLERANCE` (the same
run exported twice, as FIT and GPX, or from two apps: a GPX's distance from positions
differs from the watch's own by 2 % or more, the times tell it is one recording).
When the match is a run the runner typed in by hand, the import can complete it
(`merge_into_manual`) instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from backstride.core.models import MEASURED_RUN_FIELDS, Run

START_TOLERANCE = timedelta(minutes=2)
DISTANCE_TOLERANCE = 0.02  # share of the larger distance
OVERLAP_SHARE = 0.9  # of the longer recording's elapsed time
OVERLAP_DISTANCE_TOLERANCE = 0.05
MANUAL = "manual"


def _instant(moment: datetime) -> datetime:
    # Runs carry aware starts; a naive one (older data) is read as the computer's time.
    return moment if moment.tzinfo is not None else moment.astimezone()


def same_distance(a: float | None, b: float | None, tolerance: float = DISTANCE_TOLERANCE) -> bool:
    """Within `tolerance` of the larger one; unknown on either side does not
    contradict (a hand-entered run may have no distance)."""
    if a is None or b is None:
        return True
    larger = max(a, b)
    return larger == 0 or abs(a - b) <= tolerance * larger


def _duration_s(run: Run) -> float | None:
    return run.elapsed_time_s or run.moving_time_s


def overlapping(run: Run, other: Run) -> bool:
    """The two recordings share OVERLAP_SHARE of the longer one's time (False when
    either has no duration)."""
    a, b = _duration_s(run), _duration_s(other)
    if not a or not b:
        return False
    start_a, start_b = _instant(run.start), _instant(other.start)
    begin = max(start_a, start_b)
    end = min(start_a + timedelta(seconds=a), start_b + timedelta(seconds=b))
    shared = (end - begin).total_seconds()
    return shared >= OVERLAP_SHARE * max(a, b)


def is_same_run(run: Run, other: Run) -> bool:
    if run.source_hash is not None and run.source_hash == other.source_hash:
        return True
    gap = abs(_instant(run.start) - _instant(other.start))
    if gap > START_TOLERANCE:
        return False
    if same_distance(run.distance_m, other.distance_m):
        return True
    return overlapping(run, other) and same_distance(
        run.distance_m, other.distance_m, OVERLAP_DISTANCE_TOLERANCE
    )


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


class RunIndex:
    """`find_duplicate` against a growing log without comparing every run with all the
    others: runs by content hash, and by start in START_TOLERANCE-wide slots (a match
    starts in the same slot or a neighbouring one)."""

    def __init__(self, runs: Iterable[Run] = ()) -> None:
        self._by_hash: dict[str, Run] = {}
        self._by_slot: dict[int, list[Run]] = {}
        for run in runs:
            self.add(run)

    @staticmethod
    def _slot(run: Run) -> int:
        return int(_instant(run.start).timestamp() // START_TOLERANCE.total_seconds())

    def add(self, run: Run) -> None:
        if run.source_hash is not None:
            self._by_hash.setdefault(run.source_hash, run)
        self._by_slot.setdefault(self._slot(run), []).append(run)

    def find(self, run: Run) -> Run | None:
        """The same answer as `find_duplicate(run, <every run added>)`."""
        if run.source_hash is not None and run.source_hash in self._by_hash:
            return self._by_hash[run.source_hash]
        slot = self._slot(run)
        nearby = [other for k in (slot - 1, slot, slot + 1) for other in self._by_slot.get(k, ())]
        return find_duplicate(run, nearby)


def is_hand_entered(run: Run) -> bool:
    """True for a run typed in by the runner: an import matching it can be merged."""
    return run.source == MANUAL


def merge_into_manual(manual: Run, imported: Run) -> Run:
    """The hand-entered run completed with the imported track's measurements.

    The runner's own entries stay (effort, warm-up, surface, shoe, note, id); what the
    watch measured replaces the typed figures, which are estimates, except where the
    file has no such figure.
    """
    kept = {
        name: getattr(manual, name)
        for name in MEASURED_RUN_FIELDS
        if getattr(imported, name) is None
    }
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
