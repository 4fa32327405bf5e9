"""Shapes of projects: the create, list and status inputs, and the project and segmentation-record outputs.

The project detail, which adds the scenes and characters, is scenes.serializers.ProjectDetailOutputSerializer.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from animatic_vision.api.fields import FILE_PART_UNREADABLE, MediaLinkField, UtcDateTimeField
from animatic_vision.api.responses import envelope_serializer
from projects.models import (
    DURATION_DEFAULT_SEC,
    DURATION_MAX_SEC,
    DURATION_MIN_SEC,
    STORY_TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    JobStatus,
    ProjectStatus,
    SourceFormat,
)
from projects.services import USER_SETTABLE_STATUSES
from story.types import DURATION_RULE

STORY_EMPTY = "The story is empty: paste the story or screenplay to turn into scenes."
LIST_LIMIT_MAX = 1_000
LIST_OFFSET_MAX = 1_000_000_000


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": DURATION_MIN_SEC, "maximum": DURATION_MAX_SEC},
            {"type": "string", "pattern": r"^\s*\d*\s*$"},
        ],
        "nullable": True,
        "default": DURATION_DEFAULT_SEC,
        "description": (
            f'Whole seconds, {DURATION_MIN_SEC}-{DURATION_MAX_SEC}. A numeric string such as "20" is accepted; '
            f"empty or null means the default, {DURATION_DEFAULT_SEC}."
        ),
    }
)
class DurationSecondsField(serializers.IntegerField):
    """The animatic's length in whole seconds; a numeric string is accepted, and empty or null means the default."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", DURATION_MIN_SEC)
        kwargs.setdefault("max_value", DURATION_MAX_SEC)
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", DURATION_DEFAULT_SEC)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": DURATION_RULE,
                "min_value": DURATION_RULE,
                "max_value": DURATION_RULE,
                "max_string_length": DURATION_RULE,
            },
        )
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None or (isinstance(data, str) and not data.strip()):
            return True, DURATION_DEFAULT_SEC
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> int:
        # DRF's IntegerField would take True for 1; a boolean is not a duration.
        if isinstance(data, bool):
            self.fail("invalid")
        # int() reads the digits of any script (Arabic-Indic, full-width); the contract means ASCII ones.
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


class ProjectCreateInputSerializer(serializers.Serializer):
    """A new project: its title, its story, and the animatic's length."""

    title = serializers.CharField(
        max_length=TITLE_MAX_LENGTH,
        help_text="1-200 characters; spaces around it are removed.",
        error_messages={
            "blank": "Give the project a title.",
            "max_length": f"The title is too long: at most {TITLE_MAX_LENGTH} characters.",
        },
    )
    story_text = serializers.CharField(
        max_length=STORY_TEXT_MAX_LENGTH,
        trim_whitespace=False,
        help_text="The story or screenplay, 1-500,000 characters (Unicode code points), kept exactly as sent.",
        error_messages={
            "blank": STORY_EMPTY,
            "max_length": f"The story is too long: at most {STORY_TEXT_MAX_LENGTH:,} characters are accepted.",
        },
    )
    duration_sec = DurationSecondsField()

    def validate_story_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(STORY_EMPTY)
        return value


class ProjectImportInputSerializer(serializers.Serializer):
    """An uploaded script or manuscript, with an optional title and the animatic's length."""

    file = serializers.FileField(
        allow_empty_file=False,
        help_text=(
            "A .fountain, .fdx (Final Draft), .docx (Word), .txt or .md file of at most 5 MB. "
            "Final Draft and Word scripts become Fountain, so their scene headings segment as headings."
        ),
        error_messages={
            "required": "Attach the script or manuscript as the multipart field `file`" + FILE_PART_UNREADABLE,
            "empty": "The file is empty.",
            "invalid": "Send the file as multipart/form-data in the field `file`.",
        },
    )
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TITLE_MAX_LENGTH,
        help_text="1-200 characters; by default the script's title page, else the file name.",
        error_messages={"max_length": f"The title is too long: at most {TITLE_MAX_LENGTH} characters."},
    )
    duration_sec = DurationSecondsField()


class ProjectListQueryInputSerializer(serializers.Serializer):
    """Optional paging of the project list."""

    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=LIST_LIMIT_MAX,
        help_text=(
            f"At most this many projects (1-{LIST_LIMIT_MAX}). When absent, as many as one account may keep "
            "(PROJECTS_PER_USER_MAX, 200 by default): every project of yours."
        ),
    )
    offset = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=LIST_OFFSET_MAX, help_text="Skip this many projects first."
    )


@extend_schema_field(
    {
        "type": "string",
        "enum": [status.value for status in USER_SETTABLE_STATUSES],
        "description": "`segmenting` is set by the server only.",
    }
)
class SettableStatusField(serializers.ChoiceField):
    """A status a user may set (described inline: the output's status enum has one more value)."""


