from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receivers, registers the OpenAPI scheme and the system checks.
        from accounts import checks, schema, signals  # noqa: F401


class ThrottledAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose default site throttles its login form (accounts/admin_site.py)."""

    default = False  # named in INSTALLED_APPS; "accounts" keeps AccountsConfig
    default_site = "accounts.admin_site.ThrottledAdminSite"
