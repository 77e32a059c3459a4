"""Fixed code vocabularies shared by the store, the CSV files, the GUI and the report.

Codes are lower_snake_case and never change once released (they are stored and exported);
labels are what a runner reads and may be reworded freely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType


def _vocab(*pairs: tuple[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


# Back view of the body; the regions a physiotherapist's body chart distinguishes
# (clinical.md section 2: leg pain below the knee and saddle symptoms matter for triage).
REGIONS = _vocab(
    ("upper_back", "Upper back"),
    ("lower_back_left", "Lower back, left"),
    ("lower_back_centre", "Lower back, centre"),
    ("lower_back_right", "Lower back, right"),
    ("buttock_left", "Left buttock"),
    ("buttock_right", "Right buttock"),
    ("thigh_left", "Back of left thigh"),
    ("thigh_right", "Back of right thigh"),
    ("below_knee_left", "Left leg below the knee"),
    ("below_knee_right", "Right leg below the knee"),
    ("foot_left", "Left foot"),
    ("foot_right", "Right foot"),
    ("saddle", "Saddle area (between the legs)"),
)

TIMINGS = _vocab(
    ("during_run", "During a run"),
    ("after_run", "After a run"),
    ("evening", "Evening"),
    ("night", "Night"),
    ("on_waking", "On waking"),
    ("other", "Other time"),
)

QUALITIES = _vocab(
    ("aching", "Aching"),
    ("sharp", "Sharp"),
    ("burning", "Burning"),
    ("shooting", "Shooting"),
    ("tingling", "Tingling"),
    ("numbness", "Numbness"),
    ("stiffness", "Stiffness"),
)

WORSE = _vocab(
    ("sitting", "Sitting"),
    ("standing", "Standing"),
    ("bending", "Bending"),
    ("lifting", "Lifting"),
    ("running", "Running"),
    ("cough_sneeze", "Coughing or sneezing"),
    ("other", "Other"),
)

HELPED = _vocab(
    ("rest", "Rest"),
    ("heat", "Heat"),
    ("ice", "Ice"),
    ("stretching", "Stretching"),
    ("topical", "Topical spray or cream"),
    ("tablets", "Tablets"),
    ("other", "Other"),
)

SURFACES = _vocab(
    ("road", "Road"),
    ("trail", "Trail"),
    ("track", "Track"),
    ("treadmill", "Treadmill"),
    ("mixed", "Mixed"),
)

# 0-10 Numeric Rating Scale anchors (clinical.md section 3, IMMPACT).
INTENSITY_ANCHORS = _vocab(("0", "No pain"), ("10", "Worst pain imaginable"))


def unknown_codes(codes: Iterable[str], vocab: Mapping[str, str]) -> list[str]:
    """The codes not in vocab, in the order given."""
    return [c for c in codes if c not in vocab]


def join_codes(codes: Iterable[str]) -> str:
    """Codes as the ';'-separated text used in the store and in CSV files."""
    return ";".join(codes)


def split_codes(text: str | None) -> tuple[str, ...]:
    """The inverse of join_codes; empty text gives no codes."""
    if not text:
        return ()
    return tuple(c.strip() for c in text.split(";") if c.strip())
