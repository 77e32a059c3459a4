"""The symptom check-up: the wizard, its result view, the history page (issue 5)."""
