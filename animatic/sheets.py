"""The render engine's input (render.types) made from a project's rows, and stored images opened for it."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.core.files.storage import default_storage
from PIL import Image

from animatic.images import BUILTIN
from projects.models import Project
from render import panels
from render.types import CharacterSheet, DialogueLine, ProjectSheet, SceneSheet
from scenes.models import Character, Scene
from scenes.services import seconds_to_ms


def character_sheet(character: Character, *, portrait: bool = False) -> CharacterSheet:
    """`portrait`: open the character's own picture for the frames to show (needs its `image` row)."""
    name = portrait_name(character) if portrait else None
    return CharacterSheet(
        name=character.name,
        description=character.description,
        prompt=character.prompt,
        portrait=panels.portrait_face(stored_image(name)) if name else None,
    )


def portrait_name(character: Character) -> str | None:
    """The stored picture the frames show as the character's face: one uploaded or made by an image
    generator. The built-in reference card is a sheet of drawn figures, not a face: None."""
    image = character.image
    if image is None or image.provider == BUILTIN or not image.file.name:
        return None
    return str(image.file.name)


def scene_sheet(scene: Scene) -> SceneSheet:
    """The scene as the renderer sees it (its images are passed separately, as opened pictures or files)."""
    start_ms = seconds_to_ms(scene.start_sec)
    return SceneSheet(
        index=scene.scene_index,
        title=scene.title,
        description=scene.description,
        text=scene.text,
        location=scene.location,
        time_of_day=scene.time_of_day,
        mood=scene.mood,
        characters=list(scene.characters or []),
        start_ms=start_ms,
        duration_ms=seconds_to_ms(scene.start_sec + scene.duration_sec) - start_ms,
        background_prompt=scene.background_prompt,
        camera=scene.camera,
        dialogue=[
            DialogueLine(character=str(line.get("character") or ""), text=str(line.get("text") or ""))
            for line in scene.dialogue or []
            if isinstance(line, dict)
        ],
    )


def project_sheet(
    project: Project, scenes: Sequence[Scene], characters: Iterable[Character], *, portraits: bool = False
) -> ProjectSheet:
    """`portraits`: open the characters' own pictures, for a render that draws the figures."""
    return ProjectSheet(
        title=project.title,
        scenes=[scene_sheet(scene) for scene in scenes],
        characters=[character_sheet(character, portrait=portraits) for character in characters],
    )


def stored_image(name: str) -> Image.Image:
    """A stored image (one this app wrote or re-encoded) opened as RGB."""
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    with Image.open(io.BytesIO(data)) as opened:
        return opened.convert("RGB")
