"""Shapes of scenes and characters: output for every route that shows them (the project detail included),
input for the editing and segmentation routes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from rest_framework import serializers

from animatic_vision.api.fields import MediaLinkField
from animatic_vision.api.responses import envelope_serializer
from projects.serializers import JobOutputSerializer, ProjectOutputSerializer, ProjectSegmentationOutputSerializer
from scenes.models import CAMERA_MOVES, Scene
from story import FORMATS, STYLE_PRESETS
from story.types import MAX_SCENES_LIMIT

SCENE_TITLE_MAX_LENGTH = Scene._meta.get_field("title").max_length
PROMPT_MAX_LENGTH = 10_000
DESCRIPTION_MAX_LENGTH = 10_000
REORDER_MAX_SCENES = 1_000


class DialogueLineOutputSerializer(serializers.Serializer):
    """One line spoken in a scene."""

    character = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class SceneOutputSerializer(serializers.Serializer):
    """A scene as every route shows it, read from a row of scenes.selectors.scene_rows."""

    # A plain Serializer, not a ModelSerializer: those rebuild their fields from the model on every
    # response. It reads a `.values(*SCENE_OUTPUT_COLUMNS)` row plus the images' file names.

    id = serializers.IntegerField(read_only=True)
    scene_index = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    start_char = serializers.IntegerField(read_only=True)
    end_char = serializers.IntegerField(read_only=True)
    location = serializers.CharField(allow_null=True, read_only=True)
    time_of_day = serializers.CharField(allow_null=True, read_only=True)
    mood = serializers.CharField(allow_null=True, read_only=True)
    characters = serializers.ListField(child=serializers.CharField(), help_text="Names of the characters present.")
    start_sec = serializers.DecimalField(max_digits=8, decimal_places=3)
    duration_sec = serializers.DecimalField(max_digits=8, decimal_places=3)
    background_prompt = serializers.CharField(read_only=True)
    character_prompts = serializers.ListField(
        child=serializers.CharField(), help_text="One prompt per entry of `characters`."
    )
    camera = serializers.ChoiceField(choices=list(CAMERA_MOVES), read_only=True, help_text="The camera move.")
    dialogue = DialogueLineOutputSerializer(many=True, read_only=True, help_text="The lines spoken in the scene.")
    character_paths = serializers.ListField(
        child=MediaLinkField(),
        source="character_files",
        help_text="One image link (or null) per entry of `characters`: that character's reference image.",
    )
    background_path = MediaLinkField(source="background_file", help_text="The background's link, or null.")
    frame_path = MediaLinkField(
        source="frame_file", help_text="The storyboard panel's link (background, characters, caption), or null."
    )


# The scene's own columns the output reads; the images' file names come from their relations.
SCENE_OUTPUT_COLUMNS = tuple(
    name
    for name in SceneOutputSerializer._declared_fields
    if name not in {"character_paths", "background_path", "frame_path"}
)


class CharacterOutputSerializer(serializers.Serializer):
    """A character as every route shows it, read from a row of scenes.selectors.character_rows."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    aliases = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField(read_only=True)
    prompt = serializers.CharField(read_only=True)
    image_path = MediaLinkField(source="image_file", help_text="The character's reference image link, or null.")


CHARACTER_OUTPUT_COLUMNS = tuple(name for name in CharacterOutputSerializer._declared_fields if name != "image_path")


class ProjectDetailOutputSerializer(ProjectOutputSerializer):
    """A project with its scenes in order, its characters and its segmentation record."""

    scenes = SceneOutputSerializer(many=True, read_only=True)
    characters = CharacterOutputSerializer(many=True, read_only=True)
    segmentation = ProjectSegmentationOutputSerializer(source="*", read_only=True)
    frames = JobOutputSerializer(prefix="frames", help_text="The frames job: backgrounds, character images, frames.")
    render = JobOutputSerializer(prefix="render", help_text="The render job: the MP4.")


