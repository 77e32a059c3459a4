"""The pitfalls to say out loud, and the analysis as readable text for the CLI."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from backstride.core.analysis.alerts import day_text
from backstride.core.analysis.constants import CURRENT_DAYS, SIGNIFICANT_Q
from backstride.core.analysis.findings import Analysis, Finding


@dataclass(frozen=True, slots=True)
class Caveat:
    title: str
    text: str
    source: str  # a published source, printed after the text; "" when it is general method

    def cited(self) -> str:
        return f"{self.text} ({self.source})" if self.source else self.text


# The pitfalls to say out loud in the UI and report (docs/clinical-sources.md).
CAVEATS: tuple[Caveat, ...] = (
    Caveat(
        "Association is not cause",
        "A pattern means pain and a factor went together in your diary. Something else may "
        "drive both: a hilly race block is often also a long-run block.",
        "",
    ),
    Caveat(
        "Regression to the mean",
        "Unusually bad days tend to be followed by better ones whatever you do, so a change "
        "made on a bad day can look as if it helped.",
        "",
    ),
    Caveat(
        "Natural recovery",
        "Acute back pain falls by about 58 % within a month on its own, so improvement over "
        "weeks does not prove that a change worked. Patterns compare days against your own "
        "level over the 8 weeks around them, so a slow trend or season shared with a habit "
        "counts for less.",
        "Pengel et al., BMJ 2003",
    ),
    Caveat(
        "Reverse causation",
        "Runners in pain run less, shorter or slower, so a factor can follow pain rather "
        "than cause it. Training patterns allow for how your back was before each run (that "
        "morning and the day before), which removes much of this but not all.",
        "Drozda et al., Gait Posture 2024",
    ),
    Caveat(
        "The load ratio is context",
        "The acute:chronic load ratio is contested; it is shown as context, not as a "
        "prediction of pain or injury.",
        "Impellizzeri et al., Sports Med 2021",
    ),
    Caveat(
        "Many comparisons at once",
        "Many factors are tested together, so some differences appear by chance. q-values "
        "(Benjamini-Hochberg false discovery rate) allow for that; only q < 0.1 counts as a "
        "pattern, and the permutation test keeps day-to-day correlation in mind.",
        "",
    ),
    Caveat(
        "Self-reported",
        "These are self-reported associations from one person's diary: something to discuss "
        "with a physiotherapist or doctor, not a diagnosis.",
        "",
    ),
)

WIDTH = 88


def _item(text: str, bullet: str = "- ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=bullet, subsequent_indent=" " * len(bullet))


def _section(title: str, findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    return ["", title.upper(), *(_item(f.summary) for f in findings)]


def render_text(analysis: Analysis) -> str:
    """The whole analysis as plain text (for ``backstride analyze``)."""
    lines: list[str] = []
    if analysis.period_from is None or analysis.period_to is None:
        lines.append("Backstride analysis: nothing logged yet")
    else:
        lines.append(
            f"Backstride analysis, {day_text(analysis.period_from)} to "
            f"{day_text(analysis.period_to)}"
        )
    found = [f for f in analysis.findings if f.significant]
    unclear = [f for f in analysis.findings if f.kind == "association" and not f.significant]
    alerts = analysis.of_kind("alert")
    lines += _section("Alerts", [f for f in alerts if f.current])
    lines += _section(
        f"Raised earlier (not in the last {CURRENT_DAYS} days)",
        [f for f in alerts if not f.current],
    )
    if found:
        lines += _section(f"Patterns (q < {SIGNIFICANT_Q:g}), strongest first", found)
    elif unclear:
        lines += [
            "",
            "PATTERNS",
            _item(f"No factor stands out from chance (all q >= {SIGNIFICANT_Q:g})."),
        ]
    lines += _section("Tested, no clear pattern", unclear)
    lines += _section("Training load (context, not a prediction)", list(analysis.of_kind("load")))
    lines += _section("Not enough data yet", list(analysis.of_kind("insufficient")))
    lines += ["", "READ WITH CARE"]
    lines += [_item(f"{c.title}: {c.cited()}") for c in CAVEATS]
    return "\n".join(lines) + "\n"
