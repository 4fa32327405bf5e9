"""Reads of projects, always limited to one owner so that another user's project is simply not found."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from accounts.models import User
from animatic_vision.errors import ProjectNotFound
from projects.models import Project
from projects.serializers import JOB_COLUMNS, PROJECT_OUTPUT_COLUMNS, SEGMENTATION_COLUMNS

NEWEST_FIRST = ("-created_at", "-id")


def project_list_queryset(*, owner: User) -> QuerySet[Project]:
    """The owner's projects, newest first, each annotated with `scene_count` (one query, no N+1)."""
    return Project.objects.filter(owner=owner).annotate(scene_count=Count("scenes")).order_by(*NEWEST_FIRST)


ID_MAX = 2**63 - 1  # BigAutoField: a larger number is no project, and would overflow the database's integer


def project_id_parse(project_id: int | str) -> int:
    """The id a URL names, as a number; ProjectNotFound for one no project can have (ASCII digits only)."""
    if isinstance(project_id, str) and not (project_id.isascii() and project_id.isdigit()):
        raise ProjectNotFound()
    try:
        value = int(project_id)
    except (ValueError, TypeError, OverflowError):
        raise ProjectNotFound() from None
    if not 0 < value <= ID_MAX:
        raise ProjectNotFound()
    return value


def project_row(*, owner: User, project_id: int) -> dict[str, Any]:
    """The owner's project as a row with its segmentation and job columns (no `scene_count`), else ProjectNotFound."""
    row = Project.objects.filter(owner=owner, pk=project_id).values(
        *PROJECT_OUTPUT_COLUMNS, *SEGMENTATION_COLUMNS, *JOB_COLUMNS
    )
    found = row.first()
    if found is None:
        raise ProjectNotFound()
    return found


def project_list_page(*, owner: User, limit: int | None = None, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """How many projects the owner has, and one page of them, newest first, as rows for ProjectOutputSerializer."""
    end = offset + limit if limit is not None else None
    rows = list(project_list_queryset(owner=owner).values(*PROJECT_OUTPUT_COLUMNS, "scene_count")[offset:end])
    return Project.objects.filter(owner=owner).count(), rows


def project_get_for_owner(*, owner: User, project_id: int | str) -> Project:
    """The owner's project with this id, annotated with `scene_count`, else NotFound."""
    try:
        return project_list_queryset(owner=owner).get(pk=project_id_parse(project_id))
    except (Project.DoesNotExist, OverflowError):
        raise ProjectNotFound() from None
