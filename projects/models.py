"""A project: one story, its animatic's duration, and the record of its segmentation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan

from story.types import MAX_DURATION_SEC, MIN_DURATION_SEC

TITLE_MAX_LENGTH = 200
STORY_TEXT_MAX_LENGTH = 500_000
# The animatic's length: the engine's rule (bounds and wording), which the API's input and services follow.
DURATION_MIN_SEC = MIN_DURATION_SEC
DURATION_MAX_SEC = MAX_DURATION_SEC
DURATION_DEFAULT_SEC = 20


def duration_is_valid(duration_sec: object) -> bool:
    """Whether this is an animatic length a project may have: whole seconds within the range."""
    return (
        isinstance(duration_sec, int)
        and not isinstance(duration_sec, bool)
        and DURATION_MIN_SEC <= duration_sec <= DURATION_MAX_SEC
    )


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


class JobStatus(models.TextChoices):
    """The state of a project's frames or render job, as the contract's `frames` and `render` objects show it."""

    NONE = "none", "None"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


JOB_ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Project(models.Model):
    """One story of one owner, the animatic's total duration, and the record of its segmentation."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    story_text = models.TextField()
    duration_sec = models.PositiveSmallIntegerField(default=DURATION_DEFAULT_SEC)
    status = models.CharField(max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    # The storage name of the rendered MP4 (its Asset row has kind `video`); the API shows a link to it.
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
    # What the optional language-model pass did (providers/enrichment.py): the fields it wrote, why it
    # was (partly) not used, what it cost. `segmentation_text_model` is null when no pass ran.
    segmentation_enriched_fields = models.JSONField(default=list, blank=True)
    segmentation_warning = models.TextField(null=True, blank=True)
    segmentation_text_model = models.CharField(max_length=200, null=True, blank=True)
    segmentation_tokens_used = models.PositiveIntegerField(null=True, blank=True)
    segmentation_enrich_seconds = models.FloatField(null=True, blank=True)

    # The frames job (backgrounds, character images and composed frames) and the render job (the MP4):
    # one of each per project at a time, recorded here like segmentation so the detail reads them for free.
    frames_status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.NONE)
    frames_progress = models.PositiveSmallIntegerField(default=0)
    frames_error = models.TextField(null=True, blank=True)
    frames_task_id = models.CharField(max_length=255, null=True, blank=True)
    frames_started_at = models.DateTimeField(null=True, blank=True)
    frames_finished_at = models.DateTimeField(null=True, blank=True)
    render_status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.NONE)
    render_progress = models.PositiveSmallIntegerField(default=0)
    render_error = models.TextField(null=True, blank=True)
    render_task_id = models.CharField(max_length=255, null=True, blank=True)
    render_started_at = models.DateTimeField(null=True, blank=True)
    render_finished_at = models.DateTimeField(null=True, blank=True)

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
            models.CheckConstraint(
                condition=models.Q(frames_status__in=JobStatus.values, render_status__in=JobStatus.values),
                name="project_job_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(frames_progress__lte=100, render_progress__lte=100),
                name="project_job_progress_percent",
            ),
            # By length, not `<> ''`: MariaDB's unicode collations compare a text of ignorable
            # characters (a lone control character, say) equal to the empty string.
            models.CheckConstraint(condition=GreaterThan(Length("title"), 0), name="project_title_not_empty"),
            models.CheckConstraint(condition=GreaterThan(Length("story_text"), 0), name="project_story_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title
