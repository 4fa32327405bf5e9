"""Celery tasks of the scenes app: segmentation (queue `segmentation`) and the reaper of stuck jobs."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from scenes.segmentation import (
    JOB_LOST_MESSAGE,
    TIME_LIMIT_MESSAGE,
    segmentation_fail,
    segmentation_reap_stuck,
    segmentation_run,
)

logger = logging.getLogger(__name__)


class SegmentationTask(Task):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """The job's task failed for good (no retry, no redelivery follows): the job ends as `failed` at once.

        At the hard time limit the worker kills the pool process running the job, so the job's own
        handling never runs; Celery calls this in the worker's main process instead. Retries used up
        on a database error end here too. Without it the project would stay `segmenting` with a dead
        task until the reaper (SEGMENTATION_STUCK_AFTER_SECONDS).
        """
        project_id = kwargs.get("project_id", args[0] if args else None)
        if project_id is None:
            return
        error = TIME_LIMIT_MESSAGE if isinstance(exc, TimeLimitExceeded) else JOB_LOST_MESSAGE
        try:
            segmentation_fail(project_id=project_id, task_id=task_id, error=error)
        except (OperationalError, InterfaceError):
            # The database is still away: the job stays `segmenting`, and a new request may take it over
            # once it is older than the hard time limit (segmentation_job_abandoned).
            logger.warning("Segmentation project=%s task=%s failed and could not be marked failed", project_id, task_id)


@shared_task(
    bind=True,
    base=SegmentationTask,
    name="scenes.tasks.segment_project",
    # Acknowledged only once done, and back on the queue if the worker process dies mid-way:
    # re-running replaces the scenes it may have written, so a second delivery is harmless.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=settings.SEGMENTATION_SOFT_TIME_LIMIT,
    time_limit=settings.SEGMENTATION_TIME_LIMIT,
    ignore_result=True,
)
def segment_project(self: Task, project_id: int, options: dict[str, Any] | None = None) -> str:
    """Segments the project's story into scenes, if the project still names this task as its job."""
    return segmentation_run(project_id=project_id, task_id=self.request.id, options=options)


@shared_task(
    name="scenes.tasks.reap_stuck_segmentations",
    # Housekeeping runs on the default queue, never behind long segmentations.
    queue="default",
    ignore_result=True,
)
def reap_stuck_segmentations() -> list[int]:
    """Fails segmentation jobs stuck past SEGMENTATION_STUCK_AFTER_SECONDS (on the beat schedule)."""
    return segmentation_reap_stuck()
