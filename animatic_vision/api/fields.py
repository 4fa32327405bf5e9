"""Serializer fields every app's output shares."""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from animatic_vision.media_links import media_url

# Django's multipart parser skips a part whose headers are not UTF-8 (a file name sent in
# Latin-1 by an old client), so such a file arrives as no file at all: the "required"
# message of an upload field names that cause too.
FILE_PART_UNREADABLE = ", with its file name in UTF-8 (a part whose headers hold other bytes cannot be read)."


class UtcDateTimeField(serializers.DateTimeField):
    """A datetime as ISO 8601 in UTC (`2026-11-25T10:00:00Z`).

    DRF's own field asks Django for the current time zone, a thread-local lookup, for every
    value it writes; times here are always shown in UTC, so the zone is fixed once.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", datetime.UTC)
        super().__init__(**kwargs)


@extend_schema_field(
    {
        "type": "string",
        "format": "uri",
        "nullable": True,
        "description": (
            "An absolute link a browser loads without cookies, valid for MEDIA_URL_TTL_SECONDS from this "
            "answer; null when there is no file. An altered, expired or deleted file's link answers 404 here; on "
            "object storage the link is a presigned URL and its refusals are the storage's own (on S3, 403 for an "
            "altered or expired link, 404 or 403 for a deleted file)."
        ),
    }
)
class MediaLinkField(serializers.Field):
    """A stored file's name shown as its expiring media link (animatic_vision.media_links), or null."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        # A row without the file (a relation that is null) is no file, not an error.
        try:
            return super().get_attribute(instance)
        except (KeyError, AttributeError):
            return None

    def to_representation(self, value: Any) -> str | None:
        return media_url(str(value) if value else None)
