"""Reads of scenes and characters, always through a project the caller owns."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from projects.models import Project
from projects.selectors import project_row
from scenes.models import Character, Scene
from scenes.serializers import CHARACTER_OUTPUT_COLUMNS, SCENE_OUTPUT_COLUMNS


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


def project_detail_row(*, owner: User, project_id: int) -> dict[str, Any]:
    """The owner's project as a row with its segmentation columns, its scenes in order, its characters and
    `scene_count`, for ProjectDetailOutputSerializer; else ProjectNotFound. Three queries."""
    row = project_row(owner=owner, project_id=project_id)
    scenes = list(Scene.objects.filter(project_id=project_id).order_by("scene_index").values(*SCENE_OUTPUT_COLUMNS))
    characters = list(Character.objects.filter(project_id=project_id).order_by("id").values(*CHARACTER_OUTPUT_COLUMNS))
    return {**row, "scenes": scenes, "characters": characters, "scene_count": len(scenes)}
