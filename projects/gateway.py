"""The one write path for a project and everything under it (scenes, characters, assets, frames, renders).

Every write to a project or to a row that belongs to one goes through `project_write` (an
existing project) or `owner_write` (a new project of an owner): views' services, Celery
tasks, the Django admin and management commands alike. Each does, in this order:

1. opens one transaction (`transaction.atomic`): the write commits whole or not at all;
2. locks the owner's row first and gives the owner a new content version
   (`accounts.services.users_content_changed`). That version keys the answer cache of
   GET /projects and GET /projects/{id} (projects/read_cache.py); the cached user row that
   authentication reads is dropped now and rewritten after the commit, so the next read sees
   the write. The owner's row always comes first: an INSERT under a project takes a shared
   lock on the owner row through its foreign key, and two writers that took the project
   first would deadlock upgrading it;
3. locks the project row (`select_for_update`); `ProjectNotFound` ("Project not found.",
   404) when it is gone;
4. refuses with `ProjectSegmenting` (409) while the project is being segmented, because its
   scenes are about to be replaced, except for the segmentation job itself (see jobs below);
5. hands the locked `Project` to the block; anything the block raises rolls everything back.

How a new writer uses it::

    from projects.gateway import JobRef, owner_write, project_write, project_touch

    # A user's edit (a service called by a view, the admin or a command):
    with project_write(project_id=project_id) as project:
        Scene.objects.filter(project=project, pk=scene_id).update(title=title)
        project_touch(project=project)          # the project's updated_at follows its parts

    # A new project:
    with owner_write(owner_id=owner.pk):
        project = Project.objects.create(owner=owner, ...)

    # A job's write (a Celery task): only while the project still names this job as its current one.
    try:
        with project_write(project_id=project_id, job=JobRef(kind=FRAMES, task_id=task_id)) as project:
            ...
    except JobSuperseded:
        return  # replaced, cancelled, reaped, or the project is being segmented: write nothing

A new kind of job (frames, render, ...):

- its record lives on the project (or a row under it); starting it is an ordinary
  `project_write` by the request, which therefore answers 409 while the project is being
  segmented, as the contract wants; in that block, a job of the kind already running is
  returned instead of starting a second, and the new task is queued with
  `transaction.on_commit(lambda: task.apply_async(..., task_id=task_id))`;
- `job_kind_register(kind, is_current=...)`, at import time of the module that defines the
  kind, says on the locked project whether a task id is its current job (e.g. `lambda project,
  task_id: project.frames_task_id == task_id`);
- every write of the task passes `job=JobRef(kind=..., task_id=...)`; it is refused with
  `JobSuperseded` (not an HTTP error: the task stops quietly) when its job is no longer
  current, and, for every kind but segmentation, while the project is being segmented.

`allow_while_segmenting=True` is only for writes that do not touch what a segmentation
replaces: starting a segmentation (a second request gets the running one) and deleting the
project. `also_owner_ids` names other owners whose answers change too (staff moving a project).

Files: every file of a project lives in the default storage under `project_files_prefix(id)`,
so deleting the project (`project_files_delete_on_commit`) removes them all after the commit;
a writer that replaces or drops single files calls `files_delete_on_commit(names=...)` inside
its block, so nothing is removed if the write rolls back.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils import timezone

from accounts.services import users_content_changed
from animatic_vision.errors import ProjectNotFound, ProjectSegmenting
from projects.models import Project, ProjectStatus

logger = logging.getLogger(__name__)

SEGMENTATION = "segmentation"

JobIsCurrent = Callable[[Project, str], bool]


class JobSuperseded(Exception):
    """A job's write was refused: its job is no longer the project's current one of its kind."""


@dataclass(frozen=True)
class JobRef:
    """The job a task runs: its kind (`SEGMENTATION`, or a registered one) and its Celery task id."""

    kind: str
    task_id: str


def _segmentation_is_current(project: Project, task_id: str) -> bool:
    return project.status == ProjectStatus.SEGMENTING and (project.segmentation_task_id or "") == task_id


_job_kinds: dict[str, JobIsCurrent] = {SEGMENTATION: _segmentation_is_current}


def job_kind_register(kind: str, *, is_current: JobIsCurrent) -> None:
    """Declares a kind of job and how to tell, on the locked project, whether a task id is its current job."""
    if kind in _job_kinds and _job_kinds[kind] is not is_current:
        raise ValueError(f"The job kind {kind!r} is registered already.")
    _job_kinds[kind] = is_current


@contextmanager
def owner_write(*, owner_id: int) -> Iterator[None]:
    """One transaction for a write that adds a project to this owner: the owner's row locked and versioned."""
    with transaction.atomic():
        users_content_changed(user_ids=[owner_id])
        yield


