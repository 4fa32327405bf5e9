"""Rate limits on the shared cache for the routes a guesser or a spammer would hammer.

Rates live in settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; a throttled
request answers 429 with Retry-After (DRF adds the header). The counts are atomic
(animatic_vision/api/throttling.py), so simultaneous guesses cannot slip past them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any, cast

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import UserRateThrottle

from accounts.models import UserManager
from accounts.selectors import user_id_for_email
from animatic_vision.api.throttling import AtomicRateThrottle

EMAIL_MAX_LENGTH = 254


def email_throttle_ident(email: str) -> str:
    """Who a per-email count belongs to: the account the address logs in to, whatever its spelling.

    MariaDB's utf8mb4 collations ignore accents, so `ü01@exämple.com` logs in to `u01@example.com`:
    keyed on the literal address, each spelling would get a fresh count. An address with no account
    is keyed on its case- and accent-folded form (hashed: short, and free of whatever the body held).
    """
    normalized = UserManager.normalize_email_address(email)
    user_id = user_id_for_email(email=normalized) if len(normalized) <= EMAIL_MAX_LENGTH else None
    if user_id is not None:
        return f"user:{user_id}"
    decomposed = unicodedata.normalize("NFKD", normalized)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return "email:" + hashlib.sha256(folded.encode()).hexdigest()


class ClientAddressThrottle(AtomicRateThrottle):
    """Counts requests per client address for one route group (`name`), at the rate of `scope`."""

    name = ""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": f"{self.scope}:{self.name}:ip", "ident": self.get_ident(request)}


class EmailThrottle(AtomicRateThrottle):
    """Counts requests per email address named in the body, whoever sends them."""

    name = ""

    def get_cache_key(self, request: Request | HttpRequest, view: Any) -> str | None:
        email = self.email_of(request)
        if not isinstance(email, str) or not email.strip():
            return None
        return self.cache_format % {"scope": f"{self.scope}:{self.name}:email", "ident": email_throttle_ident(email)}

    def email_of(self, request: Request | HttpRequest) -> object:
        data = getattr(request, "data", None)
        return data.get("email") if data is not None and hasattr(data, "get") else None


class LoginAddressThrottle(ClientAddressThrottle):
    scope = "login_ip"
    name = "login"


class LoginEmailThrottle(EmailThrottle):
    scope = "login_email"
    name = "login"


class DjangoAdminLoginEmailThrottle(LoginEmailThrottle):
    """The same count as /auth/login's, for the Django admin's login form (its email field is `username`)."""

    def email_of(self, request: Request | HttpRequest) -> object:
        return request.POST.get("username")


class PasswordChangeThrottle(AtomicRateThrottle, UserRateThrottle):
    """Counts PUT /auth/change-password per user: each one checks an old password (an Argon2 hash)."""

    scope = "password_change"


class RegisterThrottle(ClientAddressThrottle):
    scope = "register"
    name = "register"


class ForgotPasswordAddressThrottle(ClientAddressThrottle):
    scope = "password_reset"
    name = "forgot"


class ForgotPasswordEmailThrottle(EmailThrottle):
    scope = "password_reset"
    name = "forgot"


class ResetPasswordThrottle(ClientAddressThrottle):
    scope = "password_reset"
    name = "reset"


def django_admin_login_throttle_wait(request: HttpRequest) -> float | None:
    """Counts a Django admin login attempt against /auth/login's per-client and per-email throttles.

    None when it may go ahead, else the seconds until it may: the admin's password form is the same
    password oracle as /auth/login, so it shares the same counts.
    """
    throttles = (LoginAddressThrottle(), DjangoAdminLoginEmailThrottle())
    # Django's request, not DRF's: these throttles read only its META (the client) and POST (the email).
    as_drf = cast(Request, request)
    waits = [throttle.wait() for throttle in throttles if not throttle.allow_request(as_drf, None)]
    return max(waits) if waits else None
