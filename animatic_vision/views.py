"""Liveness, readiness, the old server's /test route, and media files for local development."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

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


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file under MEDIA_ROOT, when SERVE_MEDIA is on (the development default); 404 otherwise."""
    if not settings.SERVE_MEDIA:
        raise Http404("Media files are not served by the app here.")
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
