"""Reads of users."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User, UserManager
from animatic_vision.errors import NotFound

USER_NOT_FOUND = "User not found."


def user_get(*, user_id: int) -> User:
    """The user with this id, or NotFound."""
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist as exc:
        raise NotFound(USER_NOT_FOUND) from exc


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email=UserManager.normalize_email_address(email)).first()


def user_id_for_email(*, email: str) -> int | None:
    """The id of the account this (normalised) address logs in to, as the database's collation compares it."""
    return User.objects.filter(email=email).values_list("pk", flat=True).first()


def user_list(*, q: str | None = None, role: str | None = None) -> QuerySet[User]:
    """Users newest first, filtered by a name-or-email substring and a role."""
    users = User.objects.order_by("-created_at", "-id")
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        users = users.filter(role=role)
    return users


def admin_count(*, lock: bool = False) -> int:
    """How many active admins there are; with `lock`, their rows stay locked until the transaction ends."""
    admins = User.objects.filter(role=Role.ADMIN, is_active=True)
    if lock:
        return len(list(admins.select_for_update().values_list("pk", flat=True)))
    return admins.count()
