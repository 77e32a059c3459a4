"""Issue 14: Edit > Settings… (Ctrl+,); each setting is persisted and applied at once."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from backstride.core.models import PainEntry
from backstride.core.profile import Profile
from backstride.core.units import KM, MILES
from backstride.store.database import DB_FILENAME, Store
from backstride.store.pain import add_pain_entry, list_pain_entries
from backstride.store.profile import load_profile
from backstride.store.settings import backup_folder, load_settings
from backstride.ui.app import create_window
from backstride.ui.display_units import UNITS_KEY, display_unit
from backstride.ui.main_window import MainWindow
from backstride.ui.reminders import load_reminder_settings
from backstride.ui.settings import autostart
from backstride.ui.settings.dialog import REPORT_GROUP, SettingsDialog, open_settings
from backstride.ui.worker import database_pool

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    w = create_window(store)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def dialog(qtbot, window: MainWindow) -> SettingsDialog:  # type: ignore[no-untyped-def]
    d = SettingsDialog(window)
    qtbot.addWidget(d)
    d.show()
    return d


def test_ctrl_comma_opens_one_settings_dialog(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    action = window.findChild(QAction, "settings")
    assert action is not None
    assert QKeySequence("Ctrl+,") in action.shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.Preferences) in action.shortcuts() or (
        QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) == []
    )
    action.trigger()
    first = window.findChild(SettingsDialog)
    assert first is not None and first.isVisible()
    assert open_settings(window) is first  # raised, not opened twice
    first.close()


def test_units_are_saved_and_every_page_follows(qtbot, window: MainWindow, dialog) -> None:  # type: ignore[no-untyped-def]
    QSettings().setValue(UNITS_KEY, KM.code)
    dialog.miles.click()
    assert QSettings().value(UNITS_KEY) == MILES.code and display_unit() is MILES
    assert window.miles_action.isChecked()  # the View menu follows the announcement
    dialog.km.click()
    assert display_unit() is KM and not window.miles_action.isChecked()


def test_the_appearance_is_saved_and_applied_at_once(  # type: ignore[no-untyped-def]
    qtbot, qapp, dialog, monkeypatch
) -> None:
    from PySide6.QtGui import QPalette

    from backstride.ui import theme

    monkeypatch.delenv(theme.THEME_ENV, raising=False)
    before = QPalette(qapp.palette())
    try:
        combo = dialog.appearance
        assert combo.currentData() == "system"  # the default
        assert [combo.itemText(i) for i in range(combo.count())] == [
            "Follow the system",
            "Light",
            "Dark",
        ]
        combo.setCurrentIndex(combo.findData("dark"))
        assert QSettings().value(theme.THEME_KEY) == "dark"
        assert theme.current_scheme(qapp) == "dark" and theme.is_dark(qapp.palette())
        assert theme.requested_mode() == "dark"  # the next start too
        combo.setCurrentIndex(combo.findData("light"))
        assert theme.current_scheme(qapp) == "light" and not theme.is_dark(qapp.palette())
        assert SettingsDialog(dialog.window_).appearance.currentData() == "light"
    finally:
        theme.apply_theme(qapp, "light")
        qapp.setPalette(before)


def test_the_daily_reminder_is_saved_and_starts_the_minute_check(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, dialog
) -> None:
    assert load_reminder_settings().daily_at is None  # off by default
    assert not dialog.daily_time.isEnabled()
    dialog.daily.click()
    dialog.daily_time.setTime(QTime(21, 30))
    assert load_reminder_settings().daily_at == time(21, 30)
    assert window.reminders is not None and window.reminders.timer.isActive()
    assert window.reminders.timer.interval() == 60_000
    dialog.morning.click()
    assert load_reminder_settings().morning_after_run
    dialog.daily.click()
    dialog.morning.click()
    assert not load_reminder_settings().any_on
    assert not window.reminders.timer.isActive()  # off: no check each minute


def test_start_on_login_writes_the_autostart_entry(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    if not autostart.supported():
        assert not dialog.autostart.isEnabled()
        return
    dialog.autostart.click()
    assert autostart.entry_path().is_file()
    dialog.autostart.click()
    assert not autostart.entry_path().exists()


def test_report_defaults_are_what_the_report_opens_with(qtbot, window: MainWindow, dialog) -> None:  # type: ignore[no-untyped-def]
    from backstride.ui.report.dialog import ReportDialog

    dialog.tabs.setCurrentIndex(2)
    dialog.report_weeks.setCurrentIndex(dialog.report_weeks.findData(4))
    dialog.report_paper.setCurrentIndex(dialog.report_paper.findData("letter"))
    dialog.report_notes.click()
    s = QSettings()
    s.beginGroup(REPORT_GROUP)
    assert (s.value("weeks"), s.value("paper"), s.value("notes")) in (
        (4, "letter", "false"),
        ("4", "letter", "false"),
    )
    s.endGroup()
    report = ReportDialog(window.ctx, window)
    qtbot.addWidget(report)
    try:
        assert report.period.currentData() == 4
        assert report.paper.currentData() == "letter"
        assert not report.notes.isChecked()
    finally:
        report.close()
        qtbot.waitUntil(lambda: report._task is None, timeout=20_000)


def test_the_backup_folder_and_daily_backup_go_to_settings_json(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, dialog, tmp_path: Path
) -> None:
    data_dir = window.ctx.store.path.parent
    dialog.set_backup_folder(tmp_path / "elsewhere")
    assert backup_folder(data_dir) == tmp_path / "elsewhere"
    assert str(tmp_path / "elsewhere") in dialog.backup_label.text()
    dialog.set_backup_folder(data_dir)  # refused
    assert "other than the data folder" in dialog.status.text()
    assert dialog.daily_backup.isChecked()
    dialog.daily_backup.click()
    assert load_settings(data_dir).daily_backup is False


def test_the_profile_button_edits_the_profile(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, dialog, when_modal
) -> None:
    def fill(profile_dialog: QWidget) -> None:
        profile_dialog.fields.name.setText("Ana")  # type: ignore[attr-defined]
        profile_dialog.fields.height.setText("170")  # type: ignore[attr-defined]
        profile_dialog.save()  # type: ignore[attr-defined]

    dialog.tabs.setCurrentIndex(1)
    assert dialog.profile_label.text() == "No profile yet."
    when_modal(fill)
    dialog.edit_profile()
    assert load_profile(window.ctx.store) == Profile("Ana", height_cm=170.0)
    assert "Ana · 170 cm" in dialog.profile_label.text()
    dialog.miles.click()  # the profile follows the runner's units
    assert "Ana · 5 ft 7 in" in dialog.profile_label.text()
    dialog.km.click()
    window.ctx.undo.undo()  # the operation's undo
    assert load_profile(window.ctx.store).empty


def test_moving_the_data_folder_copies_checks_then_switches(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, dialog, tmp_path: Path
) -> None:
    add_pain_entry(store, PainEntry(day=date(2026, 11, 30), intensity=4))
    old = store.path
    target = tmp_path / "moved here"
    dialog.tabs.setCurrentIndex(3)
    moved_to: list[Path] = []
    window.relocated.connect(moved_to.append)  # the app's one-window lock follows it
    dialog.move_data(target)
    assert dialog.busy and not dialog.move_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert moved_to == [target]
    assert database_pool().waitForDone(5000)
    assert store.path == target / DB_FILENAME, dialog.status.text()
    assert not old.exists()  # removed only after the copy was checked and opened
    assert len(list_pain_entries(store)) == 1
    add_pain_entry(store, PainEntry(day=date(2026, 12, 1), intensity=2))  # writes go there
    assert "now in" in dialog.status.text() and str(target) in dialog.data_label.text()
    # The test's data folder comes from BACKSTRIDE_DATA_DIR: the next start is not changed.
    assert "BACKSTRIDE_DATA_DIR" in dialog.status.text()
    assert load_settings(target).backup_folder == old.parent / "backups"


def test_a_move_into_a_folder_with_data_is_refused_and_nothing_changes(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, dialog, tmp_path: Path
) -> None:
    from backstride.store.database import open_store

    open_store(tmp_path / "taken").close()
    old = store.path
    dialog.move_data(tmp_path / "taken")
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert "holds a Backstride data file" in dialog.status.text()
    assert store.path == old and old.exists()


def test_mnemonics_of_each_tab_are_unique_and_land(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.test_mnemonics import check

    dialog = SettingsDialog(window)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        check(qtbot, dialog)


def test_the_check_up_is_filled_in_from_the_profile_where_the_log_is_silent(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, monkeypatch
) -> None:
    from backstride.store.profile import save_profile
    from backstride.ui.checkup import wizard as wizard_module

    save_profile(store, Profile("Ana", 1985, 172.0, 80.0, 2015), window.ctx.today())
    built: list[wizard_module.CheckupWizard] = []
    monkeypatch.setattr(wizard_module.CheckupWizard, "exec", lambda self: built.append(self) or 0)
    page = window.checkup
    monkeypatch.setattr(
        "backstride.store.assessments.running_prefill", lambda s, today=None: {"weight_kg": 71.5}
    )
    page.start_checkup()
    wizard = built[0]
    fields = wizard.fields
    age = window.ctx.today().year - 1985
    assert fields["age"].value() == age and "year of birth" in fields["age"].note.text()
    assert fields["height_cm"].value() == 172.0
    assert fields["height_cm"].note.text() == wizard_module.PROFILE_FIELD_NOTE
    assert fields["weight_kg"].value() == 71.5  # the training log's recent weight comes first
    assert fields["weight_kg"].note.text() == wizard_module.PREFILL_FIELD_NOTE
    wizard._dirty = False
    wizard.close()
