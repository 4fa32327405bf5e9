"""Domain errors: raised by services, turned into the contract's error body in one place."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; carries the HTTP status the API answers with."""

    status_code = 400
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, errors: dict[str, list[str]] | None = None):
        self.message = message or self.default_message
        self.errors = errors
        super().__init__(self.message)


class InvalidInput(DomainError):
    status_code = 400
    default_message = "The request is not valid."


class NotAuthenticated(DomainError):
    status_code = 401
    default_message = "Authentication credentials were not provided or are invalid."


class Forbidden(DomainError):
    status_code = 403
    default_message = "You do not have permission to perform this action."


class NotFound(DomainError):
    status_code = 404
    default_message = "Not found."


class Conflict(DomainError):
    status_code = 409
    default_message = "The request conflicts with the current state of the resource."


class PayloadTooLarge(DomainError):
    status_code = 413
    default_message = "The request is larger than the server accepts."


class ServiceUnavailable(DomainError):
    status_code = 503
    default_message = "A service the server depends on is unavailable. Try again shortly."
