"""Fuzzing each parser with mutated bytes of real files: no crash, only ImportFileError,
nothing written. Deterministic (derandomized) and kept small enough to run in seconds."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fitdecode.utils import compute_crc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.importers import FileReading, ImportFileError, _build, read_activity

DATA = Path(__file__).resolve().parents[1] / "data"

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,  # nothing written to .hypothesis/
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Pieces that steer XML mutations into the parsers' value handling.
TOKENS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"]]>",
    b"<!--",
    b'"',
    b"-",
    b"9",
    b"NaN",
    b"1e309",
    b"-0",
    b"0000-00-00T00:00:00Z",
    b"9999-12-31T23:59:59+14:00",
    b"\xff\xfe",
    b"\xc3",
    b"</trkseg><trkseg>",
    b"<trkpt lat='91' lon='181'>",
    b"</Trackpoint><Trackpoint>",
    b"<Time>",
]


def small_tcx() -> bytes:
    """The first 40 trackpoints of a real TCX file (fuzzing the whole file is slow)."""
    tree = ET.parse(DATA / "tcx/tcxparser-test.tcx")
    seen = 0
    for track in (el for el in tree.iter() if el.tag.endswith("}Track")):
        for point in list(track):
            seen += 1
            if seen > 40:
                track.remove(point)
    return ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)


@st.composite
def mutations(draw: st.DrawFn, original: bytes, *, tokens: bool) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        op = draw(
            st.sampled_from(
                ["flip", "set", "delete", "insert", "truncate", "repeat"]
                + (["token", "token", "token"] if tokens else [])
            )
        )
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[pos] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "truncate":
            del data[pos:]
        elif op == "repeat":
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 64))]
        else:
            data[pos:pos] = draw(st.sampled_from(TOKENS))
    return bytes(data)


@st.composite
def fit_mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """Mutated FIT bytes; half the time with the footer CRC recomputed, so decoding goes
    past the checksum and the odd values reach our own code."""
    header = original[:14]
    body = draw(mutations(original[14:-2], tokens=False))
    data = header + body + original[-2:]
    if draw(st.booleans()):
        size = len(body)
        fixed = bytearray(header)
        fixed[4:8] = size.to_bytes(4, "little")
        fixed[12:14] = compute_crc(bytes(fixed[:12])).to_bytes(2, "little")
        data = bytes(fixed) + body
        data += compute_crc(data).to_bytes(2, "little")
    return data


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fuzz folder. The small seeds are fragments (under 2 minutes or 200 m), which
    the importers skip as such; the minimum is lifted so mutations reach every step of
    building a run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_build, "MIN_RUN_S", 10.0)
        patch.setattr(_build, "MIN_RUN_M", 0.0)
        yield tmp_path_factory.mktemp("fuzz")


def check(data: bytes, path: Path) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    try:
        reading = read_activity(path)
    except ImportFileError as exc:
        assert exc.reason and exc.file == path.name
    else:
        assert isinstance(reading, FileReading)
        assert reading.runs or reading.skipped
        for run in reading.runs:
            assert run.start.utcoffset() is not None
            assert run.distance_m is None or run.distance_m >= 0
            assert run.moving_time_s is not None and run.elapsed_time_s is not None
            assert 0 <= run.moving_time_s <= run.elapsed_time_s
            assert run.profile
    # Reading never writes anything next to the file.
    assert [p.name for p in path.parent.iterdir()] == [path.name]


FIT = (DATA / "fit/garmin-fenix-5-run.fit").read_bytes()
GPX = (DATA / "gpx/track-with-empty-segment.gpx").read_bytes()
TCX = small_tcx()


@FUZZ
@given(data=fit_mutations(FIT))
def test_fit_parser_survives_mutated_bytes(data: bytes, workdir: Path) -> None:
    check(data, workdir / "fit" / "fuzz.fit")


@FUZZ
@given(data=mutations(GPX, tokens=True))
def test_gpx_parser_survives_mutated_bytes(data: bytes, workdir: Path) -> None:
    check(data, workdir / "gpx" / "fuzz.gpx")


@FUZZ
@given(data=mutations(TCX, tokens=True))
def test_tcx_parser_survives_mutated_bytes(data: bytes, workdir: Path) -> None:
    check(data, workdir / "tcx" / "fuzz.tcx")


@settings(FUZZ, max_examples=60)
@given(data=mutations(gzip.compress(FIT), tokens=False))
def test_gz_reader_survives_mutated_bytes(data: bytes, workdir: Path) -> None:
    check(data, workdir / "gz" / "fuzz.fit.gz")


def test_the_unmutated_seeds_import(tmp_path: Path, workdir: Path) -> None:
    """The fuzz seeds are real runs, so mutations start from files that import."""
    for name, data in (("seed.fit", FIT), ("seed.gpx", GPX), ("seed.tcx", TCX)):
        path = tmp_path / name
        path.write_bytes(data)
        assert len(read_activity(path).runs) == 1, name
