"""The Experiments page and the banner (issue 15)."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from backstride.core.experiments import Experiment, Plan
from backstride.store import experiments as experiment_store
from backstride.store.database import Store
from backstride.store.pain import import_pain_entries
from backstride.ui.experiments.page import VERDICT_TITLES, ExperimentsPage
from backstride.ui.main_window import MainWindow
from tests.sim.experiment_runners import simulate

pytestmark = pytest.mark.gui

ROW = 4  # the Experiments page in the navigation


def _page(window: MainWindow) -> ExperimentsPage:
    window.nav.setCurrentRow(ROW)
    page = window.pages[ROW]
    assert isinstance(page, ExperimentsPage)
    return page


def _simulated(store: Store, days_ago: int, size: float = 2.0) -> int:
    """A simulated runner's custom-change experiment that started days_ago, with its diary
    and answers up to yesterday."""
    today = date.today()
    experiment, log = simulate(3, size, start=today - timedelta(days=days_ago), label="hips")
    saved = experiment_store.add_experiment(
        store, replace(experiment, id=None), datetime.now().astimezone()
    )
    assert saved.id is not None
    import_pain_entries(store, [e for e in log.pain if e.day <= today])
    for day, kept in log.ticks.items():
        if day < today:
            experiment_store.set_tick(store, saved.id, day, kept)
    return saved.id


def test_planning_by_keyboard(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.pages[ROW]
    assert isinstance(page, ExperimentsPage)
    assert window.stack.currentIndex() == ROW
    page.change.setFocus()
    qtbot.keyClick(page.change, Qt.Key.Key_End)  # the last: "A change of your own"
    assert page.change.currentData() == "custom"
    qtbot.keyClick(page, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # &Your change
    assert page.label.hasFocus()
    qtbot.keyClicks(page.label, "hip stretches after runs")
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # &Phase length
    assert page.phase_days.hasFocus()
    page.phase_days.selectAll()
    qtbot.keyClicks(page.phase_days, "5")
    qtbot.keyClick(page.label, Qt.Key.Key_Return)
    listed = experiment_store.list_experiments(store)
    assert len(listed) == 1
    plan = listed[0].plan
    assert (plan.change, plan.label, plan.phase_days, plan.pairs) == (
        "custom",
        "hip stretches after runs",
        5,
        3,
    )
    assert page.stack.currentIndex() == 1
    assert window.experiment_banner.isVisible()
    assert "hip stretches after runs · phase 1 of 6" in window.experiment_banner.text.text()
    window.ctx.undo.undo()  # starting can be undone
    assert experiment_store.list_experiments(store) == []
    assert not window.experiment_banner.isVisible()


def test_a_refused_plan_says_why(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    page = _page(window)
    page.change.setCurrentIndex(page.change.findData("custom"))
    page.start_experiment()  # no description
    assert page.plan_error.isVisible()
    assert "Describe your change" in page.plan_error.text()
    assert experiment_store.list_experiments(store) == []


def test_banner_on_every_page_and_the_daily_answer(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    _simulated(store, days_ago=10)
    window.experiment_banner.refresh()
    banner = window.experiment_banner
    for row in range(5):
        window.nav.setCurrentRow(row)
        assert banner.isVisible()
    assert "phase 2 of 6" in banner.text.text() and "kept to the plan today?" in banner.text.text()
    assert banner.kept.isVisible()
    qtbot.mouseClick(banner.kept, Qt.MouseButton.LeftButton)
    e = experiment_store.list_experiments(store)[0]
    assert experiment_store.ticks(store, e.id or 0)[date.today()] is True
    assert not banner.kept.isVisible()
    window.ctx.undo.undo()
    assert date.today() not in experiment_store.ticks(store, e.id or 0)
    assert banner.kept.isVisible()


def test_adherence_and_verdict_of_a_finished_experiment(
    qtbot, window: MainWindow, store: Store
) -> None:  # type: ignore[no-untyped-def]
    _simulated(store, days_ago=44)
    window.experiment_banner.refresh()
    assert not window.experiment_banner.isVisible()  # finished: nothing runs
    page = _page(window)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10000)
    result = page.result
    assert result is not None and result.final
    text = page.verdict.text()
    assert f"<h3>{VERDICT_TITLES[result.verdict]}</h3>" in text
    assert html.escape(result.words()) in text
    assert f"{result.adherence['on']:.0%} of on days" in text
    assert "Randomisation test: p = " in text and "over the 8 orders" in text
    assert "As done" in text
    assert page.new_button.isVisible() and not page.stop_button.isVisible()
    assert len(page.chart.phases) == 6 and any(d.washout for d in page.chart.days)


def test_stopping_asks_for_a_reason(qtbot, window: MainWindow, store: Store, when_modal) -> None:  # type: ignore[no-untyped-def]
    _simulated(store, days_ago=10)
    page = _page(window)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10000)
    assert page.stop_button.isVisible()

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        field = dialog.findChild(QLineEdit)
        assert field is not None
        qtbot.keyClicks(field, "a flare after moving house")
        qtbot.keyClick(field, Qt.Key.Key_Return)

    when_modal(answer)
    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    e = experiment_store.list_experiments(store)[0]
    assert e.stopped_on == date.today() and e.stop_reason == "a flare after moving house"
    assert not window.experiment_banner.isVisible()
    qtbot.waitUntil(lambda: page.result is not None and page.result.status == "stopped")
    assert "stopped: a flare after moving house" in page.verdict.text()
    window.ctx.undo.undo()
    assert experiment_store.list_experiments(store)[0].stopped_on is None
    assert window.experiment_banner.isVisible()


def test_pause_and_extend_are_logged(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    plan = Plan(change="warmup", start=date.today() - timedelta(days=3), seed=1)
    experiment_store.add_experiment(store, Experiment(plan=plan), datetime.now().astimezone())
    page = _page(window)
    qtbot.mouseClick(page.extend_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    e = experiment_store.list_experiments(store)[0]
    assert e.plan.pairs == 4 and e.paused_since == date.today()
    assert [d.kind for d in e.deviations] == ["extend", "pause"]
    assert page.pause_button.text() == "&Resume"
    assert "paused" in window.experiment_banner.text.text()


def test_the_planner_shows_the_expected_power(window: MainWindow) -> None:
    page = _page(window)
    assert "finds it in about 41–62 %" in page.power.text()
    assert "4 pairs of 12-day phases would find it in at least 85 %" in page.power.text()
    page.pairs.setValue(4)
    page.phase_days.setValue(14)
    assert "about 89–90 %" in page.power.text() and "would find" not in page.power.text()
    assert page.use_suggested.isHidden()


def test_the_suggested_design_is_one_click_away(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = _page(window)
    button = page.use_suggested
    assert button.isVisible() and button.text() == "&Use 4 pairs of 12-day phases"
    qtbot.keyClick(page, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # an animated click
    qtbot.waitUntil(lambda: (page.pairs.value(), page.phase_days.value()) == (4, 12))
    assert button.isHidden() and "would find" not in page.power.text()


def test_insights_shows_the_verdict_and_opens_the_experiment(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store
) -> None:
    _simulated(store, days_ago=44)
    window.nav.setCurrentRow(3)
    insights = window.insights
    qtbot.waitUntil(lambda: insights.experiment_panel.isVisible(), timeout=10000)
    text = insights.experiment_text.text()
    assert text.startswith("Tested hips (finished ")
    assert any(w in text for w in ("Helped:", "No difference", "Worse:", "Not clear yet"))
    qtbot.mouseClick(insights.experiment_open, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == ROW
    window.nav.setCurrentRow(3)
    for e in experiment_store.list_experiments(store):
        experiment_store.delete_experiment(store, e.id or 0)
    window.ctx.events.announce("experiments")
    qtbot.waitUntil(lambda: not insights.experiment_panel.isVisible(), timeout=10000)
