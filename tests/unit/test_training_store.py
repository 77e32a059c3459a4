from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from backstride.cli import main
from backstride.core.errors import CsvError, ValidationError
from backstride.core.models import Dataset, HabitDay, PainEntry, ProfilePoint, Run, Shoe
from backstride.core.training import run_doubts, validate_habit_day, validate_run, validate_shoe
from backstride.store.database import Store, StoreError, open_store
from backstride.store.demo import fill_demo, holds_data
from backstride.store.exchange import export_all, import_csv_files
from backstride.store.habits import delete_habit_day, get_habit_day, save_habit_day
from backstride.store.pain import add_pain_entry
from backstride.store.runs import add_run, delete_run, get_run, list_runs, update_run
from backstride.store.shoes import add_shoe, delete_shoe, list_shoes, restore_shoe

TODAY = date(2026, 11, 26)
TZ = timezone(timedelta(hours=1))


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = open_store(tmp_path / "d")
    yield s
    s.close()


def _run(**kw: object) -> Run:
    base: dict[str, object] = dict(
        start=datetime(2026, 11, 20, 7, 30, tzinfo=TZ),
        distance_m=10000.0,
        moving_time_s=3000.0,
        descent_m=120.0,
        rpe=5,
        warmup_min=10,
    )
    base.update(kw)
    return Run(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"distance_m": 0.0}, "distance"),
        ({"avg_hr": 300.0}, "avg_hr"),
        ({"start": datetime(2026, 12, 25, 7, 0, tzinfo=TZ)}, "date"),
        ({"distance_m": -5.0}, "distance"),
        ({"rpe": 11}, "rpe"),
        ({"surface": "ice"}, "surface"),
        ({"cadence_spm": 20.0}, "cadence"),
    ],
)
def test_impossible_runs_are_refused_with_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_run(_run(**changes), TODAY)
    assert info.value.problems[0].field == field


def test_unusual_pace_asks_for_confirmation() -> None:
    fast = _run(distance_m=5000.0, moving_time_s=800.0)  # 2:40 min/km
    assert validate_run(fast, TODAY) == fast
    (doubt,) = run_doubts(fast)
    assert "2:40" in doubt.message and "2:50" in doubt.message
    assert run_doubts(_run()) == []


def test_habits_and_shoes_validation() -> None:
    with pytest.raises(ValidationError, match="sleep"):
        validate_habit_day(HabitDay(day=TODAY, sleep_h=25), TODAY)
    with pytest.raises(ValidationError, match="future"):
        validate_habit_day(HabitDay(day=TODAY + timedelta(days=1)), TODAY)
    with pytest.raises(ValidationError, match="name"):
        validate_shoe(Shoe(name="  "), TODAY)


def test_run_crud_keeps_profile_and_shoe(store: Store) -> None:
    shoe = add_shoe(store, Shoe(name="Pegasus", first_used=date(2026, 1, 1)))
    run = add_run(
        store,
        _run(
            shoe="Pegasus",
            profile=(ProfilePoint(0, 0, 100.0), ProfilePoint(10, 30, 99.5, 333.0, 170.0, 140.0)),
        ),
    )
    assert run.id is not None
    got = get_run(store, run.id)
    assert got is not None and got.shoe == "Pegasus" and len(got.profile) == 2
    update_run(store, got.__class__(**{**{f: getattr(got, f) for f in got.__slots__}, "rpe": 8}))
    assert get_run(store, run.id).rpe == 8  # type: ignore[union-attr]
    removed = delete_run(store, run.id)
    assert removed is not None and list_runs(store) == []
    add_run(store, removed)
    assert get_run(store, run.id) == removed
    (use,) = list_shoes(store)
    assert use.shoe.id == shoe.id and use.distance_m == 10000.0 and use.runs == 1
    with pytest.raises(StoreError, match="no shoe called"):
        add_run(store, _run(shoe="Nope"))


def test_deleting_a_shoe_unlinks_runs_and_undo_relinks(store: Store) -> None:
    shoe = add_shoe(store, Shoe(name="Clifton", warn_km=500))
    add_run(store, _run(shoe="Clifton"))
    gone = delete_shoe(store, shoe.id or 0)
    assert gone is not None and list_runs(store)[0].shoe is None
    restore_shoe(store, *gone)
    assert list_runs(store)[0].shoe == "Clifton"


def test_habit_upsert_returns_previous_for_undo(store: Store) -> None:
    assert save_habit_day(store, HabitDay(day=TODAY, core_min=10)) is None
    before = save_habit_day(store, HabitDay(day=TODAY, core_min=20, sleep_h=7.5))
    assert before == HabitDay(day=TODAY, core_min=10)
    assert get_habit_day(store, TODAY) == HabitDay(day=TODAY, core_min=20, sleep_h=7.5)
    assert delete_habit_day(store, TODAY) is not None and get_habit_day(store, TODAY) is None


