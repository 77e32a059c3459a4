"""Export, then import into an empty data folder: always succeeds and gives the same data
(issue 10, "a lossless round trip"), over hand entry (records generated within the
validators' limits), the CSV files, the JSON export and a run from every watch format."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from backstride.core import limits
from backstride.core.models import Assessment, HabitDay, PainEntry, ProfilePoint, Run, Shoe
from backstride.core.pain import validate_pain_entry
from backstride.core.training import (
    habit_problems,
    run_problems,
    shoe_problems,
    validate_habit_day,
    validate_run,
    validate_shoe,
)
from backstride.core.vocab import HELPED, QUALITIES, REGIONS, SURFACES, TIMINGS, WORSE
from backstride.importing import import_activity_files
from backstride.store.assessments import add_assessment, list_assessments
from backstride.store.database import Store, StoreError, open_store
from backstride.store.exchange import FILES, export_all, import_csv_files
from backstride.store.habits import list_habit_days, save_habit_day
from backstride.store.json_exchange import export_json, import_json
from backstride.store.pain import add_pain_entry, list_pain_entries
from backstride.store.runs import add_run, get_run, list_runs
from backstride.store.shoes import add_shoe, list_shoes

TODAY = date.today()
DATA = Path(__file__).resolve().parents[1] / "data"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
# Each example writes three data folders, so a fifth of the fuzz count (make fuzz: 2,000)
# keeps the full run to about a minute.
EXAMPLES = max(50, int(os.environ.get("BACKSTRIDE_FUZZ_EXAMPLES", "50")) // 5)
WATCH_FILES = (
    "fit/activity-small-fenix2-run.fit",
    "gpx/cerknicko-jezero.gpx",
    "tcx/tcxparser-test.tcx",
)
CSV_RUN_FIELDS = (
    "distance_m",
    "moving_time_s",
    "ascent_m",
    "descent_m",
    "avg_hr",
    "cadence_spm",
    "vertical_oscillation_cm",
    "rpe",
    "warmup_min",
    "surface",
    "shoe",
    "note",
    "source",
)

days = st.dates(min_value=limits.EARLIEST_DAY, max_value=TODAY)
# Any text but the empty shoe name, including what a spreadsheet would run as a formula.
texts = st.text(max_size=30) | st.sampled_from(["=1+1", "'=x", "-5", "@a", "\tx", "a\r\nb"])
offsets = st.sampled_from([0, 3600, -4 * 3600, 5 * 3600 + 1800, 19 * 60 + 32, -(9 * 3600 + 30)])


def codes(vocab: Any) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(list(vocab)), unique=True, max_size=3).map(tuple)


def within(
    name: str, table: dict[str, limits.Limit], whole: bool = False
) -> st.SearchStrategy[Any]:
    lim = table[name]
    if whole:
        return st.none() | st.integers(int(lim.low), int(lim.high))
    return st.none() | st.floats(lim.low, lim.high)


@st.composite
def pain_entries(draw: st.DrawFn) -> PainEntry:
    return validate_pain_entry(
        PainEntry(
            day=draw(days),
            intensity=draw(st.integers(0, 10)),
            time=draw(st.none() | st.builds(time, st.integers(0, 23), st.integers(0, 59))),
            regions=draw(codes(REGIONS)),
            timing=draw(st.none() | st.sampled_from(list(TIMINGS))),
            quality=draw(codes(QUALITIES)),
            stiffness_min=draw(within("stiffness_min", limits.PAIN, whole=True)),
            worse=draw(codes(WORSE)),
            helped=draw(codes(HELPED)),
            medication=draw(texts),
            note=draw(texts),
        ),
        TODAY,
    )


@st.composite
def runs(draw: st.DrawFn, shoe_names: list[str]) -> Run:
    start = datetime.combine(
        draw(days),
        time(
            draw(st.integers(0, 23)),
            draw(st.integers(0, 59)),
            draw(st.integers(0, 59)),
            draw(st.sampled_from([0, 0, 250_000])),
        ),
        timezone(timedelta(seconds=draw(offsets))),
    )
    distance = draw(st.none() | st.integers(1, 100_000_000).map(lambda mm: mm / 1000))
    moving = None
    if distance is not None and draw(st.booleans()):
        speed = draw(st.floats(1.0, 12.0))
        moving = round(distance / speed, 3)
    r = limits.RUN
    run = Run(
        start=start,
        distance_m=distance,
        moving_time_s=moving,
        ascent_m=draw(within("ascent_m", r)),
        descent_m=draw(within("descent_m", r)),
        avg_hr=draw(within("avg_hr", r)),
        cadence_spm=draw(within("cadence_spm", r)),
        vertical_oscillation_cm=draw(within("vertical_oscillation_cm", r)),
        rpe=draw(within("rpe", r, whole=True)),
        warmup_min=draw(within("warmup_min", r, whole=True)),
        surface=draw(st.none() | st.sampled_from(list(SURFACES))),
        shoe=draw(st.none() | st.sampled_from(shoe_names)) if shoe_names else None,
        note=draw(texts),
        source=draw(st.just("manual") | st.text(min_size=1, max_size=20)),
        source_hash=draw(st.none() | st.text(max_size=10)),
        elapsed_time_s=draw(within("elapsed_time_s", r)),
        max_descent_grade_pct=draw(within("max_descent_grade_pct", r)),
        fastest_km_s=draw(within("fastest_km_s", r)),
        pace_surges=draw(within("pace_surges", r, whole=True)),
        stance_time_ms=draw(within("stance_time_ms", r)),
        step_length_m=draw(within("step_length_m", r)),
        vertical_ratio_pct=draw(within("vertical_ratio_pct", r)),
        profile=tuple(
            draw(
                st.lists(
                    st.builds(
                        ProfilePoint,
                        st.floats(0, 1e6),
                        st.floats(0, 1e6),
                        st.none() | st.floats(-500, 9000),
                        st.none() | st.floats(60, 3600),
                        st.none() | st.floats(0, 300),
                        st.none() | st.floats(0, 300),
                    ),
                    max_size=3,
                )
            )
        ),
    )
    assume(not run_problems(run, TODAY))
    return validate_run(run, TODAY)


@st.composite
def shoes(draw: st.DrawFn) -> list[Shoe]:
    names = draw(
        st.lists(
            st.text(min_size=1, max_size=limits.SHOE_NAME_CHARS).map(str.strip).filter(bool),
            unique=True,
            max_size=3,
        )
    )
    found = []
    for name in names:
        first = draw(st.none() | days)
        retired = draw(st.none() | st.dates(min_value=first or limits.EARLIEST_DAY))
        shoe = Shoe(name, first, retired, draw(st.floats(50, 5000)))
        assume(not shoe_problems(shoe, TODAY))
        found.append(validate_shoe(shoe, TODAY))
    return found


@st.composite
def habit_days(draw: st.DrawFn) -> list[HabitDay]:
    h = limits.HABIT
    found = []
    for day in draw(st.lists(days, unique=True, max_size=3)):
        habit = HabitDay(
            day=day,
            core_min=draw(within("core_min", h, whole=True)),
            stretch_min=draw(within("stretch_min", h, whole=True)),
            cross_min=draw(within("cross_min", h, whole=True)),
            sleep_h=draw(within("sleep_h", h)),
            weight_kg=draw(within("weight_kg", h)),
            fatigue=draw(within("fatigue", h, whole=True)),
            sitting_h=draw(within("sitting_h", h)),
            note=draw(texts),
        )
        assume(not habit_problems(habit, TODAY))
        found.append(validate_habit_day(habit, TODAY))
    return found


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    moment = datetime.combine(draw(days), time(12), timezone(timedelta(seconds=draw(offsets))))
    return Assessment(
        taken_at=moment,
        answers=draw(st.dictionaries(texts, json_values, max_size=3)),
        result=draw(st.dictionaries(texts, json_values, max_size=3)),
        rules_version=draw(st.text(min_size=1, max_size=10).filter(str.strip)),
    )


@st.composite
def diaries(draw: st.DrawFn) -> dict[str, list[Any]]:
    shoe_list = draw(shoes())
    return {
        "shoes": shoe_list,
        "runs": draw(st.lists(runs([s.name for s in shoe_list]), max_size=3)),
        "habits": draw(habit_days()),
        "pain": draw(st.lists(pain_entries(), max_size=3)),
        "assessments": draw(st.lists(assessments(), max_size=2)),
    }


def enter_by_hand(store: Store, diary: dict[str, list[Any]]) -> None:
    """The way the GUI's dialogs save each record, one by one."""
    refused = set()
    for shoe in diary["shoes"]:
        try:
            add_shoe(store, shoe)
        except StoreError:
            # Known, reported: SQLite's trim() stops at a NUL, so the store's CHECK refuses
            # a name the validator accepts. The dialog shows the message; nothing is saved.
            assert shoe.name.startswith("\x00")
            refused.add(shoe.name)
    for run in diary["runs"]:
        add_run(store, replace(run, shoe=None) if run.shoe in refused else run)
    for habit in diary["habits"]:
        save_habit_day(store, habit)
    for entry in diary["pain"]:
        add_pain_entry(store, entry)
    for assessment in diary["assessments"]:
        add_assessment(store, assessment)


