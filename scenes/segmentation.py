"""Segmentation services: start a job, run it, replace a project's scenes, fail stuck jobs.

A job is recorded on the project itself (`status`, `segmentation_task_id`, ...).
One conditional update moves a project to `segmenting` and records a new task
id, so concurrent requests share one task. The task writes only while the
project still names it as its job: a reaped or superseded job never
overwrites, and a job delivered twice replaces its own scenes, never adds a
second set.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from projects.gateway import SEGMENTATION, JobRef, JobSuperseded, files_delete_on_commit, project_touch, project_write
from projects.models import JOB_ACTIVE_STATUSES, JobStatus, Project, ProjectStatus
from scenes.models import CAMERA_DEFAULT, CAMERA_MOVES, Asset, Character, Scene

if TYPE_CHECKING:
    from providers.text import ChatAnswer

logger = logging.getLogger(__name__)

ENGINE_FAILURE_MESSAGE = "The story could not be segmented because of an internal error. Try again later."
TIME_LIMIT_MESSAGE = "The segmentation took too long and was stopped. Try a shorter story or fewer scenes."
JOB_LOST_MESSAGE = "The segmentation stopped before it finished. Try again."
QUEUE_UNAVAILABLE_MESSAGE = "The segmentation could not be queued because the task broker is unavailable."
SCENES_REPLACED_MESSAGE = "The scenes were replaced by a new segmentation before this job finished; start it again."


# The project's record of its segmentation job, as a broker failure puts it back.
JOB_RECORD_FIELDS = (
    "status",
    "segmentation_task_id",
    "segmentation_error",
    "segmentation_format",
    "segmentation_started_at",
    "segmentation_finished_at",
    "segmentation_enriched_fields",
    "segmentation_warning",
    "segmentation_text_model",
    "segmentation_tokens_used",
    "segmentation_enrich_seconds",
)
# The record of a language-model pass, as a new job starts it (no pass yet).
NO_ENRICHMENT: dict[str, Any] = {
    "segmentation_enriched_fields": [],
    "segmentation_warning": None,
    "segmentation_text_model": None,
    "segmentation_tokens_used": None,
    "segmentation_enrich_seconds": None,
}
ENRICH_TIME_LIMIT_WARNING = (
    "The language-model pass was stopped at the segmentation's time limit; the engine's scenes are kept."
)
ENRICH_FAILURE_WARNING = "The language-model pass failed because of an internal error; the engine's scenes are kept."
# How long a job's language-model answers are kept for its retries and redeliveries: longer than its
# retries' backoff (at most 6 x 60 s) plus a redelivery after the broker's visibility timeout (900 s).
ENRICHMENT_ANSWERS_SECONDS = 60 * 60


class SegmentationOutcome:
    """What a run of the task did, for its return value and the logs."""

    SEGMENTED = "segmented"
    FAILED = "failed"
    STALE = "stale"  # the project no longer names this task as its job: nothing written


def segmentation_options_dict(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The engine's options as the JSON the task receives (only the values that were set)."""
    return {key: value for key, value in (options or {}).items() if value is not None}


def segmentation_job_abandoned(*, project: Project, now: datetime) -> bool:
    """Whether the project's running job can no longer be working: it was queued longer ago than the
    task's hard time limit (a worker kills a run at that limit). A job with no start time is left to
    the reaper.

    Such a job is either dead (its worker was killed) or has not started yet; a new request may take
    it over, and should the old task run later, it finds it is no longer the project's job and writes nothing.
    """
    started = project.segmentation_started_at
    return started is not None and now - started > timedelta(seconds=settings.SEGMENTATION_TIME_LIMIT)


def segmentation_start(*, project: Project, options: Mapping[str, Any] | None = None, inline: bool = False) -> Project:
    """Moves the project to `segmenting` and queues one task; a project already segmenting keeps its task,
    unless that job is abandoned (`segmentation_job_abandoned`): then this request takes it over.

    Returns the project as it is after the call: still `segmenting` when the
    task was queued, `segmented` or `failed` when it ran inline (eager Celery,
    or `inline=True` for the management command).
    """
    task_id = str(uuid.uuid4())
    payload = segmentation_options_dict(options)
    now = timezone.now()
    with project_write(project_id=project.pk, allow_while_segmenting=True) as locked:
        running = locked.status == ProjectStatus.SEGMENTING
        if running and segmentation_job_abandoned(project=locked, now=now):
            logger.warning(
                "Segmentation taken over project=%s task=%s: queued at %s, past the %ss hard limit",
                locked.pk,
                locked.segmentation_task_id,
                locked.segmentation_started_at,
                settings.SEGMENTATION_TIME_LIMIT,
            )
            running = False
        if not running:
            previous = {name: getattr(locked, name) for name in JOB_RECORD_FIELDS}
            project_touch(
                project=locked,
                status=ProjectStatus.SEGMENTING,
                segmentation_task_id=task_id,
                segmentation_error=None,
                segmentation_started_at=now,
                segmentation_finished_at=None,
                **NO_ENRICHMENT,
            )
            logger.info("Segmentation queued project=%s task=%s options=%s", project.pk, task_id, payload)
            transaction.on_commit(
                lambda: _dispatch(
                    project_id=project.pk, task_id=task_id, options=payload, inline=inline, previous=previous
                )
            )
    project.refresh_from_db()
    return project


