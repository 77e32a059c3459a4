"""FIT activity files (Garmin and most other watches).

The file is decoded once, and each record is reduced to a row of the dozen values we
need; the rows become a `core.track.Track` per running session. The decoder is
`fitfast` (Rust, rustyfit) when it is installed, some 15-40x faster, and fitdecode (pure
Python, without its value post-processor: raw timestamps are cheaper than datetimes)
otherwise and wherever fitfast raises or cannot give a field we use (see `_decode_fast`);
both give the same rows, sessions and sports on every sample file (a test checks it).

When the watch wrote its session totals (timer time, total distance, ascent, descent,
average cadence), they are the run's figures: they are what the runner saw on the watch
and in its app. The track's own computation fills whatever the session lacks.

Elevation: `enhanced_altitude` (the barometer's reading on watches that have one) is
preferred, `altitude` is the fallback. Units: positions are semicircles
(x 180 / 2^31 -> degrees); `cadence` is strides per minute (one foot) for running, so
steps/min = 2 x (cadence + fractional_cadence); vertical oscillation and step length
are mm, stance time ms, vertical ratio %.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fitdecode
from fitdecode.types import DevFieldDefinition

try:
    import fitfast  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # optional: no wheel for this platform, or not installed
    fitfast = None  # type: ignore[assignment, unused-ignore]

from backstride.core import limits
from backstride.core.track import Column, Track
from backstride.importers._build import (
    OTHER,
    RUN,
    UNKNOWN,
    build_run,
    count_of,
    local_time,
    plausible,
    run_hash,
    sport_kind,
    with_offset,
)
from backstride.importers.errors import ImportFileError
from backstride.importers.reading import FileReading

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
# Timestamps below this count seconds since the device was switched on, not clock time.
FIT_ABSOLUTE_MIN = 0x10000000
SEMICIRCLE_DEG = 180.0 / 2**31

_MESG_FILE_ID = 0
_MESG_SPORT = 12
_MESG_SESSION = 18
_MESG_LAP = 19
_MESG_RECORD = 20
_MESG_ACTIVITY = 34

# Record fields we keep, and their position in a row.
_TS, _LAT, _LON, _DIST, _EALT, _ALT, _HR, _CAD, _FCAD, _VO, _STANCE, _STEP, _VRATIO = range(13)
_RECORD_FIELDS = {
    "timestamp": _TS,
    "position_lat": _LAT,
    "position_long": _LON,
    "distance": _DIST,
    "enhanced_altitude": _EALT,
    "altitude": _ALT,
    "heart_rate": _HR,
    "cadence": _CAD,
    "fractional_cadence": _FCAD,
    "vertical_oscillation": _VO,
    "stance_time": _STANCE,
    "step_length": _STEP,
    "vertical_ratio": _VRATIO,
}
_ROW_WIDTH = 13
# Messages of any kind: records, plus about as many again (laps, HRV, events, device
# information) in a real file. Decoding stops there, so a huge file costs seconds.
MAX_FRAMES = 2 * limits.MAX_SAMPLES
MAX_SESSIONS = 1000  # a triathlon has five; each one is kept whole while decoding
# Fields that pack others (components) fitfast leaves unexpanded: `distance` hides in
# compressed_speed_distance on old watches, so such a file goes to fitdecode.
_PACKED_FIELDS = frozenset({"compressed_speed_distance"})
# fitfast gives times as Unix seconds; ours are FIT's (seconds since FIT_EPOCH).
_UNIX_OF_FIT_EPOCH = int(FIT_EPOCH.timestamp())
_TIME_FIELDS = ("timestamp", "start_time", "local_timestamp")


@dataclass(slots=True)
class _Decoded:
    rows: list[list[Any]] = field(default_factory=list)
    untimed: int = 0
    sessions: list[dict[str, Any]] = field(default_factory=list)
    sport: Any = None  # from the sport message
    lap_sport: Any = None
    activity: dict[str, Any] | None = None
    file_type: Any = None
    cut_short: bool = False


def _fields(frame: fitdecode.FitDataMessage) -> dict[str, Any]:
    return {fd.field.name: fd.value for fd in frame.fields if fd.field is not None}


def _decode(data: bytes) -> _Decoded:
    fast = _decode_fast(data)
    return fast if fast is not None else _decode_fitdecode(data)


def _decode_fast(data: bytes) -> _Decoded | None:
    """The file decoded by fitfast, or None where fitdecode must decide.

    None when fitfast is missing, raises (damaged or cut-short files: fitdecode reads
    what it can and names the fault), would exceed the caps (fitdecode's message says
    why), leaves a component packed, or a developer field could shadow a field we use
    (fitfast puts developer fields beside the profile's, by their declared names).
    """
    if fitfast is None:
        return None
    try:
        messages: dict[str, list[dict[Any, Any]]] = fitfast.parse(data)
    except Exception:
        return None
    except BaseException as exc:
        # A Rust panic on malformed bytes arrives as pyo3's PanicException, which derives
        # from BaseException; anything else (Ctrl+C, exit) goes on.
        if type(exc).__name__ != "PanicException":
            raise
        return None
    records = messages.get("record", [])
    if len(records) > limits.MAX_SAMPLES or sum(map(len, messages.values())) > MAX_FRAMES:
        return None
    if len(messages.get("session", [])) > MAX_SESSIONS:
        return None
    if any(d.get("field_name") in _RECORD_FIELDS for d in messages.get("field_description", [])):
        return None
    keys: set[Any] = set()
    for record in records:
        keys.update(record)
    if keys & _PACKED_FIELDS:
        return None
    out = _Decoded()
    names = tuple(_RECORD_FIELDS)  # in row order
    first_absolute = _UNIX_OF_FIT_EPOCH + FIT_ABSOLUTE_MIN
    for record in records:
        row = [record.get(name) for name in names]
        ts = row[_TS]
        if type(ts) is int:
            if ts < first_absolute:
                # Times since power-on (or a clock fitfast may not have shifted):
                # fitdecode reads those as they are stored.
                return None
            row[_TS] = ts - _UNIX_OF_FIT_EPOCH
            out.rows.append(row)
        else:
            out.untimed += 1
    out.sessions = [_fit_times(session) for session in messages.get("session", [])]
    laps = messages.get("lap", [])
    out.lap_sport = next((lap.get("sport") for lap in laps if lap.get("sport") is not None), None)
    sports = messages.get("sport", [])
    out.sport = sports[-1].get("sport") if sports else None
    activities = messages.get("activity", [])
    out.activity = _fit_times(activities[-1]) if activities else None
    types = (f.get("type") for f in messages.get("file_id", []))
    out.file_type = next((t for t in types if t is not None), None)
    return out


def _fit_times(message: dict[Any, Any]) -> dict[Any, Any]:
    """A fitfast message with its times in FIT seconds, as fitdecode gives them."""
    out = dict(message)
    for name in _TIME_FIELDS:
        value = out.get(name)
        if type(value) is int:
            out[name] = value - _UNIX_OF_FIT_EPOCH
    return out


def _decode_fitdecode(data: bytes) -> _Decoded:
    out = _Decoded()
    rows = out.rows
    wanted = _RECORD_FIELDS
    data_message = fitdecode.FitDataMessage
    frames = 0
    reader = fitdecode.FitReader(
        data,
        processor=None,
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    try:
        for frame in reader:
            frames += 1
            if frames > MAX_FRAMES or len(rows) > limits.MAX_SAMPLES:
                raise ImportFileError(
                    f"it holds more than {limits.MAX_SAMPLES:,} samples or "
                    f"{MAX_FRAMES:,} messages (two days recorded every second), so it is "
                    "not one run; export the activity on its own"
                )
            if type(frame) is not data_message:
                continue
            num = frame.def_mesg.global_mesg_num
            if num == _MESG_RECORD:
                row: list[Any] = [None] * _ROW_WIDTH
                for fd in frame.fields:
                    f = fd.field
                    if f is None:
                        continue
                    index = wanted.get(f.name)
                    if index is not None and type(fd.field_def) is not DevFieldDefinition:
                        row[index] = fd.value
                if type(row[_TS]) is int:
                    rows.append(row)
                else:
                    out.untimed += 1
            elif num == _MESG_SESSION:
                if len(out.sessions) >= MAX_SESSIONS:
                    raise ImportFileError(
                        f"it holds more than {MAX_SESSIONS:,} sessions, far more than a "
                        "multisport day; export the activities one by one"
                    )
                out.sessions.append(_fields(frame))
            elif num == _MESG_LAP:
                if out.lap_sport is None:
                    out.lap_sport = _fields(frame).get("sport")
            elif num == _MESG_SPORT:
                out.sport = _fields(frame).get("sport")
            elif num == _MESG_ACTIVITY:
                out.activity = _fields(frame)
            elif num == _MESG_FILE_ID and out.file_type is None:
                out.file_type = _fields(frame).get("type")
    except ImportFileError:
        raise
    except fitdecode.FitCRCError as exc:
        raise ImportFileError(
            "its checksum does not match its contents, so the file is damaged "
            "(an interrupted copy or a faulty card); copy it from the watch again"
        ) from exc
    except fitdecode.FitEOFError:
        out.cut_short = True
    except fitdecode.FitHeaderError as exc:
        if frames == 0:
            raise ImportFileError(
                "it is not a FIT file (it does not start with a FIT header); "
                "choose the activity's .fit, .gpx or .tcx file"
            ) from exc
        if "truncated" in str(exc):
            out.cut_short = True
        else:
            raise ImportFileError(
                "its data is damaged: a FIT header inside it is corrupt; "
                "copy the file from the watch again"
            ) from exc
    except Exception as exc:
        # fitdecode raises assorted errors (struct, index, key, value) on bytes that are
        # not what their definitions announce; all mean the same thing to the runner.
        raise ImportFileError(
            f"its data is damaged and cannot be decoded ({type(exc).__name__}); "
            "copy the file from the watch again"
        ) from exc
    finally:
        reader.close()
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        f = float(value)
        return f if math.isfinite(f) else None
    return None


_PLAIN_NUMBERS = frozenset({int, float, type(None)})


def _column(values: tuple[Any, ...], scale: float = 1.0) -> Column | None:
    if values.count(None) == len(values):
        return None  # most columns: a quantity the watch does not record
    if _PLAIN_NUMBERS.issuperset(map(type, values)):
        # The usual case, in a few C-level passes; the loop below for anything odd.
        column: Column = [None if v is None else v * scale for v in values]
        total = sum(v for v in column if v is not None)
        if math.isfinite(total):
            return column
    out: Column = []
    found = False
    for v in values:
        f = _number(v)
        if f is None:
            out.append(None)
        else:
            out.append(f * scale)
            found = True
    return out if found else None


def _merge(primary: Column | None, fallback: Column | None) -> Column | None:
    if primary is None:
        return fallback
    if fallback is None:
        return primary
    return [p if p is not None else q for p, q in zip(primary, fallback, strict=True)]


def _track(rows: list[list[Any]]) -> Track:
    cols = list(zip(*rows, strict=True))
    t0 = cols[_TS][0]
    cadence = _column(cols[_CAD])
    if cadence is not None:
        fraction = _column(cols[_FCAD])
        if fraction is not None:
            cadence = [
                None if c is None else c + (f or 0.0)
                for c, f in zip(cadence, fraction, strict=True)
            ]
        # FIT running cadence counts one foot (strides/min); steps/min is twice that.
        cadence = [None if c is None else 2.0 * c for c in cadence]
    return Track(
        time_s=[float(t - t0) for t in cols[_TS]],
        lat_deg=_column(cols[_LAT], SEMICIRCLE_DEG),
        lon_deg=_column(cols[_LON], SEMICIRCLE_DEG),
        distance_m=_column(cols[_DIST]),
        # enhanced_altitude has the wider range; plain altitude is the fallback.
        elevation_m=_merge(_column(cols[_EALT]), _column(cols[_ALT])),
        heart_rate=_column(cols[_HR]),
        cadence_spm=cadence,
        vertical_oscillation_cm=_column(cols[_VO], 0.1),
        stance_time_ms=_column(cols[_STANCE]),
        step_length_m=_column(cols[_STEP], 0.001),
        vertical_ratio_pct=_column(cols[_VRATIO]),
        barometric=True,
    )


class _Clock:
    """Turns raw FIT timestamps into aware datetimes in the runner's zone."""

    def __init__(self, first_ts: int, activity: dict[str, Any] | None, warnings: list[str]):
        act_ts = activity.get("timestamp") if activity else None
        act_local = activity.get("local_timestamp") if activity else None
        self.offset_s: int | None = None
        self.local_anchor: tuple[int, int] | None = None
        if first_ts >= FIT_ABSOLUTE_MIN:
            if type(act_ts) is int and type(act_local) is int and act_ts >= FIT_ABSOLUTE_MIN:
                # The watch's local clock minus UTC, to the nearest quarter hour.
                offset = round((act_local - act_ts) / 900) * 900
                if abs(offset) <= 14 * 3600:
                    self.offset_s = offset
        elif type(act_ts) is int and type(act_local) is int:
            # Times count from power-on; the activity message ties one of them to the
            # watch's local clock, whose zone the file does not give.
            self.local_anchor = (act_ts, act_local)
            warnings.append(
                "the watch stored only its local clock time, not UTC; "
                "the start was read in this computer's time zone"
            )
        else:
            raise ImportFileError(
                "its times count from when the watch was switched on and it gives no "
                "clock time, so the run cannot be dated; export it from the watch's app "
                "(Garmin Connect, Strava) instead"
            )

    def at(self, ts: int) -> datetime:
        if self.local_anchor is not None:
            act_ts, act_local = self.local_anchor
            local = plausible(FIT_EPOCH + timedelta(seconds=act_local + ts - act_ts))
            return local.replace(tzinfo=None).astimezone()
        moment = plausible(FIT_EPOCH + timedelta(seconds=ts))
        return (
            with_offset(moment, self.offset_s) if self.offset_s is not None else local_time(moment)
        )


@dataclass(slots=True)
class _Part:
    number: int
    sport: str | None
    lo: int
    hi: int
    session: dict[str, Any] | None = None


def _sport(session: dict[str, Any]) -> str | None:
    """The session's sport, or its sub-sport when the sport is generic ("treadmill")."""
    sport = session.get("sport")
    if sport_kind(sport)[0] == UNKNOWN:
        sub = session.get("sub_sport")
        if sport_kind(sub)[0] != UNKNOWN:
            return str(sub)
    return sport if isinstance(sport, str) else None


def watch_totals(session: dict[str, Any] | None) -> dict[str, float]:
    """The watch's own session totals as Run fields (see the module's note).

    A total of 0 is taken as "not measured" for distance, timer time and cadence (a
    watch writes 0 there when a sensor was missing); 0 m of climbing is a real figure.
    """
    if session is None:
        return {}
    totals: dict[str, float] = {}
    for name, target in (("total_distance", "distance_m"), ("total_timer_time", "moving_time_s")):
        value = _number(session.get(name))
        if value:
            totals[target] = value
    for name, target in (("total_ascent", "ascent_m"), ("total_descent", "descent_m")):
        value = _number(session.get(name))
        if value is not None:
            totals[target] = value
    # fitdecode names the running sub-field, fitfast the plain one; both are strides/min.
    strides = _number(session.get("avg_running_cadence")) or _number(session.get("avg_cadence"))
    if strides:
        fraction = _number(session.get("avg_fractional_cadence")) or 0.0
        totals["cadence_spm"] = 2.0 * (strides + fraction)
    return totals


def _parts(decoded: _Decoded, times: list[int]) -> list[_Part]:
    sessions = decoded.sessions
    if len(sessions) <= 1:
        session = sessions[0] if sessions else None
        sport = _sport(session) if session is not None else None
        if sport is None:
            sport = decoded.sport if decoded.sport is not None else decoded.lap_sport
        return [_Part(1, sport if isinstance(sport, str) else None, 0, len(times), session)]
    parts: list[_Part] = []
    for number, session in enumerate(sessions, start=1):
        start = session.get("start_time")
        end = session.get("timestamp")
        elapsed = _number(session.get("total_elapsed_time"))
        if type(start) is not int:
            start = times[0]
        if type(end) is not int:
            end = start + int(elapsed) if elapsed is not None else times[-1]
        parts.append(
            _Part(
                number,
                _sport(session),
                bisect_left(times, start),
                bisect_right(times, end),
                session,
            )
        )
    return parts


def read_fit(data: bytes, path: Path, file_hash: str) -> FileReading:
    """Read a FIT file's running sessions. Raises ImportFileError for unusable files."""
    decoded = _decode(data)
    reading = FileReading(path)
    warnings = reading.warnings
    if isinstance(decoded.file_type, str) and decoded.file_type != "activity":
        kind = decoded.file_type.replace("_", " ")
        reading.skipped.append(f"a FIT {kind} file, not a recorded activity")
        return reading
    rows = decoded.rows
    if decoded.cut_short:
        if not rows:
            raise ImportFileError(
                "the file is cut short before any samples with a time; copy it from the watch again"
            )
        warnings.append(
            "the file is cut short (truncated); "
            f"imported the {len(rows)} records that could be read"
        )
    if not rows:
        sports = [_sport(session) for session in decoded.sessions] or [
            decoded.sport if decoded.sport is not None else decoded.lap_sport
        ]
        labels = [label for kind, label in map(sport_kind, sports) if kind == OTHER]
        if len(labels) == len(sports):
            # A pool swim has no track and often no record times: not a run, not a fault.
            reading.skipped.append(f"{labels[0]}, not a run")
            return reading
        raise ImportFileError(
            "it holds no samples with a time (no timestamps), so there is no run to import; "
            "choose the activity file itself, not a settings or course file"
        )
    if decoded.untimed:
        warnings.append(f"left out {count_of(decoded.untimed, 'sample')} without a time")
    if any(rows[i][_TS] > rows[i + 1][_TS] for i in range(len(rows) - 1)):
        rows.sort(key=lambda r: r[_TS])
    times = [r[_TS] for r in rows]
    clock = _Clock(times[0], decoded.activity, warnings)
    parts = _parts(decoded, times)
    several = len(parts) > 1
    kinds = {p.number: sport_kind(p.sport) for p in parts}
    runnable = {n for n, (kind, _) in kinds.items() if kind == RUN}
    # A single activity of no stated sport is taken as a run; in a multisport file only
    # the parts marked running are runs.
    if not several and kinds[parts[0].number][0] == UNKNOWN:
        runnable = {parts[0].number}
    for part in parts:
        prefix = f"part {part.number} of {len(parts)}: " if several else ""
        kind, label = kinds[part.number]
        if part.number not in runnable:
            if kind == UNKNOWN:
                reading.skipped.append(f"{prefix}its sport is not recorded as running")
            else:
                reading.skipped.append(f"{prefix}{label}, not a run")
            continue
        unnamed = kind != RUN
        if unnamed:
            warnings.append("the file does not say which sport this is; it was imported as a run")
        if part.hi - part.lo < 2:
            if several:
                reading.skipped.append(f"{prefix}a run with no recorded samples")
                continue
            raise ImportFileError(
                "it holds only one sample with a time, so there is nothing to measure; "
                "export the whole activity again from the watch or app"
            )
        part_rows = rows[part.lo : part.hi]
        run, reason = build_run(
            _track(part_rows),
            clock.at(part_rows[0][_TS]),
            source=path.name,
            source_hash=run_hash(file_hash, part.number, len(runnable)),
            warnings=warnings,
            unnamed_sport=unnamed,
            prefix=prefix,
            totals=watch_totals(part.session),
        )
        if run is None:
            reading.skipped.append(f"{prefix}{reason}")
        else:
            reading.runs.append(run)
    return reading
