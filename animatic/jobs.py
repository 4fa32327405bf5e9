"""The frames and render jobs' records and lifecycle, by segmentation's rules.

A job is recorded on the project (`frames_*` and `render_*` columns). Starting one is a
conditional write through projects.gateway: refused with 409 while the project is being
segmented or has no scenes; a project whose job of that kind is queued or running keeps it
(the second request gets the running task's id). Every later write of the job (progress,
result, failure) is a gateway write with `JobRef(kind, task_id)`, so a job that is no longer
the project's current one (deleted project, re-segmentation, a newer job) writes nothing and
stops at its next progress report.

Where tasks run: on a worker's `render` queue when there is a broker; in the embedded setup
(no broker, eager Celery) in a separate process started for the job (`manage.py
animatic_job`), so the request answers at once and the server keeps serving; with
ANIMATIC_INLINE_JOBS (the tests) in the calling process.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from animatic_vision.api.responses import CACHE_ERRORS
from animatic_vision.errors import ProjectNotSegmented
from projects.gateway import JobRef, JobSuperseded, job_kind_register, project_touch, project_write
from projects.models import JOB_ACTIVE_STATUSES, JobStatus, Project
from scenes.models import Scene

logger = logging.getLogger(__name__)

FRAMES = "frames"
RENDER = "render"
JOB_KINDS = (FRAMES, RENDER)
QUEUE_UNAVAILABLE_MESSAGE = "The job could not be queued because the task broker is unavailable. Try again."
# Progress is written at most this often (and only when the per cent changes).
PROGRESS_MIN_INTERVAL_SECONDS = 0.5


def _is_current(kind: str) -> Callable[[Project, str], bool]:
    def is_current(project: Project, task_id: str) -> bool:
        return (
            getattr(project, f"{kind}_task_id") == task_id and getattr(project, f"{kind}_status") in JOB_ACTIVE_STATUSES
        )

    return is_current


for _kind in JOB_KINDS:
    job_kind_register(_kind, is_current=_is_current(_kind))


class JobOutcome:
    DONE = "done"
    FAILED = "failed"
    STALE = "stale"  # no longer the project's current job: nothing written
    DUPLICATE = "duplicate"  # another delivery of the same job is running (and alive): this one stops


# A run of a job holds a lease on it in the shared cache, renewed by a thread of its own while the run's
# process lives. The broker may deliver a job again while it still runs (a Redis visibility timeout shorter
# than the job): that delivery finds the lease held and stops. A killed run's lease lapses, so the delivery
# that brings its job back runs it.
LEASE_SECONDS = 30
HEARTBEAT_SECONDS = 10


@dataclass(frozen=True)
class JobStarted:
    """What a start request answers: the project's one job of this kind, new or already running."""

    project_id: int
    task_id: str
    status: str
    started: bool  # False: the job of this kind that was already queued or running


def job_start(*, project_id: int, kind: str, spec: dict[str, Any], dispatch: bool = True) -> JobStarted:
    """Queues a job of `kind` for the project, or returns the one already queued or running.

    409 while the project is being segmented (ProjectSegmenting) or when it has no scenes
    (ProjectNotSegmented). The task is sent once the record is committed; with `dispatch=False`
    the caller runs it (job_run_here), as `manage.py render_project --sync` does.
    """
    task_id = str(uuid.uuid4())
    with project_write(project_id=project_id) as project:
        current_status = getattr(project, f"{kind}_status")
        if current_status in JOB_ACTIVE_STATUSES and not _stuck(getattr(project, f"{kind}_started_at")):
            return JobStarted(project.pk, getattr(project, f"{kind}_task_id"), current_status, started=False)
        if not Scene.objects.filter(project_id=project.pk).exists():
            raise ProjectNotSegmented()
        project_touch(
            project=project,
            **{
                f"{kind}_status": JobStatus.QUEUED,
                f"{kind}_progress": 0,
                f"{kind}_error": None,
                f"{kind}_task_id": task_id,
                f"{kind}_started_at": timezone.now(),
                f"{kind}_finished_at": None,
            },
        )
        logger.info("Job queued kind=%s project=%s task=%s spec=%s", kind, project_id, task_id, spec)
        if dispatch:
            transaction.on_commit(lambda: _dispatch(kind=kind, project_id=project_id, task_id=task_id, spec=spec))
    status = Project.objects.filter(pk=project_id).values_list(f"{kind}_status", flat=True).first()
    return JobStarted(project_id, task_id, status or JobStatus.QUEUED, started=True)


def _stuck(started_at: datetime | None) -> bool:
    """A job queued or running for longer than ANIMATIC_JOB_STUCK_AFTER_SECONDS: nothing will finish it (its
    worker died and the broker lost it), so a new request replaces it; should it still write, the gateway
    refuses it, since it is no longer current."""
    limit = timedelta(seconds=settings.ANIMATIC_JOB_STUCK_AFTER_SECONDS)
    return started_at is None or timezone.now() - started_at > limit


def _task_for(kind: str) -> Any:
    from animatic import tasks

    return tasks.draw_frames if kind == FRAMES else tasks.render_video


def _tasks_run_eagerly() -> bool:
    from animatic_vision.celery import app

    return bool(app.conf.task_always_eager)


