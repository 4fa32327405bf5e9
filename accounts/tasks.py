"""Email tasks (queue "emails", see CELERY_TASK_ROUTES)."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def password_reset_email_send_task(user_id: int) -> None:
    """Sends a password-reset email; SMTP and network errors retry with exponential backoff."""
    from accounts.services import password_reset_email_send

    password_reset_email_send(user_id=user_id)
    # The token is made inside the task and never leaves it: not in the broker, not in a log line.
    logger.info("Password reset email sent to user %s", user_id)