def _dispatch(
    *, project_id: int, task_id: str, options: dict[str, Any], inline: bool, previous: dict[str, Any] | None
) -> None:
    from kombu.exceptions import OperationalError as BrokerOperationalError

    from scenes.tasks import segment_project

    if inline or _tasks_run_eagerly():
        # Run here, retries included (`throw=True` would end at the first retry); then surface
        # the error that remains, so the caller sees a database error as a database error.
        result = segment_project.apply(args=[project_id, options], task_id=task_id, throw=False)
        if result.failed():
            raise result.result
        return
    try:
        segment_project.apply_async(args=[project_id, options], task_id=task_id)
    except (BrokerOperationalError, ConnectionError, TimeoutError):
        # Nothing was queued: put the project back as it was, so it does not wait for the reaper.
        restored = previous or {"status": ProjectStatus.DRAFT}
        try:
            with project_write(project_id=project_id, job=JobRef(kind=SEGMENTATION, task_id=task_id)) as project:
                project_touch(project=project, **restored)
        except JobSuperseded:
            pass  # deleted or taken over meanwhile: nothing to put back
        logger.warning("Segmentation not queued project=%s task=%s: broker unavailable", project_id, task_id)
        raise


def _tasks_run_eagerly() -> bool:
    """True in the embedded setup (no broker): Celery runs tasks in the calling process."""
    from animatic_vision.celery import app

    return bool(app.conf.task_always_eager)


def segmentation_run(*, project_id: int, task_id: str, options: Mapping[str, Any] | None = None) -> str:
    """Runs the story engine for the project's current job and stores its scenes, or the reason it failed.

    Database errors propagate (the task retries them); engine errors end the job as `failed`.
    """
    from story import SegmentOptions, StoryInputError, segment

    project = Project.objects.filter(
        pk=project_id, status=ProjectStatus.SEGMENTING, segmentation_task_id=task_id
    ).first()
    if project is None:
        logger.info("Segmentation skipped project=%s task=%s: not the project's current job", project_id, task_id)
        return SegmentationOutcome.STALE

    logger.info(
        "Segmentation started project=%s task=%s chars=%s duration=%ss",
        project_id,
        task_id,
        len(project.story_text),
        project.duration_sec,
    )
    engine_values = dict(options or {})
    enrich_requested = engine_values.pop("enrich", None)
    # On by default when a language model is configured; a request may turn it off (or on).
    enrich = settings.TEXT_PROVIDER != "none" if enrich_requested is None else bool(enrich_requested)
    try:
        engine_options = SegmentOptions(**engine_values)
    except TypeError:
        # Options the engine does not know: the API validates them, a hand-made task call may not.
        known = ", ".join([*(field.name for field in dataclasses.fields(SegmentOptions)), "enrich"])
        return segmentation_fail(
            project_id=project_id, task_id=task_id, error=f"Unknown segmentation options; the known ones are {known}."
        )
    started = timezone.now()
    try:
        result = segment(project.story_text, project.duration_sec, engine_options)
    except StoryInputError as exc:
        return segmentation_fail(project_id=project_id, task_id=task_id, error=str(exc) or ENGINE_FAILURE_MESSAGE)
    except SoftTimeLimitExceeded:
        return segmentation_fail(project_id=project_id, task_id=task_id, error=TIME_LIMIT_MESSAGE)
    except Exception:
        logger.exception("Segmentation engine crashed project=%s task=%s", project_id, task_id)
        return segmentation_fail(project_id=project_id, task_id=task_id, error=ENGINE_FAILURE_MESSAGE)

    enrichment = None
    if enrich:
        result, enrichment = segmentation_enrich(
            segmentation=result, story_text=project.story_text, style=engine_options.style, task_id=task_id
        )
    written = scenes_replace(
        project_id=project_id,
        task_id=task_id,
        segmentation=result,
        style=engine_options.style,
        enrichment=enrichment,
    )
    if not written:
        logger.info("Segmentation discarded project=%s task=%s: job replaced while running", project_id, task_id)
        return SegmentationOutcome.STALE
    logger.info(
        "Segmentation finished project=%s task=%s scenes=%s characters=%s in %.1fs",
        project_id,
        task_id,
        len(result.scenes),
        len(result.characters),
        (timezone.now() - started).total_seconds(),
    )
    return SegmentationOutcome.SEGMENTED