def _dispatch(*, kind: str, project_id: int, task_id: str, spec: dict[str, Any]) -> None:
    from kombu.exceptions import OperationalError as BrokerOperationalError

    task = _task_for(kind)
    if _tasks_run_eagerly():
        if settings.ANIMATIC_INLINE_JOBS:
            task.apply(args=[project_id, spec], task_id=task_id, throw=False)
        else:
            job_process_start(kind=kind, project_id=project_id, task_id=task_id, spec=spec)
        return
    try:
        task.apply_async(args=[project_id, spec], task_id=task_id)
    except (BrokerOperationalError, ConnectionError, TimeoutError):
        job_fail(kind=kind, project_id=project_id, task_id=task_id, error=QUEUE_UNAVAILABLE_MESSAGE)
        logger.warning("Job not queued kind=%s project=%s task=%s: broker unavailable", kind, project_id, task_id)
        raise


def job_process_start(*, kind: str, project_id: int, task_id: str, spec: dict[str, Any]) -> subprocess.Popen[bytes]:
    """Runs the job in a new process of its own (`manage.py animatic_job`), detached from the caller."""
    argv = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "animatic_job",
        kind,
        str(project_id),
        task_id,
        json.dumps(spec),
    ]
    return subprocess.Popen(argv, cwd=settings.BASE_DIR, start_new_session=True, stdin=subprocess.DEVNULL)


def job_run_here(*, kind: str, project_id: int, task_id: str, spec: dict[str, Any]) -> Any:
    """Runs the task of this job in this process (the job's own process, or a `--sync` command)."""
    result = _task_for(kind).apply(args=[project_id, spec], task_id=task_id, throw=False)
    if result.failed():
        raise result.result
    return result.result


@contextmanager
def job_lease(*, task_id: str) -> Iterator[bool]:
    """Holds the run lease of this job while the block runs; yields False when a live run holds it."""
    key, token = f"animatic:job-lease:{task_id}", uuid.uuid4().hex
    try:
        taken = cache.add(key, token, LEASE_SECONDS)
    except CACHE_ERRORS as exc:  # no shared cache to coordinate through: run (the gateway still guards writes)
        logger.warning("Job lease unavailable task=%s: %s", task_id, exc)
        yield True
        return
    if not taken:
        logger.info("Job already running elsewhere task=%s: this delivery stops", task_id)
        yield False
        return
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                cache.set(key, token, LEASE_SECONDS)
            except CACHE_ERRORS as exc:
                logger.warning("Job lease not renewed task=%s: %s", task_id, exc)

    heartbeat = threading.Thread(target=renew, name=f"lease-{task_id}", daemon=True)
    heartbeat.start()
    try:
        yield True
    finally:
        stop.set()
        heartbeat.join()
        try:
            if cache.get(key) == token:
                cache.delete(key)
        except CACHE_ERRORS:
            pass


def job_mark_running(*, kind: str, project_id: int, task_id: str) -> bool:
    """The job starts (or starts again, after a worker died): `running`; False when it is no longer current."""
    try:
        with project_write(project_id=project_id, job=JobRef(kind=kind, task_id=task_id)) as project:
            project_touch(project=project, **{f"{kind}_status": JobStatus.RUNNING, f"{kind}_progress": 0})
    except JobSuperseded:
        return False
    return True


class ProgressReporter:
    """Writes a job's per cent done, at most every PROGRESS_MIN_INTERVAL_SECONDS and only when it changes.

    Raises JobSuperseded when the job is no longer the project's current one, so the work stops.
    """

    def __init__(self, *, kind: str, project_id: int, task_id: str, total_steps: int):
        self.job = JobRef(kind=kind, task_id=task_id)
        self.project_id = project_id
        self.total = max(1, total_steps)
        self.done = 0
        self.written = 0
        self.written_at = 0.0

    def step(self, count: int = 1) -> None:
        self.done += count
        self.fraction(self.done / self.total)

    def fraction(self, value: float) -> None:
        # 99 at most: 100 is written with the result, in the same transaction.
        percent = max(0, min(99, int(value * 100)))
        now = time.monotonic()
        if percent <= self.written or now - self.written_at < PROGRESS_MIN_INTERVAL_SECONDS:
            return
        with project_write(project_id=self.project_id, job=self.job) as project:
            project_touch(project=project, **{f"{self.job.kind}_progress": percent})
        self.written, self.written_at = percent, now


def job_done_fields(kind: str) -> dict[str, Any]:
    """The record of a job that finished, for the result's own write."""
    return {
        f"{kind}_status": JobStatus.DONE,
        f"{kind}_progress": 100,
        f"{kind}_error": None,
        f"{kind}_finished_at": timezone.now(),
    }


def job_fail(*, kind: str, project_id: int, task_id: str, error: str) -> str:
    """Ends the current job as `failed` with a readable error; the files it would replace stay."""
    try:
        with project_write(project_id=project_id, job=JobRef(kind=kind, task_id=task_id)) as project:
            project_touch(
                project=project,
                **{f"{kind}_status": JobStatus.FAILED, f"{kind}_error": error, f"{kind}_finished_at": timezone.now()},
            )
    except JobSuperseded:
        return JobOutcome.STALE
    logger.info("Job failed kind=%s project=%s task=%s: %s", kind, project_id, task_id, error)
    return JobOutcome.FAILED
