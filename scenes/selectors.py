"""Reads of scenes and characters, always through a project the caller owns."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from projects.models import Project
from scenes.models import Character, Scene


def scene_list(*, project: Project) -> QuerySet[Scene]:
    """The project's scenes in animatic order."""
    return Scene.objects.filter(project=project).order_by("scene_index")


def scene_queryset_for_owner(*, owner: User, project_id: int | str) -> QuerySet[Scene]:
    """Scenes of one project of this owner: anyone else's scene is not in it."""
    return Scene.objects.filter(project_id=project_id, project__owner=owner).order_by("scene_index")


def character_list(*, project: Project) -> QuerySet[Character]:
    """The project's characters in the order they were found."""
    return Character.objects.filter(project=project).order_by("id")


def character_queryset_for_owner(*, owner: User, project_id: int | str) -> QuerySet[Character]:
    """Characters of one project of this owner: anyone else's character is not in it."""
    return Character.objects.filter(project_id=project_id, project__owner=owner).order_by("id")
