from __future__ import annotations

import io
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core.csv_codec import read_table_text, write_table
from backstride.core.errors import CsvError
from backstride.core.models import PainEntry
from backstride.core.pain_csv import pain_table
from backstride.core.vocab import HELPED, QUALITIES, REGIONS, TIMINGS, WORSE
from backstride.store.database import open_store
from backstride.store.exchange import export_all, import_csv_files
from backstride.store.pain import add_pain_entry, list_pain_entries

TODAY = date(2026, 11, 26)
HEADER = "date,time,intensity,regions,timing,quality,stiffness_min,worse,helped,medication,note\n"


def _codes(vocab: object) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(list(vocab)), unique=True, max_size=4).map(tuple)  # type: ignore[call-overload]


entries = st.builds(
    PainEntry,
    day=st.dates(date(2000, 1, 1), TODAY),
    time=st.one_of(st.none(), st.times().map(lambda t: time(t.hour, t.minute))),
    intensity=st.integers(0, 10),
    regions=_codes(REGIONS),
    timing=st.one_of(st.none(), st.sampled_from(list(TIMINGS))),
    quality=_codes(QUALITIES),
    stiffness_min=st.one_of(st.none(), st.integers(0, 1440)),
    worse=_codes(WORSE),
    helped=_codes(HELPED),
    medication=st.text(max_size=30).map(str.strip),
    note=st.text(max_size=80).map(str.strip),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(entries, max_size=8))
def test_csv_round_trip_is_exact(items: list[PainEntry]) -> None:
    out = io.StringIO()
    write_table(pain_table(TODAY), items, out)
    assert read_table_text(pain_table(TODAY), out.getvalue(), "pain.csv") == items


def test_round_trip_through_store_and_files(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a")
    tricky = [
        PainEntry(
            day=date(2026, 5, 1),
            time=time(6, 30),
            intensity=3,
            regions=("lower_back_left",),
            timing="on_waking",
            quality=("stiffness",),
            stiffness_min=25,
            note='Ühm, "quoted", commas, and\na new line — ✓',
        ),
        PainEntry(day=date(2026, 5, 2), intensity=0, note=""),
        PainEntry(
            day=date(2026, 5, 2),
            time=time(21, 0),
            intensity=6,
            regions=("buttock_right", "thigh_right", "below_knee_right"),
            timing="evening",
            quality=("shooting", "tingling"),
            worse=("sitting", "cough_sneeze"),
            helped=("topical", "tablets"),
            medication="naproxen 250 mg",
        ),
    ]
    for e in tricky:
        add_pain_entry(store, e)
    export_all(store, tmp_path / "out1", TODAY)
    store.close()

    other = open_store(tmp_path / "b")
    import_csv_files(other, [tmp_path / "out1" / "pain.csv"], TODAY)
    export_all(other, tmp_path / "out2", TODAY)
    assert (tmp_path / "out1" / "pain.csv").read_bytes() == (
        tmp_path / "out2" / "pain.csv"
    ).read_bytes()
    assert [(e.note, e.regions) for e in list_pain_entries(other)] == [
        (e.note, e.regions) for e in tricky
    ]
    # importing the same file again adds nothing
    ((_, added, skipped),) = import_csv_files(other, [tmp_path / "out1" / "pain.csv"], TODAY)
    assert (added, skipped) == (0, 3)
    other.close()


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("2026-01-01,,11,,,,,,,,", "intensity", "not on the scale"),
        ("2026-01-01,,3,lower_back;elbow,,,,,,,", "regions", "unknown code"),
        ("2026-13-01,,3,,,,,,,,", "date", "YYYY-MM-DD"),
        ("2026-01-01,7pm,3,,,,,,,,", "time", "HH:MM"),
        ("2026-01-01,,three,,,,,,,,", "intensity", "whole number"),
        ("2026-01-01,,3,,lunchtime,,,,,,", "timing", "unknown timing"),
        ("2099-01-01,,3,,,,,,,,", "date", "future"),
        ("2026-01-01,,3,,,,2000,,,,", "stiffness_min", "1440"),
    ],
)
def test_bad_row_imports_nothing_and_names_line_and_column(
    tmp_path: Path, row: str, column: str, words: str
) -> None:
    path = tmp_path / "pain.csv"
    path.write_text(HEADER + "2026-01-01,08:00,2,,,,,,,,fine\n" + row + "\n", encoding="utf-8")
    store = open_store(tmp_path / "data")
    with pytest.raises(CsvError) as info:
        import_csv_files(store, [path], TODAY)
    assert info.value.line == 3
    assert info.value.column == column
    assert words in str(info.value)
    assert "line 3" in str(info.value)
    assert list_pain_entries(store) == []
    store.close()


def test_missing_column_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="missing column"):
        read_table_text(pain_table(TODAY), "date,intensity\n2026-01-01,3\n", "pain.csv")
    with pytest.raises(CsvError, match="empty"):
        read_table_text(pain_table(TODAY), "", "pain.csv")


def test_a_bad_second_file_rolls_back_the_first(tmp_path: Path) -> None:
    good = tmp_path / "one" / "pain.csv"
    bad = tmp_path / "two" / "pain.csv"
    good.parent.mkdir()
    bad.parent.mkdir()
    good.write_text(HEADER + "2026-01-01,,2,,,,,,,,\n", encoding="utf-8")
    bad.write_text(HEADER + "2026-01-01,,12,,,,,,,,\n", encoding="utf-8")
    store = open_store(tmp_path / "data")
    with pytest.raises(CsvError):
        import_csv_files(store, [good, bad], TODAY)
    assert list_pain_entries(store) == []
    store.close()
