"""Builders of projects, scenes, characters and assets for tests (bulk, so big fixtures stay fast)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.files.base import ContentFile

from accounts.models import User
from projects.models import Project, ProjectStatus
from scenes.models import Asset, AssetKind, Character, Scene

STORY = "Anna walks to the harbour. Ben waits by the boat. They sail at dawn."


def project_make(
    *,
    owner: User,
    title: str = "The Harbour",
    story_text: str = STORY,
    duration_sec: int = 20,
    status: str = ProjectStatus.SEGMENTED,
) -> Project:
    return Project.objects.create(
        owner=owner, title=title, story_text=story_text, duration_sec=duration_sec, status=status
    )


def scenes_make(
    *,
    project: Project,
    durations: Sequence[str | Decimal],
    characters: Sequence[Sequence[str]] | None = None,
) -> list[Scene]:
    """One scene per duration, in order, with cumulative starts; `characters[i]` names those in scene i."""
    scenes = []
    start = Decimal(0)
    for index, duration in enumerate(durations):
        names = list(characters[index]) if characters else []
        scenes.append(
            Scene(
                project=project,
                scene_index=index,
                title=f"Scene {index}",
                description=f"What happens in scene {index}.",
                text=f"Text {index}.",
                start_char=index * 10,
                end_char=index * 10 + 8,
                characters=names,
                start_sec=start,
                duration_sec=Decimal(duration),
                background_prompt=f"background {index}",
                character_prompts=[f"{name} as drawn in scene {index}" for name in names],
            )
        )
        start += Decimal(duration)
    return Scene.objects.bulk_create(scenes)


def characters_make(*, project: Project, names: Sequence[str]) -> list[Character]:
    return Character.objects.bulk_create(
        [
            Character(project=project, name=name, aliases=[name[:3]], description=f"{name}, tall", prompt=f"{name}")
            for name in names
        ]
    )


def asset_make(*, project: Project, scene: Scene | None = None, name: str = "frame.png") -> Asset:
    asset = Asset(project=project, scene=scene, kind=AssetKind.BACKGROUND, meta={"w": 640})
    asset.file.save(name, ContentFile(b"png bytes"), save=False)
    asset.save()
    return asset
