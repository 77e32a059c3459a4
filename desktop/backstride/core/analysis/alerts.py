"""Alerts (each with the action to take) and the training-load context findings."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from backstride.core.analysis.daily import DailyPain
from backstride.core.analysis.findings import Finding
from backstride.core.analysis.load import (
    HIGH_RATIO,
    SWEET_SPOT,
    DailyLoad,
    RunTable,
    WeeklyLoad,
    runsafe_band,
)
from backstride.core.analysis.timeline import FloatArray, IntArray, Timeline, rolling_mean
from backstride.core.models import PainEntry

# Smallest meaningful change in back pain: about 2 points (Ostelo et al., Spine 2008).
MEANINGFUL_CHANGE = 2.0
WORSENING_WINDOW = (14, 28)  # "worsening by at least 2 points over 2-4 weeks" (issue 6)
EPISODE_GAP_DAYS = 7  # worsening spells a week or less apart count as one episode
PERSISTING_DAYS = 3  # pain still raised on each of the 3 days after a run: more than 72 h
BASELINE_DAYS = 14
BASELINE_MIN_DAYS = 5
# Pain-monitoring model (clinical.md section 3): <= 3/10 during activity acceptable,
# 4-5 a caution, > 5 too much.
DURING_RUN_TOO_MUCH = 5
DURING_RUN_FORTNIGHT = 14
RUN_SPIKE_RATIO = 1.30  # Garmin-RUNSAFE (BJSM 2025): +30-100 % HR 1.52, > +100 % HR 2.28
_LEFT_LEG = frozenset({"thigh_left", "below_knee_left", "foot_left"})
_RIGHT_LEG = frozenset({"thigh_right", "below_knee_right", "foot_right"})
_NERVE = frozenset({"numbness", "tingling"})

ALERT_ORDER = ("red_flag", "pain_worsening", "pain_persisting", "pain_during_runs", "load_spike")


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


def alerts(a: AlertInput) -> list[Finding]:
    out = [
        _red_flags(a),
        _worsening(a),
        _persisting(a),
        _during_runs(a),
        _load_spike(a),
    ]
    return [f for f in out if f is not None]


def _alert(
    factor: str, summary: str, action: str, days: Sequence[date], effect: float | None
) -> Finding:
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
        summary=f"{summary} Action: {action}",
        days=tuple(days),
        action=action,
    )


def _red_flags(a: AlertInput) -> Finding | None:
    """Diary entries that look like cauda equina red flags (clinical.md section 1, NHS)."""
    legs: set[date] = set()
    saddle: set[date] = set()
    for e in a.entries:
        regions = set(e.regions)
        nerve = bool(_NERVE & set(e.quality))
        if nerve and regions & _LEFT_LEG and regions & _RIGHT_LEG:
            legs.add(e.day)
        if "saddle" in regions:
            saddle.add(e.day)
    if not legs and not saddle:
        return None
    parts = []
    if legs:
        parts.append(f"numbness or tingling in both legs ({_dates(sorted(legs))})")
    if saddle:
        parts.append(f"symptoms in the saddle area ({_dates(sorted(saddle))})")
    summary = (
        f"Your diary records {' and '.join(parts)}. With back pain, these can be signs of "
        "cauda equina syndrome, which needs emergency care (NHS)."
    )
    action = (
        "If you have any of these now, or new trouble passing urine or controlling your "
        "bladder or bowels, call the emergency number or go to the emergency department "
        "now. Otherwise take the symptom check-up and mention these entries to your doctor."
    )
    return _alert("red_flag", summary, action, sorted(legs | saddle), None)


def _dates(days: Sequence[date], most: int = 3) -> str:
    if len(days) <= most:
        return ", ".join(day_text(d) for d in days)
    return f"on {len(days)} days, the latest {day_text(days[-1])}"


def _episodes(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of consecutive True values."""
    idx = np.flatnonzero(flags)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]


