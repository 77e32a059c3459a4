"""The pain each exposure is compared on: allowing for slow drifts and the back's state before.

Two confounders a physiotherapist names first (issue 12): a trend or season that pain and
a factor share (natural recovery while hill runs become more common; a worse back and more
sitting in winter), and reverse causation (runners in pain run less, shorter, flatter and
slower, and pain persists from day to day). Simulated runners (tests/sim, figures in
tests/bench/bench_patterns.py) chose the answer to each:

- every outcome is taken against the runner's **local level**, the median of the same
  outcome over the ``LEVEL_DAYS`` days centred on it, so a shared slow drift cancels;
- outcomes of training (run factors and the load ratio) are also taken against **the
  back's state before the run**: the baseline is the local-level deviation of that day's
  pain on waking, which the runner logs before running. The outcome is the next morning's
  (or that evening's) deviation minus ``beta`` times the baseline. A least-squares
  ``beta`` under-corrects, because one entry measures the back's state with error, and
  the remainder lets pain that drove training show as a pattern; ``beta`` is therefore the
  instrumental-variable slope, the previous day's morning and evening readings standing in
  for the state (their noise is independent of that morning's). Days without that
  morning's reading are left out: the pre-run state is then unknown.
  Before, the baseline also averaged in the previous evening and morning (with readings
  two to four days back as the instrument). A state that moves from day to day (AR 0.95
  in the simulated reverse-causation runners) is then measured partly a day late, and
  training chosen by how the back felt that day still leaked through: on 300 such runners
  over 365 days, 11 % of pace and 10 % of long-run tests reached p < 0.05, against 3 % and
  6 % with that morning alone (5 % expected). Its cost in power, 40 steady runners over
  120 days with a planted 2-point effect: none on the seeds it was chosen on (descent
  35/40, warm-up 40/40 either way); on fresh seeds descent 34/40 against 36/40 without
  any adjustment (the bench prints it). The demo year's long-run effect (about ten such
  runs a year) is found in 49 of 60 years, against 56 with the averaged baseline. Sparse
  loggers lose the run days without a morning entry.
- Habit factors (core work, sleep, sitting, weight) are states that already act on the
  baseline, so they are compared against the local level only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backstride.core.analysis.daily import DailyPain
from backstride.core.analysis.timeline import FloatArray

LEVEL_DAYS = 57  # 8 weeks centred on the day (28 either side)
LEVEL_MIN_DAYS = 14  # fewer diary days in the window: no level, the day is left out
LEVEL_CHUNK = 512
# (0 = morning or 1 = later, days back): the readings of the back's state before the run,
# then the readings standing in for that state (the instrument; their noise is independent).
BASELINE_READINGS: tuple[tuple[int, int], ...] = ((0, 0),)  # that day's pain on waking
INSTRUMENT_READINGS: tuple[tuple[int, int], ...] = ((0, 1), (1, 1))  # the day before


@dataclass(frozen=True, slots=True, eq=False)
class Outcome:
    """One lag's outcome over the period, in pain points (NaN where it cannot be formed)."""

    lag: str
    adjusted: FloatArray  # against the local level and that morning's pain (training)
    detrended: FloatArray  # against the local level only (habits)


def local_level(values: FloatArray, window: int, min_count: int) -> FloatArray:
    """Median of ``values`` over the ``window`` days centred on each day, missing days
    ignored; NaN where fewer than ``min_count`` days have a value."""
    n = values.size
    half = window // 2
    padded = np.concatenate((np.full(half, np.nan), values, np.full(half, np.nan)))
    view = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    out = np.full(n, np.nan)
    # A few hundred days at a time: the median copies its windows, 20 years x 57 days.
    for first in range(0, n, LEVEL_CHUNK):
        rows = view[first : first + LEVEL_CHUNK]
        enough = (~np.isnan(rows)).sum(axis=1) >= min_count
        if enough.any():
            out[first : first + LEVEL_CHUNK][enough] = np.nanmedian(rows[enough], axis=1)
    return out


def build_outcomes(daily: DailyPain, start: int, stop: int) -> dict[str, Outcome]:
    """Next-morning pain and pain later the same day, for timeline days start..stop-1."""
    morning = daily.morning - local_level(daily.morning, LEVEL_DAYS, LEVEL_MIN_DAYS)
    later = daily.later - local_level(daily.later, LEVEL_DAYS, LEVEL_MIN_DAYS)
    next_morning = np.full(morning.size, np.nan)
    next_morning[:-1] = morning[1:]
    # (series, days back): the baseline, then the instrument for it.
    base = _mean_of(morning, later, BASELINE_READINGS)[start:stop]
    instrument = _mean_of(morning, later, INSTRUMENT_READINGS)[start:stop]
    out = {}
    for lag, y in (("next morning", next_morning[start:stop]), ("same evening", later[start:stop])):
        beta = _slope(y, base, instrument)
        out[lag] = Outcome(lag, y - beta * base, y)
    return out


def _mean_of(
    morning: FloatArray, later: FloatArray, readings: tuple[tuple[int, int], ...]
) -> FloatArray:
    """Each day's mean of the readings given as (0 = morning or 1 = later, days back),
    missing ones left out; NaN where none is logged."""
    n = morning.size
    stack = np.full((len(readings), n), np.nan)
    for row, (which, back) in enumerate(readings):
        series = later if which else morning
        stack[row, back:] = series[: n - back]
    count = (~np.isnan(stack)).sum(axis=0)
    out: FloatArray = np.nansum(stack, axis=0) / np.maximum(count, 1)
    out[count == 0] = np.nan
    return out


def _slope(y: FloatArray, x: FloatArray, z: FloatArray) -> float:
    """Instrumental-variable slope of y on x with instrument z (all deviations from their
    local levels), kept between 0 and 1: a baseline never counts for more than itself."""
    ok = ~np.isnan(y) & ~np.isnan(x) & ~np.isnan(z)
    denominator = float(np.sum(x[ok] * z[ok]))
    if denominator <= 0:
        return 0.0
    return float(np.clip(np.sum(y[ok] * z[ok]) / denominator, 0.0, 1.0))
