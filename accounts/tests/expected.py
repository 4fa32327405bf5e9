"""What the API answers for a user, built from the database row: the contract's user object."""

from __future__ import annotations

from accounts.models import User


def user_json(user: User) -> dict:
    user.refresh_from_db()
    return {
        "id": user.pk,
        "fullName": user.full_name,
        "email": user.email,
        "role": user.role,
        "created_at": user.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": user.updated_at.isoformat().replace("+00:00", "Z"),
    }
