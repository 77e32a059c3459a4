"""The Shoes tab: distance per shoe, a warning once a shoe is past its limit, and adding,
editing and deleting shoes (through the operations, with undo)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import Shoe
from backstride.core.units import KM, DistanceUnit
from backstride.operations import RUNS, SHOES
from backstride.operations import training as shoe_ops
from backstride.store.shoes import ShoeUse
from backstride.ui.context import AppContext, perform, perform_delete
from backstride.ui.display_units import display_unit
from backstride.ui.theme import app_scheme
from backstride.ui.training.shoe_dialog import ShoeDialog

# Warning and retired-shoe colours: the scheme's error and muted colours (ui/theme.py).
SHOE_ROLE = Qt.ItemDataRole.UserRole + 20


def shoe_status(use: ShoeUse, unit: DistanceUnit) -> str:
    limit = unit.distance(use.shoe.warn_km * 1000.0, 0)
    if use.shoe.retired is not None:
        return f"retired {use.shoe.retired:%d %b %Y}"
    if use.over_limit:
        return f"⚠ past {limit}: time for new shoes?"
    return f"warns at {limit}"


class ShoeList(QWidget):
    status_message = Signal(str)

    def __init__(self, ctx: AppContext, today: Callable[[], date]) -> None:
        super().__init__()
        self.setObjectName("shoe_list")
        self.ctx = ctx
        self.today = today
        self.tree = QTreeWidget()
        self.tree.setObjectName("shoes")
        self.tree.setHeaderLabels(["Shoe", "Distance", "Runs", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAccessibleName("Shoes")
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.show_retired = QCheckBox("Show retired shoes")
        self.show_retired.setObjectName("show_retired")
        self.add_button = QPushButton("Add shoe…")
        self.add_button.setObjectName("add_shoe")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("edit_shoe")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("delete_shoe")
        self.summary = QLabel()
        self.summary.setObjectName("shoe_summary")
        self.summary.setWordWrap(True)
        self._uses: list[ShoeUse] = []
        self._unit = KM
        self.show_retired.toggled.connect(lambda _: self._fill())
        self.tree.itemSelectionChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        title = QLabel("<b>Shoes</b>")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.show_retired)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_shoe)
        self.edit_button.clicked.connect(self.edit_shoe)
        self.delete_button.clicked.connect(self.delete_shoe)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_shoe())
        delete = QAction(
            "Delete shoe", self, shortcut=QKeySequence(QKeySequence.StandardKey.Delete)
        )
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the list's own
        delete.triggered.connect(self.delete_shoe)
        self.tree.addAction(delete)
        self._update_buttons()

    def set_shoes(self, uses: Sequence[ShoeUse], unit: DistanceUnit) -> None:
        self._uses = list(uses)
        self._unit = unit
        self._fill()

    def _fill(self) -> None:
        selected = self.selected()
        self.tree.clear()
        show_retired = self.show_retired.isChecked()
        shown = [u for u in self._uses if show_retired or u.shoe.retired is None]
        for use in shown:
            item = QTreeWidgetItem(
                [
                    use.shoe.name,
                    self._unit.distance(use.distance_m, 0),
                    str(use.runs),
                    shoe_status(use, self._unit),
                ]
            )
            item.setData(0, SHOE_ROLE, use.shoe)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if use.shoe.retired is not None:
                for column in range(4):
                    item.setForeground(column, QBrush(QColor(app_scheme().placeholder)))
            elif use.over_limit:
                item.setForeground(3, QBrush(QColor(app_scheme().error_text)))
                item.setToolTip(
                    3,
                    f"{use.shoe.name} has run {self._unit.distance(use.distance_m, 0)}, past the "
                    f"{self._unit.distance(use.shoe.warn_km * 1000.0, 0)} you set",
                )
            self.tree.addTopLevelItem(item)
            if selected is not None and use.shoe.id == selected.id:
                item.setSelected(True)
        active = [u for u in self._uses if u.shoe.retired is None]
        worn = [u for u in active if u.over_limit]
        hidden = len(self._uses) - len(shown)
        parts = [f"{len(active)} in use"]
        if worn:
            parts.append(
                f"{len(worn)} past its limit"
                if len(worn) == 1
                else f"{len(worn)} past their limits"
            )
        if hidden:
            parts.append(f"{hidden} retired not shown")
        self.summary.setText(", ".join(parts) if self._uses else "No shoes yet.")
        self._update_buttons()

    def selected(self) -> Shoe | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        shoe = items[0].data(0, SHOE_ROLE)
        return shoe if isinstance(shoe, Shoe) else None

    def names(self) -> list[str]:
        return [u.shoe.name for u in self._uses]

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- operations -------------------------------------------------------
    def _dialog(self, save: Callable[[Shoe], object], initial: Shoe | None = None) -> None:
        dialog = ShoeDialog(
            self,
            save=save,
            unit=display_unit(),
            initial=initial,
            taken_names=self.names(),
            today=self.today,
        )
        dialog.exec()
        dialog.deleteLater()

    def add_shoe(self) -> None:
        self._dialog(
            lambda shoe: perform(
                self.ctx, self, shoe_ops.add_shoe(self.ctx.store, shoe, self.today())
            )
        )

    def edit_shoe(self) -> None:
        old = self.selected()
        if old is not None:
            self._dialog(
                lambda new: perform(
                    self.ctx, self, shoe_ops.edit_shoe(self.ctx.store, old, new, self.today())
                ),
                initial=old,
            )

    def delete_shoe(self) -> None:
        shoe = self.selected()
        if shoe is None or shoe.id is None:
            return
        store, shoe_id = self.ctx.store, shoe.id
        removed = perform_delete(
            self.ctx, self, "shoe", lambda: shoe_ops.delete_shoe(store, shoe_id), (SHOES, RUNS)
        )
        if removed is not None:
            gone, run_ids = removed
            worn = f"; its {len(run_ids)} runs now have no shoe" if run_ids else ""
            self.status_message.emit(f"Shoe {gone.name} deleted{worn}. Ctrl+Z brings it back.")
