"""Metrics from samples (core/track.py) on synthetic tracks with known answers."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from backstride.core.track import (
    MOVING_SPEED_MPS,
    PROFILE_STEP_S,
    Track,
    cumulative_distance,
    descent_per_km,
    haversine_m,
    in_time_order,
    measure,
)

METRES_PER_DEGREE_LAT = math.pi / 180 * 6_371_008.8


def straight(
    speeds: list[float],
    *,
    elevation: list[float] | None = None,
    hr: list[float | None] | None = None,
    cadence: list[float | None] | None = None,
) -> Track:
    """A 1 Hz track along a line; speeds[i] is the speed over second i -> i+1."""
    dist = [0.0]
    for v in speeds:
        dist.append(dist[-1] + v)
    n = len(dist)
    return Track(
        time_s=[float(i) for i in range(n)],
        distance_m=list(dist),
        elevation_m=list(elevation) if elevation is not None else None,
        heart_rate=hr,
        cadence_spm=cadence,
    )


def test_haversine_matches_a_degree_of_latitude() -> None:
    assert haversine_m(45.0, 7.0, 46.0, 7.0) == pytest.approx(METRES_PER_DEGREE_LAT, rel=1e-9)
    # Along the equator a degree of longitude is the same length.
    assert haversine_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(METRES_PER_DEGREE_LAT, rel=1e-9)


def test_distance_prefers_the_odometer_and_carries_it_over_gaps() -> None:
    track = Track(
        time_s=[0.0, 1.0, 2.0, 3.0],
        lat_deg=[45.0, 45.001, 45.002, 45.003],
        lon_deg=[7.0, 7.0, 7.0, 7.0],
        distance_m=[100.0, None, 104.0, 103.0],  # a missing reading and one going back
    )
    assert cumulative_distance(track) == [0.0, 0.0, 4.0, 4.0]


def test_distance_from_positions_skips_segment_breaks() -> None:
    lat = [45.0, 45.001, 46.0, 46.001]
    track = Track(
        time_s=[0.0, 10.0, 20.0, 30.0],
        lat_deg=list(lat),
        lon_deg=[7.0] * 4,
        breaks=frozenset({2}),
    )
    dist = cumulative_distance(track)
    assert dist is not None
    one_step = 0.001 * METRES_PER_DEGREE_LAT
    assert dist[-1] == pytest.approx(2 * one_step, rel=1e-6)
    metrics = measure(track)
    assert metrics.moving_time_s == pytest.approx(20.0)  # the jump between segments is no run


def test_moving_time_leaves_out_standing_still() -> None:
    speeds = [3.0] * 600 + [0.0] * 120 + [3.0] * 600
    metrics = measure(straight(speeds))
    assert metrics.elapsed_time_s == 1320
    assert metrics.moving_time_s == 1200
    assert metrics.distance_m == pytest.approx(3600.0)


def test_slow_walk_counts_as_moving_but_standing_drift_does_not() -> None:
    speeds = [MOVING_SPEED_MPS + 0.2] * 100 + [0.3] * 100
    assert measure(straight(speeds)).moving_time_s == 100


def test_gps_noise_on_the_flat_adds_almost_no_climbing() -> None:
    rng = random.Random(7)
    n = 1800
    noisy = [100.0 + rng.gauss(0.0, 3.0) for _ in range(n + 1)]
    raw_up = sum(max(0.0, b - a) for a, b in itertools.pairwise(noisy))
    metrics = measure(straight([3.0] * n, elevation=noisy))
    assert raw_up > 1000  # what summing raw differences would claim
    assert metrics.ascent_m is not None and metrics.ascent_m < 15
    assert metrics.descent_m is not None and metrics.descent_m < 15


def test_a_real_climb_survives_the_smoothing() -> None:
    rng = random.Random(11)
    # 10 min up 60 m, 10 min down 60 m, with 1 m of barometric-like noise.
    profile = [60.0 * i / 600 for i in range(600)] + [60.0 - 60.0 * i / 600 for i in range(601)]
    elevation = [200.0 + h + rng.gauss(0.0, 1.0) for h in profile]
    metrics = measure(straight([3.0] * 1200, elevation=elevation))
    assert metrics.ascent_m == pytest.approx(60.0, rel=0.1)
    assert metrics.descent_m == pytest.approx(60.0, rel=0.1)


def test_an_altitude_spike_is_not_climbing() -> None:
    elevation = [50.0] * 301
    for i in range(1, 4):  # a barometer settling: three samples 90 m off
        elevation[i] = 140.0
    metrics = measure(straight([3.0] * 300, elevation=elevation))
    assert metrics.ascent_m == 0.0
    assert metrics.descent_m == 0.0


def test_missing_elevation_readings_are_bridged() -> None:
    elevation: list[float | None] = [10.0 + 0.1 * i for i in range(601)]
    for i in range(100, 200):
        elevation[i] = None
    track = Track(
        time_s=[float(i) for i in range(601)],
        distance_m=[3.0 * i for i in range(601)],
        elevation_m=elevation,
    )
    metrics = measure(track)
    assert metrics.ascent_m == pytest.approx(60.0, rel=0.05)


def test_steepest_sustained_descent_over_200_m() -> None:
    # 1 km flat, 400 m at -8 % (32 m down), 1 km flat, at 4 m/s.
    speeds = [4.0] * 600
    dist = [4.0 * i for i in range(601)]
    elevation = [
        100.0 if d <= 1000 else 100.0 - 0.08 * min(d - 1000, 400.0) if d <= 1400 else 68.0
        for d in dist
    ]
    metrics = measure(straight(speeds, elevation=elevation))
    assert metrics.max_descent_grade_pct == pytest.approx(8.0, abs=0.5)
    # A short steep drop (10 m over 50 m) is not a sustained descent over 200 m.
    short = [100.0 if d < 1000 else 90.0 if d > 1050 else 100.0 - 0.2 * (d - 1000) for d in dist]
    grade = measure(straight(speeds, elevation=short)).max_descent_grade_pct
    assert grade is not None and grade <= 5.5


def test_steepest_descent_is_zero_uphill_and_unknown_on_short_runs() -> None:
    uphill = [0.05 * 4.0 * i for i in range(301)]
    assert measure(straight([4.0] * 300, elevation=uphill)).max_descent_grade_pct == 0.0
    assert measure(straight([4.0] * 40, elevation=[0.0] * 41)).max_descent_grade_pct is None


def test_fastest_km_is_the_quickest_1000_m_anywhere() -> None:
    # 1 km at 3 m/s, 1 km at 4 m/s (250 s), 1 km at 3 m/s.
    speeds = [3.0] * 334 + [4.0] * 250 + [3.0] * 334
    metrics = measure(straight(speeds))
    assert metrics.fastest_km_s == pytest.approx(250.0, abs=1.0)
    assert measure(straight([3.0] * 300)).fastest_km_s is None


def test_pace_surges_count_fast_30_s_spans() -> None:
    # Steady 3 m/s with three 60-s bursts at 3.6 m/s (20 % faster), aligned on spans.
    speeds: list[float] = []
    for _ in range(3):
        speeds += [3.0] * 300 + [3.6] * 60
    speeds += [3.0] * 300
    assert measure(straight(speeds)).pace_surges == 6
    # 10 % faster is not a surge.
    gentle = [3.0] * 300 + [3.3] * 60 + [3.0] * 300
    assert measure(straight(gentle)).pace_surges == 0


def test_spans_spent_standing_are_neither_median_nor_surge() -> None:
    speeds = [3.0] * 300 + [0.0] * 600 + [3.0] * 300
    assert measure(straight(speeds)).pace_surges == 0


def test_averages_are_time_weighted_over_moving_time_and_ignore_zeros() -> None:
    n = 600
    speeds = [3.0] * 300 + [0.0] * 100 + [3.0] * 200
    hr: list[float | None] = [150.0] * 301 + [100.0] * 100 + [160.0] * 200
    cadence: list[float | None] = [170.0] * (n + 1)
    cadence[50] = 0.0  # a dropped footpod reading
    cadence[51] = None
    metrics = measure(straight(speeds, hr=hr, cadence=cadence))
    # The 100 s standing at 100 bpm do not count.
    assert metrics.avg_hr == pytest.approx((300 * 150 + 200 * 160) / 500)
    assert metrics.cadence_spm == pytest.approx(170.0)


def test_profile_every_ten_seconds_with_no_pace_while_standing() -> None:
    speeds = [3.0] * 100 + [0.0] * 60 + [3.0] * 95
    elevation = [20.0] * 256
    metrics = measure(straight(speeds, elevation=elevation, hr=[140.0] * 256))
    points = metrics.profile
    assert [p.elapsed_s for p in points[:3]] == [0.0, PROFILE_STEP_S, 2 * PROFILE_STEP_S]
    assert points[-1].elapsed_s == 255.0
    assert len(points) == 27
    assert points[5].pace_s_per_km == pytest.approx(1000 / 3.0)
    assert points[13].pace_s_per_km is None  # standing between 100 s and 160 s
    assert points[13].distance_m == pytest.approx(300.0)
    assert all(p.elevation_m == pytest.approx(20.0) for p in points)
    assert all(p.heart_rate == 140.0 for p in points)


def test_samples_out_of_time_order_are_dropped_and_counted() -> None:
    track = Track(
        time_s=[0.0, 1.0, 1.0, 2.0, 1.5, 3.0],
        distance_m=[0.0, 3.0, 3.0, 6.0, 4.0, 9.0],
        breaks=frozenset({4}),
    )
    ordered, backwards = in_time_order(track)
    assert backwards == 1  # the repeated 1.0 is dropped silently
    assert ordered.time_s == [0.0, 1.0, 2.0, 3.0]
    assert ordered.distance_m == [0.0, 3.0, 6.0, 9.0]
    assert ordered.breaks == frozenset({3})  # the break moved to the next kept sample
    assert in_time_order(ordered) == (ordered, 0)


def test_columns_must_match_the_times() -> None:
    with pytest.raises(ValueError, match="heart_rate"):
        Track(time_s=[0.0, 1.0], heart_rate=[120.0])


def test_a_track_that_does_not_start_at_zero_is_rebased() -> None:
    track = straight([3.0] * 100)
    shifted = Track(time_s=[t + 500.0 for t in track.time_s], distance_m=track.distance_m)
    assert measure(shifted).elapsed_time_s == 100.0
    assert measure(shifted).profile[0].elapsed_s == 0.0


def test_without_distance_every_interval_is_moving() -> None:
    track = Track(time_s=[0.0, 1.0, 2.0], heart_rate=[100.0, 110.0, 120.0])
    metrics = measure(track)
    assert metrics.distance_m is None
    assert metrics.moving_time_s == 2.0
    assert metrics.pace_surges is None and metrics.fastest_km_s is None
    assert metrics.avg_hr == pytest.approx(115.0)


def test_descent_per_km() -> None:
    assert descent_per_km(120.0, 8000.0) == pytest.approx(15.0)
    assert descent_per_km(None, 8000.0) is None
    assert descent_per_km(10.0, 0.0) is None
