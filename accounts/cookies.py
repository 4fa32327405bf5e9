"""Setting and deleting the two auth cookies with the contract's attributes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

from accounts.authentication import ACCESS_COOKIE, REFRESH_COOKIE
from accounts.tokens import TokenPair

COOKIE_PATH = "/"


def auth_cookies_set(response: HttpResponse, pair: TokenPair) -> None:
    """HttpOnly cookies; SameSite and Secure come from settings (Lax in development, None+Secure otherwise)."""
    for name, value, lifetime in (
        (ACCESS_COOKIE, pair.access, pair.access_lifetime),
        (REFRESH_COOKIE, pair.refresh, pair.refresh_lifetime),
    ):
        response.set_cookie(
            name,
            value,
            max_age=int(lifetime.total_seconds()),
            path=COOKIE_PATH,
            domain=settings.AUTH_COOKIE_DOMAIN,
            secure=settings.AUTH_COOKIE_SECURE,
            httponly=True,
            samesite=settings.AUTH_COOKIE_SAMESITE,  # type: ignore[arg-type]  # settings give Lax, Strict or None
        )


def auth_cookies_delete(response: HttpResponse) -> None:
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        response.delete_cookie(
            name,
            path=COOKIE_PATH,
            domain=settings.AUTH_COOKIE_DOMAIN,
            samesite=settings.AUTH_COOKIE_SAMESITE,  # type: ignore[arg-type]  # settings give Lax, Strict or None
        )
