"""Writes to projects: creating one, setting its status, deleting it with its files."""

from __future__ import annotations

from pathlib import PurePath

from django.db import transaction

from accounts.models import User
from animatic_vision.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge
from projects.models import (
    DURATION_DEFAULT_SEC,
    DURATION_MAX_SEC,
    DURATION_MIN_SEC,
    STORY_TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Project,
    ProjectStatus,
)
from projects.read_cache import owners_projects_changed, projects_changed
from scenes.models import Asset
from scenes.services import asset_files_delete_on_commit
from story.importers import StoryFileError, read_story_file

# `segmenting` is set only by the server, when segmentation starts.
USER_SETTABLE_STATUSES = (
    ProjectStatus.DRAFT,
    ProjectStatus.SEGMENTED,
    ProjectStatus.COMPLETED,
    ProjectStatus.FAILED,
)


def project_create(
    *,
    owner: User,
    title: str,
    story_text: str,
    duration_sec: int = DURATION_DEFAULT_SEC,
    source_format: str | None = None,
) -> Project:
    """Creates a `draft` project of this owner."""
    if not DURATION_MIN_SEC <= duration_sec <= DURATION_MAX_SEC:
        message = f"duration_sec must be a whole number of seconds from {DURATION_MIN_SEC} to {DURATION_MAX_SEC}."
        raise InvalidInput(message, errors={"duration_sec": [message]})
    with transaction.atomic():
        owners_projects_changed([owner.pk])
        return Project.objects.create(
            owner=owner,
            title=title,
            story_text=story_text,
            duration_sec=duration_sec,
            status=ProjectStatus.DRAFT,
            source_format=source_format,
        )


def project_import(
    *, owner: User, data: bytes, filename: str, title: str | None = None, duration_sec: int = DURATION_DEFAULT_SEC
) -> Project:
    """Creates a `draft` project from an uploaded script or manuscript; nothing is stored if the file is refused.

    The title is the one given, else the file's own (a title page, the document's title), else the file name.
    """
    try:
        imported = read_story_file(data, filename)
    except StoryFileError as refused:
        error = PayloadTooLarge if refused.too_large else InvalidInput
        raise error(str(refused), errors={"file": [str(refused)]}) from None
    if len(imported.text) > STORY_TEXT_MAX_LENGTH:
        message = (
            f"The file's story is {len(imported.text):,} characters long; "
            f"at most {STORY_TEXT_MAX_LENGTH:,} are accepted. Split it into several projects."
        )
        raise InvalidInput(message, errors={"file": [message]})
    chosen_title = (title or "").strip() or (imported.title or "").strip() or PurePath(filename).stem.strip()
    return project_create(
        owner=owner,
        title=" ".join(chosen_title.split())[:TITLE_MAX_LENGTH] or "Imported story",
        story_text=imported.text,
        duration_sec=duration_sec,
        source_format=imported.source_format,
    )


def project_status_set(*, project: Project, status: str) -> Project:
    """Sets the status a user may choose; refused while the project is being segmented."""
    if status not in USER_SETTABLE_STATUSES:
        message = (
            f"'{status}' is not a status you can set: choose draft, segmented, completed or failed "
            "('segmenting' is set by the server when segmentation starts)."
        )
        raise InvalidInput(message, errors={"status": [message]})
    with transaction.atomic():
        projects_changed([project.pk])
        try:
            locked = Project.objects.select_for_update().get(pk=project.pk)
        except Project.DoesNotExist:
            raise NotFound("Project not found.") from None
        if locked.status == ProjectStatus.SEGMENTING:
            raise Conflict("The project is being segmented; its status can change once segmentation has finished.")
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    return locked


def project_delete(*, project: Project) -> None:
    """Deletes the project with its scenes, characters and assets; the asset files go after the commit."""
    with transaction.atomic():
        projects_changed([project.pk])
        locked = Project.objects.select_for_update().filter(pk=project.pk).first()
        if locked is None:
            raise NotFound("Project not found.")
        file_names = list(Asset.objects.filter(project=locked).values_list("file", flat=True))
        locked.delete()
        asset_files_delete_on_commit(file_names=file_names)
