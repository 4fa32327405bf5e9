"""`manage.py check_image_provider`: asks the configured image generator for one image and describes it."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from PIL import Image

from animatic_vision.providers import IMAGE_PROVIDERS, remote_image_provider
from providers.http import ProviderError

CHECK_PROMPT = "a lighthouse on a cliff at dusk, wide establishing shot, no people, storyboard sketch"


class Command(BaseCommand):
    help = "Calls the image provider of IMAGE_PROVIDER (or --provider) for one image; exits 1 when it fails."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--provider", choices=IMAGE_PROVIDERS, help="Check this provider instead.")
        parser.add_argument("--width", type=int, default=640)
        parser.add_argument("--height", type=int, default=360)
        parser.add_argument("--prompt", default=CHECK_PROMPT)
        parser.add_argument("--out", help="Also save the PNG to this file.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["provider"] or settings.IMAGE_PROVIDER
        try:
            provider = remote_image_provider(name)
        except ProviderError as exc:
            raise CommandError(str(exc), returncode=1) from None
        if provider is None:
            self.stdout.write(
                "No remote image generator is configured (IMAGE_PROVIDER=builtin): frames are drawn offline. "
                "Set IMAGE_PROVIDER=openai (IMAGE_API_BASE_URL, IMAGE_MODEL) or comfyui (COMFYUI_URL) to use one."
            )
            return
        width, height = options["width"], options["height"]
        self.stdout.write(f"Asking {provider.name} for a {width}x{height} image of {options['prompt']!r} ...")
        started = time.monotonic()
        try:
            png = provider.generate(prompt=options["prompt"], width=width, height=height, seed=1)
        except (ProviderError, ValueError) as exc:
            raise CommandError(str(exc), returncode=1) from None
        with Image.open(io.BytesIO(png)) as image:
            described = f"a {image.width}x{image.height} {image.format} ({image.mode}) of {len(png):,} bytes"
        self.stdout.write(f"{provider.name} answered {described} in {time.monotonic() - started:.1f} s")
        if options["out"]:
            Path(options["out"]).write_bytes(png)
            self.stdout.write(f"Saved to {options['out']}")
