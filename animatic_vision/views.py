"""Liveness, readiness, the old server's /test route, and stored files through their signed links."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from animatic_vision import media_links
from animatic_vision.errors import MediaLinkNotFound
from animatic_vision.health import check_services

StatusSerializer = inline_serializer("ServerStatus", {"status": serializers.CharField()})
ReadinessSerializer = inline_serializer(
    "Readiness",
    {
        "status": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "checks": serializers.DictField(
            child=inline_serializer(
                "ReadinessCheck",
                {
                    "status": serializers.ChoiceField(choices=["ok", "down"]),
                    "service": serializers.CharField(
                        help_text="What answers the check: mysql, sqlite, redis, file, inline."
                    ),
                    "detail": serializers.CharField(
                        help_text="What answered, or the failure; its full message (which names hosts and "
                        "ports) only for staff and for callers on an internal address."
                    ),
                    "duration_ms": serializers.FloatField(),
                },
            )
        ),
    },
)


@extend_schema(responses=StatusSerializer, tags=["health"])
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def server_test(request: Request) -> Response:
    """Kept from the replaced server: says the process serves."""
    return Response({"status": "Server is running"})


@extend_schema(responses=StatusSerializer, tags=["health"])
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def health_live(request: Request) -> Response:
    """200 while the process serves requests."""
    return Response({"status": "ok"})


@extend_schema(responses={200: ReadinessSerializer, 503: ReadinessSerializer}, tags=["health"])
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def health_ready(request: Request) -> Response:
    """200 when the database, the cache and the broker all answer; 503 naming the one down and what backs it."""
    checks = check_services()
    ready = all(check.ok for check in checks)
    full = caller_is_internal(request) or caller_is_staff(request)
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {
            check.name: {
                "status": "ok" if check.ok else "down",
                "service": check.service,
                "detail": check.detail if full else check.public_detail,
                "duration_ms": check.duration_ms,
            }
            for check in checks
        },
    }
    return Response(body, status=status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE)


def caller_is_internal(request: Request) -> bool:
    """The client's address (behind NUM_PROXIES proxies, as the throttles see it) is loopback or private."""
    try:
        address = ipaddress.ip_address(BaseThrottle().get_ident(request))
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def caller_is_staff(request: Request) -> bool:
    """A logged-in admin, by the API's own authentication; any failure (a dead token, the cache down) is no."""
    for authenticator in APIView().get_authenticators():
        try:
            found: Any = authenticator.authenticate(request)
        except Exception:  # a readiness probe answers whatever the state of the session checks
            return False
        if found is not None:
            return bool(getattr(found[0], "is_staff", False))
    return False


class AnyAcceptNegotiation(BaseContentNegotiation):
    """A file answers whatever the browser's Accept says (`image/png` alone, say); its errors are JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class MediaLinkView(APIView):
    """Streams the file a media link was signed for, with its type and caching headers."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        summary="A stored file (image or video) through its signed, expiring link",
        description=(
            "The `*_path` links of the API on the default storage. No cookies needed: the link itself is the "
            "permission. An altered, expired or deleted file's link answers 404. Honours one `Range` of bytes."
        ),
        responses={(200, "application/octet-stream"): bytes, (206, "application/octet-stream"): bytes},
        tags=["media"],
    )
    def get(self, request: Request, token: str) -> HttpResponseBase:
        resolved = media_links.media_link_resolve(token)
        if resolved is None or not media_links.serves_files_itself():
            raise MediaLinkNotFound()
        name, expires = resolved
        response = media_links.file_response(request, name=name, expires=expires)
        if response is None:
            raise MediaLinkNotFound()
        return response
