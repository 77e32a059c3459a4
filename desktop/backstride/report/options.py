"""What a report covers and how it is printed: the period, the sections, paper and units."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.units import KM, UNITS

# Each section's id (used by the CLI's --sections and the remembered settings) and title.
SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        "summary": "One-page summary",
        "checkup": "Check-up answers",
        "body_map": "Where it hurts",
        "daily_pattern": "Through the day",
        "training": "Weekly training",
        "worse_helped": "What made it worse, what helped",
        "medications": "Medications",
        "findings": "All findings",
        "experiments": "Personal experiments (when one ran)",
        "appendix": "Diary appendix",
    }
)
# The appendix can run to many pages, so it is printed only when asked for.
DEFAULT_SECTIONS: tuple[str, ...] = tuple(s for s in SECTIONS if s != "appendix")
WEEK_CHOICES: tuple[int, ...] = (4, 8, 12)
DEFAULT_WEEKS = 8
PAPERS: tuple[str, ...] = ("a4", "letter")
# Territories whose printers take US Letter (ISO 3166 codes); everywhere else uses A4.
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR", "CR"})
MAX_QUESTION_CHARS = 600  # the runner's question fits in a few lines on page 1


@dataclass(frozen=True, slots=True)
class ReportOptions:
    start: date
    end: date
    paper: str = "a4"
    unit: str = KM.code
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    notes: bool = True  # notes can be private: the runner may leave them out
    question: str = ""  # the runner's own question for the visit

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def last_weeks(today: date, weeks: int) -> tuple[date, date]:
    """The period of the last ``weeks`` weeks, today included."""
    return today - timedelta(days=7 * weeks - 1), today


def paper_for_locale(name: str | None) -> str:
    """ "letter" for a locale such as "en_US" or "fr-CA", else "a4"."""
    territory = (name or "").replace("-", "_").partition(".")[0].partition("_")[2]
    return "letter" if territory.upper() in LETTER_TERRITORIES else "a4"


def parse_sections(text: str) -> tuple[str, ...]:
    """A comma-separated list of section ids, in the report's order; ValidationError
    naming an unknown one."""
    wanted = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValidationError(
            [
                FieldProblem(
                    "sections",
                    f"unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}",
                )
            ]
        )
    return ordered_sections(wanted)


def ordered_sections(chosen: Iterable[str]) -> tuple[str, ...]:
    picked = set(chosen)
    return tuple(s for s in SECTIONS if s in picked)


def check_options(options: ReportOptions) -> None:
    """ValidationError listing what cannot be printed as asked."""
    problems = []
    if options.start > options.end:
        problems.append(
            FieldProblem(
                "from",
                f"The period starts ({options.start.isoformat()}) after it ends "
                f"({options.end.isoformat()}); swap the two dates.",
            )
        )
    if not options.sections:
        problems.append(FieldProblem("sections", "Choose at least one section to print."))
    elif any(s not in SECTIONS for s in options.sections):
        problems.append(FieldProblem("sections", f"Sections are {', '.join(SECTIONS)}."))
    if options.paper not in PAPERS:
        problems.append(FieldProblem("paper", "Paper is a4 or letter."))
    if options.unit not in UNITS:
        problems.append(FieldProblem("unit", f"Units are {' or '.join(UNITS)}."))
    if len(options.question) > MAX_QUESTION_CHARS:
        problems.append(
            FieldProblem(
                "question",
                f"Keep the question to {MAX_QUESTION_CHARS} characters so it fits on page 1.",
            )
        )
    if problems:
        raise ValidationError(problems)
