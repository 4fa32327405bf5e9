"""Reads of projects, always limited to one owner so that another user's project is simply not found."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import User
from animatic_vision.errors import NotFound
from projects.models import Project
from scenes.models import Character, Scene

PROJECT_NOT_FOUND = "Project not found."


def project_list_queryset(*, owner: User) -> QuerySet[Project]:
    """The owner's projects, newest first, each annotated with `scene_count` (one query, no N+1)."""
    return Project.objects.filter(owner=owner).annotate(scene_count=Count("scenes")).order_by("-created_at", "-id")


def project_detail_queryset(*, owner: User) -> QuerySet[Project]:
    """`project_list_queryset` plus the scenes (in order) and characters: three queries for any size."""
    return project_list_queryset(owner=owner).prefetch_related(
        Prefetch("scenes", queryset=Scene.objects.order_by("scene_index")),
        Prefetch("characters", queryset=Character.objects.order_by("id")),
    )


def project_list(*, owner: User, limit: int | None = None, offset: int = 0) -> tuple[list[Project], int]:
    """One page of the owner's projects and the total number they own."""
    total = Project.objects.filter(owner=owner).count()
    queryset = project_list_queryset(owner=owner)
    end = offset + limit if limit is not None else None
    return list(queryset[offset:end]), total


def project_get_for_owner(*, owner: User, project_id: int | str, detail: bool = False) -> Project:
    """The owner's project with this id (annotated; with scenes and characters when `detail`), else NotFound."""
    queryset = project_detail_queryset(owner=owner) if detail else project_list_queryset(owner=owner)
    try:
        return queryset.get(pk=int(project_id))
    except (Project.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(PROJECT_NOT_FOUND) from None
