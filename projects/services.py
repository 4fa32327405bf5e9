"""Writes to projects: creating one, setting its status, a staff edit, deleting it with its files.

Every write goes through projects.gateway (one transaction, the owner's row locked before the
project's, the owner's content version renewed, 409 while segmenting).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import Length

from accounts.models import User
from animatic_vision.errors import InvalidInput, QuotaExceeded
from projects.gateway import owner_write, project_files_delete_on_commit, project_write
from projects.models import (
    DURATION_DEFAULT_SEC,
    Project,
    ProjectStatus,
    duration_is_valid,
)
from story.types import DURATION_RULE

# `segmenting` is set only by the server, when segmentation starts.
USER_SETTABLE_STATUSES = (
    ProjectStatus.DRAFT,
    ProjectStatus.SEGMENTED,
    ProjectStatus.COMPLETED,
    ProjectStatus.FAILED,
)
STATUS_NOT_SETTABLE = (
    "'{status}' is not a status you can set: choose draft, segmented, completed or failed "
    "('segmenting' is set by the server when segmentation starts)."
)


def _status_error(status: str) -> InvalidInput:
    message = STATUS_NOT_SETTABLE.format(status=status)
    return InvalidInput(message, errors={"status": [message]})


def project_create(*, owner: User, title: str, story_text: str, duration_sec: int = DURATION_DEFAULT_SEC) -> Project:
    """Creates a `draft` project of this owner, within what one account may keep (QuotaExceeded, 413)."""
    if not duration_is_valid(duration_sec):
        raise InvalidInput(DURATION_RULE, errors={"duration_sec": [DURATION_RULE]})
    with owner_write(owner_id=owner.pk):
        # Counted under the owner's row lock: simultaneous creates by one owner cannot both fit the last place.
        _quota_ensure(owner=owner, story_chars=len(story_text))
        return Project.objects.create(
            owner=owner, title=title, story_text=story_text, duration_sec=duration_sec, status=ProjectStatus.DRAFT
        )


def _quota_ensure(*, owner: User, story_chars: int) -> None:
    kept = Project.objects.filter(owner=owner).aggregate(projects=Count("pk"), chars=Sum(Length("story_text")))
    if kept["projects"] >= settings.PROJECTS_PER_USER_MAX:
        raise QuotaExceeded(
            f"You have {kept['projects']} projects, the most one account may keep. Delete one to make room."
        )
    if (kept["chars"] or 0) + story_chars > settings.STORY_CHARS_PER_USER_MAX:
        room = max(settings.STORY_CHARS_PER_USER_MAX - (kept["chars"] or 0), 0)
        raise QuotaExceeded(
            f"Your projects' stories may hold {settings.STORY_CHARS_PER_USER_MAX:,} characters in all; "
            f"{room:,} are left and this story has {story_chars:,}. Delete a project to make room."
        )


def project_status_set(*, project: Project, status: str) -> Project:
    """Sets the status a user may choose; refused while the project is being segmented."""
    if status not in USER_SETTABLE_STATUSES:
        raise _status_error(status)
    with project_write(project_id=project.pk) as locked:
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    return locked


def project_staff_save(*, project: Project) -> None:
    """Saves a project as a staff member edited it in the Django admin, under the same rules as the API.

    A new project is created for its owner; an existing one is refused (409) while it is being
    segmented, and `segmenting` is never set by hand. Moving it to another owner changes both
    owners' answers.
    """
    if project.status == ProjectStatus.SEGMENTING:
        previous = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
        if previous != ProjectStatus.SEGMENTING:
            raise _status_error(project.status)
    if not duration_is_valid(project.duration_sec):
        raise InvalidInput(DURATION_RULE, errors={"duration_sec": [DURATION_RULE]})
    if project.pk is None:
        with owner_write(owner_id=project.owner_id):
            project.save()
        return
    with project_write(project_id=project.pk, also_owner_ids=[project.owner_id]):
        project.save()


def project_delete(*, project: Project) -> None:
    """Deletes the project with its scenes, characters and assets (also while a job runs: the job then
    finds nothing to write); the project's files go after the commit."""
    with project_write(project_id=project.pk, allow_while_segmenting=True) as locked:
        project_id = locked.pk
        locked.delete()
        project_files_delete_on_commit(project_id=project_id)
