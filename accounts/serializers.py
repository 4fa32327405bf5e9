"""Shapes of what the accounts routes read and write. Rules that need the database live in services."""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from rest_framework import serializers

from accounts.models import Role
from animatic_vision.api.fields import UtcDateTimeField

FULL_NAME_MIN_LENGTH, FULL_NAME_MAX_LENGTH = 3, 100


class UserOutputSerializer(serializers.Serializer):
    # A plain Serializer, not a ModelSerializer: it answers every authenticated /me and
    # building a ModelSerializer's fields costs more than the rest of the request.
    id = serializers.IntegerField(read_only=True)
    fullName = serializers.CharField(source="full_name", read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    updated_at = UtcDateTimeField(read_only=True)


USER_OUTPUT_SOURCES = tuple(field.source or name for name, field in UserOutputSerializer._declared_fields.items())


@functools.lru_cache(maxsize=1024)
def _user_output_of(values: tuple[Any, ...]) -> dict[str, Any]:
    return dict(UserOutputSerializer(SimpleNamespace(**dict(zip(USER_OUTPUT_SOURCES, values, strict=True)))).data)


def user_output(user: Any) -> dict[str, Any]:
    """UserOutputSerializer(user).data, remembered per process for the values it shows.

    GET /auth/me answers the same user again and again, and building the serializer cost a
    quarter of that request. The answer is a function of exactly the values in the key.
    """
    return dict(_user_output_of(tuple(getattr(user, source) for source in USER_OUTPUT_SOURCES)))


class RegisterInputSerializer(serializers.Serializer):
    fullName = serializers.CharField(
        source="full_name", min_length=FULL_NAME_MIN_LENGTH, max_length=FULL_NAME_MAX_LENGTH
    )
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class LoginInputSerializer(serializers.Serializer):
    # Not an EmailField: a malformed address gets the same 401 as any other wrong credential.
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class ChangePasswordInputSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class ForgotPasswordInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ResetPasswordInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=512)
    newPassword = serializers.CharField(source="new_password", max_length=128, trim_whitespace=False)


# Far past any real list, and small enough that (page - 1) * limit stays a valid database OFFSET.
ADMIN_USER_PAGE_MAX = 10_000_000


class AdminUserListInputSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=ADMIN_USER_PAGE_MAX)
    limit = serializers.IntegerField(required=False, default=10, min_value=1, max_value=100)


class AdminUserListOutputSerializer(serializers.Serializer):
    items = UserOutputSerializer(many=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    limit = serializers.IntegerField()


class AdminUserCreateInputSerializer(RegisterInputSerializer):
    role = serializers.ChoiceField(choices=Role.choices, default=Role.USER)


class AdminUserUpdateInputSerializer(serializers.Serializer):
    fullName = serializers.CharField(
        source="full_name", required=False, min_length=FULL_NAME_MIN_LENGTH, max_length=FULL_NAME_MAX_LENGTH
    )
    email = serializers.EmailField(required=False, max_length=254)
    password = serializers.CharField(required=False, max_length=128, trim_whitespace=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)


class AdminUserRoleInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class AdminUserRoleOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()


class AdminUserPasswordInputSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)
