"""Celery tasks of the animatic, on the `render` queue: drawing a project's frames, rendering its MP4."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from animatic.jobs import FRAMES, RENDER, job_fail

TIME_LIMIT_MESSAGE = "The job took too long and was stopped."


class AnimaticJobTask(Task):
    kind = ""

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # At the hard time limit the worker kills the pool process, so the job's own handling never runs;
        # this runs in the worker's main process instead. Retries exhausted on database errors end here too.
        project_id = kwargs.get("project_id", args[0] if args else None)
        if project_id is None:
            return
        message = TIME_LIMIT_MESSAGE if isinstance(exc, TimeLimitExceeded) else "The job failed; try again later."
        job_fail(kind=self.kind, project_id=project_id, task_id=task_id, error=message)


class FramesTask(AnimaticJobTask):
    kind = FRAMES


class RenderTask(AnimaticJobTask):
    kind = RENDER


# Acknowledged only once done, and back on the queue if the worker process dies mid-way: a second run
# works in the job's own folder (keeping the pictures a remote generator already made for it) and swaps
# its files in only when complete, so one set remains.
JOB_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 6,
    "soft_time_limit": settings.ANIMATIC_JOB_SOFT_TIME_LIMIT,
    "time_limit": settings.ANIMATIC_JOB_TIME_LIMIT,
    "ignore_result": True,
}


@shared_task(base=FramesTask, name="animatic.tasks.draw_frames", **JOB_TASK_OPTIONS)
def draw_frames(self: Task, project_id: int, spec: dict[str, Any] | None = None) -> str:
    """Draws the project's backgrounds, character images and frames, if it still names this task as its job."""
    from animatic.frames import frames_run

    return frames_run(project_id=project_id, task_id=self.request.id, spec_json=spec)


@shared_task(base=RenderTask, name="animatic.tasks.render_video", **JOB_TASK_OPTIONS)
def render_video(self: Task, project_id: int, spec: dict[str, Any] | None = None) -> str:
    """Renders the project's MP4 (drawing missing frames first), if it still names this task as its job."""
    from animatic.render import render_run

    return render_run(project_id=project_id, task_id=self.request.id, spec_json=spec)
