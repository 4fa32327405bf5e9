"""The one place that turns errors into the contract's error body.

Every error, whatever raised it, answers `{"detail", "message", "status_code", "code"}`
plus `"errors": {field: [str]}` for validation errors. Nothing else formats an error. The
`code` is the domain error's own (`animatic_vision.errors`), `validation_error`,
`malformed_json` or (for an upload's body) `malformed_multipart` for DRF's 400s, and otherwise
the one of the HTTP status (`STATUS_CODES`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import Http404, JsonResponse
from django_redis.exceptions import ConnectionInterrupted as CacheConnectionInterrupted
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from animatic_vision.errors import (
    MALFORMED_JSON,
    MALFORMED_MULTIPART,
    DomainError,
    InvalidInput,
    ServiceUnavailable,
    code_for_status,
    error_body,
)

logger = logging.getLogger(__name__)

DEPENDENCY_ERRORS = (
    DatabaseOperationalError,
    DatabaseInterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
    BrokerOperationalError,
    CacheConnectionInterrupted,
    ConnectionError,
    TimeoutError,
)
INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. The error has been logged."


def error_response(status_code: int, detail: str, *, code: str | None = None) -> JsonResponse:
    """A plain Django JSON error, for the places DRF does not reach (middleware, Django's own handlers)."""
    return JsonResponse(error_body(status_code, detail, code=code), status=status_code)


def _code_of(
    exc: drf_exceptions.APIException | Http404 | DjangoPermissionDenied, status_code: int, context: dict[str, Any]
) -> str:
    if isinstance(exc, drf_exceptions.ValidationError):
        return InvalidInput.code
    if isinstance(exc, drf_exceptions.ParseError):
        request = context.get("request")
        content_type = str(getattr(request, "content_type", "") or "").lower()
        return MALFORMED_MULTIPART if content_type.startswith("multipart/") else MALFORMED_JSON
    return code_for_status(status_code)


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turns DRF's nested error detail into `{"field" or "parent.child": [messages]}`."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "non_field_errors" if key == "non_field_errors" and not prefix else f"{prefix}{key}"
            flat.update(flatten_errors(value, f"{name}."))
        return flat
    key = prefix.rstrip(".") or "non_field_errors"
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {key: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(flatten_errors(item, f"{prefix}{index}."))
        return flat
    return {key: [str(detail)]}


def validation_summary(errors: dict[str, list[str]]) -> str:
    """The first message as a sentence a person can read in a toast."""
    field, messages = next(iter(errors.items()))
    first = messages[0] if messages else "Invalid value."
    if field == "non_field_errors":
        return first
    return f"{field}: {first}"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every exception raised in a view ends here."""
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    if isinstance(exc, DomainError):
        set_rollback()
        body = error_body(exc.status_code, exc.message, code=exc.code, errors=exc.errors)
        response = Response(body, status=exc.status_code)
        if exc.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
            response["Retry-After"] = "5"
        return response

    if isinstance(exc, DEPENDENCY_ERRORS):
        logger.warning("Dependency unavailable: %s: %s", type(exc).__name__, exc)
        return exception_handler(ServiceUnavailable(), context)

    if isinstance(exc, (Http404, DjangoPermissionDenied, drf_exceptions.APIException)):
        handled = drf_exception_handler(exc, context)
        if handled is None:  # pragma: no cover - DRF handles all three kinds
            raise exc
        response = handled
        code = _code_of(exc, response.status_code, context)
        if isinstance(exc, drf_exceptions.ValidationError):
            errors = flatten_errors(exc.detail)
            response.data = error_body(response.status_code, validation_summary(errors), code=code, errors=errors)
        else:
            response.data = error_body(response.status_code, readable_detail(response.data), code=code)
        return response

    set_rollback()
    view = context.get("view")
    logger.exception("Unhandled error in %s", type(view).__name__ if view else "view", exc_info=exc)
    return Response(
        error_body(status.HTTP_500_INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def readable_detail(data: Any) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    if isinstance(data, list) and data:
        return str(data[0])
    return str(data)
