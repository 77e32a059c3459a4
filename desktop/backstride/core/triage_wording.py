"""The check-up's words: questions (questions.toml) and results (results.toml), typed.

Parsing is separate from reading so it stays pure; ``backstride.core.triage`` reads the
packaged files and caches the result. A broken file raises WordingError naming the file,
the table and the field, because the wizard must never show a half-worded result.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backstride.core.triage_answers import KINDS, SPECS, Kind, Spec

QUESTIONS_FILE = "questions.toml"
RESULTS_FILE = "results.toml"
PAGE_ORDER = ("red_flags", "history", "pattern", "recheck", "running")
PREFILL_SOURCES = ("runs", "habits")


class WordingError(ValueError):
    """A wording file that is incomplete or disagrees with the answer schema."""

    def __init__(self, file: str, where: str, message: str) -> None:
        self.file = file
        self.where = where
        super().__init__(f"{file}: {where}: {message}")


# ---------------------------------------------------------------- questions


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    label: str
    text: str
    kind: Kind
    help: str = ""
    tier: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    integer: bool = False
    choices: tuple[Choice, ...] = ()
    prefill: str | None = None

    def choice_label(self, code: str) -> str:
        return next((c.label for c in self.choices if c.code == code), code)


@dataclass(frozen=True, slots=True)
class Page:
    code: str
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    pages: tuple[Page, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for page in self.pages for q in page.questions)

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(f"no question has the key {key!r}")

    def label(self, key: str) -> str:
        return self.question(key).label


def parse_questions(data: Mapping[str, Any], file: str = QUESTIONS_FILE) -> Questionnaire:
    """Typed questions, checked against the answer schema in both directions."""
    pages_raw = data.get("pages")
    if not isinstance(pages_raw, list) or not pages_raw:
        raise WordingError(file, "pages", "expected a list of [[pages]] tables")
    pages = tuple(_parse_page(p, i, file) for i, p in enumerate(pages_raw))
    codes = tuple(p.code for p in pages)
    if codes != PAGE_ORDER:
        raise WordingError(file, "pages", f"expected pages {PAGE_ORDER}, found {codes}")
    seen: set[str] = set()
    for page in pages:
        for q in page.questions:
            if q.key in seen:
                raise WordingError(file, q.key, "asked twice; each key needs one question")
            seen.add(q.key)
    missing = [k for k, spec in SPECS.items() if k not in seen and not spec.legacy]
    if missing:
        raise WordingError(file, "pages", f"no question for the answer keys {missing}")
    return Questionnaire(pages)


def _parse_page(raw: Any, index: int, file: str) -> Page:
    where = f"pages[{index}]"
    table = _table(raw, where, file)
    code = _text(table, "code", where, file)
    where = f"page {code!r}"
    questions_raw = table.get("questions")
    if not isinstance(questions_raw, list) or not questions_raw:
        raise WordingError(file, where, "expected a list of [[pages.questions]] tables")
    questions = tuple(
        _parse_question(q, f"{where} question {i}", file) for i, q in enumerate(questions_raw)
    )
    for q in questions:
        section = q.key.split(".")[0] if "." in q.key else None
        if section is not None and section != code:
            raise WordingError(file, q.key, f"belongs on the page {section!r}, not {code!r}")
    return Page(
        code=code,
        title=_text(table, "title", where, file),
        intro=_text(table, "intro", where, file),
        questions=questions,
    )


def _parse_question(raw: Any, where: str, file: str) -> Question:
    table = _table(raw, where, file)
    key = _text(table, "key", where, file)
    spec = SPECS.get(key)
    if spec is None:
        raise WordingError(file, key, "is not an answer key in backstride/core/triage_answers.py")
    if spec.legacy:
        raise WordingError(file, key, "is only read from older answers; it is no longer asked")
    kind = _text(table, "kind", key, file)
    if kind not in KINDS:
        raise WordingError(file, key, f"kind {kind!r} is not one of {', '.join(KINDS)}")
    choices = tuple(
        Choice(_text(c, "code", f"{key} choice", file), _text(c, "label", f"{key} choice", file))
        for c in _list(table.get("choices", []), f"{key}.choices", file)
    )
    prefill = table.get("prefill")
    if prefill is not None and prefill not in PREFILL_SOURCES:
        raise WordingError(file, key, f"prefill must be one of {', '.join(PREFILL_SOURCES)}")
    tier = table.get("tier")
    question = Question(
        key=key,
        label=_text(table, "label", key, file),
        text=_text(table, "text", key, file),
        kind=spec.kind,
        help=_text(table, "help", key, file) if "help" in table else "",
        tier=tier if isinstance(tier, str) else None,
        minimum=_number(table, "min", key, file),
        maximum=_number(table, "max", key, file),
        unit=str(table.get("unit", "")),
        integer=bool(table.get("integer", False)),
        choices=choices,
        prefill=prefill,
    )
    _check_against_spec(question, kind, spec, file)
    return question


def _check_against_spec(q: Question, kind: str, spec: Spec, file: str) -> None:
    def differs(what: str, toml: object, code: object) -> WordingError:
        return WordingError(file, q.key, f"{what} is {toml!r} here but {code!r} in the schema")

    if kind != spec.kind:
        raise differs("kind", kind, spec.kind)
    if q.tier != spec.tier:
        raise differs("tier", q.tier, spec.tier)
    if spec.kind == "number":
        for what, toml, code in (
            ("min", q.minimum, spec.minimum),
            ("max", q.maximum, spec.maximum),
            ("unit", q.unit, spec.unit),
            ("integer", q.integer, spec.integer),
        ):
            if toml != code:
                raise differs(what, toml, code)
    if spec.kind in ("choice", "multi") and sorted(c.code for c in q.choices) != sorted(spec.codes):
        raise differs("the choice codes", [c.code for c in q.choices], list(spec.codes))
    if spec.kind in ("yes_no", "regions") and q.choices:
        raise WordingError(file, q.key, f"a {spec.kind} question takes no choices")


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class TierWording:
    """A tier's words. Headline, action and why are defaults its bases may replace."""

    code: str
    name: str
    contact: str
    limits: str
    headline: str = ""
    action: str = ""
    why: str = ""


