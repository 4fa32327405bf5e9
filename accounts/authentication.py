"""Reads the JWT access token from the `access_token` cookie, or an `Authorization: Bearer` header."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError

from accounts import sessions
from accounts.models import User
from accounts.tokens import SessionAccessToken

ACCESS_COOKIE = "access_token"
REFRESH_COOKIE = "refresh_token"
SESSION_INVALID_MESSAGE = "Your session has expired or was ended. Log in again."


class CookieJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, taking the token from the header or the cookie, checked against revocation.

    The user comes from the shared cache (one round-trip with the revocation check),
    not from a database query. A cache failure propagates and becomes a 503.
    """

    def authenticate(self, request: Request) -> tuple[User, SessionAccessToken] | None:  # type: ignore[override]
        header = self.get_header(request)
        raw_token: bytes | str | None = self.get_raw_token(header) if header is not None else None
        if raw_token is None:
            raw_token = request.COOKIES.get(ACCESS_COOKIE)
        if not raw_token:
            return None
        try:
            token = SessionAccessToken(raw_token)  # type: ignore[arg-type]  # simplejwt's stub: it takes bytes or str
        except TokenError as exc:
            raise exceptions.AuthenticationFailed(SESSION_INVALID_MESSAGE) from exc
        try:
            user = sessions.user_for_token(token)
        except sessions.SessionInvalid as exc:
            raise exceptions.AuthenticationFailed(SESSION_INVALID_MESSAGE) from exc
        return user, token
