"""The check-up wizard and page (issues 5 and 11), driven with the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QRadioButton, QWidget, QWizard

from backstride.core.models import Assessment
from backstride.core.triage import (
    EMERGENCY_FLAGS,
    RULES_VERSION,
    URGENT_FLAGS,
    evaluate,
    load_questions,
    load_wording,
    parse_answers,
)
from backstride.core.triage_record import flatten_answers, nest_answers, result_record
from backstride.store import assessments as assessment_store
from backstride.store.database import Store, StoreError
from backstride.ui.checkup.compare_dialog import CompareDialog
from backstride.ui.checkup.fields import YesNoField
from backstride.ui.checkup.result_view import TIER_STYLES
from backstride.ui.checkup.wizard import (
    HISTORY,
    PATTERN,
    PREFILL_NOTE,
    RECHECK,
    RED_FLAGS,
    RESULT,
    RUNNING,
    CheckupWizard,
)
from backstride.ui.main_window import MainWindow
from backstride.ui.widgets.body_map import _ARROWS, _NEIGHBOURS, BodyMap
from backstride.ui.widgets.pain_colors import contrast_ratio
from tests.gui.conftest import open_window
from tests.unit.vignettes.cases import LEGACY, VIGNETTES, Vignette, answers

pytestmark = pytest.mark.gui

NO_FLAGS = ["N"] * (len(EMERGENCY_FLAGS) + len(URGENT_FLAGS))
KEYS = {
    "Tab": Qt.Key.Key_Tab,
    "Return": Qt.Key.Key_Return,
    "Esc": Qt.Key.Key_Escape,
    "Space": Qt.Key.Key_Space,
    **{f"Arrow{k.name.removeprefix('Key_')}": k for k in _ARROWS},
}


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Type into whatever has the focus, as a keyboard user would."""
    for key in keys:
        if key in KEYS:
            qtbot.keyClick(focused(), KEYS[key])
        elif len(key) == 1 and key.isalpha():
            qtbot.keyClick(focused(), getattr(Qt.Key, f"Key_{key}"))
        else:
            qtbot.keyClicks(focused(), key)


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    w = open_window(qtbot, store)
    w.show_page(w.checkup)
    return w


@pytest.fixture
def wizard(qtbot) -> Iterator[CheckupWizard]:  # type: ignore[no-untyped-def]
    saved: list[Any] = []
    w = CheckupWizard(None, save=lambda a, r: saved.append((a, r)) or "saved")
    w.saved_calls = saved  # type: ignore[attr-defined]
    with qtbot.waitActive(w):  # not qtbot.addWidget: its close would ask to discard answers
        w.show()
        w.activateWindow()
    yield w
    w._dirty = False
    w.close()
    w.deleteLater()


def alt(qtbot, window: MainWindow, key: Qt.Key, when_modal, handler) -> None:  # type: ignore[no-untyped-def]
    """Press a page button by its Alt mnemonic and run handler on the dialog it opens.

    The button clicks on a timer (animateClick), so wait until the dialog is handled. A
    failing handler closes the dialog (so the test fails instead of hanging) and re-raises.
    """
    state: dict[str, Any] = {}

    def guarded(dialog: QWidget) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        try:
            handler(dialog)
        except BaseException as exc:
            state["error"] = exc
            if isinstance(dialog, CheckupWizard):
                dialog._dirty = False
            if isinstance(dialog, QDialog):
                dialog.done(0)
        finally:
            state["done"] = True

    when_modal(guarded)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "done" in state and QApplication.activeModalWidget() is None)
    if "error" in state:
        raise state["error"]
    # Offscreen does not hand activation back by itself, and a closed dialog can stay the
    # active window until it is deleted.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def add(store: Store, changes: dict[str, Any], when: datetime) -> Assessment:
    answers = parse_answers(nest_answers(changes))
    return assessment_store.add_assessment(
        store,
        Assessment(when, answers.to_dict(), result_record(evaluate(answers)), RULES_VERSION),
    )


def all_no(**extra: Any) -> dict[str, Any]:
    return {**{k: False for k in (*EMERGENCY_FLAGS, *URGENT_FLAGS)}, "age": 35, **extra}


