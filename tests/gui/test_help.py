"""The user guide (resources/help/): F1 opens it, its contents come from index.md, links
between pages work, it is found by search and follows dark mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QApplication

from backstride.store.database import Store
from backstride.ui.app import create_window
from backstride.ui.help_window import INDEX, HelpWindow, contents, page_text
from backstride.ui.theme import DARK, apply_theme

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
HELP = ROOT / "resources" / "help"
LINK = re.compile(r"\]\(([^)]+)\)")


def test_every_page_is_in_the_contents_and_every_link_resolves() -> None:
    pages = [name for _, name in contents()]
    assert pages[0] == INDEX
    assert sorted(pages) == sorted(p.name for p in HELP.glob("*.md"))
    for name in pages:
        for target in LINK.findall(page_text(name)):
            assert target in pages, f"{name} links to {target}, which is not a page"


def test_the_docs_guide_points_to_the_shipped_pages_only() -> None:
    text = (ROOT / "docs" / "user-guide.md").read_text()
    for target in LINK.findall(text):
        assert (ROOT / "docs" / target).resolve().exists(), target
    assert len(text.splitlines()) < 15  # a pointer, not a second copy of the guide


def test_the_check_up_page_says_it_never_diagnoses() -> None:
    assert "not a diagnosis" in page_text("checkup.md")
    assert "never diagnoses" in page_text(INDEX)


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen
def test_f1_opens_the_guide_from_the_main_window(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = create_window(store)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    action = window.findChild(QAction, "user_guide")
    assert action is not None and action.shortcut().toString() == "F1"
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(HelpWindow)
    assert guide is not None and guide.isVisible()
    assert guide.current == INDEX
    assert "Backstride user guide" in guide.browser.toPlainText()
    action.trigger()  # a second time: the same window
    assert window.findChildren(HelpWindow) == [guide]
    # Opened over the main window, and Escape closes it like the app's dialogs.
    assert window.frameGeometry().contains(guide.frameGeometry().center())
    guide.activateWindow()
    qtbot.waitUntil(guide.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or guide, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_links_contents_and_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    guide.follow(QUrl("insights.md"))
    assert guide.current == "insights.md"
    assert "q < 0.1" in guide.browser.toPlainText()
    guide.list.setCurrentRow(1)  # the contents list opens a page too
    assert guide.current == contents()[1][1]
    guide.back()
    assert guide.current == "insights.md"
    guide.back()
    assert guide.current == INDEX
    assert not guide.back_button.isEnabled()


def test_search_lists_only_pages_with_every_word(qtbot) -> None:  # type: ignore[no-untyped-def]
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.search.setText("restore backup")
    shown = [
        guide.list.item(r).data(Qt.ItemDataRole.UserRole)
        for r in range(guide.list.count())
        if not guide.list.item(r).isHidden()
    ]
    assert "data.md" in shown
    assert "experiments.md" not in shown
    guide.search.setText("zzzz-no-such-word")
    assert guide.no_match.isVisibleTo(guide)


def test_the_guide_follows_dark_mode(qtbot, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    before = QPalette(qapp.palette())
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    try:
        apply_theme(qapp, "dark")
        qtbot.waitUntil(
            lambda: guide.browser.palette().color(QPalette.ColorRole.Base) == QColor(DARK.base)
        )
        assert guide.browser.palette().color(QPalette.ColorRole.Text) == QColor(DARK.text)
    finally:
        apply_theme(qapp, "light")
        qapp.setPalette(before)
