"""GPX 1.0 and 1.1 tracks (gpxpy), with Garmin's TrackPointExtension heart rate and cadence.

One GPX file is one activity: all its tracks and segments are joined in time order
(watches and apps export one activity per file; extra tracks or segments are pauses or
lost signal). Distance comes from the positions (haversine).

Cadence: Garmin's TrackPointExtension `cad` is documented as revolutions per minute, and
Garmin Connect and Strava write one foot's count for runs (e.g. 85); a few apps write
steps per minute. `per_foot_to_steps` tells them apart by size (see there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import gpxpy
import gpxpy.gpx

from backstride.core.track import Column, Track
from backstride.importers._build import (
    OTHER,
    RUN,
    UNKNOWN,
    UNRECOGNISED,
    build_run,
    count_of,
    local_time,
    named_sport,
    per_foot_to_steps,
    plausible,
    sport_kind,
    utc,
    with_offset,
)
from backstride.importers._xml import count_elements, local_name, number, xml_text
from backstride.importers.errors import ImportFileError
from backstride.importers.reading import FileReading

_HR_TAGS = frozenset({"hr", "heartrate", "heart_rate"})
_CAD_TAGS = frozenset({"cad", "cadence", "runcadence"})
# Prefixes some exporters use without declaring them (ClueTrust's `gpxdata:` above all),
# which makes the file invalid XML; declared on <gpx> they read as intended.
_KNOWN_PREFIXES = {
    "gpxdata": "http://www.cluetrust.com/XML/GPXDATA/1/0",
    "gpxtpx": "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
    "gpxx": "http://www.garmin.com/xmlschemas/GpxExtensions/v3",
}
_GPX_TAG = re.compile(r"<gpx(?=[\s>/])")


def _extension_values(extensions: Iterable[Any]) -> tuple[float | None, float | None]:
    hr: float | None = None
    cad: float | None = None
    for ext in extensions:
        for el in ext.iter():
            name = local_name(el.tag).lower()
            if name in _HR_TAGS:
                hr = number(el.text)
            elif name in _CAD_TAGS:
                cad = number(el.text)
    return hr, cad


def _declared(text: str) -> str | None:
    """`text` with the known prefixes it uses but does not declare declared on <gpx>,
    or None when there are none to add."""
    missing = [
        f' xmlns:{prefix}="{uri}"'
        for prefix, uri in _KNOWN_PREFIXES.items()
        if f"<{prefix}:" in text and f"xmlns:{prefix}=" not in text
    ]
    if not missing:
        return None
    return _GPX_TAG.sub(lambda m: m.group(0) + "".join(missing), text, count=1)


def _parse(text: str) -> gpxpy.gpx.GPX:
    try:
        return gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        tolerant = _declared(text)
        if tolerant is not None:
            return _parse(tolerant)
        raise ImportFileError(
            f"it is not valid XML ({exc.__cause__ or exc}), so it is damaged or cut short; "
            "export the activity again"
        ) from exc
    except gpxpy.gpx.GPXException as exc:
        raise ImportFileError(
            f"it is not a valid GPX file ({exc}); export the activity again"
        ) from exc
    except Exception as exc:
        # gpxpy raises assorted errors on malformed values (numbers, dates); to the
        # runner they all mean the file is damaged.
        raise ImportFileError(
            f"its GPX content is damaged and cannot be read ({type(exc).__name__}); "
            "export the activity again"
        ) from exc


def read_gpx(data: bytes, path: Path, file_hash: str) -> FileReading:
    """Read a GPX file's recorded track as one run. Raises ImportFileError when unusable."""
    text = xml_text(data, "GPX")
    # gpxpy builds an object per point: count them before it does.
    count_elements(text, ("trkpt", "rtept", "wpt"), "point")
    gpx = _parse(text)
    reading = FileReading(path)
    warnings = reading.warnings
    points = [p for trk in gpx.tracks for seg in trk.segments for p in seg.points]
    if not points:
        if any(route.points for route in gpx.routes):
            reading.skipped.append("a planned route (no recorded times), not a recorded activity")
            return reading
        if gpx.waypoints:
            reading.skipped.append("it holds only waypoints, not a recorded track")
            return reading
        raise ImportFileError(
            "it holds no track points, so there is no run in it; "
            "export the activity from the watch or app as a GPX track"
        )
    # gpxpy annotates `type` as None; it holds the <type> text when present.
    types: list[Any] = [getattr(trk, "type", None) for trk in gpx.tracks]
    kinds = [t.strip() for t in types if isinstance(t, str) and t.strip()]
    sport = kinds[0] if kinds else None
    kind, label = sport_kind(sport)
    if kind == UNKNOWN:
        # No type: apps name a track after its sport ("Morning Swim", "Evening Ride").
        named = [named_sport(trk.name) for trk in gpx.tracks]
        kind, label = next(((k, words) for k, words in named if k == OTHER), (kind, label))
    if kind == OTHER:
        reading.skipped.append(f"{label}, not a run")
        return reading
    if kind == UNRECOGNISED:
        # GPX types are free text (apps write anything): taken as a run, but said so.
        warnings.append(f"the track type '{sport}' is not one we know; it was imported as a run")
    unnamed = kind != RUN

    moments: list[datetime] = []
    timed: list[Any] = []
    breaks: set[int] = set()
    zoneless = False
    first_offset: timedelta | None = None
    for segment in (seg for trk in gpx.tracks for seg in trk.segments):
        # The first timed point of every segment after the first starts a new piece.
        new_piece = bool(timed)
        for p in segment.points:
            stamp = p.time
            if stamp is None:
                continue
            if stamp.tzinfo is None:
                zoneless = True
                stamp = stamp.replace(tzinfo=UTC)
            moment = utc(stamp)
            if moment is None:
                continue  # past the calendar's ends: not a time
            if first_offset is None:
                first_offset = stamp.utcoffset()
            if new_piece:
                breaks.add(len(timed))
                new_piece = False
            moments.append(moment)
            timed.append(p)
    if not timed:
        raise ImportFileError(
            "its track points have no times (no timestamps), so duration and pace cannot be "
            "known; export the activity again with times (a route drawn on a map is not a run)"
        )
    if 2 * len(timed) < len(points):
        raise ImportFileError(
            f"only {len(timed)} of its {len(points)} track points have a time, so the run "
            "cannot be timed; export the activity again with times"
        )
    if len(timed) < len(points):
        warnings.append(
            f"left out {count_of(len(points) - len(timed), 'track point')} without a time"
        )
    if zoneless:
        warnings.append("its times carry no time zone; they were read as UTC, as GPX prescribes")

    t0 = moments[0]
    lat: Column = []
    lon: Column = []
    ele: Column = []
    hr: Column = []
    cad: Column = []
    for p in timed:
        lat.append(p.latitude)
        lon.append(p.longitude)
        ele.append(p.elevation)
        if p.extensions:
            h, c = _extension_values(p.extensions)
        else:
            h = c = None
        hr.append(h)
        cad.append(c)
    track = Track(
        time_s=[(m - t0).total_seconds() for m in moments],
        lat_deg=lat,
        lon_deg=lon,
        elevation_m=ele if any(v is not None for v in ele) else None,
        heart_rate=hr if any(v is not None for v in hr) else None,
        cadence_spm=per_foot_to_steps(cad) if any(v is not None for v in cad) else None,
        breaks=frozenset(breaks),
    )
    start_utc = plausible(t0)
    offset = first_offset
    # An explicit non-zero offset is the recorder's own zone; "Z" says nothing about it.
    start = with_offset(start_utc, int(offset.total_seconds())) if offset else local_time(start_utc)
    run, reason = build_run(
        track,
        start,
        source=path.name,
        source_hash=file_hash,
        warnings=warnings,
        unnamed_sport=unnamed,
    )
    if run is None:
        reading.skipped.append(str(reason))
    else:
        reading.runs.append(run)
    return reading
