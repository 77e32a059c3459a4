"""A run of consecutive days that every series is indexed by (index 0 = ``first``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
IntArray: TypeAlias = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Timeline:
    first: date
    length: int

    def index(self, day: date) -> int:
        return (day - self.first).days

    def day(self, i: int) -> date:
        return self.first + timedelta(days=int(i))

    def days(self, start: int = 0, stop: int | None = None) -> tuple[date, ...]:
        stop = self.length if stop is None else stop
        return tuple(self.first + timedelta(days=i) for i in range(start, stop))

    def nan(self) -> FloatArray:
        return np.full(self.length, np.nan)


def rolling_mean(values: FloatArray, window: int, min_count: int) -> FloatArray:
    """Mean of the last ``window`` days ending on each day, ignoring missing days;
    NaN where fewer than ``min_count`` days have a value."""
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)
    sums = np.cumsum(np.concatenate(([0.0], filled)))
    counts = np.cumsum(np.concatenate(([0], present.astype(np.int64))))
    lo = np.maximum(np.arange(values.size) + 1 - window, 0)
    hi = np.arange(values.size) + 1
    n = counts[hi] - counts[lo]
    total = sums[hi] - sums[lo]
    out: FloatArray = np.where(n >= min_count, total / np.maximum(n, 1), np.nan)
    return out


def rolling_count(flags: BoolArray, window: int) -> IntArray:
    """How many of the last ``window`` days (ending on each day) are flagged."""
    counts = np.cumsum(np.concatenate(([0], flags.astype(np.int64))))
    lo = np.maximum(np.arange(flags.size) + 1 - window, 0)
    out: IntArray = counts[np.arange(flags.size) + 1] - counts[lo]
    return out


def rolling_max_before(values: FloatArray, window: int) -> FloatArray:
    """Largest value over the ``window`` days before each day (the day itself excluded);
    NaN where none of those days has a value."""
    padded = np.concatenate((np.full(window, np.nan), values))
    view = np.lib.stride_tricks.sliding_window_view(padded, window)[: values.size]
    out = np.full(values.size, np.nan)
    has = ~np.isnan(view).all(axis=1)
    if has.any():
        out[has] = np.nanmax(view[has], axis=1)
    return out
