"""Liveness, readiness, the old server's /test route, and media files for local development."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

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
                    "detail": serializers.CharField(),
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
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {
            check.name: {
                "status": "ok" if check.ok else "down",
                "service": check.service,
                "detail": check.detail,
                "duration_ms": check.duration_ms,
            }
            for check in checks
        },
    }
    return Response(body, status=status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE)


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file under MEDIA_ROOT, when SERVE_MEDIA is on (the development default); 404 otherwise."""
    if not settings.SERVE_MEDIA:
        raise Http404("Media files are not served by the app here.")
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
