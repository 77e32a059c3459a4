"""The analysis as background work: read the store on the worker's own connection, analyse.

Runs on a worker thread (ui.worker.run_task); nothing here touches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from backstride.core.models import Run
from backstride.core.units import DistanceUnit
from backstride.store.database import Store
from backstride.store.dataset import load_dataset
from backstride.ui.insights.days import runs_by_day
from backstride.ui.worker import Progress

if TYPE_CHECKING:
    from backstride.core.analysis import Analysis

STEPS = 2


@dataclass(frozen=True, slots=True, eq=False)
class InsightsResult:
    analysis: Analysis
    runs: dict[date, tuple[Run, ...]]  # the period's runs by day, for the days behind findings
    start: date | None  # the period asked for (None: from the first data / to the latest)
    end: date | None
    earlier_data: bool  # anything logged before the period (a longer period would show it)


def compute(
    store: Store, start: date | None, end: date | None, unit: DistanceUnit, progress: Progress
) -> InsightsResult:
    """Analyse start..end, its texts giving distances in unit. Everything before start is
    read too: it is the history the analysis needs (longest run of the previous 30 days,
    chronic load, distance on a shoe)."""
    progress(0, STEPS, "Reading your diary and training log…")
    own = store.reopen()  # SQLite connections must not cross threads
    try:
        dataset = load_dataset(own, None, end)
    finally:
        own.close()
    progress(1, STEPS, "Looking for patterns…")
    from backstride.core.analysis import analyze  # numpy: loaded on first use

    days = [e.day for e in dataset.pain] + [r.day for r in dataset.runs]
    days += [h.day for h in dataset.habits]
    if start is not None and days and start < min(days) <= (end or start):
        # "Last 12 months" of a diary begun 3 months ago starts at its first entry, so the
        # charts are not mostly empty; the comparisons only ever use days with data.
        start = min(days)
    analysis = analyze(dataset, start, end, unit=unit)
    progress(STEPS, STEPS, "")
    first = analysis.period_from
    return InsightsResult(
        analysis=analysis,
        runs=runs_by_day(dataset.runs, analysis.period_from, analysis.period_to),
        start=start,
        end=end,
        earlier_data=first is not None and any(d < first for d in days),
    )
