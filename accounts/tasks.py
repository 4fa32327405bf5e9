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
def password_reset_email_send_task(email: str) -> None:
    """Sends a password-reset email if an account has this address; SMTP and network errors retry with backoff."""
    from accounts.services import password_reset_email_send

    # The token is made inside the task and never leaves it: not in the broker, not in a log line.
    if password_reset_email_send(email=email):
        logger.info("Password reset email sent")
    else:
        logger.info("Password reset requested for an address with no active account")


@shared_task
def login_sessions_expired_delete_task() -> int:
    """Deletes the rows of logins whose refresh token has expired (run by beat, hourly)."""
    from accounts.services import login_sessions_expired_delete

    return login_sessions_expired_delete()