def _run_key(run: Run, fields: tuple[str, ...] | None = None) -> tuple[Any, ...]:
    """A run compared field by field, its start by its text (aware datetimes compare the
    instant, which would hide a lost UTC offset)."""
    if fields is None:
        return (run.start.isoformat(), replace(run, id=None))
    return (run.start.isoformat(), *(getattr(run, f) for f in fields))


def everything(store: Store) -> tuple[Any, ...]:
    return (
        [replace(u.shoe, id=None) for u in list_shoes(store)],
        [_run_key(get_run(store, r.id or 0) or r) for r in list_runs(store)],
        list_habit_days(store),
        [replace(e, id=None) for e in list_pain_entries(store)],
        [(a.taken_at.isoformat(), replace(a, id=None)) for a in list_assessments(store)],
    )


def what_csv_holds(store: Store) -> tuple[Any, ...]:
    return (
        [replace(u.shoe, id=None) for u in list_shoes(store)],
        [_run_key(r, CSV_RUN_FIELDS) for r in list_runs(store)],
        list_habit_days(store),
        [replace(e, id=None) for e in list_pain_entries(store)],
    )


def check_round_trips(source: Store, folder: Path) -> None:
    export_json(source, folder / "all.json", NOW)
    via_json = open_store(folder / "j")
    import_json(via_json, folder / "all.json", TODAY)
    assert everything(via_json) == everything(source)
    again = import_json(via_json, folder / "all.json", TODAY)
    assert all(r.added == 0 and r.updated == 0 for r in again)
    export_json(via_json, folder / "again.json", NOW)
    assert (folder / "again.json").read_bytes() == (folder / "all.json").read_bytes()

    export_all(source, folder / "csv", TODAY)
    paths = [folder / "csv" / spec.name for spec in FILES]
    via_csv = open_store(folder / "c")
    import_csv_files(via_csv, paths, TODAY)
    assert what_csv_holds(via_csv) == what_csv_holds(source)
    import_csv_files(via_csv, paths, TODAY)  # a second time adds nothing
    assert what_csv_holds(via_csv) == what_csv_holds(source)
    export_all(via_csv, folder / "csv2", TODAY)
    for spec in FILES:
        assert (folder / "csv2" / spec.name).read_bytes() == (
            folder / "csv" / spec.name
        ).read_bytes()
    for store in (via_json, via_csv):
        store.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(diaries())