# ---------------------------------------------------------------- walking to each tier


def test_emergency_ends_the_wizard_after_the_red_flag_page(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:
    seen: dict[str, Any] = {}

    def walk(dialog: QWidget) -> None:
        assert isinstance(dialog, CheckupWizard)
        assert dialog.currentId() == RED_FLAGS
        first = dialog.fields["red_flags.saddle_numbness"]
        assert focused() in first.buttons.values()  # focus starts on the first question
        page = dialog.question_pages[RED_FLAGS]
        assert not page.alert.isVisible()
        press(qtbot, "Y")  # answers it and moves to the next question
        assert first.value() is True
        assert focused() in dialog.fields["red_flags.bladder_bowel_change"].buttons.values()
        assert page.alert.isVisible() and "emergency" in page.alert.text()
        seen["next"] = dialog.button(QWizard.WizardButton.NextButton).text()
        press(qtbot, "Return")
        seen["page"] = dialog.currentId()
        seen["visited"] = dialog.visitedIds()
        view = dialog.result_page.view
        seen["banner"] = (view.tier_name.text(), view.headline.text(), view.action.text())
        seen["reasons"] = view.reasons.text()
        seen["limits"] = view.limits.text() if view.limits.isVisible() else ""
        seen["style"] = view.banner.styleSheet()
        press(qtbot, "Return")  # Save is the default button

    alt(qtbot, window, Qt.Key.Key_S, when_modal, walk)
    tier = load_wording().tiers["emergency"]
    assert seen["next"] == "&See what to do now"
    assert seen["page"] == RESULT and seen["visited"] == [RED_FLAGS, RESULT]
    assert seen["banner"][0] == "EMERGENCY" and seen["banner"][1] == tier.headline
    assert "Call your local emergency number now" in seen["banner"][2]
    assert "emergency department" in seen["banner"][2]
    assert "Numbness or tingling in the saddle area" in seen["reasons"]
    assert "cannot examine you" in seen["limits"]
    assert TIER_STYLES["emergency"].background in seen["style"]

    (saved,) = assessment_store.list_assessments(store)
    assert saved.result["tier"] == "emergency"
    assert saved.rules_version == RULES_VERSION
    assert saved.answers["red_flags"]["saddle_numbness"] is True
    assert saved.answers["history"]["pain_weeks"] is None  # the pages after were skipped
    assert saved.taken_at.tzinfo is not None
    page = window.checkup
    assert page.history.rowCount() == 1
    assert page.view.tier_name.text() == "EMERGENCY"
    assert "Check-up saved" in window.statusBar().currentMessage()


def test_urgent_walks_every_page_and_saves(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:
    seen: dict[str, Any] = {}

    def walk(dialog: QWidget) -> None:
        assert isinstance(dialog, CheckupWizard)
        flags = NO_FLAGS.copy()
        flags[len(EMERGENCY_FLAGS)] = "Y"  # fever
        press(qtbot, *flags)
        assert "today or tomorrow" in dialog.question_pages[RED_FLAGS].alert.text()
        press(qtbot, "40", "Return")
        for page in (HISTORY, PATTERN, RUNNING):
            seen.setdefault("pages", []).append(dialog.currentId())
            assert dialog.currentId() == page
            press(qtbot, "Return")
        seen["result"] = dialog.result_page.view.result
        press(qtbot, "Return")

    alt(qtbot, window, Qt.Key.Key_S, when_modal, walk)
    assert seen["pages"] == [HISTORY, PATTERN, RUNNING]
    assert seen["result"].tier == "urgent"
    assert seen["result"].reasons == ("red_flags.fever",)
    (saved,) = assessment_store.list_assessments(store)
    assert saved.result["tier"] == "urgent" and saved.answers["age"] == 40


def test_soon_via_nice_features(qtbot, wizard: CheckupWizard) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, *NO_FLAGS, "30", "Return")
    assert wizard.currentId() == HISTORY
    press(qtbot, *["Tab"] * 12)  # past the 12 conditions
    assert focused() is wizard.fields["history.pain_weeks"].focus_target()
    press(qtbot, "30", "Tab", "28", "Tab", "N", "Return")
    assert wizard.currentId() == PATTERN
    assert focused() is wizard.fields["pattern.regions"].focus_target()  # the body map
    press(qtbot, "Space")  # marks the region under the focus ring
    press(qtbot, "Tab", "Tab")  # past the map and its list
    # below knee, leg worse, numbness; stiffness; movement, rest, night, buttock, NSAID...
    press(qtbot, "N", "N", "N", "45", "Tab", "Y", "N", "Y", "Y", "S", "N", "N", "Return")
    assert wizard.currentId() == RUNNING
    press(qtbot, "Return")
    result = wizard.result_page.view.result
    assert result is not None and result.tier == "soon"
    assert "inflammatory" in result.patterns
    assert set(result.nice_features) == {
        "history.onset_age",
        "pattern.better_with_movement",
        "pattern.wakes_second_half_night",
        "pattern.buttock_pain_alternating",
    }
    assert wizard.result_page.view.tier_name.text() == "SOON"
    assert wizard.fields["pattern.nsaid_relief_48h"].value() is None  # "not sure"
    press(qtbot, "Return")
    assert not wizard.isVisible()
    ((answers, stored_result),) = wizard.saved_calls  # type: ignore[attr-defined]
    assert answers.history.pain_weeks == 30 and stored_result.tier == "soon"


def test_self_care_with_running_prefilled_from_the_log(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:
    today = date.today()
    for n in range(0, 50, 2):
        day = today - timedelta(days=n)
        store.conn.execute(
            "INSERT INTO run (start, day, distance_m, cadence_spm, warmup_min, surface) "
            "VALUES (?, ?, ?, ?, ?, 'road')",
            [f"{day}T07:00:00+00:00", day.isoformat(), 8000.0 if n < 14 else 4000.0, 158.0, 0],
        )
    seen: dict[str, Any] = {}

    def walk(dialog: QWidget) -> None:
        assert isinstance(dialog, CheckupWizard)
        press(qtbot, *NO_FLAGS, "35", "Return", "Return", "Return")
        running = dialog.question_pages[RUNNING]
        seen["note"] = running.notice.text() if running.notice.isVisible() else ""
        seen["warmup"] = dialog.fields["running.warmup"].value()
        seen["field_note"] = dialog.fields["running.warmup"].note.text()
        seen["km"] = dialog.fields["running.weekly_km"].value()
        press(qtbot, "Return")
        seen["result"] = dialog.result_page.view.result
        seen["details"] = dialog.result_page.view.details.toPlainText()
        press(qtbot, "Return")

    alt(qtbot, window, Qt.Key.Key_S, when_modal, walk)
    assert seen["note"] == PREFILL_NOTE
    assert seen["field_note"] == "From your training log"
    assert seen["warmup"] == "none" and seen["km"] == 28.0
    result = seen["result"]
    assert result.tier == "self_care" and result.patterns == ("non_specific",)
    assert set(result.factors) == {"warmup", "gait", "load"}  # 28 km/week against 14
    wording = load_wording()
    assert wording.disclaimer["not_diagnosis"] in seen["details"]
    assert wording.factors["warmup"].title in seen["details"]
    assert "To test it:" in seen["details"]
    (saved,) = assessment_store.list_assessments(store)
    assert saved.answers["running"]["warmup"] == "none"
    assert saved.result["tier"] == "self_care"


# ---------------------------------------------------------------- answers and validation


def test_yes_no_starts_unanswered_and_not_sure_stays_unanswered(  # type: ignore[no-untyped-def]
    qtbot, wizard: CheckupWizard
) -> None:
    field = wizard.fields["red_flags.saddle_numbness"]
    assert isinstance(field, YesNoField)
    assert field.value() is None
    assert not any(b.isChecked() for b in field.buttons.values())
    assert [b.text() for b in field.buttons.values()] == ["Yes", "No", "Not sure"]
    press(qtbot, "S")
    assert field.value() is None and field.buttons[None].isChecked()
    field.set_value(False)
    assert field.value() is False
    field.set_value(None)
    assert not any(b.isChecked() for b in field.buttons.values())


def test_unanswered_emergency_question_is_never_self_care(  # type: ignore[no-untyped-def]
    qtbot, wizard: CheckupWizard
) -> None:
    flags = NO_FLAGS.copy()
    flags[0] = "S"  # not sure about the saddle area
    press(qtbot, *flags, "35", "Return", "Return", "Return", "Return")
    result = wizard.result_page.view.result
    assert result is not None and result.tier == "urgent" and result.raised_for_unanswered
    label = load_questions().label("red_flags.saddle_numbness")
    assert label in wizard.result_page.view.details.toPlainText()


def test_out_of_range_number_is_explained_beside_it(  # type: ignore[no-untyped-def]
    qtbot, wizard: CheckupWizard
) -> None:
    press(qtbot, *NO_FLAGS, "250", "Return")
    assert wizard.currentId() == RED_FLAGS
    age = wizard.fields["age"]
    assert age.error.isVisible()
    assert "250 is out of range; enter an age from 0 to 120 years" in age.error.text()
    assert focused() is age.focus_target()
    age.set_value(None)
    press(qtbot, "42", "Return")
    assert wizard.currentId() == HISTORY and not age.error.isVisible()
    # Onset after today's age is caught on the history page.
    wizard.fields["history.onset_age"].set_value(50)
    wizard.next()
    assert wizard.currentId() == HISTORY
    assert "more than your age (42)" in wizard.fields["history.onset_age"].error.text()


def test_back_then_emergency_drops_the_later_pages(qtbot, wizard: CheckupWizard) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, *NO_FLAGS, "35", "Return")
    wizard.fields["history.pain_weeks"].set_value(8)
    wizard.back()
    wizard.fields["red_flags.foot_drop"].set_value(True)
    wizard.next()
    assert wizard.currentId() == RESULT
    answers, result = wizard.evaluate_answers()
    assert result.tier == "emergency" and answers.history.pain_weeks is None


def test_save_failure_keeps_the_wizard_open(qtbot) -> None:  # type: ignore[no-untyped-def]
    def fail(*_: Any) -> None:
        raise StoreError("The disk holding x is full. Free some space and try again.")

    wizard = CheckupWizard(None, save=fail)
    wizard.show()
    wizard.fields["red_flags.chest_pain"].set_value(True)
    wizard.next()
    assert wizard.currentId() == RESULT
    wizard.accept()
    assert wizard.isVisible()
    error = wizard.result_page.error
    assert error.isVisible() and "disk holding x is full" in error.text()
    wizard._dirty = False
    wizard.reject()
    wizard.deleteLater()


def test_closing_with_answers_asks_first(  # type: ignore[no-untyped-def]
    qtbot, wizard: CheckupWizard, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(CheckupWizard, "confirm_discard", lambda self: asked.append(True) or False)
    press(qtbot, "N")
    press(qtbot, "Esc")
    assert asked and wizard.isVisible()
    monkeypatch.setattr(CheckupWizard, "confirm_discard", lambda self: True)
    press(qtbot, "Esc")
    assert not wizard.isVisible()
    assert wizard.saved_calls == []  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the page


def test_empty_page_explains_and_disables_what_needs_history(window: MainWindow) -> None:
    page = window.checkup
    assert page.right_stack.currentWidget() is page.empty
    assert "2 to 4 minutes" in page.empty.text()
    assert not page.retake_button.isEnabled()
    assert not page.compare_button.isEnabled()
    assert not page.delete_button.isEnabled()
    assert window.pages.index(page) > window.pages.index(window.diary)


def test_history_compare_and_delete_with_undo(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:
    older = add(store, all_no(**{"running.warmup": "none"}), datetime(2026, 1, 5, 8, tzinfo=UTC))
    newer = add(
        store,
        all_no(**{"red_flags.fever": True, "running.warmup": "full"}),
        datetime(2026, 2, 9, 8, tzinfo=UTC),
    )
    page = window.checkup
    page.reload()
    assert page.history.rowCount() == 2
    assert page.selected_assessment() == newer  # the latest is shown first
    assert page.history.item(0, 1).text() == "Urgent"
    assert page.history.item(1, 1).text() == "Self-care"
    assert page.history.item(0, 2).text() == RULES_VERSION
    assert "(latest)" in page.shown_label.text()
    assert page.view.tier_name.text() == "URGENT"
    assert page.compare_button.isEnabled()

    seen: dict[str, Any] = {}

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, CompareDialog)
        seen["rows"] = {r.key: r for r in dialog.rows}
        seen["summary"] = dialog.summary.text()
        seen["bold"] = dialog.table.item(0, 1).font().bold()
        press(qtbot, "Esc")

    alt(qtbot, window, Qt.Key.Key_C, when_modal, look)
    rows = seen["rows"]
    assert (rows["tier"].before, rows["tier"].after) == ("Self-care", "Urgent")
    assert (rows["red_flags.fever"].before, rows["red_flags.fever"].after) == ("No", "Yes")
    assert rows["running.warmup"].after == "A full warm-up (10 minutes or more)"
    assert "age" not in rows  # unchanged answers are left out
    assert seen["summary"] == "2 answers changed." and seen["bold"]

    page.history.selectRow(1)  # the oldest has nothing before it
    assert not page.compare_button.isEnabled()
    assert page.view.tier_name.text() == "SELF-CARE"

    page.history.setFocus()
    page.history.selectRow(0)
    qtbot.keyClick(page.history, Qt.Key.Key_Delete)
    assert [a.id for a in assessment_store.list_assessments(store)] == [older.id]
    assert page.history.rowCount() == 1
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert assessment_store.list_assessments(store) == [newer, older]
    assert page.history.rowCount() == 2


def test_retake_fills_in_all_but_the_warning_signs(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:
    add(
        store,
        all_no(**{"history.pain_weeks": 6, "pattern.regions": ["lower_back_left"]}),
        datetime(2026, 2, 9, 8, tzinfo=UTC),
    )
    window.checkup.reload()
    seen: dict[str, Any] = {}

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, CheckupWizard)
        seen["flag"] = dialog.fields["red_flags.fever"].value()
        seen["age"] = dialog.fields["age"].value()
        seen["weeks"] = dialog.fields["history.pain_weeks"].value()
        seen["regions"] = dialog.fields["pattern.regions"].value()
        seen["notice"] = dialog.question_pages[HISTORY].notice.text()
        press(qtbot, "Esc")  # nothing changed: closes without asking

    alt(qtbot, window, Qt.Key.Key_R, when_modal, look)
    assert seen["flag"] is None and seen["age"] == 35
    assert seen["weeks"] == 6 and seen["regions"] == ["lower_back_left"]
    assert "Filled in from your check-up of 9 Feb 2026" in seen["notice"]
    assert len(assessment_store.list_assessments(store)) == 1


def test_a_stored_result_from_unknown_rules_is_explained(  # type: ignore[no-untyped-def]
    window: MainWindow, store: Store
) -> None:
    assessment_store.add_assessment(
        store,
        Assessment(datetime(2026, 2, 9, tzinfo=UTC), {}, {"tier": "later"}, "2099.1"),
    )
    page = window.checkup
    page.reload()
    assert page.history.item(0, 1).text() == "later"
    assert "cannot be shown" in page.view.details.toPlainText()


def test_tier_banners_are_readable() -> None:
    for tier, style in TIER_STYLES.items():
        ratio = contrast_ratio(QColor(style.background), QColor(style.text))
        assert ratio >= 4.5, f"{tier} banner contrast {ratio:.1f} is below 4.5"


def test_every_radio_button_is_in_a_group_of_its_question(qtbot, wizard: CheckupWizard) -> None:  # type: ignore[no-untyped-def]
    for page in wizard.question_pages:
        for key, field in page.fields.items():
            for button in field.findChildren(QRadioButton):
                assert button.objectName().startswith(f"{key}=")


def test_retake_tolerates_answers_from_older_rules(qtbot) -> None:  # type: ignore[no-untyped-def]
    earlier = {
        "pattern.regions": ["lower_back_left", "elbow"],
        "running.warmup": "ten_minutes",
        "history.conditions": ["sciatica", "gout"],
        "red_flags.fever": True,  # warning signs are asked afresh
    }
    wizard = CheckupWizard(None, earlier=earlier)
    assert wizard.fields["pattern.regions"].value() == ["lower_back_left"]
    assert wizard.fields["running.warmup"].value() is None
    assert wizard.fields["history.conditions"].value() == ["sciatica"]
    assert wizard.fields["red_flags.fever"].value() is None
    assert "your last check-up" in wizard.question_pages[HISTORY].notice.text()
    wizard.deleteLater()


# ---------------------------------------------------------------- the vignettes, by keyboard


def _route(start: str, goal: str) -> list[str]:
    """The arrow keys that move the body map's keyboard ring from start to goal."""
    names = {index: f"Arrow{key.name.removeprefix('Key_')}" for key, index in _ARROWS.items()}
    paths = {start: list[str]()}
    queue = [start]
    while queue:
        here = queue.pop(0)
        if here == goal:
            return paths[here]
        for index, there in enumerate(_NEIGHBOURS[here]):
            if there is not None and there not in paths:
                paths[there] = [*paths[here], names[index]]
                queue.append(there)
    raise AssertionError(f"no way from {start} to {goal} on the body map")


def type_answers(qtbot, wizard: CheckupWizard, flat: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Answer each page by keyboard only, as a runner would, until the result page.

    Yes/no questions get Y, N or S (unanswered: S); numbers are typed; conditions and
    body-map regions are ticked with Space; the running page is left as it is.
    """
    while wizard.currentId() not in (RESULT, RUNNING):
        page = wizard.question_pages[wizard.currentId()]
        shown = [f for f in page.fields.values() if not f.isHidden()]
        for field in shown:
            q, value = field.question, flat.get(field.question.key)
            if q.kind == "choice":
                break  # the last question of the pattern page: left unanswered
            assert field.isAncestorOf(focused()), f"{q.key} does not have the focus"
            if q.kind == "yes_no":
                press(qtbot, {True: "Y", False: "N", None: "S"}[value])
            elif q.kind == "number":
                if value is not None:
                    press(qtbot, f"{value:g}")
                if field is not shown[-1]:
                    press(qtbot, "Tab")
            elif q.kind == "multi":
                for code in field.boxes:
                    press(qtbot, *(["Space"] if code in (value or ()) else []), "Tab")
            else:
                body = focused()
                assert isinstance(body, BodyMap)
                for region in value or ():
                    press(qtbot, *_route(body.currentRegion(), region), "Space")
                press(qtbot, "Tab", "Tab")  # past the map and its list
        press(qtbot, "Return")
    if wizard.currentId() == RUNNING:
        press(qtbot, "Return")
    assert wizard.currentId() == RESULT


# The wizard no longer asks the older merged question; a retake of such a check-up is below.
TYPED = [v for v in VIGNETTES if LEGACY not in v.changes]


@pytest.mark.parametrize("v", TYPED, ids=[v.name for v in TYPED])
def test_every_vignette_by_keyboard(qtbot, wizard: CheckupWizard, v: Vignette) -> None:  # type: ignore[no-untyped-def]
    type_answers(qtbot, wizard, flatten_answers(answers(v.changes)))
    result = wizard.result_page.view.result
    assert result is not None
    assert (result.tier, result.basis, result.reasons) == (v.tier, v.basis, v.reasons)
    view = wizard.result_page.view
    assert view.tier_name.text() == load_wording().tiers[v.tier].name.upper()
    assert ("No warning signs found" in view.headline.text()) == (v.basis == "clear")


def test_a_contradiction_is_asked_again_straight_after_the_body_map(  # type: ignore[no-untyped-def]
    qtbot, wizard: CheckupWizard
) -> None:
    press(qtbot, *NO_FLAGS, "35", "Return", "Return")
    assert wizard.currentId() == PATTERN
    press(qtbot, *_route("upper_back", "saddle"), "Space", "Tab", "Tab", "Return")
    assert wizard.currentId() == RECHECK  # before the running page and the result
    page = wizard.question_pages[RECHECK]
    saddle, legs = page.fields["recheck.saddle_numbness"], page.fields["recheck.both_legs"]
    assert saddle.isVisible() and not legs.isVisible()  # only the question that disagrees
    assert "You marked the saddle area" in saddle.text_label.text()
    assert saddle.isAncestorOf(focused())
    assert "Step" not in page.title()
    press(qtbot, "Y")
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&See what to do now"
    press(qtbot, "Return")
    assert wizard.currentId() == RESULT  # a "yes" now is an emergency: nothing else is asked
    result = wizard.result_page.view.result
    assert result is not None and result.tier == "emergency"
    assert result.reasons == ("recheck.saddle_numbness",)


def test_a_contradiction_answered_no_again_goes_on_and_not_sure_stays_urgent(  # type: ignore[no-untyped-def]
    qtbot, wizard: CheckupWizard
) -> None:
    press(qtbot, *NO_FLAGS, "35", "Return", "Return")
    press(qtbot, *_route("upper_back", "thigh_left"), "Space")
    press(qtbot, *_route("thigh_left", "below_knee_right"), "Space", "Tab", "Tab", "Return")
    assert wizard.currentId() == RECHECK
    legs = wizard.fields["recheck.both_legs"]
    assert legs.isVisible() and not wizard.fields["recheck.saddle_numbness"].isVisible()
    press(qtbot, "N", "Return")
    assert wizard.currentId() == RUNNING
    press(qtbot, "Return")
    result = wizard.result_page.view.result
    assert result is not None and (result.tier, result.basis) == ("self_care", "clear")

    wizard.back()
    wizard.back()
    assert wizard.currentId() == RECHECK
    press(qtbot, "S", "Return", "Return")
    view = wizard.result_page.view
    assert view.result is not None and view.result.basis == "contradiction"
    assert view.tier_name.text() == "URGENT"
    assert "back of left thigh and right leg below the knee" in view.reasons.text()
    assert "answered no to the question" in view.reasons.text()


def test_unmarking_the_region_skips_the_recheck(qtbot, wizard: CheckupWizard) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, *NO_FLAGS, "35", "Return", "Return")
    press(qtbot, *_route("upper_back", "saddle"), "Space", "Tab", "Tab", "Return")
    press(qtbot, "Y")
    wizard.back()
    assert wizard.currentId() == PATTERN
    wizard.fields["pattern.regions"].set_value(["lower_back_left"])
    wizard.next()
    assert wizard.currentId() == RUNNING
    assert wizard.fields["recheck.saddle_numbness"].value() is None
    assert not wizard.emergency_answered()
    answers_now, result = wizard.evaluate_answers()
    assert answers_now.recheck.saddle_numbness is None and result.tier == "self_care"


def test_a_minor_fall_at_72_is_flagged_on_the_first_page(qtbot, wizard: CheckupWizard) -> None:  # type: ignore[no-untyped-def]
    fall = list(wizard.question_pages[RED_FLAGS].fields).index("red_flags.minor_fall")
    flags = NO_FLAGS.copy()
    flags[fall] = "Y"
    press(qtbot, *flags)
    alert = wizard.question_pages[RED_FLAGS].alert
    assert not alert.isVisible()  # a small fall alone is not urgent at any age
    press(qtbot, "72")
    assert alert.isVisible() and "today or tomorrow" in alert.text()
    press(qtbot, "Return", "Tab", *["Tab"] * 11, "Tab", "50", "Return")
    assert wizard.currentId() == PATTERN
    press(qtbot, "Return", "Return")
    result = wizard.result_page.view.result
    assert result is not None and result.tier == "urgent"
    assert result.reasons == ("red_flags.minor_fall", "age")


def test_the_fever_question_separates_a_hot_run_from_a_fever(qtbot, wizard: CheckupWizard) -> None:  # type: ignore[no-untyped-def]
    fever = wizard.fields["red_flags.fever"]
    help_label = fever.findChild(QWidget, "question_help")
    assert help_label is not None and help_label.isVisible()
    assert "right after a hard or hot run" in help_label.text()  # type: ignore[attr-defined]
    assert "without exercise" in fever.text_label.text()


def test_an_older_check_up_shows_its_rules_and_retake_uses_the_new_ones(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:
    older_answers = nest_answers(
        {
            **all_no(),
            "red_flags.minor_fall": None,
            "history.onset_age": 30,
            "history.pain_weeks": 20,
            "pattern.wakes_second_half_night": True,
            "pattern.psoriasis_arthritis_enthesitis": True,
        }
    )
    del older_answers["red_flags"]["minor_fall"]  # not asked by the older rules
    older_result = {  # as rules 2026.11.1 stored it: no basis
        "tier": "self_care",
        "reasons": [],
        "patterns": ["inflammatory_possible"],
        "factors": [],
        "advice": ["Keep active and keep running at a level your back tolerates."],
        "rules_version": "2026.11.1",
        "unanswered": [],
        "unanswered_emergency": [],
        "unanswered_urgent": [],
        "other_flags": [],
        "nice_features": ["history.onset_age", "pattern.wakes_second_half_night"],
        "raised_for_unanswered": False,
    }
    assessment_store.add_assessment(
        store,
        Assessment(datetime(2026, 2, 9, 8, tzinfo=UTC), older_answers, older_result, "2026.11.1"),
    )
    page = window.checkup
    page.reload()
    assert page.history.item(0, 2).text() == "2026.11.1 (older)"
    assert page.view.tier_name.text() == "SELF-CARE"  # shown as it was
    assert "older version of the check-up rules (2026.11.1)" in page.view.details.toPlainText()
    seen: dict[str, Any] = {}

    def retake(dialog: QWidget) -> None:
        assert isinstance(dialog, CheckupWizard)
        seen["separate"] = [
            dialog.fields[f"pattern.{k}_history"].value()
            for k in ("arthritis", "enthesitis", "psoriasis")
        ]
        seen["night"] = dialog.fields["pattern.wakes_second_half_night"].value()
        press(qtbot, *NO_FLAGS, "Return", "Return")
        assert dialog.currentId() == PATTERN
        dialog.fields["pattern.arthritis_history"].focus_target().setFocus()
        press(qtbot, "Y", "Return", "Return")
        seen["result"] = dialog.result_page.view.result
        press(qtbot, "Return")

    alt(qtbot, window, Qt.Key.Key_R, when_modal, retake)
    assert seen["separate"] == [None, None, None]  # asked afresh, one by one
    assert seen["night"] is True
    result = seen["result"]
    assert result.rules_version == RULES_VERSION
    # Onset before 35, night waking and arthritis: 3 of the 9 criteria.
    assert (result.tier, result.basis) == ("soon", "inflammatory_hla_b27")
    assert load_wording().checks["older_form"] not in result.advice
    newest = assessment_store.list_assessments(store)[0]
    assert newest.rules_version == RULES_VERSION and newest.result["basis"] == result.basis
    assert page.history.item(0, 2).text() == RULES_VERSION
    assert page.history.item(1, 2).text() == "2026.11.1 (older)"


def test_enter_goes_to_each_unanswered_warning_question_before_moving_on(  # type: ignore[no-untyped-def]
    qtbot, wizard: CheckupWizard
) -> None:
    """Issue 17: Enter skipped unanswered warning questions below the fold without notice,
    and the focused question was out of view."""
    wizard.resize(700, 480)  # most warning questions below the fold
    page = wizard.question_pages[RED_FLAGS]
    flags = [k for k, f in page.fields.items() if isinstance(f, YesNoField)]
    for key in flags[:-1]:
        wizard.fields[key].set_value(False)
    last = wizard.fields[flags[-1]]
    viewport = page.scroll_area.viewport()
    assert last.mapTo(viewport, last.rect().topLeft()).y() > viewport.height()  # below the fold
    press(qtbot, "Return")
    assert wizard.currentId() == RED_FLAGS
    assert focused() is last.focus_target()
    assert last.note.isVisible() and "Not answered yet" in last.note.text()
    top = last.mapTo(viewport, last.rect().topLeft()).y()
    assert top >= 0 and top + last.text_label.height() <= viewport.height()  # in view
    press(qtbot, "Return")  # seen, left unanswered on purpose: on to the next page
    assert wizard.currentId() == HISTORY
