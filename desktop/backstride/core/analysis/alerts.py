"""Alerts (each with the action to take) and the training-load context findings.

Each alert compares the runner with their own baseline and, where pain is concerned, with
a placebo: the same test on days it should not matter. Simulated runners (tests/sim;
figures in tests/bench/bench_patterns.py, chosen on seeds 0-299 and confirmed on fresh
ones) calibrated them: on steady runners over 120 days "getting worse" is current for
about 5 %, and the pain and red-flag alerts for none. The load spike follows the
Garmin-RUNSAFE rule as published, so it fires whenever a run is more than 10 % longer than
the longest of the previous 30 days: a steady runner whose long run varies by about 1 km
in 14 does that within 14 days in 4-7 % of periods (more when pain drives training), and
no threshold is ours to move. An alert is current only while its evidence
is in the last CURRENT_DAYS days of the period; an older one says when it was raised and
gives no action but the red flag's.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from backstride.core.analysis.constants import CURRENT_DAYS
from backstride.core.analysis.daily import DailyPain
from backstride.core.analysis.findings import Finding
from backstride.core.analysis.load import (
    HIGH_RATIO,
    LONGEST_WINDOW_DAYS,
    SWEET_SPOT,
    DailyLoad,
    RunTable,
    WeeklyLoad,
    runsafe_band,
)
from backstride.core.analysis.timeline import BoolArray, FloatArray, Timeline
from backstride.core.models import PainEntry
from backstride.core.units import KM, DistanceUnit

# Smallest meaningful change in back pain: about 2 points or 30 %, more when pain is high
# (Ostelo et al., Spine 2008).
MEANINGFUL_CHANGE = 2.0
# "Getting worse": the mean daily worst of the last 10 days against the runner's own level
# before, the six weeks that ended 14 days earlier (2-8 weeks back), each window without
# its highest and lowest day, so one bad or good day cannot make a trend (medians of 0-10
# scores are too coarse). A six-week level is steadier than the two weeks used before (a
# 2-week level swings with the runner's slow wander, about 1 point), and the 14-day gap
# keeps a rise that ramps over two weeks out of the level it is compared with.
RECENT_DAYS = 10
EARLIER_DAYS = (14, 55)  # days back, inclusive
RECENT_MIN_DAYS = 5
EARLIER_MIN_DAYS = 21
# ... and large against the runner's own typical variation of that same rise (its median
# absolute deviation over the period, as an SD): at least TYPICAL_SDS of those SDs, and
# never under MEANINGFUL_CHANGE. Chosen on 300 steady simulated runners over 120 days
# (seeds 0-299; steady runners alerted / planted 3-point rise over 2 weeks alerted): with
# the last 7 days, 1.25 SDs 8.3 % / 85 %, 1.5 SDs 6.7 % / 82 %, 1.75 SDs 6.0 % / 78 %,
# 2 SDs 5.3 % / 73 %, none at 5 %; with the last 10 days (a steadier mean, the same curve
# moved towards fewer false alerts) 1.25 SDs 5.3 % / 78 %, 1.5 SDs 4.0 % / 77 %,
# 1.75 SDs 3.3 % / 74 %. On 200 fresh runners (tests/bench/bench_patterns.py prints it)
# 10 days and 1.5 SDs gave 4.5 % / 80 % (7 days and 1.75 SDs: 5.5 % / 78.5 %). Their own
# slow wander (SD about 1 point, for weeks) is a third of such a rise, so no threshold
# gives both 5 % and 90 %. Even the likelihood-ratio test with the simulator's model known,
# on a fuller diary than theirs, sees 86 % at 5 % false alerts over 120 days when it does
# not know when the rise began and stays current for 14 days, and 94 % only if it knows
# (tests/bench/bench_patterns.py, worsening_bound). With the last 7 days, counting a
# worsening as current only while the latest week shows it (not the 14 days of every
# alert) reached 85 % at 5 % on the same seeds, but the Insights page and the report say
# every alert is current for 14 days.
TYPICAL_SDS = 1.5
MAD_TO_SD = 1.4826
PERSISTING_DAYS = 3  # raised on each of the 3 days after a run and the next morning: > 72 h
BASELINE_DAYS = 14
BASELINE_MIN_DAYS = 5
PLACEBO_P = 0.05  # post-run days must stay high more often than other days (Fisher, one-sided)
PERSISTING_MIN_RUNS = 2
# Pain-monitoring model (clinical.md section 3): <= 3/10 during activity acceptable,
# 4-5 a caution, > 5 too much.
DURING_RUN_TOO_MUCH = 5
DURING_RUN_FORTNIGHT = 14
# Garmin-RUNSAFE (BJSM 2025): a run more than 10 % longer than the longest of the previous
# 30 days raised overuse-injury risk (HR 1.64 for +10-30 %).
RUN_SPIKE_RATIO = 1.10
# A load ratio of 1.5 or more (Gabbett 2016) on at least this many days running: steady
# simulated runners crossed it on single long-run days in 21 % of 120-day periods, for 3
# days in 7 % (those whose long run was also more than 10 % longer than the 30-day one).
SPIKE_DAYS = 3
_LEFT_LEG = frozenset({"thigh_left", "below_knee_left", "foot_left"})
_RIGHT_LEG = frozenset({"thigh_right", "below_knee_right", "foot_right"})


def day_text(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


@dataclass(frozen=True, slots=True, eq=False)
class AlertInput:
    tl: Timeline
    start: int  # first timeline index of the period
    stop: int  # one past the last
    daily: DailyPain
    entries: Sequence[PainEntry]  # the period's entries
    runs: RunTable
    load: DailyLoad
    unit: DistanceUnit = KM  # how the texts give distances (the runner's km or miles)

    def km_text(self, km: float) -> str:
        return self.unit.distance(km * 1000.0, 1)


def alerts(a: AlertInput) -> list[Finding]:
    """Every alert raised in the period (the engine orders them)."""
    out = [
        _red_flags(a),
        _worsening(a),
        _persisting(a),
        _during_runs(a),
        _load_spike(a),
    ]
    return [f for f in out if f is not None]


def _alert(
    a: AlertInput,
    factor: str,
    summary: str,
    action: str,
    days: Sequence[date],
    effect: float | None,
    keep_action: str = "",
    raised: date | None = None,
) -> Finding:
    """An alert on ``days``, raised on the last day of its evidence (default: the latest of
    them); current while that is in the last CURRENT_DAYS days of the period, else said to
    be earlier with ``keep_action`` (usually none)."""
    raised = raised or max(days)
    current = a.tl.index(raised) >= a.stop - CURRENT_DAYS
    if not current:
        summary = (
            f"Raised on {day_text(raised)}, more than {CURRENT_DAYS} days before the end of "
            f"this period; nothing since shows it again. {summary}"
        )
        action = keep_action
    return Finding(
        factor=factor,
        kind="alert",
        effect=effect,
        interval=None,
        p=None,
        q=None,
        n_exposed=len(days),
        n_unexposed=None,
        lag=None,
        summary=f"{summary} Action: {action}" if action else summary,
        days=tuple(days),
        action=action,
        raised=raised,
        current=current,
    )


def _red_flags(a: AlertInput) -> Finding | None:
    """Diary entries that look like cauda equina red flags (clinical.md section 1, NHS):
    pain, numbness or tingling in both legs (any quality), or the saddle area."""
    legs: set[date] = set()
    saddle: set[date] = set()
    for e in a.entries:
        regions = set(e.regions)
        if regions & _LEFT_LEG and regions & _RIGHT_LEG:
            legs.add(e.day)
        if "saddle" in regions:
            saddle.add(e.day)
    if not legs and not saddle:
        return None
    parts = []
    if legs:
        parts.append(f"pain, numbness or tingling in both legs ({_dates(sorted(legs))})")
    if saddle:
        parts.append(f"symptoms in the saddle area ({_dates(sorted(saddle))})")
    summary = (
        f"Your diary records {' and '.join(parts)}. With back pain, these can be signs of "
        "cauda equina syndrome, which needs emergency care (NHS)."
    )
    later = "Take the symptom check-up and mention these entries to your doctor."
    action = (
        "If you have any of these now, or new trouble passing urine or controlling your "
        "bladder or bowels, call the emergency number or go to the emergency department "
        f"now. Otherwise: {later[0].lower()}{later[1:]}"
    )
    # An old red flag still goes to the doctor: it keeps that part of its action.
    return _alert(a, "red_flag", summary, action, sorted(legs | saddle), None, later)


def _dates(days: Sequence[date], most: int = 3) -> str:
    if len(days) <= most:
        return ", ".join(day_text(d) for d in days)
    return f"on {len(days)} days, the latest {day_text(days[-1])}"


def _trimmed_mean(values: FloatArray, back_from: int, back_to: int, least: int) -> FloatArray:
    """For each day: the mean of ``values`` from ``back_to`` to ``back_from`` days earlier
    (0 = the day itself) without the highest and lowest one, NaN where fewer than
    ``least`` of those days have a value."""
    width = back_to - back_from + 1
    n = values.size
    padded = np.concatenate((np.full(back_to, np.nan), values))
    view = np.lib.stride_tricks.sliding_window_view(padded, width)[:n]
    present = ~np.isnan(view)
    count = present.sum(axis=1)
    enough = count >= least
    out = np.full(n, np.nan)
    if enough.any():
        v = view[enough]
        filled = np.where(present[enough], v, 0.0)
        total = filled.sum(axis=1) - np.nanmax(v, axis=1) - np.nanmin(v, axis=1)
        out[enough] = total / (count[enough] - 2)
    return out


def worsening_rise(worst: FloatArray) -> FloatArray:
    """Each day's robust rise: the trimmed mean daily worst of the last RECENT_DAYS days
    minus that of the six weeks ending 14 days before."""
    recent = _trimmed_mean(worst, 0, RECENT_DAYS - 1, RECENT_MIN_DAYS)
    earlier = _trimmed_mean(worst, *EARLIER_DAYS, EARLIER_MIN_DAYS)
    out: FloatArray = recent - earlier
    return out


def _worsening(a: AlertInput) -> Finding | None:
    rise = worsening_rise(a.daily.worst)
    period = rise[a.start : a.stop]
    known = period[~np.isnan(period)]
    if known.size < RECENT_DAYS:
        return None
    typical = MAD_TO_SD * float(np.median(np.abs(known - np.median(known))))
    limit = max(MEANINGFUL_CHANGE, TYPICAL_SDS * typical)
    flags = np.zeros(a.tl.length, dtype=bool)
    with np.errstate(invalid="ignore"):
        flags[a.start : a.stop] = period >= limit - 1e-9
    if not flags.any():
        return None
    peak = int(np.flatnonzero(flags)[-1])  # the latest day over the limit
    recent = a.tl.day(peak)
    summary = (
        f"Your pain is getting worse: over the {RECENT_DAYS} days to {day_text(recent)} your "
        f"daily worst pain averaged {rise[peak]:.1f} points more than over the 6 weeks that "
        "ended 2 weeks earlier. Changes "
        f"of this size are rare for you (your usual swing is about {typical:.1f} points), "
        "and about 2 points (or 30 %) is the smallest change people with back pain "
        "find meaningful (Ostelo 2008)."
    )
    action = (
        "Ease your training back (shorter, flatter, easier runs) and book a physiotherapist "
        "or GP if it keeps rising. If you also have new leg, numbness or bladder or bowel "
        "symptoms, take the symptom check-up now."
    )
    days = [a.tl.day(i) for i in np.flatnonzero(flags).tolist()]
    return _alert(a, "pain_worsening", summary, action, days, float(rise[peak]))


def _persisting(a: AlertInput) -> Finding | None:
    """Pain still raised more than 72 hours after runs, more often than after days without
    a run (the placebo): raised on each of the 3 following days and the next morning."""
    worst, n = a.daily.worst, a.daily.worst.size
    span = PERSISTING_DAYS + 1
    days = np.arange(a.start, max(a.start, a.stop - span))
    if days.size == 0:
        return None
    padded = np.concatenate((np.full(BASELINE_DAYS, np.nan), worst))
    before = np.lib.stride_tricks.sliding_window_view(padded, BASELINE_DAYS)[:n][days]
    enough = (~np.isnan(before)).sum(axis=1) >= BASELINE_MIN_DAYS
    baseline = np.full(days.size, np.nan)
    if enough.any():
        baseline[enough] = np.nanmedian(before[enough], axis=1)
    after = np.stack([worst[days + k] for k in range(1, span)], axis=1)
    final = a.daily.morning[days + span]
    after = np.column_stack((after, np.where(np.isnan(final), worst[days + span], final)))
    known = enough & ~np.isnan(after).any(axis=1)
    with np.errstate(invalid="ignore"):
        raised = known & (after >= (baseline + MEANINGFUL_CHANGE)[:, None]).all(axis=1)
    ran = np.zeros(n, dtype=bool)
    ran[a.runs.day] = True
    on_run = ran[days]
    hits, trials = int((raised & on_run).sum()), int((known & on_run).sum())
    other_hits, other_trials = int((raised & ~on_run).sum()), int((known & ~on_run).sum())
    if hits < PERSISTING_MIN_RUNS or hits * other_trials <= other_hits * trials:
        return None
    if _fisher_greater(hits, trials, other_hits, other_trials) >= PLACEBO_P:
        return None
    hit_days = days[raised & on_run]
    latest = int(hit_days[-1])
    base = float(baseline[raised & on_run][-1])
    summary = (
        f"After {hits} of your {trials} runs your pain stayed at least 2 points above your "
        f"usual level for more than 72 hours, more often than after days without a run "
        f"({other_hits} of {other_trials}). The latest was the run on "
        f"{day_text(a.tl.day(latest))} (usual level then {base:g}/10)."
    )
    action = (
        "In the pain-monitoring model physiotherapists use for running, the next-morning "
        "response matters most: make your next runs shorter and easier until pain settles "
        "by the next day, and see a physiotherapist if it keeps lasting days."
    )
    runs = [a.tl.day(int(d)) for d in hit_days]
    # The evidence runs to the morning after the 72 hours.
    return _alert(a, "pain_persisting", summary, action, runs, None, raised=a.tl.day(latest + span))


def _spells(flags: BoolArray) -> list[tuple[int, int]]:
    """(first, last) index of each run of consecutive True values."""
    idx = np.flatnonzero(flags)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]


def _fisher_greater(k1: int, n1: int, k0: int, n0: int) -> float:
    """One-sided Fisher exact p that the first group's rate exceeds the second's."""
    total, hits = n1 + n0, k1 + k0
    denominator = math.comb(total, n1)
    upper = min(hits, n1)
    tail = sum(math.comb(hits, k) * math.comb(total - hits, n1 - k) for k in range(k1, upper + 1))
    return tail / denominator


def _during_runs(a: AlertInput) -> Finding | None:
    high = sorted(
        {e.day for e in a.entries if e.timing == "during_run" and e.intensity > DURING_RUN_TOO_MUCH}
    )
    flagged: set[date] = set()
    for d0, d1 in itertools.pairwise(high):
        if (d1 - d0).days < DURING_RUN_FORTNIGHT:
            flagged.update((d0, d1))
    if not flagged:
        return None
    days = sorted(flagged)
    summary = (
        f"Pain during runs went above 5/10 more than once within a fortnight ({_dates(days)})."
    )
    action = (
        "In the pain-monitoring model, pain during running should stay at 3/10 or below "
        "(4-5 is a caution, above 5 is too much): run shorter, slower or flatter until it "
        "does, and discuss it with a physiotherapist."
    )
    return _alert(a, "pain_during_runs", summary, action, days, None)


def _load_spike(a: AlertInput) -> Finding | None:
    """A run more than 10 % longer than the longest of the previous 30 days (Garmin-RUNSAFE),
    or a load ratio of 1.5 or more (Gabbett); both only once the history they need is
    logged (load.py): unknown history is unknown, never 0 km."""
    ratio = a.load.acwr
    with np.errstate(invalid="ignore"):
        above: BoolArray = ratio >= HIGH_RATIO
    # The 7-day average jumps on every long-run day; a spike is a spell of SPIKE_DAYS.
    high = np.zeros_like(above)
    for first, last in _spells(above):
        if last - first + 1 >= SPIKE_DAYS:
            high[first : last + 1] = True
    high[: a.start] = False
    high[a.stop :] = False
    in_period = (a.runs.day >= a.start) & (a.runs.day < a.stop)
    with np.errstate(invalid="ignore"):
        long_runs = in_period & (a.runs.longest_ratio > RUN_SPIKE_RATIO)
    if not high.any() and not long_runs.any():
        return None
    parts = []
    if high.any():
        peak = int(np.flatnonzero(high)[-1])
        days = int(high.sum())
        parts.append(
            f"your load ratio reached {HIGH_RATIO:g} or more on {days} day"
            f"{'s' if days != 1 else ''} (latest {day_text(a.tl.day(peak))}: "
            f"{ratio[peak]:.2f}; Gabbett 2016 calls 1.5 or more high)"
        )
    if long_runs.any():
        last = int(np.flatnonzero(long_runs)[-1])
        count = int(long_runs.sum())
        parts.append(
            f"{count} run{'s were' if count > 1 else ' was'} more than 10 % longer than your "
            f"longest of the previous {LONGEST_WINDOW_DAYS} days (latest "
            f"{day_text(a.tl.day(int(a.runs.day[last])))}: {a.km_text(a.runs.km[last])} after "
            f"{a.km_text(a.runs.longest_before[last])}; Garmin-RUNSAFE 2025 linked such runs to "
            "more overuse injuries)"
        )
    summary = "Load spike: " + "; ".join(parts) + "."
    action = (
        "Build up more gradually and keep single runs close to your longest of the last "
        "30 days. The load ratio is context, not a prediction (Impellizzeri 2021)."
    )
    days_ = sorted(
        {a.tl.day(int(i)) for i in np.flatnonzero(high)}
        | {a.tl.day(int(d)) for d in a.runs.day[long_runs]}
    )
    return _alert(a, "load_spike", summary, action, days_, None)


def load_context(a: AlertInput, weekly: WeeklyLoad, unit: str) -> list[Finding]:
    """Where training load stands at the end of the period: context, not a prediction."""
    out: list[Finding] = []
    in_period = np.flatnonzero((a.runs.day >= a.start) & (a.runs.day < a.stop))
    if in_period.size == 0:
        return out
    ratio = a.load.acwr[a.start : a.stop]
    known = np.flatnonzero(~np.isnan(ratio))
    if known.size:
        i = int(known[-1])
        r = float(ratio[i])
        lo, hi = SWEET_SPOT
        if r < lo:
            band = f"below the {lo:g}-{hi:g} range"
        elif r <= hi:
            band = f"within the {lo:g}-{hi:g} range"
        elif r < HIGH_RATIO:
            band = f"above {hi:g} but below {HIGH_RATIO:g}"
        else:
            band = f"{HIGH_RATIO:g} or more, which Gabbett 2016 calls high"
        out.append(
            _context(
                "load_ratio",
                r,
                f"Your load ratio (7-day against 28-day weighted average of {unit}; "
                f"Williams 2017) was {r:.2f} on {day_text(a.tl.day(a.start + i))}, {band}. "
                "It is context, not a prediction (Impellizzeri 2021).",
            )
        )
    # Weekly distance lately: the check-up's definition (core.weekly_distance), so both say
    # the same; weeks before the first run are unknown, not 0 km.
    now, before = weekly.lately, weekly.earlier
    if now is not None and np.nansum(a.runs.km[in_period]) > 0:
        days = (now.last - now.first).days + 1
        text = f"You ran {a.km_text(now.km)} a week over the last {days} days of the period"
        if before is not None:
            text += f", against {a.km_text(before.km)} a week 4 weeks before"
        if now.unknown:
            text += f" ({now.unknown} run(s) without a distance not counted)"
        out.append(_context("weekly_distance", now.km, text + "."))
    ratios = a.runs.longest_ratio[in_period]
    has = np.flatnonzero(~np.isnan(ratios))
    if has.size:
        j = int(in_period[has[-1]])
        r = float(a.runs.longest_ratio[j])
        band, hazard = runsafe_band(r)
        change = (r - 1.0) * 100.0
        shorter = "shorter" if change < 0 else "longer"
        text = (
            f"Your latest run ({a.km_text(a.runs.km[j])} on "
            f"{day_text(a.tl.day(int(a.runs.day[j])))}) was {abs(change):.0f} % {shorter} "
            f"than your longest of the previous 30 days ({a.km_text(a.runs.longest_before[j])})"
        )
        if hazard is not None:
            text += (
                ": Garmin-RUNSAFE 2025 reported an overuse-injury hazard ratio of "
                f"{hazard:g} for runs {band}"
            )
        out.append(_context("longest_run", change, text + "."))
    mono = np.flatnonzero(~np.isnan(weekly.monotony))
    if mono.size:
        w = int(mono[-1])
        m = float(weekly.monotony[w])
        out.append(
            _context(
                "monotony",
                m,
                f"Training monotony in the week of {day_text(weekly.week_starts[w])} was "
                f"{m:.1f} (mean daily load divided by its standard deviation; Foster 1998): "
                "higher means days that are more alike.",
            )
        )
    return out


def _context(factor: str, value: float, summary: str) -> Finding:
    return Finding(
        factor=factor,
        kind="load",
        effect=value,
        interval=None,
        p=None,
        q=None,
        n_exposed=None,
        n_unexposed=None,
        lag=None,
        summary=summary,
    )
