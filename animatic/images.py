"""Which image generator draws a background or a character image: `builtin` (offline), `openai` or `comfyui`.

Every generator speaks providers.images.ImageProvider: `generate(*, prompt, width, height, seed,
subject) -> PNG bytes`. `builtin` is render.panels behind that interface (it draws from the
`subject`, the scene's or character's sheet); the remote ones (providers.images) take the
prompt, check their service's answer with Pillow and return a PNG. The setting IMAGE_PROVIDER
chooses the default; a request's `provider` overrides it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image

from animatic_vision.errors import InvalidInput
from animatic_vision.providers import IMAGE_PROVIDERS, remote_image_provider
from providers.http import ProviderError
from providers.images import ImageProvider
from render import panels
from render.types import CharacterSheet, SceneSheet

BUILTIN = "builtin"
PROVIDERS = IMAGE_PROVIDERS
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


class BuiltinImages:
    """Storyboard drawings made offline by render.panels, as an ImageProvider."""

    name = BUILTIN

    def draw(self, *, width: int, height: int, seed: int, subject: object | None) -> Image.Image:
        if isinstance(subject, CharacterSheet):
            return panels.draw_character(subject, (width, height), seed=seed)
        if isinstance(subject, SceneSheet):
            return panels.draw_background(subject, (width, height), seed=seed)
        raise ImageProviderError("The built-in provider draws scenes and characters only.")

    def generate(self, *, prompt: str, width: int, height: int, seed: int, subject: object | None = None) -> bytes:
        return panels.png_bytes(self.draw(width=width, height=height, seed=seed, subject=subject))


def provider_named(name: str) -> ImageProvider:
    """The generator called `name`, configured from the settings (ImageProviderError when it is not)."""
    if name == BUILTIN:
        return BuiltinImages()
    try:
        provider = remote_image_provider(name)
    except (ProviderError, OSError, ValueError) as exc:
        raise ImageProviderError(str(exc)) from exc
    if provider is None:  # remote_image_provider builds the remote ones only
        return BuiltinImages()
    return provider


class Generator:
    """Backgrounds and character images from one provider, as pictures with their provenance."""

    def __init__(self, provider: ImageProvider):
        self.provider = provider

    def _make(self, subject: SceneSheet | CharacterSheet, prompt: str, seed: int) -> Picture:
        width, height = IMAGE_SIZE
        if isinstance(self.provider, BuiltinImages):  # no PNG round trip for the offline drawing
            image = self.provider.draw(width=width, height=height, seed=seed, subject=subject)
            return Picture(image, BUILTIN, prompt, seed)
        try:
            data = self.provider.generate(prompt=prompt, width=width, height=height, seed=seed, subject=subject)
        except ProviderError as exc:
            raise ImageProviderError(str(exc)) from exc
        with Image.open(io.BytesIO(data)) as opened:  # already decoded and checked by the provider
            image = opened.convert("RGB")
        return Picture(image, self.provider.name, prompt, seed)

    def background(self, scene: SceneSheet, *, prompt: str, seed: int) -> Picture:
        return self._make(scene, prompt, seed)

    def character(self, character: CharacterSheet, *, prompt: str, seed: int) -> Picture:
        return self._make(character, prompt, seed)


def image_provider_check(name: str | None) -> str:
    """The provider a request asks for (default: IMAGE_PROVIDER), or a 400 when it is unknown or unconfigured."""
    chosen = (name or settings.IMAGE_PROVIDER or BUILTIN).lower()
    if chosen not in PROVIDERS:
        message = f"provider must be one of {', '.join(PROVIDERS)}."
        raise InvalidInput(message, errors={"provider": [message]})
    try:
        provider_named(chosen)
    except ImageProviderError as exc:
        message = f"The {chosen} image provider is not configured on this server: {exc}"
        raise InvalidInput(message, errors={"provider": [message]}) from None
    return chosen


def image_generator(name: str | None = None) -> Generator:
    """The generator a job draws with: `name`, or the IMAGE_PROVIDER setting."""
    return Generator(provider_named((name or settings.IMAGE_PROVIDER or BUILTIN).lower()))


def character_seed(name: str) -> int:
    """The one seed of a character's images, so every provider draws them alike each time."""
    return panels.stable_seed("character", name.casefold())
