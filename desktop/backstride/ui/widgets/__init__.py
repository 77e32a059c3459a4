"""Reusable widgets: the body map and region picker, the pain calendar and its legend."""
