"""The JWTs this server issues: simplejwt tokens carrying the contract's claims and the user's token version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

if TYPE_CHECKING:
    from accounts.models import User

# Claim holding the user's token version: a token issued under an older version is dead.
VERSION_CLAIM = "ver"
# Claim naming the login (accounts.models.LoginSession) a token belongs to, kept through every rotation:
# ending that login ends its access tokens and its refresh token together.
FAMILY_CLAIM = "fam"


# How many verified access tokens each process remembers (a few hundred bytes each).
VERIFIED_ACCESS_TOKENS = 2048


@lru_cache(maxsize=VERIFIED_ACCESS_TOKENS)
def _verified_claims(backend: TokenBackend, raw_token: str | bytes) -> dict[str, Any]:
    # Only a token whose signature checked is stored (an exception is not); a copy is handed out.
    return backend.decode(raw_token, verify=True)  # type: ignore[arg-type]  # simplejwt decodes the raw token


class _SignatureCheckedOnce:
    """simplejwt's token backend, except that the signature of the same token bytes is checked once per
    process, not on every request. The expiry is still checked on every use (Token.verify) and the
    revocation by the caller; only the HMAC and the base64 and JSON decoding are not repeated."""

    def __init__(self, backend: TokenBackend):
        self.backend = backend

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    def decode(self, token: str | bytes, verify: bool = True) -> dict[str, Any]:
        if not verify:
            return self.backend.decode(token, verify=False)  # type: ignore[arg-type]  # as above
        return dict(_verified_claims(self.backend, token))


class SessionAccessToken(Token):
    """The access token: the `access_token` cookie or a Bearer header."""

    token_type = "access"
    lifetime = api_settings.ACCESS_TOKEN_LIFETIME

    def get_token_backend(self) -> Any:
        return _SignatureCheckedOnce(super().get_token_backend())


class SessionRefreshToken(Token):
    """The refresh token; which one of a login is current lives in the database (accounts.models.LoginSession)."""

    token_type = "refresh"
    lifetime = api_settings.REFRESH_TOKEN_LIFETIME


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    access_lifetime: timedelta
    refresh_lifetime: timedelta
    family: str
    refresh_jti: str
    refresh_expires_at: datetime


def user_claims(user: User) -> dict[str, object]:
    return {
        api_settings.USER_ID_CLAIM: user.pk,
        "fullName": user.full_name,
        "email": user.email,
        "role": user.role,
        VERSION_CLAIM: user.token_version,
    }


def token_pair_issue(
    *,
    user: User,
    family: str | None = None,
    refresh_jti: str | None = None,
    refresh_expires_at: datetime | None = None,
) -> TokenPair:
    """A new access and refresh token for `user`.

    `family` continues a login; `refresh_jti` and `refresh_expires_at` issue again the refresh token
    that is already current (the answer to a refresh repeated within the grace window), so that every
    answer of a burst leaves the client holding the same, live refresh token.
    """
    refresh = SessionRefreshToken()
    access = SessionAccessToken()
    # Both expire relative to the same instant.
    access.set_exp(from_time=refresh.current_time)
    access.set_iat(at_time=refresh.current_time)
    if refresh_jti is not None:
        refresh[api_settings.JTI_CLAIM] = refresh_jti
    if refresh_expires_at is not None:
        refresh["exp"] = int(refresh_expires_at.timestamp())
    family = family or refresh[api_settings.JTI_CLAIM]
    for token in (refresh, access):
        for claim, value in user_claims(user).items():
            token[claim] = value
        token[FAMILY_CLAIM] = family
    expires_at = datetime.fromtimestamp(int(refresh["exp"]), tz=UTC)
    return TokenPair(
        access=str(access),
        refresh=str(refresh),
        access_lifetime=SessionAccessToken.lifetime,
        refresh_lifetime=SessionRefreshToken.lifetime
        if refresh_expires_at is None
        else max(expires_at - refresh.current_time, timedelta(0)),
        family=family,
        refresh_jti=refresh[api_settings.JTI_CLAIM],
        refresh_expires_at=expires_at,
    )
