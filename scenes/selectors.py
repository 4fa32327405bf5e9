"""Reads of scenes and characters, always through a project the caller owns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, QuerySet

from accounts.models import User
from projects.models import Project
from projects.selectors import project_row
from scenes.models import Character, Scene
from scenes.serializers import CHARACTER_OUTPUT_COLUMNS, SCENE_OUTPUT_COLUMNS


def character_rows(*, project_id: int, character_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The project's characters (or these of them) as rows for CharacterOutputSerializer, with their image's
    file name. One query."""
    characters = Character.objects.filter(project_id=project_id)
    if character_ids is not None:
        characters = characters.filter(pk__in=list(character_ids))
    return list(characters.order_by("id").values(*CHARACTER_OUTPUT_COLUMNS, image_file=F("image__file")))


def scene_rows(
    *,
    project_id: int,
    scene_ids: Sequence[int] | None = None,
    characters: Sequence[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The project's scenes (or these of them) in animatic order as rows for SceneOutputSerializer, with the
    file names of their background, their frame and their characters' images.

    One query, and one more for the characters' images unless `characters` (character_rows) are given.
    """
    scenes = Scene.objects.filter(project_id=project_id)
    if scene_ids is not None:
        scenes = scenes.filter(pk__in=list(scene_ids))
    rows = list(
        scenes.order_by("scene_index").values(
            *SCENE_OUTPUT_COLUMNS, background_file=F("background__file"), frame_file=F("frame__file")
        )
    )
    if characters is None:
        characters = character_rows(project_id=project_id) if rows else []
    # Names as MariaDB compares them (segmentation dedupes them so): case does not tell two people apart.
    images = {row["name"].casefold(): row["image_file"] for row in characters}
    for row in rows:
        row["character_files"] = [images.get(name.casefold()) for name in row["characters"] or []]
    return rows


def scene_list(*, project: Project) -> list[dict[str, Any]]:
    """The project's scenes in animatic order, as output rows."""
    return scene_rows(project_id=project.pk)


def scene_queryset_for_owner(*, owner: User, project_id: int | str) -> QuerySet[Scene]:
    """Scenes of one project of this owner: anyone else's scene is not in it."""
    return Scene.objects.filter(project_id=project_id, project__owner=owner).order_by("scene_index")


def character_list(*, project: Project) -> list[dict[str, Any]]:
    """The project's characters in the order they were found, as output rows."""
    return character_rows(project_id=project.pk)


def character_queryset_for_owner(*, owner: User, project_id: int | str) -> QuerySet[Character]:
    """Characters of one project of this owner: anyone else's character is not in it."""
    return Character.objects.filter(project_id=project_id, project__owner=owner).order_by("id")


def project_detail_row(*, owner: User, project_id: int) -> dict[str, Any]:
    """The owner's project as a row with its segmentation and job columns, its scenes in order, its characters
    and `scene_count`, for ProjectDetailOutputSerializer; else ProjectNotFound. Three queries."""
    row = project_row(owner=owner, project_id=project_id)
    characters = character_rows(project_id=project_id)
    scenes = scene_rows(project_id=project_id, characters=characters)
    return {**row, "scenes": scenes, "characters": characters, "scene_count": len(scenes)}