class JobAnswers:
    """The language model's answers of one segmentation job, kept in the cache for ENRICHMENT_ANSWERS_SECONDS.

    A retry of the job (a database error while storing its scenes) or a redelivery of it (its worker
    died) runs the pass again: it finds the answers its first attempt paid for and does not ask again.
    The key names the job and hashes the call's whole input (providers.enrichment.answer_key), so
    another job, another text, model or prompt never gets them. A cache that fails is a cache miss.
    """

    def __init__(self, task_id: str) -> None:
        self.prefix = f"segmentation:answers:{task_id}:"

    def get(self, key: str) -> ChatAnswer | None:
        from providers.text import ChatAnswer

        try:
            stored = cache.get(self.prefix + key)
        except Exception:  # the cache backend is away: ask the model
            logger.warning("Language-model answer cache unavailable (get)", exc_info=True)
            return None
        if not isinstance(stored, dict):
            return None
        try:
            return ChatAnswer(**stored)
        except TypeError:  # stored by another version of ChatAnswer
            return None

    def put(self, key: str, answer: ChatAnswer) -> None:
        try:
            cache.set(self.prefix + key, dataclasses.asdict(answer), ENRICHMENT_ANSWERS_SECONDS)
        except Exception:  # the answer is used all the same; only a retry would ask again
            logger.warning("Language-model answer cache unavailable (set)", exc_info=True)


def segmentation_enrich(
    *, segmentation: Any, story_text: str, style: str, task_id: str | None = None
) -> tuple[Any, dict[str, Any] | None]:
    """Runs the configured language model over the engine's scenes (providers/enrichment.py).

    Returns the segmentation to store and the record of the pass for the project's segmentation
    columns; with no provider configured, the engine's result and no record. Never raises for
    what the model or its service does: the engine's result stays, with a warning. With the job's
    `task_id`, answers its earlier attempts got are reused (JobAnswers).
    """
    from animatic_vision.providers import text_provider
    from providers.enrichment import enrich

    chat = text_provider()
    if chat is None:
        return segmentation, None
    record: dict[str, Any] = {**NO_ENRICHMENT, "segmentation_text_model": chat.model}
    try:
        outcome = enrich(
            segmentation=segmentation,
            story_text=story_text,
            style=style,
            chat=chat,
            timeout_seconds=settings.TEXT_API_TIMEOUT_SECONDS,
            max_tokens=settings.TEXT_MAX_TOKENS_PER_PROJECT,
            answers=JobAnswers(task_id) if task_id else None,
        )
    except SoftTimeLimitExceeded:
        logger.warning("Language-model pass stopped at the soft time limit model=%s", chat.model)
        return segmentation, {**record, "segmentation_warning": ENRICH_TIME_LIMIT_WARNING}
    except Exception:
        logger.exception("Language-model pass crashed model=%s", chat.model)
        return segmentation, {**record, "segmentation_warning": ENRICH_FAILURE_WARNING}
    record.update(
        segmentation_enriched_fields=outcome.fields,
        segmentation_warning=outcome.warning,
        segmentation_text_model=(outcome.model or chat.model)[:200],
        segmentation_tokens_used=outcome.tokens_used,
        segmentation_enrich_seconds=outcome.seconds,
    )
    return outcome.segmentation, record


def _clip(value: str | None, max_length: int) -> str | None:
    return value[:max_length] if isinstance(value, str) else value


