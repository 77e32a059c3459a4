"""One synthetic run written as FIT (fit-tool), GPX and TCX reads the same; format details:
Garmin extensions, cadence units, time zones, sports, multi-activity files."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport

from backstride.core.models import Run
from backstride.importers import ImportFileError, read_activity

START = datetime(2024, 3, 10, 7, 30, tzinfo=UTC)
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Sample:
    seconds: int
    lat: float
    lon: float
    ele: float
    hr: int
    strides: int  # cadence of one foot, as watches store it


def synthetic_run() -> list[Sample]:
    """25 minutes every 2 s: warm-up, a hill up and down, a 60-s stop, two fast bursts."""
    samples: list[Sample] = []
    lat, lon = 46.05, 14.50
    heading = math.radians(35)
    for k in range(751):
        t = 2 * k
        if 600 <= t < 660:
            speed = 0.0  # waiting at a crossing
        elif 900 <= t < 960 or 1200 <= t < 1260:
            speed = 3.9  # surges
        else:
            speed = 3.0 + 0.2 * math.sin(t / 97)
        if k:
            step = speed * 2 / EARTH_RADIUS_M
            lat += math.degrees(step * math.cos(heading))
            lon += math.degrees(step * math.sin(heading) / math.cos(math.radians(lat)))
        # 40 m up over minutes 4-9, down again over minutes 11-16 (0.2 m steps, as FIT).
        if t < 240:
            height = 0.0
        elif t < 540:
            height = 40.0 * (t - 240) / 300
        elif t < 660:
            height = 40.0
        elif t < 960:
            height = 40.0 - 40.0 * (t - 660) / 300
        else:
            height = 0.0
        samples.append(
            Sample(
                seconds=t,
                lat=lat,
                lon=lon,
                ele=round((250.0 + height) * 5) / 5,
                hr=140 + int(15 * t / 1500),
                strides=0 if speed == 0 else 86 + (3 if speed > 3.5 else 0),
            )
        )
    return samples


def haversine(a: Sample, b: Sample) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def write_fit(
    path: Path, samples: list[Sample], *, local_offset_h: int = 1, sport: Sport = Sport.RUNNING
) -> None:
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = ms(START)
    builder.add(file_id)
    event = EventMessage()
    event.event = Event.TIMER
    event.event_type = EventType.START
    event.timestamp = ms(START)
    builder.add(event)
    distance = 0.0
    for i, s in enumerate(samples):
        if i:
            distance += haversine(samples[i - 1], s)
        record = RecordMessage()
        record.timestamp = ms(START + timedelta(seconds=s.seconds))
        record.position_lat = s.lat
        record.position_long = s.lon
        record.altitude = s.ele
        record.distance = distance
        record.heart_rate = s.hr
        record.cadence = s.strides
        builder.add(record)
    end = START + timedelta(seconds=samples[-1].seconds)
    session = SessionMessage()
    session.timestamp = ms(end)
    session.start_time = ms(START)
    session.sport = sport
    session.total_elapsed_time = float(samples[-1].seconds)
    # As a watch with auto-pause times it: the standing still is left out.
    session.total_timer_time = float(
        sum(b.seconds - a.seconds for a, b in itertools.pairwise(samples) if b.strides)
    )
    builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = ms(end)
    activity.local_timestamp = int((end - FIT_EPOCH).total_seconds()) + 3600 * local_offset_h
    activity.num_sessions = 1
    activity.total_timer_time = float(samples[-1].seconds)
    builder.add(activity)
    path.write_bytes(builder.build().to_bytes())


def gpx_points(samples: list[Sample]) -> str:
    return "\n".join(
        f'<trkpt lat="{s.lat:.7f}" lon="{s.lon:.7f}"><ele>{s.ele:.1f}</ele>'
        f"<time>{(START + timedelta(seconds=s.seconds)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
        "<extensions><gpxtpx:TrackPointExtension>"
        f"<gpxtpx:hr>{s.hr}</gpxtpx:hr><gpxtpx:cad>{s.strides}</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for s in samples
    )


def gpx_text(
    samples: list[Sample],
    *,
    track_type: str | None = "running",
    version: str = "1.1",
    more_segments: tuple[list[Sample], ...] = (),
) -> str:
    kind = f"<type>{track_type}</type>" if track_type else ""
    segments = "".join(
        f"<trkseg>\n{gpx_points(part)}\n</trkseg>" for part in (samples, *more_segments)
    )
    namespace = f"http://www.topografix.com/GPX/{version.replace('.', '/')}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="{version}" creator="test" xmlns="{namespace}" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<trk><name>Morning run</name>{kind}{segments}</trk></gpx>\n"
    )


def tcx_text(
    samples: list[Sample],
    *,
    sport: str | None = "Running",
    time_format: str = "%Y-%m-%dT%H:%M:%SZ",
    zone: timedelta = timedelta(0),
    leading_blanks: str = "",
) -> str:
    distance = 0.0
    points = []
    for i, s in enumerate(samples):
        if i:
            distance += haversine(samples[i - 1], s)
        moment = (START + timedelta(seconds=s.seconds)).astimezone(timezone(zone))
        points.append(
            f"<Trackpoint><Time>{moment.strftime(time_format)}</Time>"
            f"<Position><LatitudeDegrees>{s.lat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{s.lon:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{s.ele:.1f}</AltitudeMeters>"
            f"<DistanceMeters>{distance:.2f}</DistanceMeters>"
            f"<HeartRateBpm><Value>{s.hr}</Value></HeartRateBpm>"
            f"<Extensions><ns3:TPX><ns3:RunCadence>{s.strides}</ns3:RunCadence></ns3:TPX>"
            "</Extensions></Trackpoint>"
        )
    sport_attr = f' Sport="{sport}"' if sport else ""
    return (
        f'{leading_blanks}<?xml version="1.0" encoding="UTF-8"?>\n'
        "<TrainingCenterDatabase "
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f"<Activities><Activity{sport_attr}><Id>{START:%Y-%m-%dT%H:%M:%SZ}</Id>"
        f'<Lap StartTime="{START:%Y-%m-%dT%H:%M:%SZ}"><Track>{"".join(points)}</Track></Lap>'
        "</Activity></Activities></TrainingCenterDatabase>\n"
    )


def only_run(path: Path) -> Run:
    reading = read_activity(path)
    assert reading.skipped == [] and len(reading.runs) == 1, reading
    return reading.runs[0]


def assert_same_metrics(a: Run, b: Run) -> None:
    assert a.start == b.start  # the same instant, whatever the shown offset
    assert a.distance_m is not None and b.distance_m is not None
    assert a.distance_m == pytest.approx(b.distance_m, rel=0.001)
    assert a.moving_time_s == pytest.approx(b.moving_time_s, abs=2)
    assert a.elapsed_time_s == b.elapsed_time_s
    assert a.ascent_m == pytest.approx(b.ascent_m, abs=1.0)
    assert a.descent_m == pytest.approx(b.descent_m, abs=1.0)
    assert a.max_descent_grade_pct == pytest.approx(b.max_descent_grade_pct, abs=0.1)
    assert a.fastest_km_s == pytest.approx(b.fastest_km_s, abs=1.0)
    assert a.pace_surges == b.pace_surges
    assert a.avg_hr == pytest.approx(b.avg_hr, abs=0.5)
    assert a.cadence_spm == pytest.approx(b.cadence_spm, abs=0.5)
    assert len(a.profile) == len(b.profile)


def test_the_same_run_as_fit_and_gpx_gives_matching_metrics(tmp_path: Path) -> None:
    samples = synthetic_run()
    fit = tmp_path / "run.fit"
    write_fit(fit, samples)
    gpx = tmp_path / "run.gpx"
    gpx.write_text(gpx_text(samples))
    from_fit = only_run(fit)
    from_gpx = only_run(gpx)
    assert_same_metrics(from_fit, from_gpx)

    # And the figures are the ones the synthetic run was built with.
    expected_distance = sum(haversine(a, b) for a, b in itertools.pairwise(samples))
    assert from_gpx.distance_m == pytest.approx(expected_distance, rel=0.001)
    assert from_fit.moving_time_s == pytest.approx(1500 - 60, abs=2)
    assert from_fit.ascent_m == pytest.approx(40.0, rel=0.1)
    assert from_fit.descent_m == pytest.approx(40.0, rel=0.1)
    # 40 m down over 300 s at about 3 m/s: about 4.4 % grade.
    assert from_fit.max_descent_grade_pct == pytest.approx(4.4, abs=0.5)
    assert from_fit.pace_surges == 4  # two 60-s bursts = four 30-s spans
    assert from_fit.cadence_spm == pytest.approx(2 * 86.3, abs=1.0)  # strides x 2
    assert from_fit.avg_hr == pytest.approx(147, abs=1.5)
    # FIT knows the watch's zone (+1 h here); GPX says only UTC.
    assert from_fit.start.utcoffset() == timedelta(hours=1)
    assert from_fit.start == START


def test_tcx_reads_like_the_gpx(tmp_path: Path) -> None:
    samples = synthetic_run()
    gpx = tmp_path / "run.gpx"
    gpx.write_text(gpx_text(samples))
    tcx = tmp_path / "run.tcx"
    tcx.write_text(tcx_text(samples))
    assert_same_metrics(only_run(gpx), only_run(tcx))


@pytest.mark.parametrize(
    ("time_format", "zone"),
    [
        ("%Y-%m-%dT%H:%M:%SZ", timedelta(0)),
        ("%Y-%m-%dT%H:%M:%S.000Z", timedelta(0)),
        ("%Y-%m-%dT%H:%M:%S%z", timedelta(hours=2)),
        ("%Y-%m-%dT%H:%M:%S%z", timedelta(hours=-5, minutes=-30)),
    ],
)
def test_tcx_times_are_instants_whatever_their_zone(
    time_format: str, zone: timedelta, tmp_path: Path
) -> None:
    samples = synthetic_run()[:100]
    tcx = tmp_path / "run.tcx"
    tcx.write_text(tcx_text(samples, time_format=time_format, zone=zone))
    run = only_run(tcx)
    assert run.start == START
    assert run.elapsed_time_s == 198
    if zone:
        assert run.start.utcoffset() == zone  # the recorder's own zone is kept
    else:
        # "Z" says nothing about where the runner lives: shown in this computer's zone.
        assert run.start.utcoffset() == START.astimezone().utcoffset()


def test_tcx_times_without_zone_are_read_as_utc(tmp_path: Path) -> None:
    tcx = tmp_path / "run.tcx"
    tcx.write_text(tcx_text(synthetic_run()[:100], time_format="%Y-%m-%dT%H:%M:%S"))
    reading = read_activity(tcx)
    assert reading.runs[0].start == START
    assert "its times carry no time zone; they were read as UTC" in reading.warnings


def test_tcx_with_blanks_before_the_declaration_as_strava_writes_it(tmp_path: Path) -> None:
    tcx = tmp_path / "strava.tcx"
    tcx.write_text(tcx_text(synthetic_run()[:100], leading_blanks="          "))
    assert only_run(tcx).start == START


def test_tcx_sports_and_several_activities(tmp_path: Path) -> None:
    samples = synthetic_run()[:100]
    body = tcx_text(samples)
    ride = tcx_text(samples, sport="Biking")
    tcx = tmp_path / "two.tcx"
    activity = body[body.index("<Activity ") : body.index("</Activities>")]
    ride_activity = ride[ride.index("<Activity ") : ride.index("</Activities>")]
    tcx.write_text(body.replace(activity, activity + ride_activity + activity))
    reading = read_activity(tcx)
    assert reading.skipped == ["activity 2 of 3: a ride (cycling), not a run"]
    first, third = reading.runs
    assert first.source_hash != third.source_hash  # a run per activity, not duplicates

    unnamed = tmp_path / "unnamed.tcx"
    unnamed.write_text(tcx_text(samples, sport=None))
    reading = read_activity(unnamed)
    assert len(reading.runs) == 1
    assert "the file does not say which sport this is; it was imported as a run" in (
        reading.warnings
    )


def test_tcx_course_is_a_stated_skip(tmp_path: Path) -> None:
    course = tmp_path / "course.tcx"
    course.write_text(
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        "<Courses><Course><Name>Loop</Name></Course></Courses></TrainingCenterDatabase>"
    )
    assert read_activity(course).skipped == [
        "a TCX course (a planned route), not a recorded activity"
    ]


def test_gpx_garmin_extension_heart_rate_and_cadence(tmp_path: Path) -> None:
    samples = synthetic_run()
    gpx = tmp_path / "run.gpx"
    gpx.write_text(gpx_text(samples))
    run = only_run(gpx)
    assert run.avg_hr == pytest.approx(147, abs=1.5)
    # gpxtpx:cad carries one foot's count (86): steps per minute is twice that.
    assert run.cadence_spm == pytest.approx(172.6, abs=1.0)
    assert run.profile[10].heart_rate is not None
    assert run.profile[10].cadence_spm == pytest.approx(172.0)


def test_gpx_cadence_already_in_steps_is_not_doubled(tmp_path: Path) -> None:
    samples = [Sample(s.seconds, s.lat, s.lon, s.ele, s.hr, 2 * s.strides) for s in synthetic_run()]
    gpx = tmp_path / "run.gpx"
    gpx.write_text(gpx_text(samples))
    assert only_run(gpx).cadence_spm == pytest.approx(172.6, abs=1.0)


def test_gpx_track_types(tmp_path: Path) -> None:
    samples = synthetic_run()[:100]
    ride = tmp_path / "ride.gpx"
    ride.write_text(gpx_text(samples, track_type="cycling"))
    assert read_activity(ride).skipped == ["a ride (cycling), not a run"]
    hike = tmp_path / "hike.gpx"
    hike.write_text(gpx_text(samples, track_type="hiking"))
    assert read_activity(hike).skipped == ["a hike, not a run"]
    trail = tmp_path / "trail.gpx"
    trail.write_text(gpx_text(samples, track_type="trail_running"))
    assert len(read_activity(trail).runs) == 1
    odd = tmp_path / "odd.gpx"
    odd.write_text(gpx_text(samples, track_type="jkljkl"))
    reading = read_activity(odd)
    assert len(reading.runs) == 1
    assert "the track type 'jkljkl' is not one we know; it was imported as a run" in (
        reading.warnings
    )


def test_gpx_1_0_and_segment_breaks(tmp_path: Path) -> None:
    samples = synthetic_run()[:200]
    whole = tmp_path / "whole.gpx"
    whole.write_text(gpx_text(samples, track_type=None, version="1.0"))
    # The second half recorded as a new segment 5 km further north (a new recording).
    moved = [Sample(s.seconds, s.lat + 0.045, s.lon, s.ele, s.hr, s.strides) for s in samples[100:]]
    split = tmp_path / "split.gpx"
    split.write_text(
        gpx_text(samples[:100], track_type=None, version="1.0", more_segments=(moved,))
    )
    whole_run = only_run(whole)
    split_run = only_run(split)
    assert split_run.distance_m is not None and whole_run.distance_m is not None
    # The jump between the two segments is not distance run, nor moving time.
    assert split_run.distance_m == pytest.approx(
        whole_run.distance_m - haversine(samples[99], samples[100]), rel=0.001
    )
    assert split_run.moving_time_s == pytest.approx(whole_run.moving_time_s - 2, abs=0.1)


def test_gpx_times_with_offsets_and_without_zone(tmp_path: Path) -> None:
    samples = synthetic_run()[:100]
    text = gpx_text(samples)
    shifted = text
    for s in samples:
        moment = START + timedelta(seconds=s.seconds)
        local = moment.astimezone(timezone(timedelta(hours=9)))
        shifted = shifted.replace(
            f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time>",
            f"<time>{local:%Y-%m-%dT%H:%M:%S}+09:00</time>",
        )
    tokyo = tmp_path / "tokyo.gpx"
    tokyo.write_text(shifted)
    run = only_run(tokyo)
    assert run.start == START and run.start.utcoffset() == timedelta(hours=9)

    naive = tmp_path / "naive.gpx"
    naive.write_text(text.replace("Z</time>", "</time>"))
    reading = read_activity(naive)
    assert reading.runs[0].start == START
    assert "its times carry no time zone; they were read as UTC, as GPX prescribes" in (
        reading.warnings
    )


def test_gpx_without_elevation_is_a_run_with_a_warning(tmp_path: Path) -> None:
    samples = synthetic_run()[:100]
    text = gpx_text(samples)
    for s in samples:
        text = text.replace(f"<ele>{s.ele:.1f}</ele>", "")
    gpx = tmp_path / "flat.gpx"
    gpx.write_text(text)
    reading = read_activity(gpx)
    run = reading.runs[0]
    assert run.ascent_m is None and run.descent_m is None and run.max_descent_grade_pct is None
    assert reading.warnings == [
        "the file has no elevation, so ascent, descent and the steepest downhill are left empty"
    ]


def test_fit_ride_is_skipped_and_generic_fit_is_a_run_with_a_warning(tmp_path: Path) -> None:
    samples = synthetic_run()[:200]
    ride = tmp_path / "ride.fit"
    write_fit(ride, samples, sport=Sport.CYCLING)
    assert read_activity(ride).skipped == ["a ride (cycling), not a run"]
    gym = tmp_path / "gym.fit"
    write_fit(gym, samples, sport=Sport.TRAINING)
    assert read_activity(gym).skipped == ["a 'training' activity, not a run"]
    generic = tmp_path / "generic.fit"
    write_fit(generic, samples, sport=Sport.GENERIC)
    reading = read_activity(generic)
    assert len(reading.runs) == 1
    assert "the file does not say which sport this is; it was imported as a run" in (
        reading.warnings
    )


def test_fit_start_with_unusable_clock_is_a_clear_error(tmp_path: Path) -> None:
    # Timestamps counting from power-on, and no activity message to anchor them.
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    builder.add(file_id)
    for k in range(5):
        record = RecordMessage()
        # 1000 s after FIT's time zero: a "system time", not a clock time.
        record.timestamp = ms(FIT_EPOCH + timedelta(seconds=1000 + k))
        record.distance = 3.0 * k
        builder.add(record)
    fit = tmp_path / "relative.fit"
    fit.write_bytes(builder.build().to_bytes())
    with pytest.raises(ImportFileError, match="cannot be dated"):
        read_activity(fit)
