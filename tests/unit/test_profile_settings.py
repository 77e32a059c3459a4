"""Issue 14: the profile (limits, storage, operation, report header, check-up answers), the
reminder rules, moving the data folder, and starting on login."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, datetime, time
from pathlib import Path

import pytest

from backstride.core.errors import ValidationError
from backstride.core.models import PainEntry
from backstride.core.profile import LIMITS, Profile, checkup_answers, header_parts
from backstride.core.profile import profile_problems as problems
from backstride.core.reminders import (
    CHECKIN,
    DAILY,
    MORNING,
    Logged,
    ReminderSettings,
    due_reminders,
    parse_time,
)
from backstride.operations.profile import update_profile
from backstride.store import location
from backstride.store.database import DB_FILENAME, Store, open_store
from backstride.store.pain import add_pain_entry, list_pain_entries
from backstride.store.profile import load_profile, save_profile
from backstride.store.settings import backup_folder, load_settings, update_settings
from backstride.ui.settings import autostart

TODAY = date(2026, 12, 1)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "data")
    yield s  # type: ignore[misc]
    s.close()


# -- profile ---------------------------------------------------------------------------
def fields(found: list) -> set[str]:  # type: ignore[type-arg]
    return {p.field for p in found}


def test_profile_limits_are_the_checkups_and_the_habit_logs() -> None:
    assert (LIMITS["height_cm"].low, LIMITS["height_cm"].high) == (50, 250)
    assert (LIMITS["weight_kg"].low, LIMITS["weight_kg"].high) == (25, 300)
    assert problems(Profile("A", 1985, 172.5, 68.0, 2010), TODAY) == []
    assert fields(problems(Profile(height_cm=49.9), TODAY)) == {"height_cm"}
    assert fields(problems(Profile(weight_kg=301), TODAY)) == {"weight_kg"}
    assert fields(problems(Profile(weight_kg=float("nan")), TODAY)) == {"weight_kg"}
    assert fields(problems(Profile(birth_year=2027), TODAY)) == {"birth_year"}
    found = problems(Profile(birth_year=1990, running_since=1985), TODAY)
    assert fields(found) == {"running_since"} and "year of birth" in found[0].message
    assert fields(problems(Profile(running_since=2027), TODAY)) == {"running_since"}
    assert fields(problems(Profile(name="a\x07b"), TODAY)) == {"name"}


def test_the_profile_is_stored_in_meta_and_read_back(store: Store) -> None:
    saved = save_profile(store, Profile(" Ana ", 1980, 165.5, 60.2, 2001), TODAY)
    assert saved.name == "Ana"
    assert load_profile(store) == Profile("Ana", 1980, 165.5, 60.2, 2001)
    save_profile(store, Profile(), TODAY)  # empty fields clear it
    assert load_profile(store).empty
    store.set_meta("profile.height_cm", "tall")  # a damaged value reads as unknown
    assert load_profile(store).height_cm is None
    with pytest.raises(ValidationError) as refused:
        save_profile(store, Profile(height_cm=400), TODAY)
    assert "50-250 cm" in str(refused.value)


def test_the_profile_operation_undoes_to_the_earlier_profile(store: Store) -> None:
    save_profile(store, Profile("Old", 1970), TODAY)
    change = update_profile(store, Profile("New", 1971, 180, 80, 1990), TODAY)
    assert load_profile(store).name == "New" and change.kinds == ("profile",)
    change.undo()
    assert load_profile(store) == Profile("Old", 1970)
    change.redo()
    assert load_profile(store).height_cm == 180


def test_the_check_up_answers_the_profile_gives() -> None:
    profile = Profile("A", 1985, 172.0, 68.5, 2015)
    assert checkup_answers(profile, TODAY) == {"age": 41, "height_cm": 172.0, "weight_kg": 68.5}
    assert checkup_answers(Profile(running_since=2015), TODAY) == {}  # no question asks it
    assert checkup_answers(Profile(birth_year=1900), TODAY) == {}  # 126: past the answer's 120


def test_the_report_header_prints_the_profile() -> None:
    from backstride.core.models import Dataset
    from backstride.report.data import build_report
    from backstride.report.options import ReportOptions

    profile = Profile("Ana", 1985, 172.0, 68.5, 2015)
    assert header_parts(profile, TODAY) == [
        "Ana",
        "born 1985 (41 this year)",
        "172 cm",
        "68.5 kg",
        "running since 2015",
    ]
    options = ReportOptions(start=date(2026, 11, 1), end=TODAY)
    now = datetime(2026, 12, 1, 9, 0)
    report = build_report(Dataset(), [], options, now, profile=profile)
    assert report.profile == profile and report.name == "Ana" and report.birth_year == 1985
    older = build_report(Dataset(), [], options, now, name="B", birth_year=1990)
    assert older.profile == Profile("B", 1990)


def test_height_and_weight_in_the_runners_units_are_stored_in_cm_and_kg() -> None:
    from backstride.core.errors import FieldProblem
    from backstride.core.profile import measure_problems
    from backstride.core.typed_text import FieldError
    from backstride.core.units import KM, MILES, parse_height, parse_weight

    for typed in ("5 ft 10 in", "5'10\"", "5’10”", "5 10", "70", "70 in", "5 feet 10 inches"):
        assert parse_height(typed, MILES) == 177.8, typed
    assert parse_height("6 ft", MILES) == 182.88
    assert parse_height("", MILES) is None and parse_height("172,5", KM) == 172.5
    for bad in ("5 ft 12 in", "tall", "5 ft 10 in 3", "-5 10"):
        with pytest.raises(FieldError, match=r"e\.g\. 5 ft 10 in"):
            parse_height(bad, MILES)
    assert parse_weight("150", MILES) == 68.04 and parse_weight("68.5", KM) == 68.5
    profile = Profile("Ana", 1985, 172.0, 68.5, 2015)
    assert header_parts(profile, TODAY, MILES)[2:4] == ["5 ft 8 in", "151 lb"]
    assert header_parts(profile, TODAY, KM)[2:4] == ["172 cm", "68.5 kg"]
    # The limits are the ones in cm and kg, said in the runner's units (and within them).
    too_big = Profile(height_cm=251.0, weight_kg=301.0)
    assert measure_problems(too_big, MILES) == [
        FieldProblem(
            "height_cm",
            "Give a height of 1 ft 8 in to 8 ft 2 in (e.g. 5 ft 10 in, or 70 in), or leave it "
            "empty.",
        ),
        FieldProblem("weight_kg", "Give a weight of 56-661 lb, or leave it empty."),
    ]
    assert [p.message for p in problems(too_big, TODAY)] == [
        "Give a height of 50-250 cm, or leave it empty.",
        "Give a weight of 25-300 kg, or leave it empty.",
    ]
    edges = (parse_height("1 ft 8 in", MILES), parse_height("8 ft 2 in", MILES))
    assert all(e is not None and LIMITS["height_cm"].holds(e) for e in edges)
    edges = (parse_weight("56", MILES), parse_weight("661", MILES))
    assert all(e is not None and LIMITS["weight_kg"].holds(e) for e in edges)


def test_the_report_header_is_in_the_reports_units() -> None:
    from backstride.core.models import Dataset
    from backstride.report.data import build_report
    from backstride.report.options import ReportOptions

    profile = Profile("Ana", 1985, 172.0, 68.5, 2015)
    now = datetime(2026, 12, 1, 9, 0)
    miles = ReportOptions(start=date(2026, 11, 1), end=TODAY, unit="mi")
    assert build_report(Dataset(), [], miles, now, profile=profile).profile_parts == [
        "Ana",
        "born 1985 (41 this year)",
        "5 ft 8 in",
        "151 lb",
        "running since 2015",
    ]
    km = ReportOptions(start=date(2026, 11, 1), end=TODAY)
    assert "172 cm" in build_report(Dataset(), [], km, now, profile=profile).profile_parts


def test_the_pdf_header_prints_height_weight_and_running_since(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    from backstride.core.models import Dataset
    from backstride.report.data import build_report
    from backstride.report.options import ReportOptions
    from backstride.report.pdf import render_pdf

    profile = Profile("Ana", 1985, 172.0, 68.5, 2015)
    options = ReportOptions(start=date(2026, 11, 1), end=TODAY)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(
        render_pdf(build_report(Dataset(), [], options, datetime(2026, 12, 1), profile=profile))
    )
    page1 = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Ana · born 1985 (41 this year) · 172 cm · 68.5 kg · running since 2015" in page1


# -- reminders -------------------------------------------------------------------------
AT_8PM = ReminderSettings(daily_at=time(20, 0))


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def kinds(found: list) -> list[str]:  # type: ignore[type-arg]
    return [r.kind for r in found]


def test_the_daily_reminder_comes_at_its_time_once_and_only_if_nothing_is_logged() -> None:
    nothing = Logged()
    assert due_reminders(AT_8PM, at(19, 59), nothing) == []
    due = due_reminders(AT_8PM, at(20, 0), nothing)
    assert kinds(due) == [DAILY] and due[0].day == TODAY
    assert due_reminders(AT_8PM, at(21, 0), nothing, shown={(DAILY, TODAY)}) == []
    assert due_reminders(AT_8PM, at(20, 0), Logged(today_entries=1)) == []
    assert due_reminders(AT_8PM, at(20, 0), Logged(today_runs=1)) == []
    assert due_reminders(ReminderSettings(), at(20, 0), nothing) == []  # off by default


def test_the_morning_prompt_follows_a_run_day_before_ten() -> None:
    on = ReminderSettings(morning_after_run=True)
    ran = Logged(ran_yesterday=True)
    assert due_reminders(on, at(5, 59), ran) == []
    assert kinds(due_reminders(on, at(6, 0), ran)) == [MORNING]
    assert kinds(due_reminders(on, at(9, 59), ran)) == [MORNING]
    assert due_reminders(on, at(10, 0), ran) == []
    assert due_reminders(on, at(7, 0), Logged()) == []  # no run yesterday
    assert due_reminders(on, at(7, 0), Logged(ran_yesterday=True, today_on_waking=True)) == []
    assert due_reminders(on, at(7, 0), ran, shown={(MORNING, TODAY)}) == []


def test_the_experiment_check_in_comes_at_the_daily_time_once_a_day() -> None:
    question = "Did you keep to the plan today?"
    logged = Logged(today_entries=2)  # asked even when the diary is filled in
    assert due_reminders(AT_8PM, at(19, 0), logged, checkin_question=question) == []
    found = due_reminders(AT_8PM, at(20, 0), logged, checkin_question=question)
    assert kinds(found) == [CHECKIN] and found[0].text == question
    assert (
        due_reminders(AT_8PM, at(21, 0), Logged(), {(DAILY, TODAY), (CHECKIN, TODAY)}, question)
        == []
    )
    morning_only = ReminderSettings(morning_after_run=True)
    assert due_reminders(morning_only, at(21, 0), logged, checkin_question=question) == []


def test_reminder_times_are_read_as_hh_mm() -> None:
    assert parse_time(" 7:05 ") == time(7, 5) and parse_time("") is None
    for bad in ("24:00", "7.30", "noon", "07:60"):
        with pytest.raises(ValueError, match="HH:MM"):
            parse_time(bad)


# -- moving the data folder ---------------------------------------------------------------
def test_moving_copies_checks_and_keeps_the_backups_where_they_are(
    store: Store, tmp_path: Path
) -> None:
    add_pain_entry(store, PainEntry(day=TODAY, intensity=3))
    update_settings(store.path.parent, daily_backup=False)
    old_backups = backup_folder(store.path.parent)
    target = location.move_data_file(store, tmp_path / "new place")
    assert target == tmp_path / "new place" / DB_FILENAME
    assert store.path.exists()  # the live file is not touched: the caller switches
    assert sorted(p.name for p in target.parent.iterdir()) == [DB_FILENAME, "settings.json"]
    assert target.stat().st_mode & 0o777 == 0o600
    moved = load_settings(target.parent)
    assert moved.backup_folder == old_backups and moved.daily_backup is False
    old_path = store.path
    store.relocate(target)
    assert location.retire_data_file(old_path, target) is None
    assert not old_path.exists() and len(list_pain_entries(store)) == 1
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _moved(store: Store, tmp_path: Path) -> tuple[Path, Path]:
    add_pain_entry(store, PainEntry(day=TODAY, intensity=3))
    old_path = store.path
    target = location.move_data_file(store, tmp_path / "new place")
    store.relocate(target)
    return old_path, target


def test_the_old_file_is_kept_while_another_process_has_it_open(
    store: Store, tmp_path: Path
) -> None:
    """Deleting a file (or its -wal) another connection has open would lose its writes."""
    old_path, target = _moved(store, tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            "c.execute('SELECT count(*) FROM pain_entry').fetchone(); print('open', flush=True);"
            "sys.stdin.read()",
            str(old_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        kept = location.retire_data_file(old_path, target)
        assert kept is not None and "still has it open" in kept and old_path.exists()
    finally:
        holder.communicate("")
    assert location.retire_data_file(old_path, target) is None  # once it has closed
    assert not old_path.exists()


def test_the_old_file_is_kept_when_it_changed_after_the_copy(store: Store, tmp_path: Path) -> None:
    old_path, target = _moved(store, tmp_path)
    with closing(sqlite3.connect(old_path)) as late:  # a command that wrote meanwhile
        late.execute("UPDATE pain_entry SET intensity = 4")
        late.commit()
    kept = location.retire_data_file(old_path, target)
    assert kept is not None and "changed after it was copied" in kept
    assert old_path.exists()


def test_moving_refuses_a_folder_with_data_and_the_same_folder(
    store: Store, tmp_path: Path
) -> None:
    other = open_store(tmp_path / "other")
    other.close()
    with pytest.raises(location.MoveError, match="holds a Backstride data file"):
        location.move_data_file(store, tmp_path / "other")
    with pytest.raises(location.MoveError, match="already"):
        location.move_data_file(store, store.path.parent)
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    with pytest.raises(location.MoveError, match="cannot write into"):
        location.move_data_file(store, blocked)
    assert store.path.exists()


def test_a_moved_folder_is_what_the_next_start_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(location.DATA_DIR_ENV)
    usual = location.usual_data_dir()
    assert location.default_data_dir() == usual
    location.remember_data_dir(tmp_path / "moved")
    assert location.default_data_dir() == tmp_path / "moved"
    assert location.resolve_data_dir(None) == tmp_path / "moved"
    assert location.resolve_data_dir(str(tmp_path / "cli")) == tmp_path / "cli"  # still first
    monkeypatch.setenv(location.DATA_DIR_ENV, str(tmp_path / "env"))
    assert location.default_data_dir() == tmp_path / "env"
    monkeypatch.delenv(location.DATA_DIR_ENV)
    location.remember_data_dir(usual)  # moving back forgets the note
    assert location.remembered_data_dir() is None
    location._pointer().write_text("{broken", encoding="utf-8")
    assert location.default_data_dir() == usual


# -- starting on login -----------------------------------------------------------------------
def test_start_on_login_writes_and_removes_the_autostart_entry() -> None:
    if not autostart.supported():
        pytest.skip("autostart is implemented for XDG desktops only")
    path = autostart.entry_path()
    assert "config" in str(path) and not autostart.is_enabled()
    autostart.set_enabled(True)
    text = path.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text and "Exec=" in text and autostart.is_enabled()
    autostart.set_enabled(False)
    assert not path.exists() and not autostart.is_enabled()
    line = autostart.entry_text(["/opt/my apps/backstride", "50%"]).splitlines()[4]
    assert line == 'Exec="/opt/my apps/backstride" "50%%"'


def test_a_move_is_followed_only_when_the_next_start_opened_the_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(location.DATA_DIR_ENV)
    usual = location.usual_data_dir()
    assert location.follow_move(usual, tmp_path / "new")
    assert location.default_data_dir() == tmp_path / "new"
    assert not location.follow_move(tmp_path / "a --data-dir folder", tmp_path / "other")
    assert location.default_data_dir() == tmp_path / "new"  # unchanged
