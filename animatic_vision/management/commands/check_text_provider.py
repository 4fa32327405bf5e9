"""`manage.py check_text_provider`: calls the configured language model for real and prints what it answered."""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from animatic_vision.providers import text_provider
from providers.enrichment import enrich
from providers.http import ProviderError
from story import SegmentOptions, segment

HELLO_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["reply"],
    "properties": {"reply": {"type": "string"}},
}
SAMPLE_STORY = (
    "Mara Quinn climbed the lighthouse stairs at dawn. The old keeper, Tobias, waited at the top with a "
    'lantern. "You are late," Tobias said.\n\n'
    "By noon the storm had come. Mara watched the waves break on the rocks while Tobias fixed the lamp.\n\n"
    "That night Mara rowed alone to the island. The water was black and cold, and she was afraid."
)


class Command(BaseCommand):
    help = (
        "Calls the language model of TEXT_PROVIDER: a one-line JSON answer, then the scene pass on a "
        "three-scene sample story; prints what it answered. Exits 1 when the service fails."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-pass", action="store_true", help="Only the one-line call, not the scene pass.")

    def handle(self, *args: Any, **options: Any) -> None:
        chat = text_provider()
        if chat is None:
            self.stdout.write(
                "No language model is configured (TEXT_PROVIDER=none): segmentation uses the engine alone. "
                "Set TEXT_PROVIDER=openai, TEXT_API_BASE_URL and TEXT_MODEL to use one."
            )
            return
        self.stdout.write(f"Calling {chat.model} at {chat.base_url} ...")
        started = time.monotonic()
        try:
            answer = chat.complete_json(
                system="You check that a service works. Answer with the JSON object the schema asks for.",
                user="Reply with a greeting of at most five words.",
                schema=HELLO_SCHEMA,
                schema_name="check_text_provider",
                max_tokens=64,
            )
        except ProviderError as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(
            f"{answer.model} answered {json.dumps(answer.data, ensure_ascii=False)} "
            f"({answer.tokens_used} tokens, {time.monotonic() - started:.1f} s)"
        )
        if options["no_pass"]:
            return
        engine = segment(SAMPLE_STORY, 30, SegmentOptions(scene_count=3))
        result = enrich(
            segmentation=engine,
            story_text=SAMPLE_STORY,
            style="storyboard",
            chat=chat,
            timeout_seconds=settings.TEXT_API_TIMEOUT_SECONDS,
            max_tokens=settings.TEXT_MAX_TOKENS_PER_PROJECT,
        )
        self.stdout.write(
            f"Scene pass: {result.calls} call(s), {result.tokens_used} tokens, {result.seconds:.1f} s; "
            f"fields written: {', '.join(result.fields) or 'none'}"
        )
        for scene in result.segmentation.scenes:
            self.stdout.write(
                f"  scene {scene.index + 1}: {scene.title} | {scene.location} | {scene.time_of_day} | {scene.mood} "
                f"| {', '.join(scene.characters)}"
            )
        for character in result.segmentation.characters:
            self.stdout.write(f"  {character.name} ({', '.join(character.aliases)}): {character.description}")
        if result.warning:
            self.stdout.write(self.style.WARNING(result.warning))
        if not result.fields:
            raise CommandError("The scene pass wrote nothing; see the warning above.", returncode=1)
