"""The Django admin site, with its login form under the same throttles as POST /auth/login."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts.throttles import django_admin_login_throttle_wait
from animatic_vision.api.exceptions import error_response

TOO_MANY_LOGINS = "Too many login attempts. Try again in {seconds} seconds."


class ThrottledAdminSite(admin.AdminSite):
    """Django's admin site; a login attempt over the per-client or per-email rate answers 429."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST":
            wait = django_admin_login_throttle_wait(request)
            if wait is not None:
                seconds = math.ceil(wait)
                response = error_response(429, TOO_MANY_LOGINS.format(seconds=seconds))
                response["Retry-After"] = str(seconds)
                return response
        return super().login(request, extra_context)
