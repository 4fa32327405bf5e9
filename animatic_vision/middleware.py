"""Cross-cutting HTTP middleware: the request log, the body-size limit and the Origin check."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from animatic_vision.api.exceptions import error_response
from animatic_vision.errors import CROSS_SITE_REFUSED

request_logger = logging.getLogger("animatic_vision.requests")

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RequestLogMiddleware:
    """One line per request: client address, method, path, status, duration and user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", None) if user is not None and user.is_authenticated else "-"
        request_logger.info(
            "%s %s %s %s %.1fms user=%s",
            request.META.get("REMOTE_ADDR", "-"),
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            user_id,
        )
        return response


# The routes that take an image file (PUT of a scene background or a character image).
UPLOAD_PATH = re.compile(r"^/projects/\d+/(scenes/\d+/background|characters/\d+/image)/?$")


class RequestSizeLimitMiddleware:
    """Refuses a body larger than MAX_REQUEST_BYTES with 413 before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, "The Content-Length header is not a number.")
        limit = settings.MAX_REQUEST_BYTES
        if request.method == "PUT" and UPLOAD_PATH.match(request.path_info):
            limit = max(limit, settings.UPLOAD_REQUEST_MAX_BYTES)
        if length > limit:
            return error_response(413, f"The request body is larger than the limit of {limit} bytes.")
        return self.get_response(request)


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


class TrustedOriginMiddleware:
    """Cross-site request forgery guard for the cookie-authenticated API.

    An unsafe request whose Origin (or, lacking one, Referer) is neither this
    server nor a trusted origin is refused with 403. Requests that carry neither
    header come from scripts and API tools, not from a browser page, and pass.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in UNSAFE_METHODS and not self.is_trusted(request):
            return error_response(
                403, "Cross-site request refused: the request's origin is not trusted.", code=CROSS_SITE_REFUSED
            )
        return self.get_response(request)

    @staticmethod
    def is_trusted(request: HttpRequest) -> bool:
        header = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
        if not header:
            return True
        origin = origin_of(header)
        if origin is None:
            return False
        trusted = {o.lower().rstrip("/") for o in settings.CSRF_TRUSTED_ORIGINS}
        trusted.add(f"{request.scheme}://{request.get_host()}".lower())
        return origin in trusted


def is_cross_site_without_trusted_origin(request: HttpRequest) -> bool:
    """True for a request another site's page made without a trusted Origin: an `<img>`, a link or a
    form on that page (the browser says `Sec-Fetch-Site: cross-site` and sends no Origin), or a script
    there (its Origin is not trusted). The client's own fetch sends its trusted Origin, from any site."""
    if request.META.get("HTTP_ORIGIN"):
        return not TrustedOriginMiddleware.is_trusted(request)
    return request.META.get("HTTP_SEC_FETCH_SITE", "").lower() == "cross-site"
