"""A check-up result: a banner in the tier's colour, then the reasons, patterns, running
factors and the disclaimer, all in the wording of results.toml.

The emergency banner is deliberately loud (large white text on red); every other tier is
calm. Pattern and factor lines are taken from ``result.advice`` (which holds them with the
runner's own numbers filled in), so nothing the rules say is re-worded here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from backstride.core.triage import (
    RULES_VERSION,
    TriageResult,
    action_text,
    headline_text,
    load_wording,
    question_label,
    reason_lines,
    tier_wording,
    why_text,
)
from backstride.ui.theme import app_scheme


@dataclass(frozen=True, slots=True)
class TierStyle:
    background: str
    text: str
    headline_pt: int
    body_pt: int
    swatch: str  # the tier's mark in lists: visible on white and on the selection colour


# Emergency is loud; the others are calm but distinct. Text/background contrast is at
# least WCAG AA (4.5:1); a test checks it.
TIER_STYLES = {
    "emergency": TierStyle("#b3261e", "#ffffff", 22, 13, "#b3261e"),
    "urgent": TierStyle("#9c4100", "#ffffff", 17, 11, "#9c4100"),
    "soon": TierStyle("#1f5f99", "#ffffff", 15, 11, "#1f5f99"),
    "self_care": TierStyle("#e3f1e6", "#1d4d2b", 15, 11, "#3f8f55"),
}


TIER_BODY_BASE_PT = 11  # TIER_STYLES' sizes are for this body size; they scale from it

PRINTED_TIERS = frozenset({"emergency", "urgent"})  # their pages say to show them


@dataclass(frozen=True, slots=True)
class AdviceParts:
    general: tuple[str, ...]  # prompts, body-map checks (not patterns or factors)
    factors: tuple[tuple[str, str, str], ...]  # (code, what to do, what to log)
    topical: str | None


def split_advice(result: TriageResult) -> AdviceParts:
    """Sort ``result.advice[1:]`` into general lines, factor lines and the topical line."""
    w = load_wording()
    test_it = f" {w.labels['test_it']} "
    pattern_lines = {
        f"{w.patterns[c].title}: {w.patterns[c].action}" for c in result.patterns if c in w.patterns
    }
    general: list[str] = []
    factors: list[tuple[str, str, str]] = []
    topical = None
    for line in result.advice[1:]:
        if line in pattern_lines:
            continue  # shown with its explanation under the patterns
        if line == w.general["topical"]:
            topical = line
            continue
        code = next(
            (
                c
                for c in result.factors
                if c in w.factors and line.startswith(f"{w.factors[c].title}: ")
            ),
            None,
        )
        if code is None:
            general.append(line)
            continue
        body = line[len(w.factors[code].title) + 2 :]
        todo, _, log = body.rpartition(test_it) if test_it in body else (body, "", "")
        factors.append((code, todo, log))
    return AdviceParts(tuple(general), tuple(factors), topical)


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _h(text: str) -> str:
    return f"<h3>{html.escape(text)}</h3>"


def details_html(result: TriageResult) -> str:
    """Everything below the banner, as simple HTML for a QTextBrowser."""
    w = load_wording()
    label = w.labels
    tier = tier_wording(result.tier)
    parts = split_advice(result)
    scheme = app_scheme()  # the page's colours follow light and dark (ui/theme.py)
    muted, note, box = scheme.placeholder, scheme.error_text, scheme.alternate_base
    out: list[str] = []
    if result.rules_version != RULES_VERSION:
        older = w.general["older_rules"].format(version=result.rules_version)
        out.append(f'<p style="color:{note}"><b>{html.escape(older)}</b></p>')
    if parts.general:
        out.append(_h(label["advice"]))
        out.append("<ul>" + "".join(f"<li>{html.escape(g)}</li>" for g in parts.general) + "</ul>")
    if result.tier == "emergency":  # the banner already says what the app cannot do
        out += [_h(label["why"]), _p(why_text(result)), _h(label["contact"]), _p(tier.contact)]
    else:
        out += [_h(label["contact"]), _p(tier.contact), _h(label["why"]), _p(why_text(result))]
        out += [_h(label["limits"]), _p(tier.limits)]
    if result.other_flags:
        out += [
            _h(label["other_flags"]),
            _p("; ".join(question_label(k) for k in result.other_flags)),
        ]
    if result.tier != "emergency":
        known = [c for c in result.patterns if c in w.patterns]
        if known:
            out.append(_h(label["patterns"]))
        for code in known:
            p = w.patterns[code]
            out.append(
                f"<p><b>{html.escape(p.title)}</b><br>{html.escape(p.explanation)}"
                f"<br><i>{html.escape(p.action)}</i></p>"
            )
        if parts.factors:
            out.append(_h("Running factors"))
        for code, todo, log in parts.factors:
            f = w.factors[code]
            text = f"<p><b>{html.escape(f.title)}</b><br>{html.escape(todo)}"
            if log:
                text += f"<br><b>{html.escape(label['test_it'])}</b> {html.escape(log)}"
            text += f'<br><span style="color:{muted}">{html.escape(f.evidence)}</span></p>'
            out.append(text)
        if parts.topical:
            out.append(_p(parts.topical))
    out.append(
        f'<table width="100%" cellpadding="8" bgcolor="{box}"><tr><td>'
        f"<b>{html.escape(label['not_diagnosis'])}.</b> "
        f"{html.escape(w.disclaimer['not_diagnosis'])}"
        f"<br><br><b>{html.escape(label['when_to_seek_care'])}.</b> "
        f"{html.escape(w.disclaimer['when_to_seek_care'])}</td></tr></table>"
    )
    out.append(
        f'<p style="color:{muted}">{html.escape(label["rules_version"])}: '
        f"{html.escape(result.rules_version)}</p>"
    )
    return "\n".join(out)


class ResultView(QWidget):
    """The banner and the details of one result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = QFrame()
        self.banner.setObjectName("tier_banner")
        self.banner.setAccessibleName("Result")
        self.tier_name = QLabel()
        self.tier_name.setObjectName("tier_name")
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.action = QLabel()
        self.action.setObjectName("action")
        self.reasons = QLabel()
        self.reasons.setObjectName("reasons")
        self.limits = QLabel()  # emergency only: the app cannot assess this
        self.limits.setObjectName("limits")
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.setContentsMargins(18, 14, 18, 16)
        banner_layout.setSpacing(6)
        for label in (self.tier_name, self.headline, self.action, self.reasons, self.limits):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            banner_layout.addWidget(label)

        self.details = QTextBrowser()
        self.details.setObjectName("result_details")
        self.details.setOpenLinks(False)
        self.details.setFrameShape(QFrame.Shape.NoFrame)
        self.details.setAccessibleName("Result details")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        # "Show them this page": the emergency and urgent results can be printed or saved.
        self.print_button = QPushButton("Pr&int this result…")
        self.print_button.setObjectName("print_result")
        self.print_button.clicked.connect(self.print_result)
        self.save_button = QPushButton("Sa&ve as PDF…")
        self.save_button.setObjectName("save_result_pdf")
        self.save_button.clicked.connect(self.save_result)
        self.output_row = QWidget()
        row = QHBoxLayout(self.output_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addWidget(self.banner)
        layout.addWidget(self.output_row)
        layout.addWidget(self.details, 1)
        self.result: TriageResult | None = None
        self.taken: datetime | None = None
        self.output_row.hide()

    def show_result(self, result: TriageResult, taken: datetime | None = None) -> None:
        """Show result; taken is when it was saved (None while the wizard shows it)."""
        self.result = result
        self.taken = taken
        w = load_wording()
        tier = tier_wording(result.tier)
        style = TIER_STYLES[result.tier]
        self.banner.setStyleSheet(
            f"QFrame#tier_banner {{ background: {style.background}; border-radius: 6px; }}"
            f"QFrame#tier_banner QLabel {{ color: {style.text}; background: transparent; }}"
        )
        self._font(self.tier_name, style.body_pt - 1, bold=True)
        self._font(self.headline, style.headline_pt, bold=True)
        self._font(self.action, style.body_pt, bold=False)
        self._font(self.reasons, style.body_pt, bold=False)
        self._font(self.limits, style.body_pt, bold=False)
        self.tier_name.setText(tier.name.upper())
        headline = headline_text(result)
        self.headline.setText(headline)
        action = result.advice[0] if result.advice else action_text(result.basis)
        self.action.setText(f"<b>{html.escape(w.labels['action'])}:</b> {html.escape(action)}")
        reasons = reason_lines(result)
        if reasons:
            self.reasons.setText(
                f"<b>{html.escape(w.labels['reasons'])}:</b> "
                + "<br>".join(html.escape(line) for line in reasons)
            )
        self.reasons.setVisible(bool(reasons))
        emergency = result.tier == "emergency"
        self.limits.setText(f"<b>{html.escape(w.labels['limits'])}:</b> {html.escape(tier.limits)}")
        self.limits.setVisible(emergency)
        self.banner.setAccessibleDescription(f"{tier.name}. {headline}. {action}")
        self.details.setHtml(details_html(result))
        self.output_row.setVisible(result.tier in PRINTED_TIERS)

    def result_pdf(self) -> bytes:
        """The shown result as a PDF, in the check-up's own wording."""
        from backstride.report.checkup_pdf import checkup_pdf
        from backstride.ui.report.printing import system_paper

        assert self.result is not None
        return checkup_pdf(self.result, self.taken, system_paper())

    def print_result(self) -> None:
        from backstride.ui.report.printing import load_pdf, print_with_dialog

        document = load_pdf(self.result_pdf(), self)
        try:
            print_with_dialog(self, document)
        finally:
            document.deleteLater()

    def save_result(self) -> None:
        from backstride.ui.report.printing import save_pdf

        save_pdf(self, self.result_pdf(), "backstride-check-up.pdf")

    @staticmethod
    def _font(label: QLabel, points: int, bold: bool) -> None:
        """The tier's size relative to the application's (the system's) font: the sizes in
        TIER_STYLES are for an 11 pt body text, and scale with the system's text size."""
        font = label.font()
        base = QApplication.font().pointSizeF()
        if base > 0:
            font.setPointSizeF(base * points / TIER_BODY_BASE_PT)
        font.setBold(bold)
        label.setFont(font)
