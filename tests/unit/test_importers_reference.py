"""Imported figures against computations made independently here.

The references are the watch's own session totals (read with fitdecode's default
reader, not through our code), the TCX file's own odometer, and distances recomputed
in this file with a different formula (the spherical law of cosines on raw XML).
Tolerances: distance 1 %, descent 10 %, cadence in steps/min 3 %.
"""

from __future__ import annotations

import functools
import itertools
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fitdecode
import pytest

from backstride.core.models import Run
from backstride.importers import read_activity

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass
class Session:
    sport: str
    start: Any  # datetime, or seconds since power-on for watches without a clock
    end: Any
    total_distance: float
    total_descent: float | None
    avg_running_cadence: float | None
    record_cadences: list[float]


@functools.cache
def sessions_of(path: Path) -> list[Session]:
    """The watch's own session summaries, and each session's raw record cadences."""
    records: list[tuple[Any, float | None, float | None]] = []
    found: list[dict[str, object]] = []
    with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.RAISE) as fit:
        for frame in fit:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            values = {f.name: f.value for f in frame.fields}
            if frame.name == "record" and values.get("timestamp") is not None:
                records.append((values["timestamp"], values.get("cadence"), values.get("speed")))
            elif frame.name == "session":
                found.append(values)
    out = []
    for s in found:
        start, end = s["start_time"], s["timestamp"]
        # As watches average cadence: every reading of the session but the zeros.
        cadences = [float(c) for t, c, _ in records if start <= t <= end and c]
        out.append(
            Session(
                sport=str(s["sport"]),
                start=start,
                end=end,
                total_distance=float(s["total_distance"]),  # type: ignore[arg-type]
                total_descent=s.get("total_descent"),  # type: ignore[arg-type]
                avg_running_cadence=s.get("avg_running_cadence"),  # type: ignore[arg-type]
                record_cadences=cadences,
            )
        )
    return out


def run_for(runs: list[Run], session: Session) -> Run:
    matches = [r for r in runs if abs((r.start - session.start).total_seconds()) < 120]
    assert len(matches) == 1
    return matches[0]


@pytest.mark.parametrize(
    "name",
    [
        "fit/activity-small-fenix2-run.fit",
        "fit/2013-02-06-12-11-14.fit",
        "fit/activity-large-fenxi2-multisport.fit",
        "fit/developer-types-sample.fit",
        "fit/compressed-speed-distance.fit",
    ],
)
def test_fit_runs_against_the_watchs_own_totals(name: str) -> None:
    path = DATA / name
    runs = read_activity(path).runs
    running = [s for s in sessions_of(path) if s.sport == "running"]
    assert len(running) == len(runs) >= 1
    for session in running:
        run = run_for(runs, session) if len(runs) > 1 else runs[0]
        assert run.distance_m == pytest.approx(session.total_distance, rel=0.01)
        if session.total_descent and session.total_descent >= 20:
            assert run.descent_m == pytest.approx(session.total_descent, rel=0.10)
        if session.avg_running_cadence:
            # The watch's average counts one foot (strides/min); ours is steps/min.
            assert run.cadence_spm == pytest.approx(2 * session.avg_running_cadence, rel=0.03)
        elif session.record_cadences:
            mean = sum(session.record_cadences) / len(session.record_cadences)
            assert run.cadence_spm == pytest.approx(2 * mean, rel=0.03)


def test_the_checks_above_cover_descent_and_cadence_on_at_least_three_runs() -> None:
    with_descent = with_cadence = 0
    for name in (
        "fit/activity-small-fenix2-run.fit",
        "fit/2013-02-06-12-11-14.fit",
        "fit/activity-large-fenxi2-multisport.fit",
        "fit/developer-types-sample.fit",
        "fit/compressed-speed-distance.fit",
    ):
        for s in sessions_of(DATA / name):
            if s.sport == "running":
                with_descent += bool(s.total_descent and s.total_descent >= 20)
                with_cadence += bool(s.avg_running_cadence or s.record_cadences)
    assert with_descent >= 3 and with_cadence >= 3


def law_of_cosines_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(
        math.radians(lon2 - lon1)
    )
    return 6_371_008.8 * math.acos(max(-1.0, min(1.0, c)))


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def test_gpx_distance_against_the_law_of_cosines_per_segment() -> None:
    path = DATA / "gpx/cerknicko-jezero.gpx"
    root = ET.parse(path).getroot()
    total = 0.0
    for segment in (el for el in root.iter() if local(el.tag) == "trkseg"):
        points = [
            (float(p.get("lat", "nan")), float(p.get("lon", "nan")))
            for p in segment
            if local(p.tag) == "trkpt"
        ]
        for (a_lat, a_lon), (b_lat, b_lon) in itertools.pairwise(points):
            total += law_of_cosines_m(a_lat, a_lon, b_lat, b_lon)
    (run,) = read_activity(path).runs
    assert run.distance_m == pytest.approx(total, rel=0.01)


def test_tcx_distance_against_its_own_odometer_and_positions() -> None:
    path = DATA / "tcx/tcxparser-test.tcx"
    root = ET.parse(path).getroot()
    odometer = [
        float(el.text or "nan")
        for point in root.iter()
        if local(point.tag) == "Trackpoint"
        for el in point
        if local(el.tag) == "DistanceMeters"
    ]
    positions = []
    for point in (el for el in root.iter() if local(el.tag) == "Trackpoint"):
        lat = lon = None
        for el in point.iter():
            if local(el.tag) == "LatitudeDegrees":
                lat = float(el.text or "nan")
            elif local(el.tag) == "LongitudeDegrees":
                lon = float(el.text or "nan")
        if lat is not None and lon is not None:
            positions.append((lat, lon))
    by_positions = sum(law_of_cosines_m(*a, *b) for a, b in itertools.pairwise(positions))
    (run,) = read_activity(path).runs
    assert run.distance_m == pytest.approx(odometer[-1] - odometer[0], rel=0.01)
    assert run.distance_m == pytest.approx(by_positions, rel=0.03)  # GPS vs the watch's own
