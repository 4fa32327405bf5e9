"""Serializer fields every app's output shares."""

from __future__ import annotations

import datetime
from typing import Any

from rest_framework import serializers


class UtcDateTimeField(serializers.DateTimeField):
    """A datetime as ISO 8601 in UTC (`2026-11-25T10:00:00Z`).

    DRF's own field asks Django for the current time zone, a thread-local lookup, for every
    value it writes; times here are always shown in UTC, so the zone is fixed once.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", datetime.UTC)
        super().__init__(**kwargs)
