"""Shared steps of every format: samples -> metrics -> Run, sport words, time zones."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from backstride.core import limits
from backstride.core.models import ProfilePoint, Run
from backstride.core.text import printable_name
from backstride.core.track import Track, TrackMetrics, in_time_order, measure, within_limits
from backstride.importers.errors import ImportFileError

# A whole run whose median speed is above this is not a run: 6.5 m/s (2:34 min/km)
# is faster than the marathon world record pace (about 5.9 m/s). Only used when the
# file does not say which sport it is.
MAX_RUN_SPEED_MPS = 6.5

# Words in a sport or track type that mean "not running".
_OTHER_SPORTS = (
    ("cycl", "a ride (cycling)"),
    ("bik", "a ride (cycling)"),
    ("ride", "a ride (cycling)"),
    ("walk", "a walk"),
    ("hik", "a hike"),
    ("swim", "a swim"),
    ("ski", "a ski outing"),
    ("paddl", "a paddling outing"),
    ("row", "a rowing outing"),
    ("kayak", "a paddling outing"),
    ("canoe", "a paddling outing"),
    ("skat", "a skating outing"),
    ("driv", "a drive"),
    ("motor", "a motor vehicle trip"),
    ("transition", "a transition between sports"),
)


RUN = "run"
OTHER = "other"  # a sport we recognise as not running
UNKNOWN = "unknown"  # no sport given, or a generic one
UNRECOGNISED = "unrecognised"  # a sport word we do not know

_UNNAMED = frozenset({"", "generic", "other", "all", "none", "unknown"})
# Strava writes its activity type as a number in GPX <type> (its export's own codes).
_STRAVA_TYPES = {
    "1": "ride",
    "4": "hike",
    "9": "run",
    "10": "walk",
    "16": "swim",
}


def sport_kind(sport: object) -> tuple[str, str]:
    """Whether a file's sport word means running.

    Returns (RUN, ""), (OTHER, words for it such as "a walk"), (UNKNOWN, "") when the
    word is missing or generic, or (UNRECOGNISED, "a 'yoga' activity") otherwise.
    """
    if not isinstance(sport, str) or sport.strip().lower() in _UNNAMED:
        return UNKNOWN, ""
    word = sport.strip().lower().replace("_", " ")
    word = _STRAVA_TYPES.get(word, word)
    if "run" in word or "jog" in word:
        return RUN, ""
    for stem, label in _OTHER_SPORTS:
        if stem in word:
            return OTHER, label
    return UNRECOGNISED, f"a '{sport.strip()}' activity"


def named_sport(name: object) -> tuple[str, str]:
    """`sport_kind` of a free-text name ("Morning Swim"), judged by its words' starts, so
    "Brown Bridge loop" is no rowing outing; UNKNOWN when no word names a sport."""
    if not isinstance(name, str):
        return UNKNOWN, ""
    for word in re.findall(r"[a-z]+", name.lower()):
        if word.startswith(("run", "jog")):
            return RUN, ""
        for stem, label in _OTHER_SPORTS:
            if word.startswith(stem):
                return OTHER, label
    return UNKNOWN, ""


def too_fast_reason(metrics: TrackMetrics) -> str | None:
    """Why a track of unnamed sport is not a run, judged by its speed (None if it may be)."""
    speeds = [metrics.median_speed_mps or 0.0]
    if metrics.distance_m is not None and metrics.moving_time_s > 0:
        speeds.append(metrics.distance_m / metrics.moving_time_s)
    speed = max(speeds)
    if speed <= MAX_RUN_SPEED_MPS:
        return None
    return (
        f"it moves at a typical {speed * 3.6:.0f} km/h, faster than anyone runs, "
        "so it looks like a ride or a drive, not a run"
    )


def count_of(count: int, noun: str) -> str:
    """ "1 sample" / "3 samples"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# Less than either is a watch started by mistake or a fragment of a split recording, not a
# run: a file covering under 200 m or lasting under 2 minutes is skipped, saying so. A run
# of unknown distance (a treadmill without a foot pod) is judged by its time alone.
MIN_RUN_M = 200.0
MIN_RUN_S = 120.0


def fragment_reason(distance_m: float | None, elapsed_s: float | None) -> str | None:
    """Why a recording is too short to be a run (None when it is long enough)."""
    short_time = elapsed_s is not None and elapsed_s < MIN_RUN_S
    short_way = distance_m is not None and 0 < distance_m < MIN_RUN_M
    if not (short_time or short_way):
        return None
    what = [f"{elapsed_s:.0f} s" if elapsed_s is not None else ""]
    what.append(f"{distance_m:.0f} m" if distance_m else "")
    shown = ", ".join(filter(None, what))
    return (
        f"too short to be a run ({shown}; a run is at least {MIN_RUN_S / 60:.0f} minutes and "
        f"{MIN_RUN_M:.0f} m), so it was left out"
    )


