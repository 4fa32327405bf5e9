"""Shapes of the animatic routes: frames, images, render and exports."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from animatic.images import PROVIDERS
from animatic_vision.api.fields import FILE_PART_UNREADABLE, MediaLinkField
from animatic_vision.api.responses import envelope_serializer
from projects.models import JobStatus
from projects.serializers import JobOutputSerializer
from render.types import CAPTION_MODES, FRAME_RATES, RESOLUTIONS
from scenes.serializers import PROMPT_MAX_LENGTH, CharacterOutputSerializer, SceneOutputSerializer

SCENE_IDS_MAX = 1_000


class NoUnknownFieldsSerializer(serializers.Serializer):
    """Refuses fields the serializer does not know (a misspelt option must not be silently ignored)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                known = ", ".join(self.fields) or "none"
                raise serializers.ValidationError(
                    {name: [f"Unknown option {name!r}; the known ones are {known}."] for name in unknown}
                )
        return attrs


def _provider_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=list(PROVIDERS),
        required=False,
        help_text="The image generator: builtin (offline, the default unless IMAGE_PROVIDER says otherwise), "
        "openai or comfyui.",
        error_messages={"invalid_choice": f"provider must be one of {', '.join(PROVIDERS)}."},
    )


class FramesStartInputSerializer(NoUnknownFieldsSerializer):
    """POST /projects/{id}/frames: which scenes, drawn by which generator, and whether to redraw."""

    scene_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=SCENE_IDS_MAX,
        help_text="Only these scenes (default: all).",
    )
    provider = _provider_field()
    overwrite = serializers.BooleanField(
        required=False, default=False, help_text="Redraw images already there (default: keep them)."
    )


class ImageDrawInputSerializer(NoUnknownFieldsSerializer):
    """POST of a scene background or a character image: draw it again."""

    provider = _provider_field()
    prompt = serializers.CharField(
        required=False, max_length=PROMPT_MAX_LENGTH, help_text="Instead of the scene's or character's own prompt."
    )


class ImageUploadInputSerializer(serializers.Serializer):
    """PUT of a scene background or a character image: the user's own PNG, JPEG or WebP."""

    file = serializers.FileField(
        allow_empty_file=False,
        help_text="PNG, JPEG or WebP, at most 10 MB and 8,192 pixels a side.",
        error_messages={"required": "Send the image as the multipart field `file`" + FILE_PART_UNREADABLE},
    )


class RenderStartInputSerializer(NoUnknownFieldsSerializer):
    """POST /projects/{id}/render: the video's options."""

    resolution = serializers.ChoiceField(choices=list(RESOLUTIONS), required=False, default="720p")
    fps = serializers.ChoiceField(choices=list(FRAME_RATES), required=False, default=24)
    camera = serializers.ChoiceField(
        choices=["auto", "static"],
        required=False,
        default="auto",
        help_text="auto: each scene moves as its `camera` says; static: no scene moves.",
    )
    captions = serializers.ChoiceField(choices=list(CAPTION_MODES), required=False, default="none")
    voice = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A temporary spoken track of the dialogue and narration (needs espeak-ng on the server).",
    )


class JobStartedOutputSerializer(serializers.Serializer):
    """The project's one job of its kind: new, or the one already queued or running."""

    project_id = serializers.IntegerField()
    task_id = serializers.CharField()
    status = serializers.ChoiceField(choices=JobStatus.choices)


class RenderStateOutputSerializer(serializers.Serializer):
    """The render job's record and the video's link."""

    render = JobOutputSerializer(prefix="render")
    video_path = MediaLinkField()


JobStartedEnvelopeSerializer = envelope_serializer("JobStartedEnvelope", JobStartedOutputSerializer())
RenderStateEnvelopeSerializer = envelope_serializer("RenderStateEnvelope", RenderStateOutputSerializer())
SceneImageEnvelopeSerializer = envelope_serializer("SceneImageEnvelope", SceneOutputSerializer())
CharacterImageEnvelopeSerializer = envelope_serializer("CharacterImageEnvelope", CharacterOutputSerializer())