def _merged(spells: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Spells less than ``gap`` days apart joined into one episode."""
    out: list[tuple[int, int]] = []
    for first, last in spells:
        if out and first - out[-1][1] <= gap:
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out


def _window_min(values: FloatArray, back_from: int, back_to: int) -> tuple[FloatArray, IntArray]:
    """For each day: the smallest value from ``back_to`` to ``back_from`` days earlier, and
    the index of the day it came from (-1 where there is none)."""
    width = back_to - back_from + 1
    n = values.size
    padded = np.concatenate((np.full(back_to, np.nan), values))
    view = np.lib.stride_tricks.sliding_window_view(padded, width)[:n]
    filled = np.where(np.isnan(view), np.inf, view)
    pos = np.argmin(filled, axis=1)
    low = filled[np.arange(n), pos]
    where = np.arange(n) - back_to + pos
    ok = np.isfinite(low)
    return np.where(ok, low, np.nan), np.where(ok, where, -1).astype(np.int64)


def _worsening(a: AlertInput) -> Finding | None:
    avg = rolling_mean(a.daily.worst, 7, 4)
    earlier, source = _window_min(avg, *WORSENING_WINDOW)
    rise = avg - earlier
    flags = np.zeros(a.tl.length, dtype=bool)
    with np.errstate(invalid="ignore"):
        flags[a.start : a.stop] = rise[a.start : a.stop] >= MEANINGFUL_CHANGE
    spells = _merged(_episodes(flags), EPISODE_GAP_DAYS)
    if not spells:
        return None
    first, last = spells[-1]
    peak = first + int(np.nanargmax(rise[first : last + 1]))
    frm = int(source[peak])
    weeks = round((peak - frm) / 7)
    summary = (
        f"Your pain worsened: the 7-day average of your daily worst rose from "
        f"{earlier[peak]:.1f} ({day_text(a.tl.day(frm))}) to {avg[peak]:.1f} "
        f"({day_text(a.tl.day(peak))}), {rise[peak]:.1f} points in about {weeks} weeks "
        "(2 points is a meaningful change; Ostelo 2008)."
    )
    if len(spells) > 1:
        summary += f" This is the latest of {len(spells)} such episodes in the period."
    action = (
        "Ease your training back (shorter, flatter, easier runs) and book a physiotherapist "
        "or GP if it keeps rising. If you also have new leg, numbness or bladder or bowel "
        "symptoms, take the symptom check-up now."
    )
    days = [a.tl.day(i) for i in np.flatnonzero(flags).tolist()]
    return _alert("pain_worsening", summary, action, days, float(rise[peak]))


def _persisting(a: AlertInput) -> Finding | None:
    worst = a.daily.worst
    n = worst.size
    run_days = np.unique(a.runs.day[(a.runs.day >= a.start) & (a.runs.day < a.stop)])
    run_days = run_days[run_days + PERSISTING_DAYS < a.stop]
    if run_days.size == 0:
        return None
    padded = np.concatenate((np.full(BASELINE_DAYS, np.nan), worst))
    view = np.lib.stride_tricks.sliding_window_view(padded, BASELINE_DAYS)[:n]
    before = view[run_days]  # the 14 days before each run day
    enough = (~np.isnan(before)).sum(axis=1) >= BASELINE_MIN_DAYS
    baseline = np.full(run_days.size, np.nan)
    if enough.any():
        baseline[enough] = np.nanmedian(before[enough], axis=1)
    after = np.stack([worst[run_days + k] for k in range(1, PERSISTING_DAYS + 1)], axis=1)
    with np.errstate(invalid="ignore"):
        raised = (after >= (baseline + MEANINGFUL_CHANGE)[:, None]).all(axis=1)
    hits = run_days[raised & enough]
    if hits.size == 0:
        return None
    latest = int(hits[-1])
    base = float(baseline[raised & enough][-1])
    summary = (
        f"After your run on {day_text(a.tl.day(latest))} your pain stayed at least 2 points "
        f"above your usual level ({base:g}/10) for more than 72 hours."
    )
    if hits.size > 1:
        summary += f" This happened after {hits.size} runs in the period."
    action = (
        "In the pain-monitoring model physiotherapists use for running, the next-morning "
        "response matters most: make your next runs shorter and easier until pain settles "
        "by the next day, and see a physiotherapist if it keeps lasting days."
    )
    days = [a.tl.day(int(d)) for d in hits]
    return _alert("pain_persisting", summary, action, days, None)


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
    return _alert("pain_during_runs", summary, action, days, None)


def _load_spike(a: AlertInput) -> Finding | None:
    ratio = a.load.acwr
    with np.errstate(invalid="ignore"):
        high = ratio >= HIGH_RATIO
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
        spells = len(_episodes(high))
        parts.append(
            f"your load ratio reached {HIGH_RATIO:g} or more on {int(high.sum())} days "
            f"({spells} spell{'s' if spells > 1 else ''}, latest {day_text(a.tl.day(peak))}: "
            f"{ratio[peak]:.2f}; Gabbett 2016 calls 1.5 or more high)"
        )
    if long_runs.any():
        last = int(np.flatnonzero(long_runs)[-1])
        count = int(long_runs.sum())
        parts.append(
            f"{count} run{'s were' if count > 1 else ' was'} more than 30 % longer than your "
            f"longest of the previous 30 days (latest {day_text(a.tl.day(int(a.runs.day[last])))}: "
            f"{a.runs.km[last]:.1f} km after {a.runs.longest_before[last]:.1f} km; "
            "Garmin-RUNSAFE 2025 linked such runs to more overuse injuries)"
        )
    summary = "Load spike: " + "; ".join(parts) + "."
    action = (
        "Build up more gradually and keep single runs close to your longest of the last "
        "30 days. The load ratio is context, not a prediction (Impellizzeri 2021)."
    )
    days = sorted(
        {a.tl.day(int(i)) for i in np.flatnonzero(high)}
        | {a.tl.day(int(d)) for d in a.runs.day[long_runs]}
    )
    return _alert("load_spike", summary, action, days, None)


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
    weeks = weekly.distance_km.size
    if weeks and np.nansum(a.runs.km[in_period]) > 0:
        recent = weekly.distance_km[-4:]
        hours = weekly.time_h[-4:]
        text = (
            f"You ran {recent.mean():.1f} km a week ({hours.mean():.1f} h) over the last "
            f"{recent.size} week{'s' if recent.size > 1 else ''} of the period"
        )
        if weeks >= 8:
            text += f", against {weekly.distance_km[-8:-4].mean():.1f} km in the 4 weeks before"
        out.append(_context("weekly_distance", float(recent.mean()), text + "."))
    ratios = a.runs.longest_ratio[in_period]
    has = np.flatnonzero(~np.isnan(ratios))
    if has.size:
        j = int(in_period[has[-1]])
        r = float(a.runs.longest_ratio[j])
        band, hazard = runsafe_band(r)
        change = (r - 1.0) * 100.0
        shorter = "shorter" if change < 0 else "longer"
        text = (
            f"Your latest run ({a.runs.km[j]:.1f} km on {day_text(a.tl.day(int(a.runs.day[j])))}) "
            f"was {abs(change):.0f} % {shorter} than your longest of the previous 30 days "
            f"({a.runs.longest_before[j]:.1f} km)"
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