# An imported profile keeps 0.1 of each unit (s, m, s/km, steps/min, beats/min): what
# watches resolve (altitude in 0.2 m, whole beats and strides), not float noise, and
# about half the stored size.
PROFILE_DECIMALS = 1


def plausible(moment: datetime) -> datetime:
    """`moment` unchanged, or ImportFileError when it cannot be a run's time (the day
    limits of every entry path, `core.limits`)."""
    if limits.day_problem("date", moment.date(), date.today(), zone_slack=True) is not None:
        raise ImportFileError(
            f"its time {moment:%Y-%m-%d} is not a plausible date for a run (the device "
            "clock was not set); fix the date in the app you exported from and export again"
        )
    return moment


def utc(moment: datetime) -> datetime | None:
    """An aware time as UTC, or None when it cannot be (a time at the calendar's very
    ends whose offset would take it past year 1 or 9999)."""
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def source_name(name: str) -> str:
    """A file name as stored in a run's `source`: printable (no control characters, no
    undecodable bytes) and within the length every entry path accepts."""
    return printable_name(name)[: limits.SOURCE_CHARS]


def local_time(moment: datetime) -> datetime:
    """An aware time in the runner's zone when the file does not say it.

    Files that store UTC only (GPX, TCX, some FIT) carry no local offset; the computer
    importing them is the best guess of where the runner lives, so its zone decides the
    diary day.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def with_offset(moment_utc: datetime, offset_s: int | None) -> datetime:
    """`moment_utc` shown at the file's own UTC offset, or in the computer's zone."""
    if offset_s is None:
        return local_time(moment_utc)
    return moment_utc.astimezone(timezone(timedelta(seconds=offset_s)))


def run_hash(file_hash: str, number: int, count: int) -> str:
    """The content hash of one run: the file's hash, with the activity's number when a
    file holds several runs (so two runs of one multisport file are not duplicates)."""
    return file_hash if count <= 1 else f"{file_hash}#{number}"


def build_run(
    track: Track,
    start: datetime,
    *,
    source: str,
    source_hash: str,
    warnings: list[str],
    unnamed_sport: bool = False,
    prefix: str = "",
    totals: dict[str, float] | None = None,
) -> tuple[Run | None, str | None]:
    """The Run for one activity's samples, or (None, reason) when it must be skipped.

    `totals` are the device's own figures by Run field (a FIT session's); they replace
    the track's. Raises ImportFileError when the samples cannot make a run. Appends to
    `warnings`.
    """
    track, notes = within_limits(track)
    warnings += [prefix + note for note in notes]
    ordered, dropped = in_time_order(track)
    if len(ordered) < 2:
        if len(track) >= 2:
            raise ImportFileError(
                f"{prefix}all its samples carry the same time, so the run cannot be timed; "
                "export it again with the recorded times"
            )
        raise ImportFileError(
            f"{prefix}it holds only one sample with a time, so there is nothing to measure; "
            "export the whole activity again from the watch or app"
        )
    span = ordered.time_s[-1] - ordered.time_s[0]
    if not limits.RUN["elapsed_time_s"].holds(span):
        # Refused before measuring: the profile holds a point every 10 s of the span.
        raise ImportFileError(
            f"{prefix}its samples span {span / 86400:,.0f} days, longer than any run "
            f"({limits.RUN['elapsed_time_s'].high / 86400:.0f} days at most), so some of "
            "their times are wrong; export the activity again"
        )
    if dropped:
        warnings.append(
            f"{prefix}left out {count_of(dropped, 'sample')} whose time went back "
            "(the device clock was corrected or recordings were merged)"
        )
    metrics = measure(ordered)
    if unnamed_sport:
        reason = too_fast_reason(metrics)
        if reason is not None:
            return None, reason
    figures = {
        "distance_m": metrics.distance_m,
        "moving_time_s": metrics.moving_time_s,
        "ascent_m": metrics.ascent_m,
        "descent_m": metrics.descent_m,
        "cadence_spm": metrics.cadence_spm,
        **(totals or {}),
    }
    fragment = fragment_reason(figures["distance_m"], metrics.elapsed_time_s)
    if fragment is not None:
        return None, fragment
    moving = figures["moving_time_s"]
    if moving is not None:
        # A watch's timer starts a moment before its first sample; elapsed time is the
        # samples' span (the profile's), so the timer is held within it.
        figures["moving_time_s"] = min(moving, metrics.elapsed_time_s)
    positions = ordered.lat_deg
    no_track = positions is None or all(v is None for v in positions)
    if unnamed_sport and not figures["distance_m"] and no_track:
        # Of no stated sport, and without either, nothing says it was a run (a gym or
        # strength session); a run of zeros would only distort the training load. A
        # stated run keeps its times and heart rate, its distance unknown (never 0).
        return None, "it records neither a distance nor a track, so it is not a run we can use"
    if metrics.distance_m is None:
        warnings.append(
            f"{prefix}the file has neither positions nor a distance, "
            "so distance and pace are left empty"
        )
    if figures["ascent_m"] is None:
        warnings.append(
            f"{prefix}the file has no elevation, "
            "so ascent, descent and the steepest downhill are left empty"
        )
    run = Run(
        start=start.replace(microsecond=0),  # whole seconds, as every export writes them
        distance_m=figures["distance_m"],
        moving_time_s=figures["moving_time_s"],
        ascent_m=figures["ascent_m"],
        descent_m=figures["descent_m"],
        avg_hr=metrics.avg_hr,
        cadence_spm=figures["cadence_spm"],
        vertical_oscillation_cm=metrics.vertical_oscillation_cm,
        source=source_name(source),
        source_hash=source_hash,
        elapsed_time_s=metrics.elapsed_time_s,
        max_descent_grade_pct=metrics.max_descent_grade_pct,
        fastest_km_s=metrics.fastest_km_s,
        pace_surges=metrics.pace_surges,
        stance_time_ms=metrics.stance_time_ms,
        step_length_m=metrics.step_length_m,
        vertical_ratio_pct=metrics.vertical_ratio_pct,
        profile=tuple(map(_at_device_precision, metrics.profile)),
    )
    return checked_run(run, warnings, prefix), None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PROFILE_DECIMALS)


def _at_device_precision(point: ProfilePoint) -> ProfilePoint:
    return ProfilePoint(
        elapsed_s=round(point.elapsed_s, PROFILE_DECIMALS),
        distance_m=round(point.distance_m, PROFILE_DECIMALS),
        elevation_m=_rounded(point.elevation_m),
        pace_s_per_km=_rounded(point.pace_s_per_km),
        cadence_spm=_rounded(point.cadence_spm),
        heart_rate=_rounded(point.heart_rate),
    )


# Figures a run may lack: measured as 0 they were not measured at all.
_NEVER_ZERO = ("distance_m", "moving_time_s", "elapsed_time_s")
_FIGURES = {
    "distance_m": "distance",
    "moving_time_s": "moving time",
    "elapsed_time_s": "elapsed time",
    "ascent_m": "ascent",
    "descent_m": "descent",
    "avg_hr": "average heart rate",
    "cadence_spm": "average cadence",
    "vertical_oscillation_cm": "vertical oscillation",
    "stance_time_ms": "stance time",
    "step_length_m": "step length",
    "vertical_ratio_pct": "vertical ratio",
    "max_descent_grade_pct": "steepest descent",
    "fastest_km_s": "fastest km",
    "pace_surges": "pace surges",
}


def _amount(value: float) -> str:
    return f"{value:,.0f}" if abs(value) < 1e12 else f"{value:.2g}"


def checked_run(run: Run, warnings: list[str], prefix: str = "") -> Run:
    """`run` within the limits every entry path shares (`core.limits`).

    A figure outside its range, or 0 where 0 means "not measured", becomes unknown with a
    warning naming it, and the run still imports; a distance or an average speed no
    runner can cover refuses the run (ImportFileError), since its track is wrong.
    """
    distance, moving = run.distance_m, run.moving_time_s
    if distance is not None and not limits.RUN["distance_m"].holds(distance):
        raise ImportFileError(
            f"{prefix}it covers {_amount(distance / 1000)} km, more than any run "
            f"({limits.RUN['distance_m'].high / 1000:,.0f} km at most), so its positions or "
            "distances are wrong; it was not imported"
        )
    if distance and moving and not limits.SPEED_MPS.holds(distance / moving):
        raise ImportFileError(
            f"{prefix}it moves at an average {_amount(distance / moving * 3.6)} km/h, faster "
            f"than anyone runs (at most {limits.SPEED_MPS.high * 3.6:.0f} km/h), so its times "
            "or positions are wrong; it was not imported"
        )
    unknown: dict[str, Any] = {}
    for name, words in _FIGURES.items():
        value = getattr(run, name)
        if value is None:
            continue
        if value == 0 and name in _NEVER_ZERO:
            unknown[name] = None
            warnings.append(f"{prefix}its {words} could not be measured, so it is left empty")
        elif not limits.RUN[name].holds(value):
            unknown[name] = None
            warnings.append(
                f"{prefix}its {words} ({_amount(value)}) is outside the possible "
                f"{limits.RUN[name].text()}, so it is left empty"
            )
    return dataclasses.replace(run, **unknown) if unknown else run


def per_foot_to_steps(values: list[float | None]) -> list[float | None]:
    """Running cadence in steps/min from a column that may count one foot.

    Garmin's FIT always counts strides (one foot); GPX `cad` and TCX `RunCadence` follow
    that convention in Garmin's and Strava's exports, but some apps write steps/min.
    Runners take 140-200 steps/min, i.e. 70-100 strides/min, so a median reading below
    120 means one foot: double it.
    """
    positive = sorted(v for v in values if v is not None and v > 0)
    if positive and positive[len(positive) // 2] < 120:
        return [None if v is None else v * 2.0 for v in values]
    return values
