"""The email backend outside development when no SMTP server is configured: it sends nothing and logs no
content, so a password-reset link (its token included) never lands in a log."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

logger = logging.getLogger(__name__)


class UnconfiguredEmailBackend(BaseEmailBackend):
    """Refuses every message with an error log line naming the setting to fix, never the message itself.
    `manage.py check --deploy` fails while it is the backend (accounts/checks.py)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if email_messages:
            logger.error(
                "%d email(s) not sent: no SMTP server is configured (set SMTP_HOST, SMTP_EMAIL, SMTP_PASSWORD)",
                len(email_messages),
            )
        return 0