def test_hand_entered_data_round_trip_through_json_and_csv(diary: dict[str, list[Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = open_store(folder / "a")
        enter_by_hand(source, diary)
        check_round_trips(source, folder)
        source.close()


def test_a_run_from_every_watch_format_round_trips(tmp_path: Path) -> None:
    source = open_store(tmp_path / "a")
    summary = import_activity_files(source, [DATA / name for name in WATCH_FILES])
    assert summary.runs_added == len(WATCH_FILES), summary.text()
    assert all(get_run(source, r.id or 0).profile for r in list_runs(source))  # type: ignore[union-attr]
    check_round_trips(source, tmp_path)


def test_an_export_imported_into_its_own_store_adds_nothing(tmp_path: Path) -> None:
    """Issue 10: re-importing an export of FIT runs added them again. A run an older version
    saved with more decimals than runs.csv keeps is still known as the same run."""
    store = open_store(tmp_path / "a")
    import_activity_files(store, [DATA / name for name in WATCH_FILES])
    with store.write() as db:
        db.execute("UPDATE run SET distance_m = distance_m + 0.0001234, moving_time_s = 1731.0004")
    export_all(store, tmp_path / "csv", TODAY)
    export_json(store, tmp_path / "all.json", NOW)
    before = len(list_runs(store))
    import_csv_files(store, [tmp_path / "csv" / spec.name for spec in FILES], TODAY)
    import_json(store, tmp_path / "all.json", TODAY)
    assert len(list_runs(store)) == before


def test_runs_csv_writes_what_a_watch_measures_not_long_decimals(tmp_path: Path) -> None:
    """Issue 17: runs.csv held 78.18668566665531. Values are kept to the precision the
    device measures, in the store and the file alike, so the round trip stays exact."""
    store = open_store(tmp_path / "a")
    long = 78.18668566665531
    add_run(
        store,
        Run(
            start=datetime(2025, 5, 1, 7, 30, tzinfo=UTC),
            distance_m=10_012.3456789,
            moving_time_s=3001.23456,
            ascent_m=long,
            descent_m=long,
            avg_hr=141.23456,
            cadence_spm=171.98765,
            vertical_oscillation_cm=8.7654,
        ),
    )
    export_all(store, tmp_path / "csv", TODAY)
    text = (tmp_path / "csv" / "runs.csv").read_text(encoding="utf-8")
    assert ",78.2,78.2,141.2,172,8.8," in text
    assert "10.012346" in text and "78.18" not in text
    check_round_trips(store, tmp_path)
    store.close()
