"""Rate limits on the shared cache for the routes a guesser or a spammer would hammer.

Rates live in settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; a throttled
request answers 429 with Retry-After (DRF adds the header). The counts are atomic
(animatic_vision/api/throttling.py), so simultaneous guesses cannot slip past them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.request import Request

from accounts.models import UserManager
from animatic_vision.api.throttling import AtomicRateThrottle


class ClientAddressThrottle(AtomicRateThrottle):
    """Counts requests per client address for one route group (`name`), at the rate of `scope`."""

    name = ""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": f"{self.scope}:{self.name}:ip", "ident": self.get_ident(request)}


class EmailThrottle(AtomicRateThrottle):
    """Counts requests per email address named in the body, whoever sends them."""

    name = ""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None
        # Hashed: a cache key stays short and free of whatever characters the body held.
        ident = hashlib.sha256(UserManager.normalize_email_address(email).encode()).hexdigest()
        return self.cache_format % {"scope": f"{self.scope}:{self.name}:email", "ident": ident}


class LoginAddressThrottle(ClientAddressThrottle):
    scope = "login_ip"
    name = "login"


class LoginEmailThrottle(EmailThrottle):
    scope = "login_email"
    name = "login"


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
