"""Who may call what: the admin API is for users whose role is admin."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.models import Role, User
from animatic_vision.errors import NotAuthenticated


def request_user(request: Request) -> User:
    """The logged-in user of a request (views behind IsAuthenticated); NotAuthenticated for anyone else."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


class IsAdmin(BasePermission):
    """A logged-in admin. Anonymous callers get 401 (DRF's rule), other users 403."""

    message = "Only an admin can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user is not None and user.is_authenticated and user.is_active and user.role == Role.ADMIN)
