"""Profile operation: save the runner's profile (undo puts the earlier one back)."""

from __future__ import annotations

from datetime import date

from backstride.core.profile import Profile
from backstride.operations import PROFILE, Change
from backstride.store.database import Store
from backstride.store.profile import load_profile, save_profile


def update_profile(store: Store, profile: Profile, today: date) -> Change[Profile]:
    """Validate and store profile; ValidationError naming the field to fix."""
    before = load_profile(store)
    saved = save_profile(store, profile, today)
    return Change(
        "edit profile",
        saved,
        redo=lambda: save_profile(store, saved, today),
        undo=lambda: save_profile(store, before, today),
        kinds=(PROFILE,),
    )
