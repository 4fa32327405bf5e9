"""The Django admin's user pages: search, role filter, and a set-password form instead of the hash."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, UserChangeForm
from django.http import HttpRequest

from accounts import selectors, services
from accounts.models import Role, User
from animatic_vision.admin_rules import DomainErrorAdminMixin


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class UserChangeAdminForm(UserChangeForm):
    """The password shows as a read-only summary linking to the set-password form; the hash is never editable."""

    class Meta:
        model = User
        fields = ("email", "full_name", "role", "is_active", "password")

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if self.instance.role == Role.ADMIN and role != Role.ADMIN and selectors.admin_count() <= 1:
            raise forms.ValidationError(services.LAST_ADMIN_DEMOTE)
        return role

    def clean_is_active(self) -> bool:
        is_active = self.cleaned_data["is_active"]
        if (
            self.instance.is_active
            and not is_active
            and self.instance.role == Role.ADMIN
            and selectors.admin_count() <= 1
        ):
            raise forms.ValidationError(services.LAST_ADMIN_DEACTIVATE)
        return is_active


class SetPasswordAdminForm(AdminPasswordChangeForm):
    """Sets a password through the service, so every session of that user ends."""

    def save(self, commit: bool = True) -> User:
        if self.cleaned_data.get("set_usable_password", True):
            services.user_password_set(user=self.user, password=self.cleaned_data["password1"])
            return self.user
        # Disabling password login is also a credential change: end the sessions too.
        self.user.set_unusable_password()
        self.user.save(update_fields=["password", "updated_at"])
        services.sessions_end_all(user=self.user)
        return self.user


@admin.register(User)
class UserAdmin(DomainErrorAdminMixin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    change_password_form = SetPasswordAdminForm

    list_display = ("email", "full_name", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("full_name", "email")
    ordering = ("-created_at",)
    readonly_fields = ("created_at", "updated_at", "last_login")
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "role", "is_active")}),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),
    )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk deletion would bypass the last-admin rule; delete one user at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.role == Role.ADMIN and selectors.admin_count() <= 1:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        services.user_staff_save(user=obj)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.user_delete(user=obj)
