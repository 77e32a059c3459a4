"""Edit > Settings… (Ctrl+,): every setting in one dialog, each saved and applied as soon as
it is changed (there is nothing to confirm):

- General: distances in km or miles (QSettings, as View › Distances in miles), the
  appearance (light, dark or following the system: ui.theme, applied at once), the daily
  reminder and the morning prompt (ui.reminders), starting on login (ui.settings.autostart),
  keeping running in the system tray when the window is closed (ui.reminders);
- Profile: what it holds, and the Profile dialog;
- Report: the period, paper and notes the report dialog opens with (its own QSettings);
- Data: the backup folder and daily backup (settings.json, as File › Backups…), and moving
  the data folder (store.location.move_data_file: a checked copy, then the switch).
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTime
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from backstride.core.profile import header_parts
from backstride.core.reminders import DEFAULT_TIME, MORNING_UNTIL, ReminderSettings
from backstride.core.units import KM, MILES
from backstride.report.options import DEFAULT_WEEKS, PAPERS, WEEK_CHOICES
from backstride.store.settings import backup_folder, load_settings
from backstride.ui import theme
from backstride.ui.display_units import display_unit, set_display_unit
from backstride.ui.errors import error_text, show_error
from backstride.ui.reminders import (
    keep_in_tray,
    load_reminder_settings,
    save_reminder_settings,
    set_keep_in_tray,
    tray_available,
)
from backstride.ui.screen_fit import resize_within_screen
from backstride.ui.settings import autostart
from backstride.ui.task_dialog import TaskDialog
from backstride.ui.worker import Progress

if TYPE_CHECKING:
    from backstride.ui.main_window import MainWindow

REPORT_GROUP = "report"  # the report dialog's remembered options (ui.report.dialog)
PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}


class SettingsDialog(TaskDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, "settings_status")
        self.setObjectName("SettingsDialog")
        self.setWindowTitle("Settings")
        self.window_ = window
        self.ctx = window.ctx
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        self.tabs.addTab(self._general(), "&General")
        self.tabs.addTab(self._profile(), "&Profile")
        self.tabs.addTab(self._report(), "&Report")
        self.tabs.addTab(self._data(), "&Data")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        resize_within_screen(self, 640, 540)

    # -- general ------------------------------------------------------------------
    def _general(self) -> QWidget:
        page = QWidget()
        units = QGroupBox("Display")
        self.km = QRadioButton("&Kilometres")
        self.km.setObjectName("settings_km")
        self.miles = QRadioButton("&Miles")
        self.miles.setObjectName("settings_miles")
        group = QButtonGroup(units)
        group.addButton(self.km)
        group.addButton(self.miles)
        (self.miles if display_unit() is MILES else self.km).setChecked(True)
        self.miles.toggled.connect(self._set_units)
        row = QHBoxLayout()
        row.addWidget(self.km)
        row.addWidget(self.miles)
        row.addStretch(1)
        self.appearance = QComboBox()
        self.appearance.setObjectName("settings_appearance")
        for mode in theme.MODES:
            self.appearance.addItem(theme.MODE_NAMES[mode], mode)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(theme.saved_mode())))
        self.appearance.currentIndexChanged.connect(self._set_appearance)
        display = QFormLayout(units)
        display.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        display.addRow("Distances:", row)
        label = QLabel("App&earance:")
        label.setBuddy(self.appearance)
        display.addRow(label, self.appearance)
        forced = theme.env_mode()
        if forced is not None:
            display.addRow(
                "",
                QLabel(f"{theme.THEME_ENV}={forced} is set: it decides the appearance at start."),
            )

        reminders = QGroupBox("Reminders (while Backstride runs)")
        current = load_reminder_settings()
        self.daily = QCheckBox("Daily reminder a&t")
        self.daily.setObjectName("settings_daily_reminder")
        self.daily.setToolTip("Only when nothing is logged for the day yet")
        self.daily_time = QTimeEdit()
        self.daily_time.setObjectName("settings_daily_time")
        self.daily_time.setDisplayFormat("HH:mm")
        self.daily_time.setAccessibleName("Daily reminder time")
        shown = current.daily_at or DEFAULT_TIME
        self.daily_time.setTime(QTime(shown.hour, shown.minute))
        self.daily.setChecked(current.daily_at is not None)
        self.daily_time.setEnabled(current.daily_at is not None)
        self.morning = QCheckBox(
            f"Ask about my back the morning &after a run (until {MORNING_UNTIL:%H:%M})"
        )
        self.morning.setObjectName("settings_morning_prompt")
        self.morning.setChecked(current.morning_after_run)
        self.daily.toggled.connect(self._set_reminders)
        self.daily_time.timeChanged.connect(self._set_reminders)
        self.morning.toggled.connect(self._set_reminders)
        daily_row = QHBoxLayout()
        daily_row.addWidget(self.daily)
        daily_row.addWidget(self.daily_time)
        daily_row.addStretch(1)
        note = QLabel(
            "The daily reminder comes only if nothing is logged that day; a running "
            "experiment's daily question comes with it. Reminders appear in the system tray "
            "when your desktop has one, otherwise in this window."
        )
        note.setWordWrap(True)
        box = QVBoxLayout(reminders)
        box.addLayout(daily_row)
        box.addWidget(self.morning)
        box.addWidget(note)

        login = QGroupBox("Starting and closing")
        self.autostart = QCheckBox("Start Backstride when I &log in")
        self.autostart.setObjectName("settings_autostart")
        login_box = QVBoxLayout(login)
        login_box.addWidget(self.autostart)
        if autostart.supported():
            self.autostart.setChecked(autostart.is_enabled())
            self.autostart.toggled.connect(self._set_autostart)
            where = QLabel(f"Adds {_home_short(autostart.entry_path())}.")
        else:
            self.autostart.setEnabled(False)
            where = QLabel("Not available yet on Windows and macOS (only on Linux desktops).")
        where.setWordWrap(True)
        login_box.addWidget(where)
        self.keep_in_tray = QCheckBox("Keep running in the tra&y when the window is closed")
        self.keep_in_tray.setObjectName("settings_keep_in_tray")
        login_box.addWidget(self.keep_in_tray)
        if tray_available():
            self.keep_in_tray.setChecked(keep_in_tray())
            self.keep_in_tray.toggled.connect(self._set_keep_in_tray)
            tray_note = QLabel(
                "Closing the window then leaves Backstride in the system tray, so reminders "
                "keep coming; quit from the tray icon's menu (or File › Quit)."
            )
        else:
            self.keep_in_tray.setEnabled(False)
            tray_note = QLabel(
                "Not available: your desktop has no system tray, so closing the window quits "
                "Backstride (and reminders come only while it is open)."
            )
        tray_note.setObjectName("settings_tray_note")
        tray_note.setWordWrap(True)
        login_box.addWidget(tray_note)

        layout = QVBoxLayout(page)
        layout.addWidget(units)
        layout.addWidget(reminders)
        layout.addWidget(login)
        layout.addStretch(1)
        return page

    def _set_units(self) -> None:
        set_display_unit(MILES if self.miles.isChecked() else KM, self.ctx.events)
        self._show_profile()  # height and weight in the new units

    def _set_appearance(self) -> None:
        mode = str(self.appearance.currentData())
        theme.save_mode(mode)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, mode)

    def reminder_settings(self) -> ReminderSettings:
        t = self.daily_time.time()
        return ReminderSettings(
            daily_at=time(t.hour(), t.minute()) if self.daily.isChecked() else None,
            morning_after_run=self.morning.isChecked(),
        )

    def _set_reminders(self) -> None:
        self.daily_time.setEnabled(self.daily.isChecked())
        save_reminder_settings(self.reminder_settings())
        self.window_.start_reminders()

    def _set_keep_in_tray(self, on: bool) -> None:
        set_keep_in_tray(on)
        self.window_.start_reminders()  # the tray icon shows (or goes) at once

    def _set_autostart(self, on: bool) -> None:
        try:
            autostart.set_enabled(on)
        except OSError as exc:
            show_error(self, "Could not change starting on login", exc)
            self.autostart.blockSignals(True)
            self.autostart.setChecked(autostart.is_enabled())
            self.autostart.blockSignals(False)

    # -- profile ----------------------------------------------------------------------
    def _profile(self) -> QWidget:
        page = QWidget()
        self.profile_label = QLabel()
        self.profile_label.setObjectName("settings_profile")
        self.profile_label.setWordWrap(True)
        edit = QPushButton("&Edit profile…")
        edit.setObjectName("settings_edit_profile")
        edit.clicked.connect(self.edit_profile)
        intro = QLabel(
            "Your name, year of birth, height, weight and the year you started running: "
            "printed at the top of the report, and offered as answers in the check-up. All "
            "optional; they stay in your data file."
        )
        intro.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.profile_label)
        layout.addLayout(row)
        layout.addStretch(1)
        self._show_profile()
        return page

    def _show_profile(self) -> None:
        from backstride.store.profile import load_profile

        try:
            parts = header_parts(load_profile(self.ctx.store), self.ctx.today(), display_unit())
        except Exception as exc:
            self.profile_label.setText(f"Your profile cannot be read: {error_text(exc)}")
            return
        self.profile_label.setText(
            "On the report: " + " · ".join(parts) if parts else "No profile yet."
        )

    def edit_profile(self) -> None:
        from backstride.ui.report.profile_dialog import open_profile_dialog

        if open_profile_dialog(self.ctx, self) is not None:
            self._show_profile()

    # -- report -----------------------------------------------------------------------
    def _report(self) -> QWidget:
        from backstride.ui.report.printing import system_paper

        page = QWidget()
        s = QSettings()
        s.beginGroup(REPORT_GROUP)
        self.report_weeks = QComboBox()
        self.report_weeks.setObjectName("settings_report_weeks")
        for weeks in WEEK_CHOICES:
            self.report_weeks.addItem(f"The last {weeks} weeks", weeks)
        weeks_text = str(s.value("weeks", DEFAULT_WEEKS))
        found = self.report_weeks.findData(int(weeks_text) if weeks_text.isdigit() else 0)
        self.report_weeks.setCurrentIndex(
            found if found >= 0 else self.report_weeks.findData(DEFAULT_WEEKS)
        )
        self.report_paper = QComboBox()
        self.report_paper.setObjectName("settings_report_paper")
        for paper in PAPERS:
            self.report_paper.addItem(PAPER_NAMES.get(paper, paper), paper)
        self.report_paper.setCurrentIndex(
            max(0, self.report_paper.findData(s.value("paper", system_paper())))
        )
        self.report_notes = QCheckBox("Include my &notes")
        self.report_notes.setObjectName("settings_report_notes")
        self.report_notes.setChecked(s.value("notes", "true") in (True, "true"))
        s.endGroup()
        self.report_weeks.currentIndexChanged.connect(self._set_report)
        self.report_paper.currentIndexChanged.connect(self._set_report)
        self.report_notes.toggled.connect(self._set_report)
        form = QFormLayout()
        label = QLabel("P&eriod:")
        label.setBuddy(self.report_weeks)
        form.addRow(label, self.report_weeks)
        label = QLabel("P&aper:")
        label.setBuddy(self.report_paper)
        form.addRow(label, self.report_paper)
        form.addRow("", self.report_notes)
        intro = QLabel(
            "What File › Report for my physiotherapist… starts with. Changes made there "
            "are remembered the same way."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _set_report(self) -> None:
        s = QSettings()
        s.beginGroup(REPORT_GROUP)
        s.setValue("weeks", int(self.report_weeks.currentData()))
        s.setValue("paper", str(self.report_paper.currentData()))
        s.setValue("notes", "true" if self.report_notes.isChecked() else "false")
        s.endGroup()

    # -- data ---------------------------------------------------------------------------
    def _data(self) -> QWidget:
        page = QWidget()
        data = QGroupBox("Data folder")
        self.data_label = QLabel()
        self.data_label.setObjectName("settings_data_folder")
        self.data_label.setWordWrap(True)
        self.move_button = QPushButton("&Move…")
        self.move_button.setObjectName("settings_move_data")
        self.move_button.setToolTip("Copy your data to another folder, check it, then use it")
        self.move_button.clicked.connect(self._choose_data_folder)
        self.move_button.setEnabled(not self.ctx.is_demo)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_label, 1)
        data_row.addWidget(self.move_button)
        data_note = QLabel(
            "Your data stays on this computer, in this folder. Moving it copies the data file, "
            "checks the copy, and only then uses it and removes the old file. Keep it on a "
            "local disk: a synced folder (Dropbox, OneDrive) can damage a database in use."
        )
        data_note.setWordWrap(True)
        data_box = QVBoxLayout(data)
        data_box.addLayout(data_row)
        data_box.addWidget(data_note)

        backups = QGroupBox("Backups")
        self.backup_label = QLabel()
        self.backup_label.setObjectName("settings_backup_folder")
        self.backup_label.setWordWrap(True)
        self.backup_button = QPushButton("&Choose folder…")
        self.backup_button.setObjectName("settings_backup_choose")
        self.backup_button.clicked.connect(self._choose_backup_folder)
        self.daily_backup = QCheckBox("Back up &once a day when Backstride starts")
        self.daily_backup.setObjectName("settings_daily_backup")
        self.daily_backup.toggled.connect(self._set_daily_backup)
        open_backups = QPushButton("&Backups…")
        open_backups.setToolTip("Back up now, restore a backup")
        open_backups.clicked.connect(self.window_.show_backups)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_label, 1)
        backup_row.addWidget(self.backup_button)
        backup_row.addWidget(open_backups)
        backup_box = QVBoxLayout(backups)
        backup_box.addLayout(backup_row)
        backup_box.addWidget(self.daily_backup)

        layout = QVBoxLayout(page)
        layout.addWidget(data)
        layout.addWidget(backups)
        layout.addStretch(1)
        self._show_folders()
        return page

    @property
    def _data_dir(self) -> Path:
        return self.ctx.store.path.parent

    def _show_folders(self) -> None:
        self.data_label.setText(str(self._data_dir))
        self.backup_label.setText(str(backup_folder(self._data_dir)))
        self.daily_backup.blockSignals(True)
        self.daily_backup.setChecked(load_settings(self._data_dir).daily_backup)
        self.daily_backup.blockSignals(False)

    def _choose_backup_folder(self) -> None:
        from backstride.ui.backups_dialog import ask_backup_folder

        chosen = ask_backup_folder(self, backup_folder(self._data_dir))
        if chosen:
            self.set_backup_folder(chosen)

    def set_backup_folder(self, folder: Path) -> None:
        from backstride.ui.backups_dialog import set_backup_folder

        chosen = set_backup_folder(self, self._data_dir, folder, self.status.setText)
        if chosen:
            self._show_folders()
            self.status.setText(f"Backups now go to {chosen}.")

    def _set_daily_backup(self, on: bool) -> None:
        from backstride.ui.backups_dialog import set_daily_backup

        set_daily_backup(self, self._data_dir, on)

    def _choose_data_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Move your data into folder", str(self._data_dir.parent)
        )
        if chosen:
            self.move_data(Path(chosen))

    def move_data(self, folder: Path) -> None:
        """Copy the data file into folder off the GUI thread, check it, then switch."""
        from backstride.store.location import move_data_file

        store = self.ctx.store

        def work(_progress: Progress) -> Path:
            own = store.reopen()
            try:
                return move_data_file(own, folder)
            finally:
                own.close()

        self.run(f"Copying your data to {folder}…", work, self._switch)

    def _switch(self, new_path: Path) -> None:
        from backstride.store.location import (
            DATA_DIR_ENV,
            follow_move,
            remove_data_file,
            retire_data_file,
        )

        store = self.ctx.store
        old_path = store.path
        try:
            store.relocate(new_path)
        except Exception as exc:
            remove_data_file(new_path)  # the copy is unused; the data stays where it was
            self.status.setText(f"Your data was not moved: {error_text(exc)}")
            return
        self.window_.data_relocated()
        said = f"Your data is now in {new_path.parent}."
        kept = retire_data_file(old_path, new_path)  # only when nothing else has it open
        if kept:
            said += f" {kept}"
        if not follow_move(old_path.parent, new_path.parent):
            said += (
                f" Backstride was started with --data-dir or {DATA_DIR_ENV}: give it the new "
                "folder next time."
            )
        self._show_folders()
        self.status.setText(said)

    def tasks_changed(self) -> None:
        idle = not self.busy
        for widget in (self.move_button, self.backup_button, self.close_button):
            widget.setEnabled(idle and (widget is not self.move_button or not self.ctx.is_demo))


def _home_short(path: Path) -> str:
    """path with the home folder as ~ (as a desktop's file manager shows it)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def open_settings(window: MainWindow) -> SettingsDialog:
    """Edit > Settings…: one dialog (raised if open already)."""
    existing = window.findChild(SettingsDialog)
    if existing is not None:
        if QGuiApplication.platformName() not in ("offscreen", "minimal"):  # they cannot raise
            existing.raise_()
        existing.activateWindow()
        return existing
    dialog = SettingsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
