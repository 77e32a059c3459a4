"""Weekly distance lately: one definition for the check-up and Insights (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from backstride.core.analysis import analyze
from backstride.core.checkup_prefill import running_prefill
from backstride.core.models import Dataset, PainEntry, Run
from backstride.core.weekly_distance import lately, weeks_before

TODAY = date(2026, 12, 5)
FAST = 199


def run_on(day: date, km: float | None) -> Run:
    return Run(
        start=datetime.combine(day, time(7), tzinfo=UTC),
        distance_m=None if km is None else km * 1000.0,
        moving_time_s=3000.0,
    )


def two_weeks_of_running() -> list[Run]:
    """A new runner's first two weeks: 7 runs of 6.8 km, 47.6 km from 13 days ago."""
    return [run_on(TODAY - timedelta(days=n), 6.8) for n in range(1, 14, 2)]


def test_the_check_up_and_insights_give_the_same_weekly_distance() -> None:
    """The issue saw 23.8 km a week in the check-up and 11.9 in Insights (which averaged
    four calendar weeks, two of them before the first entry, as 0 km)."""
    runs = two_weeks_of_running()
    first = min(r.day for r in runs)
    found = running_prefill(runs, [], TODAY, first, None)
    assert found["running.weekly_km"] == 23.8
    # The log does not reach back 4 weeks: unknown, not "0 km 4 weeks ago".
    assert "running.weekly_km_4w_ago" not in found

    pain = tuple(
        PainEntry(day=TODAY - timedelta(days=n), time=time(7), intensity=2, timing="waking")
        for n in range(14)
    )
    analysis = analyze(Dataset(pain=pain, runs=tuple(runs)), permutations=FAST)
    weekly = analysis.weekly
    assert weekly.lately is not None and round(weekly.lately.km, 1) == 23.8
    assert weekly.earlier is None
    # The sentence Insights and the report print says the same figure.
    shown = [f for f in analysis.findings if f.factor == "weekly_distance"]
    assert len(shown) == 1 and round(shown[0].effect, 1) == 23.8
    assert "23.8 km a week" in shown[0].summary and "4 weeks before" not in shown[0].summary


def test_unknown_history_stays_unknown() -> None:
    pairs = [(TODAY - timedelta(days=2), 10_000.0)]
    # Three days of log: averaged over a whole week, never scaled up to 23 km.
    assert lately(pairs, TODAY, TODAY - timedelta(days=2)).km == 10.0  # type: ignore[union-attr]
    # A log from 30 days back with nothing else: the earlier weeks are known 0 km weeks.
    since = TODAY - timedelta(days=45)
    before = weeks_before(pairs, TODAY, since)
    assert before is not None and before.km == 0.0
    assert weeks_before(pairs, TODAY, TODAY - timedelta(days=30)) is None  # partly covered
    assert lately(pairs, TODAY, None) is None and lately(pairs, TODAY, TODAY.replace(day=6)) is None


def test_a_run_without_a_distance_is_counted_as_unknown() -> None:
    pairs = [(TODAY, 7000.0), (TODAY - timedelta(days=1), None)]
    weekly = lately(pairs, TODAY, TODAY - timedelta(days=20))
    assert weekly is not None and (weekly.km, weekly.runs, weekly.unknown) == (3.5, 2, 1)
    # The check-up offers nothing rather than a distance that leaves a run out.
    runs = [run_on(TODAY, 7.0), run_on(TODAY - timedelta(days=1), None)]
    assert "running.weekly_km" not in running_prefill(
        runs, [], TODAY, TODAY - timedelta(days=1), None
    )
