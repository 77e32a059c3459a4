"""The user guide: the Markdown pages shipped in resources/help/, in a window of their own.

The contents list, its order and its titles come from the links on the guide's first page
(resources/help/index.md), so they are declared once, there. Links between pages open in the
window; web links open in the browser. The pages are shown with the window's palette, so
they follow the light or dark scheme.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from backstride import APP_NAME
from backstride.core.resources import resource

HELP_FOLDER = "help"
INDEX = "index.md"
_LINK = re.compile(r"\[([^\]]+)\]\(([\w-]+\.md)\)")
_WEB_SCHEMES = ("http", "https", "mailto")


def page_text(name: str) -> str:
    """The Markdown of one help page (a name as index.md lists it)."""
    return resource(HELP_FOLDER, name).read_text(encoding="utf-8")


def contents() -> list[tuple[str, str]]:
    """(title, page) for the guide's first page and every page its contents list links."""
    text = page_text(INDEX)
    out = [("Contents", INDEX)]
    for title, name in _LINK.findall(text):
        if all(name != page for _, page in out):
            out.append((title, name))
    return out


def _plain(markdown: str) -> str:
    return re.sub(r"[`*_#|>\[\]()]", " ", markdown).lower()


class HelpWindow(QWidget):
    """Contents and a search on the left, the page on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("help_window")
        self.setWindowTitle(f"{APP_NAME} user guide")
        self.pages = contents()
        self._text = {name: page_text(name) for _, name in self.pages}
        self._plain = {name: _plain(text) for name, text in self._text.items()}
        self.current = ""
        self._history: list[str] = []

        self.search = QLineEdit()
        self.search.setObjectName("help_search")
        self.search.setPlaceholderText("Find in the guide")
        self.search.setAccessibleName("Find in the guide")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._open_first_match)
        self.list = QListWidget()
        self.list.setObjectName("help_contents")
        self.list.setAccessibleName("Guide contents")
        for title, name in self.pages:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._item_chosen)
        self.no_match = QLabel("No page has these words.")
        self.no_match.setWordWrap(True)
        self.no_match.hide()
        self.browser = QTextBrowser()
        self.browser.setObjectName("help_page")
        self.browser.setAccessibleName("Guide page")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow)
        self.back_button = QPushButton("&Back")
        self.back_button.setEnabled(False)
        self.back_button.clicked.connect(self.back)
        back = QAction(self)
        back.setShortcuts([QKeySequence(QKeySequence.StandardKey.Back), QKeySequence("Alt+Left")])
        back.triggered.connect(self.back)
        self.addAction(back)
        close = QAction(self)
        close.setShortcuts(  # Escape too, as in the app's dialogs
            [*QKeySequence.keyBindings(QKeySequence.StandardKey.Close), QKeySequence("Esc")]
        )
        close.triggered.connect(self.close)
        self.addAction(close)

        side = QVBoxLayout()
        side.addWidget(self.search)
        side.addWidget(self.list, 1)
        side.addWidget(self.no_match)
        side.addWidget(self.back_button)
        layout = QHBoxLayout(self)
        layout.addLayout(side, 0)
        layout.addWidget(self.browser, 1)
        widest = max(self.list.fontMetrics().horizontalAdvance(t) for t, _ in self.pages)
        self.list.setFixedWidth(widest + 2 * self.list.frameWidth() + 24)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        from backstride.ui.screen_fit import resize_within_screen

        resize_within_screen(self, 900, 640)
        self.show_page(INDEX)

    # -- pages ---------------------------------------------------------------
    def show_page(self, name: str, remember: bool = True) -> None:
        if name not in self._text:
            raise ValueError(f"No help page {name!r}; the pages are {', '.join(self._text)}.")
        if remember and self.current and self.current != name:
            self._history.append(self.current)
        self.current = name
        self._render()
        self.back_button.setEnabled(bool(self._history))
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.list.blockSignals(True)
                self.list.setCurrentItem(item)
                self.list.blockSignals(False)
        title = next(t for t, page in self.pages if page == name)
        self.setWindowTitle(f"{APP_NAME} user guide — {title}")

    def _render(self) -> None:
        # Rendered again on a change of palette, so text and links take the new colours.
        self.browser.setMarkdown(self._text[self.current])
        query = self.search.text().strip()
        if query:
            self.browser.find(query)

    def back(self) -> None:
        if self._history:
            self.show_page(self._history.pop(), remember=False)
            self.back_button.setEnabled(bool(self._history))

    def follow(self, url: QUrl) -> None:
        """A clicked link: another page of the guide, or a web page in the browser."""
        if url.scheme() in _WEB_SCHEMES:
            QDesktopServices.openUrl(url)
            return
        name = url.path().rsplit("/", 1)[-1]
        if name in self._text:
            self.show_page(name)

    def _item_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.show_page(item.data(Qt.ItemDataRole.UserRole))

    # -- search --------------------------------------------------------------
    def matches(self, query: str) -> list[str]:
        """The pages holding every word of the query."""
        words = query.lower().split()
        return [name for _, name in self.pages if all(w in self._plain[name] for w in words)]

    def _filter(self, query: str) -> None:
        found = set(self.matches(query))
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(item.data(Qt.ItemDataRole.UserRole) not in found)
        self.no_match.setVisible(not found)

    def _open_first_match(self) -> None:
        found = self.matches(self.search.text())
        if found:
            self.show_page(self.current if self.current in found else found[0])
            self.browser.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.current:
            self._render()


def show_help(parent: QWidget, page: str = INDEX) -> HelpWindow:
    """Open the guide (the one already open, if any) at a page."""
    window = parent.findChild(HelpWindow)
    if window is None:
        window = HelpWindow(parent)
        # Over the window it was opened from, not in the screen's corner.
        frame = window.frameGeometry()
        frame.moveCenter(parent.window().frameGeometry().center())
        window.move(frame.topLeft())
        from backstride.ui.screen_fit import keep_on_screen

        keep_on_screen(window)
    if page != window.current:
        window.show_page(page)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
