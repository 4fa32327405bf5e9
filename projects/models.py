"""A project: one story, its animatic's duration, and the record of its segmentation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan

TITLE_MAX_LENGTH = 200
STORY_TEXT_MAX_LENGTH = 500_000
DURATION_MIN_SEC = 5
DURATION_MAX_SEC = 600
DURATION_DEFAULT_SEC = 20


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SEGMENTING = "segmenting", "Segmenting"
    SEGMENTED = "segmented", "Segmented"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class SourceFormat(models.TextChoices):
    """The kind of file a project's story was imported from; null when it was pasted."""

    FOUNTAIN = "fountain", "Fountain"
    FDX = "fdx", "Final Draft"
    DOCX = "docx", "Word"
    TXT = "txt", "Plain text"
    MD = "md", "Markdown"


class Project(models.Model):
    """One story of one owner, the animatic's total duration, and the record of its segmentation."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    story_text = models.TextField()
    duration_sec = models.PositiveSmallIntegerField(default=DURATION_DEFAULT_SEC)
    status = models.CharField(max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    video_path = models.CharField(max_length=500, null=True, blank=True)
    source_format = models.CharField(max_length=10, choices=SourceFormat.choices, null=True, blank=True)

    # The segmentation record: the running or last Celery job.
    segmentation_task_id = models.CharField(max_length=255, null=True, blank=True)
    segmentation_error = models.TextField(null=True, blank=True)
    segmentation_format = models.CharField(max_length=20, null=True, blank=True)
    # The prompt style the scenes were made with, so an edited character description gets a prompt in it.
    segmentation_style = models.CharField(max_length=30, null=True, blank=True)
    segmentation_started_at = models.DateTimeField(null=True, blank=True)
    segmentation_finished_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="project_owner_newest"),
            models.Index(fields=["status", "segmentation_started_at"], name="project_status_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_sec__gte=DURATION_MIN_SEC, duration_sec__lte=DURATION_MAX_SEC),
                name="project_duration_in_range",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ProjectStatus.values), name="project_status_valid"),
            models.CheckConstraint(
                condition=models.Q(source_format__isnull=True) | models.Q(source_format__in=SourceFormat.values),
                name="project_source_format_valid",
            ),
            # By length, not `<> ''`: MariaDB's unicode collations compare a text of ignorable
            # characters (a lone control character, say) equal to the empty string.
            models.CheckConstraint(condition=GreaterThan(Length("title"), 0), name="project_title_not_empty"),
            models.CheckConstraint(condition=GreaterThan(Length("story_text"), 0), name="project_story_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title
