"""Reads the JWT access token from the `access_token` cookie, or an `Authorization: Bearer` header."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication

ACCESS_COOKIE = "access_token"
REFRESH_COOKIE = "refresh_token"


class CookieJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, taking the token from the cookie the client sends with credentials."""

    def authenticate(self, request: Request):
        header = self.get_header(request)
        raw_token = self.get_raw_token(header) if header is not None else request.COOKIES.get(ACCESS_COOKIE)
        if not raw_token:
            return None
        validated_token = self.get_validated_token(raw_token)
        return self.get_user(validated_token), validated_token
