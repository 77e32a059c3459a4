"""A run's metrics computed from its recorded samples. Pure functions, no I/O.

Samples arrive as a `Track`: parallel columns (one list per quantity, `None` where a
sample lacks that quantity), so a run of thousands of samples costs a few passes over
lists instead of an object per sample. Importers build the Track; `measure` turns it
into the numbers stored on a `Run`.

Definitions (each threshold is a plain engineering choice, not a clinical one):
- distance: the device's own odometer when the file carries it (footpod or GPS with the
  watch's filtering), else great-circle (haversine) distance between fixes.
- moving time: the recorded time less the stops, a stop being `STOP_MIN_S` or more in a
  row below `MOVING_SPEED_MPS` (standing at a crossing, a paused watch whose odometer
  stands still); the gap between recording segments is excluded too. Slow running and
  steep climbing stay in.
- ascent/descent: elevation cleaned of spikes (median filter), smoothed (moving average)
  and then counted between turning points with hysteresis: a top or bottom counts only
  once the height has come back from it by a threshold above the track's own noise, so
  GPS jitter on the flat adds no climbing; GPS heights (GPX, TCX) are smoothed longer
  and need a larger change than a watch's altimeter (`GPS_SMOOTH_WINDOW_S`).
- steepest sustained descent: the steepest drop over any `DESCENT_WINDOW_M` of distance,
  as a positive percentage grade (0 when no such stretch goes down).
- fastest km: the shortest elapsed time over any 1000 m of the run.
- pace surges: the run is cut into consecutive `SURGE_SPAN_S` spans; a moving span whose
  speed is at least `SURGE_FACTOR` times the median span speed counts as one surge.
- averages (heart rate, cadence, running dynamics): time-weighted over moving intervals,
  ignoring samples that read 0 (sensor not reading).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from backstride.core import limits
from backstride.core.models import ProfilePoint

Column = list[float | None]

# Stopped = hardly any progress for several seconds in a row: slower than
# MOVING_SPEED_MPS (1.3 km/h, an odometer's creep while standing) for at least
# STOP_MIN_S. A fixed speed alone (0.8 m/s before) cut steep climbs, whose steps dip
# below any walking pace for a second or two, down to a third of the watch's time.
MOVING_SPEED_MPS = 0.35
STOP_MIN_S = 5.0
# Median half-window: removes altitude spikes and steps lasting a few seconds (a
# barometer settling at the start, a bad GPS fix).
SPIKE_WINDOW_S = 7.0
# Moving-average half-window applied after the median.
SMOOTH_WINDOW_S = 5.0
# Hysteresis for ascent/descent: at least this many metres, and at least
# NOISE_FACTOR times the track's own elevation noise (so noisy GPS heights need bigger
# changes to count than a barometer's).
MIN_CLIMB_M = 1.0
# Heights of unknown source (GPX, TCX: mostly GPS) wander by metres over tens of
# seconds, which the short windows above keep and the hysteresis then counts: on a flat
# run that invented 40 m of descent where the watch measured 7 m. They are averaged
# over a longer window and need a larger change to count.
GPS_SMOOTH_WINDOW_S = 15.0
GPS_MIN_CLIMB_M = 5.0
NOISE_FACTOR = 3.0
DESCENT_WINDOW_M = 200.0
FASTEST_DISTANCE_M = 1000.0
SURGE_SPAN_S = 30.0
SURGE_FACTOR = 1.15
# A span counts as moving when at least this share of it was moving.
SURGE_MOVING_SHARE = 0.9
PROFILE_STEP_S = 10.0
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


@dataclass(slots=True)
class Track:
    """Samples of one activity as parallel columns, in recording order.

    `time_s` is seconds since the first sample. A column is `None` when the file has no
    such quantity at all; otherwise it has one entry per sample (`None` where missing).
    Cadence is in steps per minute (both feet), vertical oscillation in cm, stance time
    in ms, step length in m, vertical ratio in %.
    """

    time_s: list[float]
    lat_deg: Column | None = None
    lon_deg: Column | None = None
    distance_m: Column | None = None
    elevation_m: Column | None = None
    heart_rate: Column | None = None
    cadence_spm: Column | None = None
    vertical_oscillation_cm: Column | None = None
    stance_time_ms: Column | None = None
    step_length_m: Column | None = None
    vertical_ratio_pct: Column | None = None
    # Indices of samples that start a new recording segment (GPX trkseg): the distance
    # and time from the previous sample are a break, not running.
    breaks: frozenset[int] = frozenset()
    # Heights from the device's own altimeter (a FIT file's, barometric on most
    # watches), not GPS heights of unknown source: see GPS_SMOOTH_WINDOW_S.
    barometric: bool = False

    def __post_init__(self) -> None:
        n = len(self.time_s)
        for name, column in self._columns():
            if column is not None and len(column) != n:
                raise ValueError(f"column {name} has {len(column)} samples, time has {n}")

    def _columns(self) -> list[tuple[str, Column | None]]:
        return [
            ("lat_deg", self.lat_deg),
            ("lon_deg", self.lon_deg),
            ("distance_m", self.distance_m),
            ("elevation_m", self.elevation_m),
            ("heart_rate", self.heart_rate),
            ("cadence_spm", self.cadence_spm),
            ("vertical_oscillation_cm", self.vertical_oscillation_cm),
            ("stance_time_ms", self.stance_time_ms),
            ("step_length_m", self.step_length_m),
            ("vertical_ratio_pct", self.vertical_ratio_pct),
        ]

    def __len__(self) -> int:
        return len(self.time_s)


@dataclass(frozen=True, slots=True)
class TrackMetrics:
    distance_m: float | None
    elapsed_time_s: float
    moving_time_s: float
    ascent_m: float | None
    descent_m: float | None
    max_descent_grade_pct: float | None
    fastest_km_s: float | None
    pace_surges: int | None
    avg_hr: float | None
    cadence_spm: float | None
    vertical_oscillation_cm: float | None
    stance_time_ms: float | None
    step_length_m: float | None
    vertical_ratio_pct: float | None
    median_speed_mps: float | None  # of moving spans; lets importers spot rides and drives
    profile: tuple[ProfilePoint, ...]


def in_time_order(track: Track) -> tuple[Track, int]:
    """The track without samples whose time does not advance, and how many of those
    went back in time.

    Watches repeat a timestamp at lap and pause markers (harmless, dropped silently);
    a time that jumps back (clock fixes, merged recordings) cannot be placed on the
    run's timeline either, and is worth telling the runner about.
    """
    times = track.time_s
    keep: list[int] = []
    last = -math.inf
    backwards = 0
    for i, t in enumerate(times):
        if t > last:
            keep.append(i)
            last = t
        elif t < last:
            backwards += 1
    if len(keep) == len(times):
        return track, 0

    def pick(column: Column | None) -> Column | None:
        return None if column is None else [column[i] for i in keep]

    # A kept sample starts a segment when a break fell on it or on a dropped sample
    # since the previous kept one.
    breaks: set[int] = set()
    for new, (before, old) in enumerate(zip([-1, *keep], keep, strict=False)):
        if new and any(b in track.breaks for b in range(before + 1, old + 1)):
            breaks.add(new)

    first = times[keep[0]] if keep else 0.0
    return (
        Track(
            time_s=[times[i] - first for i in keep],
            lat_deg=pick(track.lat_deg),
            lon_deg=pick(track.lon_deg),
            distance_m=pick(track.distance_m),
            elevation_m=pick(track.elevation_m),
            heart_rate=pick(track.heart_rate),
            cadence_spm=pick(track.cadence_spm),
            vertical_oscillation_cm=pick(track.vertical_oscillation_cm),
            stance_time_ms=pick(track.stance_time_ms),
            step_length_m=pick(track.step_length_m),
            vertical_ratio_pct=pick(track.vertical_ratio_pct),
            breaks=frozenset(breaks),
            barometric=track.barometric,
        ),
        backwards,
    )


# How a column's readings are named in the runner's messages.
_READINGS = {
    "lat_deg": "latitude",
    "lon_deg": "longitude",
    "distance_m": "distance",
    "elevation_m": "elevation",
    "heart_rate": "heart rate",
    "cadence_spm": "cadence",
    "vertical_oscillation_cm": "vertical oscillation",
    "stance_time_ms": "stance time",
    "step_length_m": "step length",
    "vertical_ratio_pct": "vertical ratio",
}


def within_limits(track: Track) -> tuple[Track, list[str]]:
    """The track with every reading outside its physical range (`limits.SAMPLE`, or not
    a finite number) made unknown, and a sentence for each column that had any.

    A broken sensor or a damaged file must not decide a run's figures, and an infinite
    reading must never reach the averages.
    """
    notes: list[str] = []
    kept: dict[str, Column | None] = {}
    for name, column in track._columns():
        if column is None:
            kept[name] = None
            continue
        limit = limits.SAMPLE[name]
        present = [v for v in column if v is not None]
        if _all_within(present, limit):
            kept[name] = column if present else None
            continue
        holds = limit.holds
        clean: Column = [v if v is None or holds(v) else None for v in column]
        bad = sum(1 for v, c in zip(column, clean, strict=True) if v is not None and c is None)
        if bad:
            notes.append(
                f"left out {bad} {_READINGS[name]} reading(s) outside {limit.text()} "
                "(a sensor fault or a damaged file)"
            )
        kept[name] = clean if any(v is not None for v in clean) else None
    if not notes:
        return track, []
    return Track(
        time_s=track.time_s, breaks=track.breaks, barometric=track.barometric, **kept
    ), notes


def _all_within(values: list[float], limit: limits.Limit) -> bool:
    """True when every value is a finite number in `limit` (False may still hold: the
    caller then checks one by one). A few C-level passes instead of a call per value."""
    if not values:
        return True
    try:
        total = sum(values)
        return math.isfinite(total) and min(values) >= limit.low and max(values) <= limit.high
    except (TypeError, OverflowError):
        return False


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def cumulative_distance(track: Track) -> list[float] | None:
    """Distance from the start at each sample, or None when the track has neither an
    odometer nor at least two positions."""
    odometer = track.distance_m
    if odometer is not None and sum(v is not None for v in odometer) * 2 >= len(odometer):
        return _odometer(odometer)
    if track.lat_deg is None or track.lon_deg is None:
        return None
    return _gps_distance(track.lat_deg, track.lon_deg, track.breaks)


def _odometer(values: Column) -> list[float] | None:
    first = next((v for v in values if v is not None), None)
    if first is None:
        return None
    out: list[float] = []
    best = first
    for v in values:
        # Carry the last reading over gaps; never let the odometer run backwards.
        if v is not None and v > best:
            best = v
        out.append(best - first)
    return out


def _gps_distance(lats: Column, lons: Column, breaks: frozenset[int]) -> list[float] | None:
    radians = math.radians
    sin = math.sin
    cos = math.cos
    asin = math.asin
    sqrt = math.sqrt
    out: list[float] = []
    total = 0.0
    prev_p: float | None = None
    prev_l = 0.0
    prev_cos = 0.0
    fixes = 0
    for i, (lat, lon) in enumerate(zip(lats, lons, strict=True)):
        if i in breaks:
            prev_p = None
        if lat is not None and lon is not None:
            p = radians(lat)
            lam = radians(lon)
            c = cos(p)
            if prev_p is not None:
                a = sin((p - prev_p) / 2) ** 2 + prev_cos * c * sin((lam - prev_l) / 2) ** 2
                total += 2 * EARTH_RADIUS_M * asin(sqrt(a if a < 1.0 else 1.0))
            prev_p, prev_l, prev_cos = p, lam, c
            fixes += 1
        out.append(total)
    return out if fixes >= 2 else None


def moving_intervals(
    times: Sequence[float], dist: Sequence[float] | None, breaks: frozenset[int] = frozenset()
) -> list[bool]:
    """For each interval between consecutive samples: was the runner moving?

    A stretch of slow intervals (below MOVING_SPEED_MPS) is a stop when it lasts
    STOP_MIN_S or more; a shorter one is a slow step on the way. Without any distance,
    every interval within a segment counts as moving.
    """
    flags: list[bool] = []
    slow_from: int | None = None  # first interval of the current slow stretch

    def close(end: int) -> None:
        if slow_from is not None and times[end] - times[slow_from] >= STOP_MIN_S:
            flags[slow_from:end] = [False] * (end - slow_from)

    for i in range(len(times) - 1):
        dt = times[i + 1] - times[i]
        if dt <= 0 or (i + 1) in breaks:
            close(i)
            slow_from = None
            flags.append(False)
            continue
        slow = dist is not None and dist[i + 1] - dist[i] < MOVING_SPEED_MPS * dt
        if slow and slow_from is None:
            slow_from = i
        elif not slow:
            close(i)
            slow_from = None
        flags.append(True)
    close(len(times) - 1)
    return flags


def _filled(times: Sequence[float], values: Column) -> list[float] | None:
    """Values with gaps filled by linear interpolation in time (held flat at the ends)."""
    known = [i for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return None
    out: list[float] = [0.0] * len(values)
    first = known[0]
    v0 = values[first]
    assert v0 is not None
    for i in range(first + 1):
        out[i] = v0
    for a, b in pairwise(known):
        va = values[a]
        vb = values[b]
        assert va is not None and vb is not None
        out[b] = vb
        if b - a > 1:
            ta = times[a]
            span = times[b] - ta
            for i in range(a + 1, b):
                out[i] = va + (vb - va) * (times[i] - ta) / span
    last = known[-1]
    v_last = out[last]
    for i in range(last + 1, len(values)):
        out[i] = v_last
    return out


def _windows(times: Sequence[float], half_s: float, min_side: int) -> list[tuple[int, int]]:
    """For each sample, the index range [lo, hi] within +-half_s seconds, widened to at
    least `min_side` samples each side so sparse tracks are still filtered."""
    n = len(times)
    out: list[tuple[int, int]] = []
    lo = 0
    hi = 0
    for i in range(n):
        t = times[i]
        while times[lo] < t - half_s:
            lo += 1
        if hi < i:
            hi = i
        while hi + 1 < n and times[hi + 1] <= t + half_s:
            hi += 1
        # Conditionals, not min()/max(): this runs for every sample, twice per run.
        first = lo if lo < i - min_side else i - min_side
        last = hi if hi > i + min_side else i + min_side
        out.append((first if first > 0 else 0, last if last < n - 1 else n - 1))
    return out


def smooth_elevation(
    times: Sequence[float], elevation: Column, window_s: float = SMOOTH_WINDOW_S
) -> list[float] | None:
    """Elevation with spikes removed (running median) then smoothed (moving average of
    half-window `window_s`)."""
    filled = _filled(times, elevation)
    if filled is None:
        return None
    medians = [
        sorted(filled[lo : hi + 1])[(hi - lo) // 2] for lo, hi in _windows(times, SPIKE_WINDOW_S, 2)
    ]
    prefix = [0.0]
    running = 0.0
    for v in medians:
        running += v
        prefix.append(running)
    last = len(medians) - 1
    out: list[float] = []
    for i, (lo, hi) in enumerate(_windows(times, window_s, 1)):
        if lo == 0 or hi == last:
            # Cut short by an end: kept centred, so a climb to the finish is not flattened.
            side = min(i - lo, hi - i)
            lo, hi = i - side, i + side
        out.append((prefix[hi + 1] - prefix[lo]) / (hi + 1 - lo))
    return out


def climb_threshold(raw: Column, smoothed: Sequence[float], floor_m: float = MIN_CLIMB_M) -> float:
    """The hysteresis for ascent/descent: the floor, or NOISE_FACTOR x the track's noise
    (median distance of the raw heights from the smoothed line) when that is larger."""
    gaps = sorted(abs(r - s) for r, s in zip(raw, smoothed, strict=True) if r is not None)
    noise = gaps[len(gaps) // 2] if gaps else 0.0
    return max(floor_m, NOISE_FACTOR * noise)


def ascent_descent(elevation: Sequence[float], threshold: float) -> tuple[float, float]:
    """Metres climbed and descended between turning points: a top or a bottom counts
    once the height has come back from it by more than `threshold`, and then the whole
    climb or drop to it counts (a wobble smaller than `threshold` counts nothing, and a
    real hill loses nothing to the hysteresis)."""
    if not elevation:
        return 0.0, 0.0
    up = 0.0
    down = 0.0
    ref = elevation[0]  # the last turning point
    extreme = ref  # the highest (rising) or lowest (falling) height since
    rising: bool | None = None
    for v in elevation:
        if rising is None:
            if abs(v - ref) >= threshold:
                rising, extreme = v > ref, v
        elif rising:
            if v > extreme:
                extreme = v
            elif extreme - v >= threshold:
                up += extreme - ref
                ref, extreme, rising = extreme, v, False
        elif v < extreme:
            extreme = v
        elif v - extreme >= threshold:
            down += ref - extreme
            ref, extreme, rising = extreme, v, True
    if rising:
        up += extreme - ref
    elif rising is False:
        down += ref - extreme
    return up, down


def steepest_descent_pct(
    dist: Sequence[float], elevation: Sequence[float], window_m: float = DESCENT_WINDOW_M
) -> float | None:
    """The steepest drop over any `window_m` of distance, in % grade (positive = downhill).

    None when the run is shorter than the window; 0.0 when no such stretch goes down.
    """
    n = len(dist)
    if n < 2 or dist[-1] - dist[0] < window_m:
        return None
    steepest = 0.0
    j = 0
    for i in range(n):
        target = dist[i] + window_m
        if target > dist[-1]:
            break
        if j < i:
            j = i
        while dist[j] < target:
            j += 1
        # Interpolate the height exactly window_m further on.
        d0 = dist[j - 1] if j > i else dist[i]
        e0 = elevation[j - 1] if j > i else elevation[i]
        span = dist[j] - d0
        e_at = e0 if span <= 0 else e0 + (elevation[j] - e0) * (target - d0) / span
        drop = (elevation[i] - e_at) / window_m
        if drop > steepest:
            steepest = drop
    return steepest * 100.0


def fastest_distance_s(
    times: Sequence[float], dist: Sequence[float], distance_m: float = FASTEST_DISTANCE_M
) -> float | None:
    """The shortest elapsed time over any `distance_m` of the run (None if shorter)."""
    n = len(dist)
    if n < 2 or dist[-1] - dist[0] < distance_m:
        return None
    best = math.inf
    j = 0
    for i in range(n):
        target = dist[i] + distance_m
        if target > dist[-1]:
            break
        if j < i:
            j = i
        while dist[j] < target:
            j += 1
        d0 = dist[j - 1] if j > i else dist[i]
        t0 = times[j - 1] if j > i else times[i]
        span = dist[j] - d0
        t_at = t0 if span <= 0 else t0 + (times[j] - t0) * (target - d0) / span
        if t_at - times[i] < best:
            best = t_at - times[i]
    return best


def _interpolate_at(
    times: Sequence[float], values: Sequence[float], queries: Sequence[float]
) -> list[float]:
    """Values linearly interpolated at increasing query times (clamped at the ends)."""
    out: list[float] = []
    n = len(times)
    j = 0
    for q in queries:
        while j + 1 < n and times[j + 1] < q:
            j += 1
        if q <= times[0]:
            out.append(values[0])
        elif j + 1 >= n:
            out.append(values[-1])
        else:
            t0 = times[j]
            span = times[j + 1] - t0
            frac = (q - t0) / span if span > 0 else 0.0
            out.append(values[j] + (values[j + 1] - values[j]) * frac)
    return out


def _cumulative_moving(times: Sequence[float], moving: Sequence[bool]) -> list[float]:
    out = [0.0]
    total = 0.0
    for i, flag in enumerate(moving):
        if flag:
            total += times[i + 1] - times[i]
        out.append(total)
    return out


def _span_speeds(
    times: Sequence[float], dist: Sequence[float], cum_moving: Sequence[float], span_s: float
) -> list[float]:
    """Speeds of consecutive spans of `span_s` seconds that were (almost) all moving."""
    count = int(times[-1] // span_s)
    if count < 1:
        return []
    bounds = [k * span_s for k in range(count + 1)]
    d = _interpolate_at(times, dist, bounds)
    m = _interpolate_at(times, cum_moving, bounds)
    return [
        (d[k + 1] - d[k]) / span_s
        for k in range(count)
        if m[k + 1] - m[k] >= SURGE_MOVING_SHARE * span_s
    ]


def pace_surges(speeds: Sequence[float]) -> int | None:
    """How many spans ran at least SURGE_FACTOR times the median span speed."""
    if not speeds:
        return None
    threshold = SURGE_FACTOR * median(speeds)
    return sum(1 for v in speeds if v >= threshold)


def moving_mean(
    times: Sequence[float], values: Column | None, moving: Sequence[bool]
) -> float | None:
    """Time-weighted mean of positive readings over moving intervals.

    Each interval is represented by the sample that closes it (devices report the value
    for the period just ended).
    """
    if values is None:
        return None
    weighted = 0.0
    weight = 0.0
    for i, flag in enumerate(moving):
        if flag:
            v = values[i + 1]
            if v is not None and v > 0:
                dt = times[i + 1] - times[i]
                weighted += v * dt
                weight += dt
    return weighted / weight if weight > 0 else None


def _bucket_means(
    times: Sequence[float], values: Column | None, buckets: int
) -> list[float | None]:
    """Mean of positive readings per PROFILE_STEP_S bucket (bucket k ends at k x step)."""
    if values is None:
        return [None] * buckets
    sums = [0.0] * buckets
    counts = [0] * buckets
    step = PROFILE_STEP_S
    for t, v in zip(times, values, strict=True):
        if v is not None and v > 0:
            k = min(buckets - 1, math.ceil(t / step))
            sums[k] += v
            counts[k] += 1
    return [sums[k] / counts[k] if counts[k] else None for k in range(buckets)]


def profile(
    times: Sequence[float],
    dist: Sequence[float] | None,
    elevation: Sequence[float] | None,
    cum_moving: Sequence[float],
    cadence: Column | None,
    heart_rate: Column | None,
) -> tuple[ProfilePoint, ...]:
    """The run every PROFILE_STEP_S seconds, for charts (not every raw sample)."""
    end = times[-1]
    steps = int(end // PROFILE_STEP_S)
    queries = [k * PROFILE_STEP_S for k in range(steps + 1)]
    if queries[-1] < end:
        queries.append(end)
    buckets = len(queries)
    d = _interpolate_at(times, dist, queries) if dist is not None else None
    e = _interpolate_at(times, elevation, queries) if elevation is not None else None
    m = _interpolate_at(times, cum_moving, queries)
    cad = _bucket_means(times, cadence, buckets)
    hr = _bucket_means(times, heart_rate, buckets)
    points: list[ProfilePoint] = []
    for k, q in enumerate(queries):
        pace: float | None = None
        if d is not None and k > 0:
            dt = q - queries[k - 1]
            moved = d[k] - d[k - 1]
            # Pace only while moving for most of the step; standing has no pace.
            if dt > 0 and m[k] - m[k - 1] >= 0.5 * dt and moved >= MOVING_SPEED_MPS * dt:
                pace = 1000.0 * dt / moved
        points.append(
            ProfilePoint(
                elapsed_s=q,
                distance_m=d[k] if d is not None else 0.0,
                elevation_m=e[k] if e is not None else None,
                pace_s_per_km=pace,
                cadence_spm=cad[k],
                heart_rate=hr[k],
            )
        )
    return tuple(points)


def descent_per_km(descent_m: float | None, distance_m: float | None) -> float | None:
    """Metres of descent per kilometre run (None when either is unknown or no distance)."""
    if descent_m is None or not distance_m:
        return None
    return descent_m / (distance_m / 1000.0)


def measure(track: Track) -> TrackMetrics:
    """All metrics of one run. The track must be in time order (see `in_time_order`)
    and hold at least one sample."""
    if not track.time_s:
        raise ValueError("a track needs at least one sample")
    t0 = track.time_s[0]
    times = track.time_s if t0 == 0 else [t - t0 for t in track.time_s]
    dist = cumulative_distance(track)
    moving = moving_intervals(times, dist, track.breaks)
    cum_moving = _cumulative_moving(times, moving)

    ascent: float | None = None
    descent: float | None = None
    grade: float | None = None
    smoothed: list[float] | None = None
    if track.elevation_m is not None:
        window, floor = (
            (SMOOTH_WINDOW_S, MIN_CLIMB_M)
            if track.barometric
            else (GPS_SMOOTH_WINDOW_S, GPS_MIN_CLIMB_M)
        )
        smoothed = smooth_elevation(times, track.elevation_m, window)
        if smoothed is not None:
            threshold = climb_threshold(track.elevation_m, smoothed, floor)
            ascent, descent = ascent_descent(smoothed, threshold)
            if dist is not None:
                grade = steepest_descent_pct(dist, smoothed)

    speeds = _span_speeds(times, dist, cum_moving, SURGE_SPAN_S) if dist is not None else []
    return TrackMetrics(
        distance_m=dist[-1] if dist is not None else None,
        elapsed_time_s=times[-1],
        moving_time_s=cum_moving[-1],
        ascent_m=ascent,
        descent_m=descent,
        max_descent_grade_pct=grade,
        fastest_km_s=fastest_distance_s(times, dist) if dist is not None else None,
        pace_surges=pace_surges(speeds) if dist is not None else None,
        avg_hr=moving_mean(times, track.heart_rate, moving),
        cadence_spm=moving_mean(times, track.cadence_spm, moving),
        vertical_oscillation_cm=moving_mean(times, track.vertical_oscillation_cm, moving),
        stance_time_ms=moving_mean(times, track.stance_time_ms, moving),
        step_length_m=moving_mean(times, track.step_length_m, moving),
        vertical_ratio_pct=moving_mean(times, track.vertical_ratio_pct, moving),
        median_speed_mps=median(speeds) if speeds else None,
        profile=profile(times, dist, smoothed, cum_moving, track.cadence_spm, track.heart_rate),
    )
