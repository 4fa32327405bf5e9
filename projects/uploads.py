"""The size limit of an imported file, kept before the request body is read."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler
from rest_framework.request import Request

from animatic_vision.errors import PayloadTooLarge
from story.importers import MAX_FILE_BYTES

# What a multipart body adds around the file: boundaries, part headers, the title and duration fields.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
TOO_LARGE = f"The file is larger than the limit of {MAX_FILE_BYTES:,} bytes (5 MB)."


class FileSizeLimitUploadHandler(FileUploadHandler):
    """Stops reading the body as soon as an uploaded file passes the limit (a body without Content-Length too)."""

    def __init__(self, request: Any = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise PayloadTooLarge(TOO_LARGE, errors={"file": [TOO_LARGE]})
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def import_upload_limit(request: Request) -> None:
    """413 at once when the declared body is over the limit; otherwise the handler stops an oversized file."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_FILE_BYTES + MULTIPART_OVERHEAD_BYTES:
        raise PayloadTooLarge(TOO_LARGE, errors={"file": [TOO_LARGE]})
    request.upload_handlers.insert(0, FileSizeLimitUploadHandler(request, limit=MAX_FILE_BYTES))
