"""A check-up result on paper (the emergency and urgent pages say "show them this page"):
the tier, what to do now, why, and the answers that set it, in the check-up's own wording.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from backstride.core.triage import (
    TriageResult,
    action_text,
    headline_text,
    load_wording,
    question_label,
    reason_lines,
    tier_wording,
    why_text,
)
from backstride.core.triage_record import when_text
from backstride.report.charts import INK
from backstride.report.pdf import BODY, CELL_FONT, H2, TITLE, build_pdf, frame_size, para

CHECKUP_TITLE = "Back pain check-up result"


def checkup_pdf(result: TriageResult, taken: datetime | None, paper: str, name: str = "") -> bytes:
    """The result as a one-page PDF; taken is when it was saved (None: not saved yet)."""
    w = load_wording()
    label = w.labels
    tier = tier_wording(result.tier)
    width, _ = frame_size(paper)
    when = "Not saved yet" if taken is None else when_text(taken)
    action = result.advice[0] if result.advice else action_text(result.basis)
    banner = Table(
        [
            [para(tier.name.upper(), H2)],
            [para(headline_text(result), TITLE)],
            [para(f"{label['action']}: {action}", BODY)],
        ],
        colWidths=[width],
        hAlign="LEFT",
    )
    # A thick black frame, not colour alone, marks the result on a black-and-white print.
    banner.setStyle(TableStyle([*CELL_FONT, ("BOX", (0, 0), (-1, -1), 2.5, INK)]))
    story: list[Flowable] = [para(CHECKUP_TITLE, TITLE)]
    if name:
        story.append(para(name, BODY))
    story += [para(when, BODY), Spacer(1, 6), banner, Spacer(1, 6)]
    reasons = reason_lines(result)
    if reasons:
        story.append(para(label["reasons"], H2))
        story += [para(f"• {line}") for line in reasons]
    story += [para(label["why"], H2), para(why_text(result))]
    story += [para(label["contact"], H2), para(tier.contact)]
    story += [para(label["limits"], H2), para(tier.limits)]
    if result.other_flags:
        story += [
            para(label["other_flags"], H2),
            para("; ".join(question_label(k) for k in result.other_flags)),
        ]
    if len(result.advice) > 1:
        story.append(para(label["advice"], H2))
        story += [para(f"• {line}") for line in result.advice[1:]]
    story += [
        para(label["not_diagnosis"], H2),
        para(w.disclaimer["not_diagnosis"]),
        para(label["when_to_seek_care"], H2),
        para(w.disclaimer["when_to_seek_care"]),
        Spacer(1, 4),
        para(f"{label['rules_version']}: {result.rules_version}"),
    ]
    return build_pdf(story, paper, f"{CHECKUP_TITLE}: {tier.name}", name, f"Check-up: {when}")