@contextmanager
def project_write(
    *,
    project_id: int,
    job: JobRef | None = None,
    allow_while_segmenting: bool = False,
    also_owner_ids: Iterable[int] = (),
) -> Iterator[Project]:
    """One transaction holding the owner's and then the project's row lock; yields the locked project.

    `job`: the write of a running job, allowed only while that job is current (else JobSuperseded).
    `allow_while_segmenting`: for starting a job and deleting the project only.
    `also_owner_ids`: other owners whose answers change too (a project moved to another owner).
    """
    if job is not None and job.kind not in _job_kinds:
        raise ValueError(f"Unknown job kind {job.kind!r}: register it with job_kind_register.")
    with transaction.atomic():
        owner_id = Project.objects.filter(pk=project_id).values_list("owner_id", flat=True).first()
        if owner_id is None:
            raise _gone(job)
        owner_ids = {owner_id, *also_owner_ids}
        users_content_changed(user_ids=owner_ids)
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None:
            raise _gone(job)
        if project.owner_id not in owner_ids:  # moved to another owner between the two reads
            users_content_changed(user_ids=[project.owner_id])
        _ensure_writable(project=project, job=job, allow_while_segmenting=allow_while_segmenting)
        yield project


def _gone(job: JobRef | None) -> Exception:
    return JobSuperseded() if job is not None else ProjectNotFound()


def _ensure_writable(*, project: Project, job: JobRef | None, allow_while_segmenting: bool) -> None:
    if job is not None:
        if not _job_kinds[job.kind](project, job.task_id):
            raise JobSuperseded()
        if job.kind != SEGMENTATION and project.status == ProjectStatus.SEGMENTING:
            raise JobSuperseded()
        return
    if project.status == ProjectStatus.SEGMENTING and not allow_while_segmenting:
        raise ProjectSegmenting()


def project_touch(*, project: Project, **changes: Any) -> None:
    """Stamps the locked project's `updated_at` (its parts changed), with any `changes` to its own columns."""
    now = timezone.now()
    Project.objects.filter(pk=project.pk).update(**changes, updated_at=now)
    for name, value in changes.items():
        setattr(project, name, value)
    project.updated_at = now


# --- Files --------------------------------------------------------------------------------------


def project_files_prefix(project_id: int) -> str:
    """The folder of the default storage where every file of this project lives."""
    return f"projects/{project_id}/"


def files_delete_on_commit(*, names: Iterable[str | None], storage: Storage = default_storage) -> None:
    """Removes these stored files once the current transaction has committed (never if it rolls back)."""
    stored = [name for name in names if name]
    if not stored:
        return

    def delete_files() -> None:
        for name in stored:
            try:
                stored_file_delete(name, storage)
            except Exception:  # The rows are gone already; a leftover file must not fail the request.
                logger.exception("Could not delete the file %s", name)

    transaction.on_commit(delete_files)


def stored_file_delete(name: str, storage: Storage = default_storage) -> None:
    """Deletes a stored file and, on a local disk, the folders it leaves empty up to the project's own
    (a replaced image's `images/<task>/`): object storage has no folders to leave behind."""
    storage.delete(name)
    parts = name.split("/")
    if len(parts) < 4 or parts[0] != "projects":  # projects/<id>/<kind>/.../<file>
        return
    try:
        folder = Path(storage.path("/".join(parts[:-1])))
        project_folder = Path(storage.path("/".join(parts[:2])))
    except NotImplementedError:
        return
    while folder != project_folder and project_folder in folder.parents:
        try:
            folder.rmdir()  # only an empty folder: a file another job just wrote keeps it
        except OSError:
            return
        folder = folder.parent


def project_files_delete_on_commit(*, project_id: int, storage: Storage = default_storage) -> None:
    """Removes the project's whole folder once the current transaction has committed."""
    prefix = project_files_prefix(project_id)

    def delete_folder() -> None:
        try:
            _folder_delete(storage, prefix)
        except Exception:  # The project is gone already; leftover files must not fail the request.
            logger.exception("Could not delete the files under %s", prefix)

    transaction.on_commit(delete_folder)


def _folder_delete(storage: Storage, prefix: str) -> None:
    try:
        local_path = storage.path(prefix)
    except NotImplementedError:  # object storage: no folders, only names under a prefix
        local_path = None
    if local_path is not None:
        shutil.rmtree(local_path, ignore_errors=True)
        return
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(prefix + name)
    for folder in folders:
        _folder_delete(storage, f"{prefix}{folder}/")
