"""Each run field list is declared once in core.models; the tables keyed by field name
(limits, the importers' names for the runner's messages) cover exactly those fields."""

from __future__ import annotations

from dataclasses import fields

from backstride.core import limits
from backstride.core.models import MEASURED_RUN_FIELDS, TRACK_RUN_FIELDS, Run
from backstride.importers import _build


def test_measured_and_track_fields_are_run_fields() -> None:
    names = {f.name for f in fields(Run)}
    assert set(MEASURED_RUN_FIELDS) <= names
    assert set(TRACK_RUN_FIELDS) <= names
    assert not set(MEASURED_RUN_FIELDS) & set(TRACK_RUN_FIELDS)


def test_every_measured_field_has_a_limit_and_a_name() -> None:
    measured = {*MEASURED_RUN_FIELDS, *TRACK_RUN_FIELDS}
    assert measured <= set(limits.RUN)
    assert set(limits.RUN) - measured == {"rpe", "warmup_min"}  # typed by the runner
    assert set(_build._FIGURES) == measured
