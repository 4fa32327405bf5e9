"""Django's own error handlers, answering in the contract's JSON instead of HTML."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from animatic_vision.api.exceptions import INTERNAL_ERROR_MESSAGE, error_response
from animatic_vision.errors import CROSS_SITE_REFUSED


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(400, "The request is malformed.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(403, "You do not have permission to perform this action.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(404, "Not found.")


def server_error(request: HttpRequest) -> JsonResponse:
    return error_response(500, INTERNAL_ERROR_MESSAGE)


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    return error_response(403, "Cross-site request refused: CSRF verification failed.", code=CROSS_SITE_REFUSED)
