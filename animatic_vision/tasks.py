"""Project-wide housekeeping tasks, run by Celery beat on the default queue."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(name="animatic_vision.tasks.flush_expired_tokens", ignore_result=True)
def flush_expired_tokens() -> None:
    """Deletes expired refresh tokens (and their blacklist entries) with simplejwt's own command."""
    call_command("flushexpiredtokens")
