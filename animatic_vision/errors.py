"""Domain errors: raised by services, turned into the contract's error body in one place.

Each class carries the HTTP status the API answers with, a default sentence for a person
(`detail`), and a stable snake_case `code` for a program (animatic_vision/api/exceptions.py
puts it in the body; the OpenAPI schema lists every code). A new kind of error is a new
subclass here with its own `code`, never a new status or string at the place that raises it.
"""

from __future__ import annotations

from typing import Any

# The code of an error no DomainError class names (Django's and DRF's own errors, the HTTP layer's,
# gunicorn's), by its HTTP status; and the few that need a name of their own.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "request_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    417: "expectation_failed",
    429: "throttled",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}
MALFORMED_JSON = "malformed_json"
MALFORMED_MULTIPART = "malformed_multipart"  # a multipart body (an upload) that cannot be parsed
CROSS_SITE_REFUSED = "cross_site_refused"
OTHER_CODES = (MALFORMED_JSON, MALFORMED_MULTIPART, CROSS_SITE_REFUSED)


def code_for_status(status_code: int) -> str:
    """The code of an error known only by its HTTP status."""
    return STATUS_CODES.get(status_code, "internal_error" if status_code >= 500 else "bad_request")


def error_body(
    status_code: int, detail: str, *, code: str | None = None, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The contract's error body: `detail` for a person (also as `message`), `code` for a program."""
    body: dict[str, Any] = {
        "detail": detail,
        "message": detail,
        "status_code": status_code,
        "code": code or code_for_status(status_code),
    }
    if errors:
        body["errors"] = errors
    return body


class DomainError(Exception):
    """A rule of the domain was broken; carries the HTTP status and the code the API answers with."""

    status_code = 400
    code = "bad_request"
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, errors: dict[str, list[str]] | None = None):
        self.message = message or self.default_message
        self.errors = errors
        super().__init__(self.message)


class InvalidInput(DomainError):
    status_code = 400
    code = "validation_error"
    default_message = "The request is not valid."


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"
    default_message = "Authentication credentials were not provided or are invalid."


class Forbidden(DomainError):
    status_code = 403
    code = "permission_denied"
    default_message = "You do not have permission to perform this action."


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_message = "Not found."


class ProjectNotFound(NotFound):
    """No project with this id among the caller's (another user's project is not found either)."""

    code = "project_not_found"
    default_message = "Project not found."


class SceneNotFound(NotFound):
    code = "scene_not_found"
    default_message = "Scene not found."


class CharacterNotFound(NotFound):
    code = "character_not_found"
    default_message = "Character not found."


class MediaLinkNotFound(NotFound):
    """A media link that was altered, has expired, or whose file is gone."""

    code = "media_link_not_found"
    default_message = "This link is not valid: it was altered, has expired, or its file no longer exists."


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    default_message = "The request conflicts with the current state of the resource."


class ProjectSegmenting(Conflict):
    """The 409 of every write to a project while it is being segmented (projects.gateway)."""

    code = "project_segmenting"
    default_message = (
        "The project is being segmented and its scenes are about to be replaced; "
        "it can change again once segmentation has finished."
    )


class ProjectNotSegmented(Conflict):
    """The frames, image and render routes need the project's scenes."""

    code = "project_not_segmented"
    default_message = "The project has no segmented scenes yet: segment it first."


class ExportTooLong(Conflict):
    """The project has more scenes than the export's format holds (a CMX 3600 EDL: 999 events)."""

    code = "export_too_long"
    default_message = "The project has more scenes than this export format holds."


class ImageInvalid(InvalidInput):
    """An uploaded file that is not a PNG, JPEG or WebP image within the limits."""

    code = "image_invalid"
    default_message = "The file is not a PNG, JPEG or WebP image."


class ImageTooLarge(DomainError):
    status_code = 413
    code = "image_too_large"
    default_message = "The image file is too large."


class ExportInvalid(InvalidInput):
    """An unknown export format, or an option or value the format does not take."""

    code = "export_invalid"
    default_message = "This export cannot be made as asked."


class RenderOptionUnavailable(InvalidInput):
    """A render option this server cannot honour (the voice track without espeak-ng)."""

    code = "render_option_unavailable"
    default_message = "This render option is not available on this server."


class QuotaExceeded(DomainError):
    """A write would take the user past what one account may keep (settings: PROJECTS_PER_USER_MAX, ...)."""

    status_code = 413
    code = "quota_exceeded"
    default_message = "This would take your account past what it may keep."


class PayloadTooLarge(DomainError):
    """An uploaded file or body over its size limit."""

    status_code = 413
    code = "request_too_large"
    default_message = "The request is larger than the server accepts."


class ServiceUnavailable(DomainError):
    status_code = 503
    code = "service_unavailable"
    default_message = "A service the server depends on is unavailable. Try again shortly."


class TokenReused(NotAuthenticated):
    """A refresh token presented again after its grace window: every session of the account ends."""

    code = "token_reused"
    default_message = "Refresh token was already used. Every session of this account has been ended; log in again."


class CrossSiteRefused(Forbidden):
    """A request that only a page of another site could have made, to a route that must not answer it."""

    code = CROSS_SITE_REFUSED
    default_message = "Cross-site request refused: the request's origin is not trusted."


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"
    default_message = "Invalid email or password."


def error_codes() -> list[str]:
    """Every code an error body can carry: each DomainError class's and the protocol ones (for the schema)."""
    codes = set(STATUS_CODES.values()) | set(OTHER_CODES)
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        codes.add(cls.code)
        pending.extend(cls.__subclasses__())
    return sorted(codes)
