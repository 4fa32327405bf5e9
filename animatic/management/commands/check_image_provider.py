"""Calls the configured image generator for real, once, and says whether it answered with an image."""

from __future__ import annotations

import io
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from PIL import Image

from animatic.images import PROVIDERS, ImageProviderError, provider_named
from providers.http import ProviderError
from render.types import SceneSheet

PROBE_PROMPT = "a lighthouse on a rocky coast at night, storyboard sketch"
PROBE_SCENE = SceneSheet(
    index=0,
    title="EXT. LIGHTHOUSE - NIGHT",
    description="A lighthouse on a rocky coast.",
    text="",
    location="lighthouse",
    time_of_day="night",
    mood=None,
    characters=[],
    start_ms=0,
    duration_ms=1000,
    background_prompt=PROBE_PROMPT,
)


class Command(BaseCommand):
    help = "Ask the image provider (IMAGE_PROVIDER, or --provider) for one small image and report what came back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", choices=PROVIDERS, default=None)
        parser.add_argument("--width", type=int, default=512)
        parser.add_argument("--height", type=int, default=288)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["provider"] or settings.IMAGE_PROVIDER
        started = time.monotonic()
        try:
            provider = provider_named(name)
            data = provider.generate(
                prompt=PROBE_PROMPT, width=options["width"], height=options["height"], seed=1, subject=PROBE_SCENE
            )
        except (ImageProviderError, ProviderError) as exc:
            raise CommandError(f"The {name} image provider failed: {exc}") from None
        with Image.open(io.BytesIO(data)) as image:
            size, kind = image.size, image.format
        took = time.monotonic() - started
        self.stdout.write(f"{name}: a {kind} of {size[0]}x{size[1]} ({len(data):,} bytes) in {took:.1f} s")
