"""Media links: the absolute URL a browser loads, without cookies, for one stored file.

On the default FileSystemStorage a link is served by this app: `/files/<token>`, where the
token is the file's storage name and an expiry time, signed with SECRET_KEY
(django.core.signing, its own salt). An altered token, an expired one, or one whose file is
gone answers 404. On object storage (django-storages' S3Storage) a link is the storage's own
presigned URL.

Expiry and the answer cache. Every link is valid for at least MEDIA_URL_TTL_SECONDS from the
moment it is handed out: its expiry is the end of the current renewal window
(`MEDIA_URL_RENEW_SECONDS`, an hour by default) plus the TTL. Every link made in one window
is therefore the same string, so a cached project answer (projects/read_cache.py) stays
byte-identical within a window, and its cache key names the window (`cache_scope`): a cached
answer never outlives the window it was made in, and no link in it is ever served with less
than the TTL left.

Absolute URLs need the host: MEDIA_LINK_BASE_URL when set, else the scheme and host of the
request being answered (MediaLinkBaseMiddleware records it for the serializers), else
http://localhost:8000 (a task or command outside any request).
"""

from __future__ import annotations

import functools
import math
import mimetypes
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import IO, Any

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import get_script_prefix, reverse

SIGNING_SALT = "animatic_vision.media_links"
FALLBACK_BASE_URL = "http://localhost:8000"
STREAM_CHUNK_BYTES = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

_request_base_url: ContextVar[str | None] = ContextVar("media_link_base_url", default=None)


class MediaLinkBaseMiddleware:
    """Records the scheme and host of the request being answered, so links can be absolute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            base = f"{request.scheme}://{request.get_host()}"
        except Exception:  # DisallowedHost: Django answers it later, with its own error
            base = None
        token = _request_base_url.set(base)
        try:
            return self.get_response(request)
        finally:
            _request_base_url.reset(token)


def base_url() -> str:
    """The scheme and host links start with (see the module's docstring)."""
    return (settings.MEDIA_LINK_BASE_URL or _request_base_url.get() or FALLBACK_BASE_URL).rstrip("/")


def _window(now: float | None = None) -> int:
    """The number of the current renewal window."""
    return int((time.time() if now is None else now) // settings.MEDIA_URL_RENEW_SECONDS)


def link_expiry(now: float | None = None) -> int:
    """The expiry (Unix seconds) of every link made now: the end of this window plus the TTL."""
    return (_window(now) + 1) * settings.MEDIA_URL_RENEW_SECONDS + settings.MEDIA_URL_TTL_SECONDS


def cache_scope() -> str:
    """What a cached answer holding links depends on besides its data: the host and the renewal window."""
    return f"{base_url()}|{_window()}"


def serves_files_itself(storage: Storage = default_storage) -> bool:
    """Whether links to this storage's files are this app's signed links (else the storage presigns them)."""
    return isinstance(storage, FileSystemStorage)


def media_url(name: str | None, *, storage: Storage = default_storage, now: float | None = None) -> str | None:
    """The absolute, expiring link to the stored file `name`, or None for no file."""
    if not name:
        return None
    expires = link_expiry(now)
    if not serves_files_itself(storage):
        seconds = max(1, expires - math.floor(time.time() if now is None else now))
        return storage.url(name, expire=seconds)  # type: ignore[call-arg]
    return base_url() + _link_path_prefix(get_script_prefix()) + _token(name, expires, settings.SECRET_KEY)


# A project's detail holds a link per image (600 for 200 scenes with their characters), so the two costly
# parts are made once: reverse() took 45 µs a link, and a link is the same string all through its window.
@functools.lru_cache(maxsize=16)
def _link_path_prefix(script_prefix: str) -> str:
    """The path of every media link up to its token (reverse() reads the script prefix itself)."""
    marker = "TOKEN"
    path = reverse("media-link", kwargs={"token": marker})
    return path[: path.rindex(marker)]


@functools.lru_cache(maxsize=8192)
def _token(name: str, expires: int, secret_key: str) -> str:
    """The signed token of one file's link (`secret_key` only keys the memo: the signer reads the setting)."""
    return _signer().sign_object({"n": name, "e": expires}, compress=True)


def _signer() -> signing.Signer:
    # A plain Signer (no timestamp of its own): the expiry is in the payload, so one window gives one string.
    return signing.Signer(salt=SIGNING_SALT)


def media_link_resolve(token: str, *, now: float | None = None) -> tuple[str, int] | None:
    """The storage name and expiry a token was signed for, or None when it is altered or expired."""
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    name, expires = payload.get("n"), payload.get("e")
    if not isinstance(name, str) or not name or not isinstance(expires, int) or isinstance(expires, bool):
        return None
    if expires <= (time.time() if now is None else now):
        return None
    return name, expires


def _chunks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(STREAM_CHUNK_BYTES, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def file_response(
    request: HttpRequest, *, name: str, expires: int, storage: Storage = default_storage
) -> HttpResponseBase | None:
    """The stored file as a streamed answer (one byte range when the request asks for it), or None if gone.

    Browsers cache it privately until the link expires: a link names one version of one file (files
    are never rewritten in place), so the bytes behind it never change.
    """
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError, ValueError):
        return None
    size = storage.size(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    max_age = max(0, expires - int(time.time()))
    headers: dict[str, Any] = {
        "Cache-Control": f"private, max-age={max_age}, immutable",
        "Accept-Ranges": "bytes",
        "Content-Disposition": "inline",
    }
    wanted = _RANGE.match(request.headers.get("Range", "").strip())
    if wanted and (wanted.group(1) or wanted.group(2)):
        first, last = wanted.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # a suffix: the last N bytes
            start, end = max(0, size - int(last)), size - 1
        if start >= size or start > end:
            handle.close()
            return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}", **headers})
        response: HttpResponseBase = StreamingHttpResponse(
            _chunks(handle, start, end - start + 1), status=206, content_type=content_type, headers=headers
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        return response
    response = FileResponse(handle, content_type=content_type, headers=headers)
    response["Content-Length"] = str(size)
    return response
