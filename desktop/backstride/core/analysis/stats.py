"""Group comparisons with a block-permutation test, intervals and Benjamini-Hochberg q.

One person's diary is a time series: pain today resembles pain yesterday, and exposures
come in spells. Shuffling single days would make chance patterns look significant, so the
null distribution is built by cutting the outcome series into blocks at least as long as
its autocorrelation, shuffling the blocks and rotating the result by a random offset
(clinical.md section 5: block or circular-shift permutations preserve autocorrelation).
The exposure series is never touched, so its spells are preserved too.

All sums are of integer pain scores and 0/1 indicators, exact in float32, so the matrix
products give the same result on any BLAS and the test is deterministic for a given seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backstride.core.analysis.timeline import BoolArray, FloatArray

MIN_BLOCK = 7  # at least a week, so weekly training rhythms stay inside blocks
ACF_NEGLIGIBLE = 0.1
MIN_BLOCKS = 6  # a block is at most a sixth of the series, leaving 6! x shifts to draw
BLOCK_FACTOR = 2  # blocks twice the decorrelation lag: the tail of slow pain swings matters
INTERVAL = 0.90


def block_length(y: FloatArray) -> int:
    """Twice the smallest lag at which the series' autocorrelation falls below 0.1, kept
    between a week and a sixth of the series (so there are always 6 blocks to shuffle).

    Checked on simulated runners without any planted effect (tests/unit): shorter blocks
    let slowly changing exposures (core-work spells, shoe distance) look significant
    too often; these blocks keep the family-wise false-positive rate near 3 %."""
    n = y.size
    longest = max(MIN_BLOCK, n // MIN_BLOCKS)
    present = ~np.isnan(y)
    if present.sum() < 3:
        return MIN_BLOCK
    centred = np.where(present, y - np.nanmean(y), 0.0)
    size = 1 << int(2 * n - 1).bit_length()
    f = np.fft.rfft(centred, size)
    g = np.fft.rfft(present.astype(np.float64), size)
    cov = np.fft.irfft(f * np.conj(f), size)[: longest + 1]
    pairs = np.rint(np.fft.irfft(g * np.conj(g), size)[: longest + 1])
    if cov[0] <= 0:
        return MIN_BLOCK  # a constant series has no autocorrelation to keep
    with np.errstate(divide="ignore", invalid="ignore"):
        acf = (cov / pairs) / (cov[0] / pairs[0])
    low = np.nonzero((acf[1:] < ACF_NEGLIGIBLE) | (pairs[1:] < 10))[0]
    lag = int(low[0]) + 1 if low.size else longest
    return int(min(max(BLOCK_FACTOR * lag, MIN_BLOCK), longest))


def permuted(
    series: list[npt.NDArray[np.float32]],
    block: int,
    permutations: int,
    rng: np.random.Generator,
) -> list[npt.NDArray[np.float32]]:
    """Each series (padded with zeros to whole blocks) rotated by a random offset below one
    block, cut into blocks and the blocks put in random order; the same rotation and order
    for every series. Returns one (permutations, n) array per series.

    Rotating by whole blocks only reorders blocks, so offsets below a block give every
    circular shift; pre-cutting each offset lets one gather build all permutations.
    """
    n = series[0].size
    k = -(-n // block)
    padded = k * block
    order = np.argsort(rng.random((permutations, k)), axis=1)
    shift = rng.integers(0, block, size=permutations)
    out = []
    for values in series:
        full = np.concatenate((values, np.zeros(padded - n, dtype=np.float32)))
        twice = np.concatenate((full, full))
        windows = np.lib.stride_tricks.sliding_window_view(twice, padded)[:block]
        rotations = windows.reshape(block, k, block)  # [r] = full rotated left by r
        out.append(rotations[shift[:, None], order].reshape(permutations, padded)[:, :n])
    return out


@dataclass(frozen=True, slots=True)
class Comparison:
    effect: float  # mean outcome when exposed minus when unexposed
    low: float
    high: float
    p: float
    n_exposed: int
    n_unexposed: int


def compare(
    y: FloatArray,
    exposed: list[BoolArray],
    unexposed: list[BoolArray],
    permutations: int,
    rng: np.random.Generator,
) -> list[Comparison]:
    """Compare the outcome ``y`` on exposed vs unexposed days for each exposure at once."""
    n = y.size
    k = len(exposed)
    if k == 0:
        return []
    x = np.empty((n, 2 * k), dtype=np.float32)
    for j, (e1, e0) in enumerate(zip(exposed, unexposed, strict=True)):
        x[:, j] = e1
        x[:, k + j] = e0
    present = ~np.isnan(y)
    y0 = np.where(present, y, 0.0).astype(np.float32)
    sums = y0 @ x
    counts = present.astype(np.float32) @ x
    observed = _difference(sums, counts, k)

    # The padding to whole blocks is missing days (value 0, mask 0).
    yp, mp = permuted([y0, present.astype(np.float32)], block_length(y), permutations, rng)
    both = np.concatenate((yp, mp)) @ x  # (2B, 2k)
    null = _difference(both[:permutations], both[permutations:], k)  # (B, k)

    out: list[Comparison] = []
    tail = (1.0 - INTERVAL) / 2.0
    for j in range(k):
        column = null[:, j]
        valid = column[~np.isnan(column)]
        effect = float(observed[j])
        if valid.size == 0 or np.isnan(effect):
            out.append(Comparison(effect, np.nan, np.nan, 1.0, int(counts[j]), int(counts[k + j])))
            continue
        beyond = int(np.count_nonzero(np.abs(valid) >= abs(effect) - 1e-9))
        p = (1 + beyond) / (1 + valid.size)
        # Inverting the test under a shift model: the interval holds the shifts the
        # permutation distribution would not reject at the 10 % level.
        lo_q, hi_q = np.quantile(valid, [1.0 - tail, tail])
        out.append(
            Comparison(
                effect=effect,
                low=effect - float(lo_q),
                high=effect - float(hi_q),
                p=float(p),
                n_exposed=int(counts[j]),
                n_unexposed=int(counts[k + j]),
            )
        )
    return out


def _difference(
    sums: npt.NDArray[np.float32], counts: npt.NDArray[np.float32], k: int
) -> FloatArray:
    s = sums.astype(np.float64)
    c = counts.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = s[..., :k] / c[..., :k] - s[..., k:] / c[..., k:]
    return out


def benjamini_hochberg(p: list[float]) -> list[float]:
    """Benjamini-Hochberg q-values (false discovery rate), in the order given."""
    m = len(p)
    if m == 0:
        return []
    arr = np.asarray(p, dtype=np.float64)
    order = np.argsort(arr, kind="stable")
    ranked = arr[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return [float(v) for v in q]