def _at_least_one(attrs: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    if not attrs:
        raise serializers.ValidationError(f"Send at least one of: {', '.join(fields)}.")
    return attrs


class SceneUpdateInputSerializer(serializers.Serializer):
    """PATCH of a scene: any of these fields; a new `duration_sec` rescales the other scenes."""

    FIELDS = ("title", "description", "background_prompt", "character_prompts", "duration_sec", "camera")

    title = serializers.CharField(
        required=False,
        max_length=SCENE_TITLE_MAX_LENGTH,
        error_messages={"blank": "A scene needs a title."},
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    background_prompt = serializers.CharField(required=False, allow_blank=True, max_length=PROMPT_MAX_LENGTH)
    character_prompts = serializers.ListField(
        required=False,
        child=serializers.CharField(allow_blank=True, max_length=PROMPT_MAX_LENGTH),
        help_text="One prompt per character of the scene, in the order of its `characters`.",
    )
    duration_sec = serializers.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=3,
        min_value=Decimal("0.001"),
        help_text="Seconds, to the millisecond; the other scenes are rescaled so the total stays the project's.",
        error_messages={
            "invalid": "duration_sec must be a number of seconds, such as 2.5.",
            "min_value": "duration_sec must be more than 0.",
            "max_decimal_places": "duration_sec is kept to the millisecond: use at most 3 decimal places.",
        },
    )

    camera = serializers.ChoiceField(
        required=False,
        choices=list(CAMERA_MOVES),
        help_text="The camera move of the scene in the video (and marked on its frame).",
        error_messages={"invalid_choice": f"camera must be one of {', '.join(CAMERA_MOVES)}."},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _at_least_one(attrs, self.FIELDS)


class SceneReorderInputSerializer(serializers.Serializer):
    """The new order: the id of every scene of the project, each exactly once."""

    order = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        max_length=REORDER_MAX_SCENES,
        help_text="Ids of all the project's scenes, in their new order.",
    )


class CharacterUpdateInputSerializer(serializers.Serializer):
    """PATCH of a character: its description and/or prompt; the scenes' prompts follow."""

    FIELDS = ("description", "prompt")

    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    prompt = serializers.CharField(required=False, allow_blank=True, max_length=PROMPT_MAX_LENGTH)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _at_least_one(attrs, self.FIELDS)


# The success envelopes, for the OpenAPI schema.
SceneListEnvelopeSerializer = envelope_serializer("SceneListEnvelopeSerializer", SceneOutputSerializer(many=True))
SceneEnvelopeSerializer = envelope_serializer("SceneEnvelopeSerializer", SceneOutputSerializer())
CharacterListEnvelopeSerializer = envelope_serializer(
    "CharacterListEnvelopeSerializer", CharacterOutputSerializer(many=True)
)
CharacterEnvelopeSerializer = envelope_serializer("CharacterEnvelopeSerializer", CharacterOutputSerializer())


# --- Segmentation (POST /projects/segment, POST /projects/{id}/segment) ------------------------

SEGMENT_SCENES_MAX = MAX_SCENES_LIMIT


class SegmentOptionsInputSerializer(serializers.Serializer):
    """Options of the story engine; all optional."""

    scene_count = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=SEGMENT_SCENES_MAX,
        help_text="Exactly this many scenes (or one per sentence when the text has fewer).",
    )
    max_scenes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=SEGMENT_SCENES_MAX,
        help_text="At most this many scenes; the server chooses the number from the text and the duration.",
    )
    # The engine's `style` option, which shadows Field.style: the client's field name.
    style = serializers.ChoiceField(  # type: ignore[assignment]
        choices=list(STYLE_PRESETS), required=False, help_text="The image prompts' style preset."
    )
    format = serializers.ChoiceField(
        choices=list(FORMATS), required=False, help_text="`auto` recognises a screenplay by its scene headings."
    )
    enrich = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text=(
            "Let the configured language model rewrite the scenes' words after the engine (spans and timing stay "
            "the engine's). Default: on when the server has one (TEXT_PROVIDER), else off."
        ),
    )

    def validate_enrich(self, value: bool | None) -> bool | None:
        if value and settings.TEXT_PROVIDER == "none":
            raise serializers.ValidationError("This server has no language model configured, so enrich cannot be on.")
        return value


class ProjectSegmentInputSerializer(serializers.Serializer):
    """`POST /projects/segment`: which project, and the engine's options."""

    projectId = serializers.IntegerField(min_value=1, help_text="The id of one of your projects.")
    options = SegmentOptionsInputSerializer(required=False)


class SegmentationStartedOutputSerializer(serializers.Serializer):
    """The job: the project's status when answering, and the task shared by every request meanwhile."""

    project_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["segmenting", "segmented", "failed"])
    task_id = serializers.CharField()
    scenes = SceneOutputSerializer(
        many=True, required=False, help_text="Present when the segmentation already ran (inline tasks)."
    )


SegmentationStartedEnvelopeSerializer = envelope_serializer(
    "SegmentationStartedEnvelope", SegmentationStartedOutputSerializer()
)
