"""What the scenes app tells the apps built on it, without importing them (see tests/test_architecture.py)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after an edit of a project's scenes or characters has committed (a scene's fields, its deletion,
# a new order, a character's looks), with `project_id` and `first`: the ids of the scenes the edit was
# about, for receivers that bring what they derive from the scenes up to date (the animatic's frames).
scenes_edited = Signal()
