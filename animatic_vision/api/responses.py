"""The contract's success envelope: {"message", "status_code", "data"}, and cached JSON answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from animatic_vision.api.exceptions import DEPENDENCY_ERRORS

logger = logging.getLogger(__name__)

CACHED_ANSWER_TIMEOUT = 60 * 60
CACHE_ERRORS = (*DEPENDENCY_ERRORS, OSError)


def envelope(data: Any, message: str, status_code: int = status.HTTP_200_OK, **kwargs: Any) -> Response:
    """Wraps `data` in the success envelope most routes answer with."""
    return Response({"message": message, "status_code": status_code, "data": data}, status=status_code, **kwargs)


def envelope_serializer(name: str, data_field: serializers.Field | None = None) -> type[serializers.Serializer]:
    """A serializer class describing an envelope around `data_field`, for the OpenAPI schema."""
    fields: dict[str, Any] = {
        "message": serializers.CharField(),
        "status_code": serializers.IntegerField(),
        "data": data_field if data_field is not None else serializers.JSONField(allow_null=True),
    }
    return type(name, (serializers.Serializer,), fields)


class ErrorSerializer(serializers.Serializer):
    """The contract's error body (documentation only)."""

    detail = serializers.CharField()
    message = serializers.CharField()
    status_code = serializers.IntegerField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


def json_response_cached(
    request: Request, *, key: str, data: Callable[[], Any], headers: dict[str, str] | None = None
) -> HttpResponse:
    """The JSON answer stored under `key`, else `data()` rendered, stored and answered.

    The caller makes `key` name a version of everything the answer shows, read from the database
    just before, so a stored answer is never stale: a write makes a new key, and the old one
    simply expires. The bytes are those DRF's JSONRenderer writes for a plain `application/json`
    request; a request negotiating anything else (`; indent=4`) is rendered afresh. A cache that
    fails is logged and skipped: the answer is then rendered from the database.
    """
    if request.accepted_media_type != JSONRenderer.media_type:
        return Response(data(), headers=headers)
    content = None
    try:
        content = cache.get(key)
    except CACHE_ERRORS as exc:
        logger.warning("Answer cache unavailable on read: %s: %s", type(exc).__name__, exc)
    if content is None:
        content = JSONRenderer().render(data())
        try:
            cache.set(key, content, timeout=CACHED_ANSWER_TIMEOUT)
        except CACHE_ERRORS as exc:
            logger.warning("Answer cache unavailable on write: %s: %s", type(exc).__name__, exc)
    return HttpResponse(content, content_type=JSONRenderer.media_type, headers=headers)