RUNS_HEADER = (
    "date,start_time,distance_km,moving_time_min,ascent_m,descent_m,avg_hr,cadence_spm,"
    "vertical_oscillation_cm,rpe,warmup_min,surface,shoe,note,source\n"
)


def test_training_csv_round_trip_and_empty_cells_stay_unknown(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "runs.csv").write_text(
        RUNS_HEADER
        + "2026-11-01,07:05+01:00,10.25,52.5,120,130.5,151,172,8.4,6,12,trail,Speedgoat,"
        + '"hills, wet",manual\n'
        + "2026-11-03,18:00:30-05:00,5,27.75,,,,,,,,,,,manual\n",
        encoding="utf-8",
    )
    (src / "habits.csv").write_text(
        "date,core_min,stretch_min,cross_min,sleep_h,weight_kg,fatigue,sitting_h,note\n"
        "2026-11-01,15,10,,7.5,72.4,3,8,\n2026-11-02,,,,,,,,\n",
        encoding="utf-8",
    )
    (src / "shoes.csv").write_text(
        "name,first_used,retired,warn_km\nSpeedgoat,2026-01-10,,800\n", encoding="utf-8"
    )
    a = open_store(tmp_path / "a")
    import_csv_files(a, sorted(src.iterdir()), TODAY)
    runs = list_runs(a)
    assert runs[1].ascent_m is None and runs[1].rpe is None and runs[1].warmup_min is None
    assert (
        runs[0].distance_m == 10250.0
        and runs[0].moving_time_s == 3150.0
        and runs[0].shoe == "Speedgoat"
    )
    assert get_habit_day(a, date(2026, 11, 2)) == HabitDay(day=date(2026, 11, 2))
    export_all(a, tmp_path / "out", TODAY)
    for name in ("runs.csv", "habits.csv", "shoes.csv"):
        assert (tmp_path / "out" / name).read_text(encoding="utf-8").replace("\r\n", "\n") == (
            src / name
        ).read_text(encoding="utf-8")
    # a second import adds no duplicate runs
    (_, added, skipped), *_ = [r for r in import_csv_files(a, [src / "runs.csv"], TODAY)]
    assert (added, skipped) == (0, 2)
    a.close()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2026-11-01,07:05,abc,50,,,,,,,,,,,manual", "distance_km"),
        ("2026-11-01,7 am,10,50,,,,,,,,,,,manual", "start_time"),
        ("2026-11-01,07:05,10,50,,,300,,,,,,,,manual", "avg_hr"),
        ("2026-11-01,07:05,0,50,,,,,,,,,,,manual", "distance_km"),
    ],
)
def test_bad_runs_csv_imports_nothing(tmp_path: Path, row: str, column: str) -> None:
    path = tmp_path / "runs.csv"
    path.write_text(
        RUNS_HEADER + "2026-11-02,07:00,5,30,,,,,,,,,,,manual\n" + row + "\n", encoding="utf-8"
    )
    s = open_store(tmp_path / "d")
    with pytest.raises(CsvError) as info:
        import_csv_files(s, [path], TODAY)
    assert (info.value.line, info.value.column) == (3, column)
    assert list_runs(s) == []
    s.close()


def test_demo_refuses_user_data_and_is_reproducible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "x"), "demo", "--days", "60", "--seed", "3"]) == 0
    assert main(["--data-dir", str(tmp_path / "y"), "demo", "--days", "60", "--seed", "3"]) == 0
    assert main(["--data-dir", str(tmp_path / "x"), "export", str(tmp_path / "ex")]) == 0
    assert main(["--data-dir", str(tmp_path / "y"), "export", str(tmp_path / "ey")]) == 0
    for name in ("runs.csv", "pain.csv", "habits.csv", "shoes.csv"):
        assert (tmp_path / "ex" / name).read_bytes() == (tmp_path / "ey" / name).read_bytes()
    # a demo database may be refilled; a real one is refused
    assert main(["--data-dir", str(tmp_path / "x"), "demo", "--days", "30"]) == 0
    real = open_store(tmp_path / "real")
    add_pain_entry(real, PainEntry(day=TODAY, intensity=1))
    with pytest.raises(StoreError, match="holds your own data"):
        fill_demo(real, Dataset(), "demo")
    assert holds_data(real)
    real.close()
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "real"), "demo"]) == 1
    assert "your own data" in capsys.readouterr().err


def test_time_zone_of_hand_written_runs(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text(RUNS_HEADER + "2026-07-01,07:00,5,30,,,,,,,,,,,manual\n", encoding="utf-8")
    s = open_store(tmp_path / "d")
    import_csv_files(s, [path], TODAY, local_zone=timezone(timedelta(hours=2)))
    (run,) = list_runs(s)
    assert run.start.utcoffset() == timedelta(hours=2) and run.start.time() == time(7, 0)
    s.close()