@dataclass(frozen=True, slots=True)
class BasisWording:
    """What set the tier (e.g. "nerve_root" for "soon"): its own headline, action or why,
    each empty when the tier's default applies."""

    code: str
    headline: str = ""
    action: str = ""
    why: str = ""


@dataclass(frozen=True, slots=True)
class PatternWording:
    code: str
    title: str
    explanation: str
    action: str


@dataclass(frozen=True, slots=True)
class FactorWording:
    code: str
    title: str
    advice: str
    evidence: str
    log: str
    detail: str = ""  # a template filled with the runner's numbers, e.g. {bmi}


@dataclass(frozen=True, slots=True)
class Wording:
    labels: Mapping[str, str]
    tiers: Mapping[str, TierWording]
    bases: Mapping[str, BasisWording]
    patterns: Mapping[str, PatternWording]
    factors: Mapping[str, FactorWording]
    prompts: Mapping[str, str]
    checks: Mapping[str, str]
    general: Mapping[str, str]
    disclaimer: Mapping[str, str]


_TEXT_TABLES = ("labels", "prompts", "checks", "general", "disclaimer")
_PHRASES = ("headline", "action", "why")


def parse_results(data: Mapping[str, Any], file: str = RESULTS_FILE) -> Wording:
    """Typed result wording. Completeness against the rules' codes is checked by the caller."""
    texts: dict[str, dict[str, str]] = {}
    for name in _TEXT_TABLES:
        table = _table(data.get(name), name, file)
        texts[name] = {k: _text(table, k, name, file) for k in table}
    tiers: dict[str, TierWording] = {}
    for code, t in _subtables(data, "tiers", file):
        where = f"tiers.{code}"
        tiers[code] = TierWording(
            code=code,
            name=_text(t, "name", where, file),
            contact=_text(t, "contact", where, file),
            limits=_text(t, "limits", where, file),
            **{k: _text(t, k, where, file) for k in _PHRASES if k in t},
        )
    bases = {
        code: BasisWording(
            code, **{k: _text(t, k, f"bases.{code}", file) for k in _PHRASES if k in t}
        )
        for code, t in _subtables(data, "bases", file)
    }
    patterns: dict[str, PatternWording] = {}
    for code, t in _subtables(data, "patterns", file):
        where = f"patterns.{code}"
        patterns[code] = PatternWording(
            code=code,
            title=_text(t, "title", where, file),
            explanation=_text(t, "explanation", where, file),
            action=_text(t, "action", where, file),
        )
    factors: dict[str, FactorWording] = {}
    for code, t in _subtables(data, "factors", file):
        where = f"factors.{code}"
        factors[code] = FactorWording(
            code=code,
            title=_text(t, "title", where, file),
            advice=_text(t, "advice", where, file),
            evidence=_text(t, "evidence", where, file),
            log=_text(t, "log", where, file),
            detail=_text(t, "detail", where, file) if "detail" in t else "",
        )
    return Wording(
        labels=texts["labels"],
        tiers=tiers,
        bases=bases,
        patterns=patterns,
        factors=factors,
        prompts=texts["prompts"],
        checks=texts["checks"],
        general=texts["general"],
        disclaimer=texts["disclaimer"],
    )


def require(wording: Wording, table: str, codes: Iterable[str], file: str = RESULTS_FILE) -> None:
    """Raise WordingError unless ``table`` has an entry for every code."""
    have: Mapping[str, object] = getattr(wording, table)
    missing = [c for c in codes if c not in have]
    if missing:
        raise WordingError(file, table, f"no wording for {', '.join(missing)}")


def require_placeholders(
    template: str, allowed: Iterable[str], where: str, file: str = RESULTS_FILE
) -> None:
    """Raise WordingError if ``template`` uses a {placeholder} the code does not fill."""
    allowed = set(allowed)
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:
        raise WordingError(file, where, f"broken {{placeholder}}: {exc}") from exc
    unknown = names - allowed
    if unknown:
        raise WordingError(
            file, where, f"unknown placeholder {sorted(unknown)}; allowed: {sorted(allowed)}"
        )


# ---------------------------------------------------------------- TOML helpers


def _table(raw: Any, where: str, file: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise WordingError(file, where, "expected a table")
    return raw


def _list(raw: Any, where: str, file: str) -> list[Any]:
    if not isinstance(raw, list):
        raise WordingError(file, where, "expected a list")
    return raw


def _subtables(
    data: Mapping[str, Any], name: str, file: str
) -> list[tuple[str, Mapping[str, Any]]]:
    table = _table(data.get(name), name, file)
    return [(code, _table(sub, f"{name}.{code}", file)) for code, sub in table.items()]


def _text(table: Any, key: str, where: str, file: str) -> str:
    value = _table(table, where, file).get(key)
    if not isinstance(value, str) or not value.strip():
        raise WordingError(file, where, f"'{key}' must be non-empty text")
    return value.strip()


def _number(table: Mapping[str, Any], key: str, where: str, file: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WordingError(file, where, f"'{key}' must be a number")
    return float(value)
