"""Scenes, characters and assets of a project's animatic."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan

from projects.gateway import project_files_prefix
from projects.models import Project

# The camera moves of the contract (render.types.CAMERA_MOVES, repeated here so models import no engine).
CAMERA_MOVES = ("static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down")
CAMERA_DEFAULT = "static"


class Scene(models.Model):
    """One slot of a project's animatic: an excerpt of the story, its timing and its image prompts."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scenes")
    scene_index = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    text = models.TextField()
    start_char = models.PositiveIntegerField()
    end_char = models.PositiveIntegerField()
    location = models.CharField(max_length=255, null=True, blank=True)
    time_of_day = models.CharField(max_length=50, null=True, blank=True)
    mood = models.CharField(max_length=50, null=True, blank=True)
    characters = models.JSONField(default=list, blank=True)
    # Seconds with millisecond precision, exact so that the durations sum to the project's duration.
    start_sec = models.DecimalField(max_digits=8, decimal_places=3)
    duration_sec = models.DecimalField(max_digits=8, decimal_places=3)
    background_prompt = models.TextField(blank=True)
    character_prompts = models.JSONField(default=list, blank=True)
    # The lines spoken in the scene: [{"character": str, "text": str}, ...].
    dialogue = models.JSONField(default=list, blank=True)
    camera = models.CharField(max_length=20, default=CAMERA_DEFAULT)
    # The scene's images; a scene's `character_paths` are its characters' own images (Character.image).
    background = models.ForeignKey(
        "Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="The background."
    )
    frame = models.ForeignKey(
        "Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The storyboard panel: background and characters composed, with the shot's caption.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # `project_id`, not `project`: ordering by the relation would join projects for its own ordering.
        ordering = ["project_id", "scene_index"]
        constraints = [
            models.UniqueConstraint(fields=["project", "scene_index"], name="scene_unique_index_per_project"),
            models.CheckConstraint(condition=models.Q(end_char__gte=models.F("start_char")), name="scene_span_ordered"),
            models.CheckConstraint(condition=models.Q(duration_sec__gte=0), name="scene_duration_not_negative"),
            models.CheckConstraint(condition=models.Q(start_sec__gte=0), name="scene_start_not_negative"),
            models.CheckConstraint(condition=models.Q(camera__in=CAMERA_MOVES), name="scene_camera_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.scene_index}: {self.title}"


class Character(models.Model):
    """A person of a project's story, described once so that they look the same in every scene."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="characters")
    name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    prompt = models.TextField(blank=True)
    # The character's reference image (a scene's `character_paths[i]` is its i-th character's).
    image = models.ForeignKey("Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="character_unique_name_per_project"),
            # By length: MariaDB's unicode collations compare ignorable characters equal to ''.
            models.CheckConstraint(condition=GreaterThan(Length("name"), 0), name="character_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class AssetKind(models.TextChoices):
    BACKGROUND = "background", "Background"
    FRAME = "frame", "Frame"
    CHARACTER = "character", "Character"
    AUDIO = "audio", "Audio"
    NARRATION = "narration", "Narration"
    SUBTITLE = "subtitle", "Subtitle"
    VIDEO = "video", "Video"


def asset_upload_to(asset: Asset, filename: str) -> str:
    # Under the project's folder, which goes with the project (projects.gateway).
    return f"{project_files_prefix(asset.project_id)}{asset.kind}/{filename}"


class Asset(models.Model):
    """A file of a project (or of one of its scenes or characters), kept in Django's default storage.

    Images record how they were made: the provider (`builtin`, `openai`, `comfyui`, or `upload` for a
    user's own image), the prompt and seed it was given, and the pixel size.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assets")
    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, null=True, blank=True, related_name="assets")
    character = models.ForeignKey(Character, on_delete=models.CASCADE, null=True, blank=True, related_name="assets")
    kind = models.CharField(max_length=20, choices=AssetKind.choices)
    file = models.FileField(upload_to=asset_upload_to, max_length=500)
    provider = models.CharField(max_length=30, blank=True)
    prompt = models.TextField(blank=True)
    seed = models.BigIntegerField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AssetKind.values), name="asset_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file.name}"
