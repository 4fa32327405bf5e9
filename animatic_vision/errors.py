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


class ServiceUnavailable(DomainError):
    status_code = 503
    default_message = "A service the server depends on is unavailable. Try again shortly."


class TokenReused(NotAuthenticated):
    """A refresh token came back after its grace window: taken for theft, every session of the user ended."""

    code = "token_reused"
    default_message = "Refresh token was already used. Every session of this account has been ended; log in again."


class CrossSiteRefused(Forbidden):
    """A request that only a page of another site could have made, to a route that must not answer it."""

    code = "cross_site_refused"
    default_message = "Cross-site request refused: the request's origin is not trusted."