class ProjectStatusUpdateInputSerializer(serializers.Serializer):
    """The status a user may set; `segmenting` belongs to the server."""

    status = SettableStatusField(
        choices=[(status.value, status.label) for status in USER_SETTABLE_STATUSES],
        error_messages={
            "invalid_choice": (
                "'{input}' is not a status you can set: choose draft, segmented, completed or failed "
                "('segmenting' is set by the server when segmentation starts)."
            )
        },
    )


class ProjectOutputSerializer(serializers.Serializer):
    """A project as the list shows it (no scenes); `scene_count` comes from the selector's annotation."""

    # A plain Serializer, not a ModelSerializer: those rebuild their fields from the model on every
    # response. It reads a Project or a `.values(*PROJECT_OUTPUT_COLUMNS)` row alike.
    id = serializers.IntegerField(label="ID", read_only=True)
    title = serializers.CharField(read_only=True)
    story_text = serializers.CharField(read_only=True)
    duration_sec = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, read_only=True)
    video_path = MediaLinkField(help_text="The rendered MP4's link, or null before the first render.")
    source_format = serializers.ChoiceField(
        choices=SourceFormat.choices,
        allow_null=True,
        read_only=True,
        help_text="The kind of file the story was imported from; null when it was pasted.",
    )
    scene_count = serializers.IntegerField(read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    updated_at = UtcDateTimeField(read_only=True)


# The columns the output reads (`scene_count` is computed, not a column).
PROJECT_OUTPUT_COLUMNS = tuple(name for name in ProjectOutputSerializer._declared_fields if name != "scene_count")


class ProjectSegmentationOutputSerializer(serializers.Serializer):
    """The record of the project's running or last segmentation."""

    status = serializers.ChoiceField(choices=ProjectStatus.choices, read_only=True)
    task_id = serializers.CharField(source="segmentation_task_id", allow_null=True, read_only=True)
    error = serializers.CharField(source="segmentation_error", allow_null=True, read_only=True)
    format = serializers.CharField(source="segmentation_format", allow_null=True, read_only=True)
    started_at = UtcDateTimeField(source="segmentation_started_at", allow_null=True, read_only=True)
    finished_at = UtcDateTimeField(source="segmentation_finished_at", allow_null=True, read_only=True)
    enriched_fields = serializers.ListField(
        source="segmentation_enriched_fields",
        child=serializers.CharField(),
        read_only=True,
        help_text=(
            "The fields the language model wrote (`title`, `description`, `location`, `time_of_day`, `mood`, "
            "`background_prompt`, `characters`, `character.name`, `character.aliases`, `character.description`); "
            "empty when no model pass ran or none of its answer was used."
        ),
    )
    warning = serializers.CharField(
        source="segmentation_warning",
        allow_null=True,
        read_only=True,
        help_text="Why the language model's answer was not used, or used only in part (not an error).",
    )
    text_model = serializers.CharField(
        source="segmentation_text_model",
        allow_null=True,
        read_only=True,
        help_text="The language model of the pass; null when none ran.",
    )
    tokens_used = serializers.IntegerField(
        source="segmentation_tokens_used", allow_null=True, read_only=True, help_text="Tokens the pass spent."
    )
    enrich_seconds = serializers.FloatField(
        source="segmentation_enrich_seconds", allow_null=True, read_only=True, help_text="Seconds the pass took."
    )


# The segmentation columns (`status` has no source: it is the project's own, in PROJECT_OUTPUT_COLUMNS).
SEGMENTATION_COLUMNS = tuple(
    field.source for field in ProjectSegmentationOutputSerializer._declared_fields.values() if field.source
)


class JobOutputSerializer(serializers.Serializer):
    """The record of a project's frames or render job (the project's `{prefix}_*` columns)."""

    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    progress = serializers.IntegerField(min_value=0, max_value=100, read_only=True, help_text="Per cent done.")
    error = serializers.CharField(allow_null=True, read_only=True)
    task_id = serializers.CharField(allow_null=True, read_only=True)
    started_at = UtcDateTimeField(allow_null=True, read_only=True)
    finished_at = UtcDateTimeField(allow_null=True, read_only=True)

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(*args, **kwargs)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            field.source = f"{self.prefix}_{name}"
        return fields


JOB_PREFIXES = ("frames", "render")
JOB_COLUMNS = tuple(f"{prefix}_{name}" for prefix in JOB_PREFIXES for name in JobOutputSerializer._declared_fields)


ProjectCreateEnvelopeSerializer = envelope_serializer("ProjectCreateEnvelopeSerializer", ProjectOutputSerializer())
