"""TCX (Garmin Training Center) activities, read with defusedxml after `_xml` checks.

Times are ISO-8601 with a zone ("Z" for UTC in Garmin's and Strava's exports); they are
compared as instants, and the start is shown in the computer's zone unless the file gives
an explicit offset. A time without a zone is read as UTC (the schema's convention).

Cadence: `RunCadence` (ActivityExtension v2) is what Garmin writes for runs, one foot's
count per minute like FIT; the plain `Cadence` element is meant for bike cadence but some
apps put running cadence there. Either way `per_foot_to_steps` decides by size.
Sport="Other" is what Garmin writes for everything but running and cycling (walks,
hikes, paddling, skiing), so it is a stated skip, not a run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import defusedxml
import defusedxml.ElementTree

from backstride.core.track import Column, Track
from backstride.importers._build import (
    OTHER,
    RUN,
    build_run,
    count_of,
    local_time,
    per_foot_to_steps,
    plausible,
    run_hash,
    sport_kind,
    with_offset,
)
from backstride.importers._xml import count_elements, local_name, number, parse_time, xml_text
from backstride.importers.errors import ImportFileError
from backstride.importers.reading import FileReading


def _parse(text: str) -> ET.Element:
    count_elements(text, ("Trackpoint",), "trackpoint")
    try:
        root: ET.Element = defusedxml.ElementTree.fromstring(text, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise ImportFileError(
            "it declares XML entities or a document type, which TCX files never need; "
            "it was refused for safety. Export the activity again from the watch or app"
        ) from exc
    except ET.ParseError as exc:
        raise ImportFileError(
            f"it is not valid XML ({exc}), so it is damaged or cut short; export the activity again"
        ) from exc
    except Exception as exc:
        raise ImportFileError(
            f"its XML cannot be read ({type(exc).__name__}); export the activity again"
        ) from exc
    if local_name(root.tag) != "TrainingCenterDatabase":
        raise ImportFileError(
            f"it is XML but not a TCX file (its root is <{local_name(root.tag)}>); "
            "choose the activity's .tcx, .gpx or .fit file"
        )
    return root


class _Samples:
    """The trackpoints of one activity as columns."""

    def __init__(self) -> None:
        self.moments: list[datetime] = []
        self.lat: Column = []
        self.lon: Column = []
        self.ele: Column = []
        self.dist: Column = []
        self.hr: Column = []
        self.cad: Column = []
        self.run_cad: Column = []
        self.untimed = 0
        self.zoneless = False
        self.offset_s: int | None = None

    def add(self, point: ET.Element) -> None:
        moment: datetime | None = None
        lat = lon = ele = dist = hr = cad = run_cad = None
        for child in point:
            name = local_name(child.tag)
            if name == "Time":
                moment, zoneless = parse_time(child.text)
                if moment is not None and not self.moments:
                    self.zoneless = zoneless
                    offset = moment.utcoffset()
                    self.offset_s = int(offset.total_seconds()) if offset else None
            elif name == "Position":
                for part in child:
                    part_name = local_name(part.tag)
                    if part_name == "LatitudeDegrees":
                        lat = number(part.text)
                    elif part_name == "LongitudeDegrees":
                        lon = number(part.text)
            elif name == "AltitudeMeters":
                ele = number(child.text)
            elif name == "DistanceMeters":
                dist = number(child.text)
            elif name == "HeartRateBpm":
                for part in child:
                    if local_name(part.tag) == "Value":
                        hr = number(part.text)
            elif name == "Cadence":
                cad = number(child.text)
            elif name == "Extensions":
                for part in child.iter():
                    if local_name(part.tag) == "RunCadence":
                        run_cad = number(part.text)
        if moment is None:
            self.untimed += 1
            return
        self.moments.append(moment)
        self.lat.append(lat)
        self.lon.append(lon)
        self.ele.append(ele)
        self.dist.append(dist)
        self.hr.append(hr)
        self.cad.append(cad)
        self.run_cad.append(run_cad)

    def track(self) -> Track:
        t0 = self.moments[0]

        def present(column: Column) -> Column | None:
            return column if any(v is not None for v in column) else None

        cadence = present(self.run_cad) or present(self.cad)
        return Track(
            time_s=[(m - t0).total_seconds() for m in self.moments],
            lat_deg=present(self.lat),
            lon_deg=present(self.lon),
            distance_m=present(self.dist),
            elevation_m=present(self.ele),
            heart_rate=present(self.hr),
            cadence_spm=per_foot_to_steps(cadence) if cadence is not None else None,
        )


def read_tcx(data: bytes, path: Path, file_hash: str) -> FileReading:
    """Read a TCX file's running activities. Raises ImportFileError when unusable."""
    root = _parse(xml_text(data, "TCX"))
    reading = FileReading(path)
    warnings = reading.warnings
    activities = [el for el in root.iter() if local_name(el.tag) == "Activity"]
    if not activities:
        if any(local_name(el.tag) == "Course" for el in root.iter()):
            reading.skipped.append("a TCX course (a planned route), not a recorded activity")
            return reading
        raise ImportFileError(
            "it holds no activity, so there is no run in it; export the activity itself as TCX"
        )
    several = len(activities) > 1
    sports = [act.get("Sport") for act in activities]
    for number_, (activity, sport) in enumerate(zip(activities, sports, strict=True), start=1):
        prefix = f"activity {number_} of {len(activities)}: " if several else ""
        kind, label = sport_kind(sport)
        if kind == OTHER:
            reading.skipped.append(f"{prefix}{label}, not a run")
            continue
        if kind != RUN and sport is not None:
            reading.skipped.append(
                f"{prefix}its sport is recorded as '{sport}', not running (if it was a run, "
                "set its type to running in the app you exported from and export it again)"
            )
            continue
        samples = _Samples()
        for el in activity.iter():
            if local_name(el.tag) == "Trackpoint":
                samples.add(el)
        if not samples.moments:
            raise ImportFileError(
                f"{prefix}its trackpoints have no times (no timestamps), so duration and pace "
                "cannot be known; export the activity again"
            )
        if samples.untimed:
            warnings.append(
                f"{prefix}left out {count_of(samples.untimed, 'trackpoint')} without a time"
            )
        if samples.zoneless:
            warnings.append(f"{prefix}its times carry no time zone; they were read as UTC")
        if kind != RUN:
            warnings.append(
                f"{prefix}the file does not say which sport this is; it was imported as a run"
            )
        start_utc = plausible(samples.moments[0].astimezone(UTC))
        start = (
            with_offset(start_utc, samples.offset_s) if samples.offset_s else local_time(start_utc)
        )
        run, reason = build_run(
            samples.track(),
            start,
            source=path.name,
            source_hash=run_hash(file_hash, number_, len(activities)),
            warnings=warnings,
            unnamed_sport=kind != RUN,
            prefix=prefix,
        )
        if run is None:
            reading.skipped.append(f"{prefix}{reason}")
        else:
            reading.runs.append(run)
    return reading
