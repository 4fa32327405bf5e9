"""Content negotiation that answers the usual request without parsing its Accept header."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

ANY = "*/*"


class UsualAcceptNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, short-cut for what nearly every request sends: no Accept header, `*/*`, or exactly
    the first renderer's media type, and no `?format=`. Those get what DRF would choose, the first renderer
    with its own media type; anything else (`; indent=4`, several types, a format) goes through DRF."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, Any]:
        if format_suffix is None and self.settings.URL_FORMAT_OVERRIDE not in request.query_params:
            accept = request.META.get("HTTP_ACCEPT", ANY)
            first = next(iter(renderers), None)  # DRF passes the view's list of renderers
            if first is not None and (accept == ANY or accept == first.media_type):
                return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)


class DownloadNegotiation(DefaultContentNegotiation):
    """For a route whose success is a file of its own type (an export): the file answers whatever the Accept
    header names (`application/pdf`, `application/zip`, ...), and its errors are the first renderer's JSON.
    `?format=` is the route's own option here, not DRF's renderer override (which would answer 404)."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, Any]:
        first = next(iter(renderers))
        return first, first.media_type
