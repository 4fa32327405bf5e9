"""The user: email is the login, role decides admin rights (and Django staff)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models


class Role(models.TextChoices):
    USER = "user", "User"
    ADMIN = "admin", "Admin"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @staticmethod
    def normalize_email_address(email: str) -> str:
        # Stored lower-cased, so one unique index makes emails unique regardless of case on every database.
        return email.strip().lower()

    def get_by_natural_key(self, email: str | None) -> User:
        return self.get(email=self.normalize_email_address(email or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email_address(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


def content_version_new() -> str:
    return uuid.uuid4().hex


class User(AbstractBaseUser):
    """A person with an account. An admin is Django staff with every permission, and only an admin is."""

    email = models.EmailField(unique=True, max_length=254)
    full_name = models.CharField(max_length=100)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.USER, db_index=True)
    is_active = models.BooleanField(default=True)
    # Every access and refresh token carries the version it was issued under; raising it ends all sessions.
    token_version = models.PositiveIntegerField(default=0, editable=False)
    # A new random token with every write to anything the user owns (accounts.services.users_content_changed):
    # the apps that keep data under a user key their answer caches on it, and read it from the cached row.
    content_version = models.CharField(max_length=32, default=content_version_new, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.email

    # Staff and superuser status are derived from the role, so the two can never disagree.
    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_admin

    @is_staff.setter
    def is_staff(self, value: bool) -> None:
        # Kept consistent both ways: making someone staff makes them an admin, and the reverse.
        self.role = Role.ADMIN if value else Role.USER

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    @is_superuser.setter
    def is_superuser(self, value: bool) -> None:
        self.is_staff = value

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email_address(self.email or "")

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list: Any, obj: object = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
