"""Which image generator draws a background or a character image, and the offline one (`builtin`).

`builtin` draws with render.panels: no network, deterministic for a scene or a character.
The remote generators (`openai`, `comfyui`) belong to the providers package; until it is
part of this server, asking for them is a 400 that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from PIL import Image

from animatic_vision.errors import InvalidInput
from render import panels
from render.types import CharacterSheet, SceneSheet

BUILTIN = "builtin"
PROVIDERS = ("builtin", "openai", "comfyui")
IMAGE_SIZE = (1280, 720)


class ImageProviderError(Exception):
    """A generator refused or failed; the message says so in words a person can act on."""


@dataclass(frozen=True)
class Picture:
    """A drawn or generated image, and how it was made."""

    image: Image.Image
    provider: str
    prompt: str
    seed: int


class ImageProvider(Protocol):
    name: str

    def background(self, scene: SceneSheet, *, prompt: str, seed: int) -> Picture: ...

    def character(self, character: CharacterSheet, *, prompt: str, seed: int) -> Picture: ...


class BuiltinProvider:
    """Storyboard drawings made offline by render.panels."""

    name = BUILTIN

    def background(self, scene: SceneSheet, *, prompt: str, seed: int) -> Picture:
        return Picture(panels.draw_background(scene, IMAGE_SIZE, seed=seed), self.name, prompt, seed)

    def character(self, character: CharacterSheet, *, prompt: str, seed: int) -> Picture:
        return Picture(panels.draw_character(character, IMAGE_SIZE, seed=seed), self.name, prompt, seed)


def image_provider(name: str | None = None) -> ImageProvider:
    """The generator called `name` (default: the IMAGE_PROVIDER setting)."""
    chosen = (name or settings.IMAGE_PROVIDER or BUILTIN).lower()
    if chosen == BUILTIN:
        return BuiltinProvider()
    if chosen not in PROVIDERS:
        message = f"provider must be one of {', '.join(PROVIDERS)}."
        raise InvalidInput(message, errors={"provider": [message]})
    message = f"The {chosen} image provider is not available on this server; use builtin."
    raise InvalidInput(message, errors={"provider": [message]})


def character_seed(name: str) -> int:
    """The one seed of a character's images, so every provider draws them alike each time."""
    return panels.stable_seed("character", name.casefold())
