"""The contract's success envelope: {"message", "status_code", "data"}, and cached JSON answers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache
from django.conf import settings
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

    detail = serializers.CharField(help_text="A sentence a person can read.")
    message = serializers.CharField(help_text="The same sentence as `detail`.")
    status_code = serializers.IntegerField()
    code = serializers.CharField(help_text="A stable name a program can branch on (the schema lists them all).")
    # The body's `errors` field, which shadows Serializer.errors: this serializer only documents the schema.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


Answer = tuple[bytes, dict[str, str]]  # a rendered JSON body and its headers


class LocalAnswers:
    """This process's most recently used answers, up to a byte budget, shared by its threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._answers: LRUCache[str, Answer] = LRUCache(maxsize=max(max_bytes, 1), getsizeof=self.size)
        self._lock = threading.Lock()

    @staticmethod
    def size(answer: Answer) -> int:
        return len(answer[0]) + 256  # the body, and roughly the key, the tuple and the headers

    def get(self, key: str) -> Answer | None:
        with self._lock:
            return self._answers.get(key)

    def set(self, key: str, answer: Answer) -> None:
        if self.size(answer) > self.max_bytes:
            return
        with self._lock:
            self._answers[key] = answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


local_answers = LocalAnswers(settings.ANSWER_CACHE_LOCAL_MB * 2**20)


def json_response_cached(
    request: Request, *, key: str, answer: Callable[[], tuple[Any, dict[str, str]]]
) -> HttpResponse:
    """The JSON answer stored under `key`, else `answer()` (the data and the headers) rendered, stored and answered.

    The caller makes `key` name a version of everything the answer shows, so a stored answer is
    never stale: a write makes a new key, and the old one simply expires. The answer is looked
    for in this process's memory, then in the shared cache, then rendered. The bytes are those
    DRF's JSONRenderer writes for a plain `application/json` request; a request negotiating
    anything else (`; indent=4`) is rendered afresh. A shared cache that fails is logged and
    skipped: the answer is then rendered from the database.
    """
    if request.accepted_media_type != JSONRenderer.media_type:
        data, headers = answer()
        return Response(data, headers=headers)
    found = local_answers.get(key)
    if found is None:
        try:
            found = cache.get(key)
        except CACHE_ERRORS as exc:
            logger.warning("Answer cache unavailable on read: %s: %s", type(exc).__name__, exc)
        if found is None:
            data, headers = answer()
            found = (JSONRenderer().render(data), headers)
            try:
                cache.set(key, found, timeout=CACHED_ANSWER_TIMEOUT)
            except CACHE_ERRORS as exc:
                logger.warning("Answer cache unavailable on write: %s: %s", type(exc).__name__, exc)
        local_answers.set(key, found)
    content, headers = found
    return HttpResponse(content, content_type=JSONRenderer.media_type, headers=headers)
