"""System checks of the accounts settings, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Backends that do not deliver mail: outside development, password resets would never arrive (and the
# console and file backends would write the reset links, tokens included, to a log or a disk).
NON_DELIVERING_EMAIL_BACKENDS = frozenset(
    {
        "accounts.email.UnconfiguredEmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    }
)


@register(Tags.security, deploy=True)
def email_backend_delivers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Outside development, password-reset emails need a real email backend."""
    if settings.IS_DEVELOPMENT or settings.EMAIL_BACKEND not in NON_DELIVERING_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"No email server is configured (EMAIL_BACKEND is {settings.EMAIL_BACKEND}) and ENVIRONMENT is "
            f"'{settings.ENVIRONMENT}': password-reset emails cannot be sent.",
            hint="Set SMTP_HOST (and SMTP_EMAIL, SMTP_PASSWORD, SMTP_PORT).",
            id="accounts.E001",
        )
    ]