def _max_length(model: type[models.Model], name: str) -> int:
    """The length of a text column, so an engine's text is cut to what the database stores."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text column of bounded length.")
    return field.max_length


def _seconds(milliseconds: int) -> Decimal:
    return Decimal(int(milliseconds)).scaleb(-3)


def scenes_replace(
    *, project_id: int, task_id: str, segmentation: Any, style: str, enrichment: Mapping[str, Any] | None = None
) -> bool:
    """Replaces the project's scenes and characters with the engine's result, in one transaction.

    `enrichment`: the record of a language-model pass (`segmentation_enrich`), stored with the scenes.
    Writes only while the project is still segmenting for `task_id`; returns whether it wrote.
    """
    try:
        with project_write(project_id=project_id, job=JobRef(kind=SEGMENTATION, task_id=task_id)) as project:
            _scenes_write(project=project, segmentation=segmentation, style=style, enrichment=enrichment)
    except JobSuperseded:
        return False
    return True


def _scenes_write(
    *, project: Project, segmentation: Any, style: str, enrichment: Mapping[str, Any] | None = None
) -> None:
    # The old scenes' and characters' images go with them (their files once this commits); a video stays.
    replaced_files = list(
        Asset.objects.filter(project=project)
        .filter(Q(scene__isnull=False) | Q(character__isnull=False))
        .values_list("file", flat=True)
    )
    Scene.objects.filter(project=project).delete()
    Character.objects.filter(project=project).delete()
    files_delete_on_commit(names=replaced_files)

    seen_names: set[str] = set()
    characters = []
    for character in segmentation.characters:
        name = (character.name or "").strip()[: _max_length(Character, "name")]
        # MySQL compares names case-insensitively (utf8mb4_unicode_ci): dedupe the same way.
        key = name.casefold()
        if not key or key in seen_names:
            continue
        seen_names.add(key)
        characters.append(
            Character(
                project=project,
                name=name,
                aliases=list(character.aliases),
                description=character.description or "",
                prompt=character.prompt or "",
            )
        )
    Character.objects.bulk_create(characters)

    field_length = {name: _max_length(Scene, name) for name in ("title", "location", "time_of_day", "mood")}
    Scene.objects.bulk_create(
        [
            Scene(
                project=project,
                scene_index=position,
                title=_clip(scene.title, field_length["title"]) or f"Scene {position + 1}",
                description=scene.description or "",
                text=scene.text,
                start_char=scene.start_char,
                end_char=scene.end_char,
                location=_clip(scene.location, field_length["location"]),
                time_of_day=_clip(scene.time_of_day, field_length["time_of_day"]),
                mood=_clip(scene.mood, field_length["mood"]),
                characters=list(scene.characters),
                start_sec=_seconds(scene.start_ms),
                duration_sec=_seconds(scene.duration_ms),
                background_prompt=scene.background_prompt or "",
                character_prompts=list(scene.character_prompts),
                dialogue=[{"character": line.character, "text": line.text} for line in scene.dialogue],
                camera=scene.camera if scene.camera in CAMERA_MOVES else CAMERA_DEFAULT,
            )
            for position, scene in enumerate(segmentation.scenes)
        ]
    )
    # A frames or render job of the old scenes can no longer write (the gateway refuses it): end its record.
    ended = {
        f"{kind}_{name}": value
        for kind in ("frames", "render")
        if getattr(project, f"{kind}_status") in JOB_ACTIVE_STATUSES
        for name, value in (
            ("status", JobStatus.FAILED),
            ("error", SCENES_REPLACED_MESSAGE),
            ("finished_at", timezone.now()),
        )
    }
    project_touch(
        project=project,
        status=ProjectStatus.SEGMENTED,
        segmentation_error=None,
        segmentation_format=segmentation.format,
        segmentation_style=style,
        segmentation_finished_at=timezone.now(),
        **{**NO_ENRICHMENT, **(enrichment or {})},
        **ended,
    )


def segmentation_fail(*, project_id: int, task_id: str, error: str) -> str:
    """Ends the project's current job as `failed` with a readable error; a job no longer current is left alone."""
    try:
        with project_write(project_id=project_id, job=JobRef(kind=SEGMENTATION, task_id=task_id)) as project:
            project_touch(
                project=project,
                status=ProjectStatus.FAILED,
                segmentation_error=error,
                segmentation_finished_at=timezone.now(),
            )
    except JobSuperseded:
        return SegmentationOutcome.STALE
    logger.info("Segmentation failed project=%s task=%s: %s", project_id, task_id, error)
    return SegmentationOutcome.FAILED


def segmentation_reap_stuck(*, older_than: timedelta | None = None) -> list[int]:
    """Fails every job that has been `segmenting` for longer than the limit; returns the projects' ids."""
    limit = older_than if older_than is not None else timedelta(seconds=settings.SEGMENTATION_STUCK_AFTER_SECONDS)
    now = timezone.now()
    stuck = Q(segmentation_started_at__lt=now - limit) | Q(segmentation_started_at__isnull=True)
    minutes = max(1, round(limit.total_seconds() / 60))
    reaped: list[int] = []
    for project_id, task_id in Project.objects.filter(stuck, status=ProjectStatus.SEGMENTING).values_list(
        "pk", "segmentation_task_id"
    ):
        # Written as that job's own end: a job that finished or was replaced meanwhile is not overwritten.
        job = JobRef(kind=SEGMENTATION, task_id=task_id or "")
        try:
            with project_write(project_id=project_id, job=job) as project:
                project_touch(
                    project=project,
                    status=ProjectStatus.FAILED,
                    segmentation_error=(
                        f"The segmentation did not finish within {minutes} minute{'s' if minutes != 1 else ''} "
                        "and was stopped. Try again."
                    ),
                    segmentation_finished_at=now,
                )
        except JobSuperseded:
            continue
        logger.warning("Segmentation reaped project=%s task=%s: stuck longer than %s", project_id, task_id, limit)
        reaped.append(project_id)
    return reaped
