"""Keeps the cached copy of a user's row (see `sessions`) in step with every save and delete."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import sessions
from accounts.models import User


@receiver(post_save, sender=User, dispatch_uid="accounts.user_saved")
@receiver(post_delete, sender=User, dispatch_uid="accounts.user_deleted")
def user_changed(sender: type[User], instance: User, **kwargs: Any) -> None:
    sessions.user_state_invalidate(instance.pk)
