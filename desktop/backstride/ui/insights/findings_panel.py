"""The findings of one analysis: alerts up front, then a list grouped by kind, and a detail
panel that opens the days behind the selected finding (each day's pain and runs)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import Run
from backstride.core.units import DistanceUnit
from backstride.ui.insights.days import DayRow, day_rows, value_text
from backstride.ui.insights.wording import (
    EARLIER_HEADING,
    NO_PATTERN,
    PATTERNS_HEADING,
    numbers_text,
    second_line,
    title,
    without_action,
)
from backstride.ui.theme import app_scheme, themed_style

if TYPE_CHECKING:
    from backstride.core.analysis import Analysis, Finding

FINDING = Qt.ItemDataRole.UserRole  # index into Analysis.findings
CAVEAT = Qt.ItemDataRole.UserRole + 1  # index into CAVEATS

GROUP_ALERTS = "Alerts"
GROUP_EARLIER = EARLIER_HEADING
GROUP_PATTERNS = PATTERNS_HEADING
GROUP_UNCLEAR = "Tested, no clear pattern"
GROUP_LOAD = "Training load: context, not a prediction"
GROUP_INSUFFICIENT = "Not enough data yet"
GROUP_CAVEATS = "Read with care"
# The alert box's colours are the scheme's (ui/theme.py: alert_background, alert_border).

DAY_COLUMNS = ("Date", "Pain", "Later", "Next\nmorning", "Runs that day")
DAY_TIPS = (
    "",
    "The day's least to worst pain (0-10)",
    "Pain after the run, in the evening or at night",
    "Pain on waking the next day",
    "Distance, descent and warm-up of each run (hover for more)",
)


class AlertsBanner(QFrame):
    """The alerts, each with what to do and a link to its days; hidden when there are none."""

    open_finding = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("alerts")
        themed_style(
            self,
            lambda s: (
                f"#alerts {{ background: {s.alert_background}; "
                f"border: 2px solid {s.alert_border}; border-radius: 4px; }}"
                f"#alerts QLabel {{ color: {s.window_text}; }}"
            ),
        )
        self.label = QLabel()
        self.label.setObjectName("alerts_text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.label.setOpenExternalLinks(False)
        self.label.linkActivated.connect(self._link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)
        self.hide()

    def show_alerts(self, alerts: Sequence[tuple[int, Finding]]) -> None:
        parts = []
        for index, f in alerts:
            parts.append(
                f"<p style='margin:0 0 3px 0'><b>⚠ {html.escape(title(f))}.</b> "
                f"<b>What to do:</b> {html.escape(f.action)} "
                f'<a href="finding:{index}">Details and days</a></p>'
            )
        self.label.setText("".join(parts))
        self.setVisible(bool(alerts))

    def _link(self, href: str) -> None:
        if href.startswith("finding:"):
            self.open_finding.emit(int(href.split(":", 1)[1]))


class FindingsPanel(QWidget):
    """Alerts banner, the grouped findings list and the selected finding's detail."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("findings_panel")
        self.analysis: Analysis | None = None
        self.runs: Mapping[date, Sequence[Run]] = {}
        self.unit: DistanceUnit | None = None
        self.rows: list[DayRow] = []

        self.alerts = AlertsBanner()  # the page places it across the top
        self.alerts.open_finding.connect(self.select_finding)
        self.notice = QLabel()  # "not enough data yet for patterns: log ..."
        self.notice.setObjectName("patterns_notice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.tree = QTreeWidget()
        self.tree.setObjectName("findings")
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(False)  # findings take two lines, groups one
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(lambda *_: self._show_current())

        self.detail = QLabel()
        self.detail.setObjectName("finding_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.days = QTableWidget(0, len(DAY_COLUMNS))
        self.days.setObjectName("finding_days")
        self.days.setHorizontalHeaderLabels(list(DAY_COLUMNS))
        self.days.verticalHeader().hide()
        self.days.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.days.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.days.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.days.setAlternatingRowColors(True)
        self.days.setWordWrap(False)
        self.days.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column, tip in enumerate(DAY_TIPS):
            header_item = self.days.horizontalHeaderItem(column)
            if header_item is not None and tip:
                header_item.setToolTip(tip)
        days_header = self.days.horizontalHeader()
        for column in range(len(DAY_COLUMNS) - 1):
            days_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        days_header.setStretchLastSection(True)
        self.days.hide()

        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail)
        detail_layout.addWidget(self.days, 1)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.notice)
        top_layout.addWidget(self.tree, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(detail_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # -- filling ------------------------------------------------------------
    def show_analysis(
        self, analysis: Analysis, runs: Mapping[date, Sequence[Run]], unit: DistanceUnit
    ) -> None:
        from backstride.core.analysis import CAVEATS

        previous = self.current_finding()
        self.analysis, self.runs, self.unit = analysis, runs, unit
        self.tree.blockSignals(True)
        self.tree.clear()
        indexed = list(enumerate(analysis.findings))
        alerts = [(i, f) for i, f in indexed if f.kind == "alert" and f.current]
        earlier = [(i, f) for i, f in indexed if f.kind == "alert" and not f.current]
        patterns = [(i, f) for i, f in indexed if f.significant]
        unclear = [(i, f) for i, f in indexed if f.kind == "association" and not f.significant]
        load = [(i, f) for i, f in indexed if f.kind == "load"]
        insufficient = [(i, f) for i, f in indexed if f.kind == "insufficient"]
        self.alerts.show_alerts(alerts)

        groups: list[tuple[str, list[tuple[int, Finding]], bool]] = [
            (GROUP_ALERTS, alerts, True),
            (GROUP_EARLIER, earlier, False),
            (GROUP_PATTERNS, patterns, True),
            (GROUP_UNCLEAR, unclear, False),
            (GROUP_LOAD, load, True),
            (GROUP_INSUFFICIENT, insufficient, not patterns),
        ]
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for name, members, expanded in groups:
            if not members and name != GROUP_PATTERNS:
                continue
            group = QTreeWidgetItem([f"{name} ({len(members)})"])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            for index, f in members:
                group.addChild(self._item(index, f))
            if not members:  # no pattern: say why, right where one would be
                tested = bool(unclear)
                text = NO_PATTERN if tested else "Not enough data yet to compare any factor"
                empty = QTreeWidgetItem([text])
                empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.addChild(empty)
            group.setExpanded(expanded)
        caveats = QTreeWidgetItem([GROUP_CAVEATS])
        caveats.setFont(0, bold)
        caveats.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.tree.addTopLevelItem(caveats)
        for n, c in enumerate(CAVEATS):
            item = QTreeWidgetItem([c.title])
            item.setData(0, CAVEAT, n)
            item.setToolTip(0, c.cited())
            caveats.addChild(item)
        caveats.setExpanded(False)
        self.tree.blockSignals(False)

        self._show_notice(patterns, unclear, insufficient)
        self._reselect(previous)

    def _item(self, index: int, f: Finding) -> QTreeWidgetItem:
        assert self.unit is not None
        item = QTreeWidgetItem([f"{title(f)}\n{second_line(f, self.unit)}"])
        item.setData(0, FINDING, index)
        item.setToolTip(0, f"<p>{html.escape(f.summary)}</p>")
        if f.kind == "alert":
            item.setForeground(0, QBrush(QColor(app_scheme().error_text)))
        return item

    def _show_notice(
        self,
        patterns: list[tuple[int, Finding]],
        unclear: list[tuple[int, Finding]],
        insufficient: list[tuple[int, Finding]],
    ) -> None:
        """Without any factor tested, say up front what to log next."""
        if patterns or unclear or not insufficient:
            self.notice.hide()
            return
        first = [f.summary for _, f in insufficient[:3]]
        self.notice.setText(
            "<b>Not enough data yet to look for patterns.</b> What to log next:<ul>"
            + "".join(f"<li>{html.escape(s)}</li>" for s in first)
            + "</ul>"
        )
        self.notice.show()

    def _reselect(self, previous: Finding | None) -> None:
        """Keep the same finding selected after a re-run, else select the first one shown."""

        def key(f: Finding) -> tuple[str, str, str | None, str]:
            return (f.factor, f.kind, f.lag, title(f))

        items = self._finding_items()
        target = None
        if previous is not None:
            target = next(
                (i for i in items if (f := self.finding_of(i)) and key(f) == key(previous)),
                None,
            )
        if target is None:
            shown = [i for i in items if (parent := i.parent()) is None or parent.isExpanded()]
            target = (shown or items)[0] if items else None
        if target is not None:
            self.tree.setCurrentItem(target)
        else:
            self._show_current()

    # -- selection ----------------------------------------------------------
    def _finding_items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            assert group is not None
            for c in range(group.childCount()):
                child = group.child(c)
                if child is not None and child.data(0, FINDING) is not None:
                    out.append(child)
        return out

    def finding_of(self, item: QTreeWidgetItem | None) -> Finding | None:
        if item is None or self.analysis is None:
            return None
        index = item.data(0, FINDING)
        return None if index is None else self.analysis.findings[int(index)]

    def current_finding(self) -> Finding | None:
        return self.finding_of(self.tree.currentItem())

    def item_for(self, index: int) -> QTreeWidgetItem | None:
        for item in self._finding_items():
            if int(item.data(0, FINDING)) == index:
                return item
        return None

    def select_finding(self, index: int) -> None:
        item = self.item_for(index)
        if item is not None:
            parent = item.parent()
            if parent is not None:
                parent.setExpanded(True)
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    def _show_current(self) -> None:
        item = self.tree.currentItem()
        caveat = None if item is None else item.data(0, CAVEAT)
        if caveat is not None:
            from backstride.core.analysis import CAVEATS

            c = CAVEATS[int(caveat)]
            self._detail(
                f"<b>{html.escape(c.title)}</b><p>{html.escape(c.text)}</p>"
                + (f"<p><i>{html.escape(c.source)}</i></p>" if c.source else ""),
                [],
                None,
            )
            return
        f = self.finding_of(item)
        if f is None:
            self._detail(
                "<p>Select a finding to see what it is based on and the days behind it.</p>",
                [],
                None,
            )
            return
        parts = [f"<b>{html.escape(title(f))}</b>"]
        if f.kind == "alert":
            parts.append(f"<p>{html.escape(without_action(f))}</p>")
            if f.action:
                parts.append(f"<p><b>What to do:</b> {html.escape(f.action)}</p>")
        else:
            parts.append(f"<p>{html.escape(f.summary)}</p>")
        numbers = numbers_text(f)
        if numbers:
            muted = self.palette().placeholderText().color().name()
            parts.append(f"<p style='color:{muted}'>{html.escape(numbers)}.</p>")
        rows: list[DayRow] = []
        if f.days and self.analysis is not None and self.unit is not None:
            rows = day_rows(f.days, self.analysis.series, self.runs, self.unit)
            what = "flagged" if f.kind == "alert" else "with the factor"
            parts.append(
                f"<p><b>The {len(rows)} day{'s' if len(rows) != 1 else ''} {what}</b>"
                " (newest first):</p>"
            )
        self._detail("".join(parts), rows, f.lag)

    def _detail(self, text: str, rows: list[DayRow], lag: str | None) -> None:
        self.detail.setText(text)
        self.rows = rows
        self.days.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (
                f"{row.day.day} {row.day:%b %Y}",
                row.pain_text,
                value_text(row.later),
                value_text(row.next_morning),
                row.runs or "no run",
            )
            for c, text_ in enumerate(cells):
                cell = QTableWidgetItem(text_)
                if c == 0:
                    cell.setToolTip(f"{row.day:%A}")
                if c == 4 and row.runs:
                    cell.setToolTip(row.runs_full)
                if c in (1, 2, 3):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.days.setItem(r, c, cell)
        # The outcome the finding compares is the column to read: make it bold.
        compared = {"next morning": 3, "same evening": 2}.get(lag or "")
        for c in range(len(DAY_COLUMNS)):
            header = self.days.horizontalHeaderItem(c)
            if header is None:
                continue
            font = header.font()
            font.setBold(c == compared)
            header.setFont(font)
        self.days.setVisible(bool(rows))
