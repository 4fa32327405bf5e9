"""The render job (the animatic's MP4) and the exports, around the render engine (render.video, render.exports).

The render job (kind `render`, one per project at a time, animatic.jobs) first draws, with the
built-in renderer, the backgrounds and frames the scenes lack, then encodes the MP4 into a
temporary file, stores it in its own folder `projects/<id>/video/<task id>/`, and swaps
everything in with one gateway write: the new images, the video's Asset row, the project's
`video_path` and status `completed`; the previous video's file is removed after the commit.
A failure records `render.error` and keeps the previous video.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError

from animatic import sheets
from animatic.frames import (
    MODE_ALL,
    DrawnFile,
    FramesSpec,
    assets_delete,
    folder_empty,
    frames_compose_missing,
    images_draw,
    images_plan,
    images_swap_in,
    job_folder,
    stored_files_delete,
)
from animatic.images import BUILTIN
from animatic.jobs import (
    RENDER,
    JobOutcome,
    JobStarted,
    ProgressReporter,
    job_done_fields,
    job_fail,
    job_lease,
    job_mark_running,
    job_start,
)
from animatic.print_cache import print_cache_dir, print_cache_prune
from animatic_vision.errors import (
    ExportInvalid,
    ExportTooLong,
    InvalidInput,
    ProjectNotSegmented,
    RenderOptionUnavailable,
)
from projects.gateway import JobRef, JobSuperseded, project_touch, project_write
from projects.models import Project, ProjectStatus
from render import exports, video
from render.exports.timeline import EdlTooLong
from render.types import RenderInputError, VideoOptions
from scenes.models import Asset, AssetKind, Character, Scene

logger = logging.getLogger(__name__)

FAILURE_MESSAGE = "The video could not be rendered because of an internal error. Try again later."
TIME_LIMIT_MESSAGE = "The render took too long and was stopped. Try a lower resolution or frame rate."
# Of the job's progress: drawing the missing images, then encoding.
DRAWING_SHARE = 0.2


@dataclass(frozen=True)
class RenderSpec:
    """The render's options, as the JSON its task receives."""

    resolution: str = "720p"
    fps: int = 24
    camera: str = "auto"
    captions: str = "none"
    voice: bool = False

    def options(self) -> VideoOptions:
        return VideoOptions(**asdict(self))


def render_options_check(spec: RenderSpec) -> VideoOptions:
    """The video options, or a 400 saying what is wrong (the voice track without espeak-ng: what to install)."""
    options = spec.options()
    try:
        video.check_options(options)
    except RenderInputError as exc:
        message = str(exc)
        message = message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
        field = "voice" if "espeak" in message else "options"
        error = RenderOptionUnavailable if field == "voice" else InvalidInput
        raise error(message, errors={field: [message]}) from None
    return options


def render_start(*, project: Project, spec: RenderSpec, dispatch: bool = True) -> JobStarted:
    """Starts the project's render job (one at a time: a second request gets the running one)."""
    render_options_check(spec)
    return job_start(project_id=project.pk, kind=RENDER, spec=asdict(spec), dispatch=dispatch)


class _ScaledProgress:
    """One phase of the job's progress: `fraction` of this phase is reported as a share of the whole."""

    def __init__(self, reporter: ProgressReporter, start: float, share: float, steps: int = 1):
        self.reporter, self.start, self.share, self.steps, self.done = reporter, start, share, max(1, steps), 0

    def step(self, count: int = 1) -> None:
        self.done += count
        self.reporter.fraction(self.start + self.share * min(1.0, self.done / self.steps))

    def percent(self, value: int) -> None:
        self.reporter.fraction(self.start + self.share * value / 100)


@contextmanager
def local_files(names: Mapping[Any, str | None]) -> Iterator[dict[Any, Path]]:
    """Local paths of stored files (the files themselves on local storage, copies otherwise), by key."""
    folder: Path | None = None
    paths: dict[Any, Path] = {}
    try:
        for key, name in names.items():
            if not name:
                continue
            try:
                paths[key] = Path(default_storage.path(name))
                continue
            except NotImplementedError:  # object storage: a temporary copy
                pass
            if folder is None:
                folder = Path(tempfile.mkdtemp(prefix="animatic-files-"))
            target = folder / f"{len(paths)}{Path(name).suffix}"
            with default_storage.open(name, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            paths[key] = target
        yield paths
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _project_sheet(project: Project, *, extra: Mapping[int, str] | None = None) -> tuple[Any, dict[int, str | None]]:
    """The project as the engine's ProjectSheet (images attached later), and each scene's background file name."""
    scenes = list(Scene.objects.filter(project=project).select_related("background", "frame").order_by("scene_index"))
    characters = list(Character.objects.filter(project=project).select_related("image").order_by("id"))
    return (scenes, characters), {
        scene.pk: (extra or {}).get(scene.pk) or (scene.background.file.name if scene.background else None)
        for scene in scenes
    }


def render_run(*, project_id: int, task_id: str, spec_json: dict[str, Any] | None) -> str:
    """Runs the project's current render job: missing images drawn, the MP4 encoded, all swapped in at once."""
    with job_lease(task_id=task_id) as leased:
        if not leased:
            return JobOutcome.DUPLICATE
        return _render_run(project_id=project_id, task_id=task_id, spec_json=spec_json)


def _render_run(*, project_id: int, task_id: str, spec_json: dict[str, Any] | None) -> str:
    spec = RenderSpec(**dict(spec_json or {}))
    if not job_mark_running(kind=RENDER, project_id=project_id, task_id=task_id):
        return JobOutcome.STALE
    logger.info("Render started project=%s task=%s options=%s", project_id, task_id, asdict(spec))
    folder = f"projects/{project_id}/video/{task_id}/"
    images_folder = job_folder(project_id, task_id)  # missing frames: where a frames job would put them
    folder_empty(folder)
    folder_empty(images_folder)
    drawn: list[DrawnFile] = []
    stored: list[str] = []
    # One working folder per job: a run delivered again after its worker died starts by removing the first's.
    workdir = Path(tempfile.gettempdir()) / f"animatic-render-{task_id}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    try:
        reporter = ProgressReporter(kind=RENDER, project_id=project_id, task_id=task_id, total_steps=100)
        plan = images_plan(project_id, FramesSpec(mode=MODE_ALL, provider=BUILTIN))
        drawing = _ScaledProgress(reporter, 0.0, DRAWING_SHARE, plan.steps)
        images_draw(plan=plan, spec=FramesSpec(provider=BUILTIN), folder=images_folder, reporter=drawing, drawn=drawn)
        project = Project.objects.get(pk=project_id)
        new_backgrounds = {
            item.scene_id: item.name for item in drawn if item.kind == AssetKind.BACKGROUND and item.scene_id
        }
        (scenes, characters), background_names = _project_sheet(project, extra=new_backgrounds)
        with local_files(background_names) as backgrounds:
            sheet = sheets.project_sheet(project, scenes, characters, portraits=True)
            sheet = type(sheet)(
                title=sheet.title,
                scenes=[
                    _with(scene_sheet, background=backgrounds.get(scene.pk))
                    for scene, scene_sheet in zip(scenes, sheet.scenes, strict=True)
                ],
                characters=sheet.characters,
            )
            encoding = _ScaledProgress(reporter, DRAWING_SHARE, 1 - DRAWING_SHARE)
            result = video.render_video(
                sheet, workdir / "animatic.mp4", options=spec.options(), progress=encoding.percent
            )
        name = f"{folder}animatic.mp4"
        if default_storage.exists(name):
            default_storage.delete(name)
        with result.path.open("rb") as handle:
            stored.append(default_storage.save(name, File(handle, name="animatic.mp4")))
        with project_write(project_id=project_id, job=JobRef(kind=RENDER, task_id=task_id)) as locked:
            unused = images_swap_in(project=locked, drawn=drawn, keep_existing=True)
            clip = Asset.objects.create(
                project=locked,
                kind=AssetKind.VIDEO,
                file=stored[0],
                provider=BUILTIN,
                width=result.width,
                height=result.height,
                meta={
                    "fps": result.fps,
                    "frames": result.frames,
                    "duration_ms": result.duration_ms,
                    "has_audio": result.has_audio,
                    "options": asdict(spec),
                },
            )
            previous = Asset.objects.filter(project=locked, kind=AssetKind.VIDEO).exclude(pk=clip.pk)
            assets_delete(project=locked, asset_ids=list(previous.values_list("pk", flat=True)))
            project_touch(
                project=locked, video_path=clip.file.name, status=ProjectStatus.COMPLETED, **job_done_fields(RENDER)
            )
    except JobSuperseded:
        stored_files_delete([*(item.name for item in drawn), *stored])
        logger.info("Render stopped project=%s task=%s: no longer the project's job", project_id, task_id)
        return JobOutcome.STALE
    except (OperationalError, InterfaceError):
        raise
    except SoftTimeLimitExceeded:
        stored_files_delete([*(item.name for item in drawn), *stored])
        return job_fail(kind=RENDER, project_id=project_id, task_id=task_id, error=TIME_LIMIT_MESSAGE)
    except RenderInputError as exc:
        stored_files_delete([*(item.name for item in drawn), *stored])
        return job_fail(kind=RENDER, project_id=project_id, task_id=task_id, error=str(exc))
    except Exception:
        logger.exception("Render crashed project=%s task=%s", project_id, task_id)
        stored_files_delete([*(item.name for item in drawn), *stored])
        return job_fail(kind=RENDER, project_id=project_id, task_id=task_id, error=FAILURE_MESSAGE)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    stored_files_delete(unused)
    logger.info(
        "Render done project=%s task=%s frames=%s duration_ms=%s",
        project_id,
        task_id,
        result.frames,
        result.duration_ms,
    )
    return JobOutcome.DONE


def _with(scene_sheet: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(scene_sheet, **changes)


# --- Exports -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportDownload:
    """An export written to a temporary file: stream it, then call `close` (the response does)."""

    path: Path
    filename: str
    media_type: str
    close: Callable[[], None]

    def open(self) -> IO[bytes]:
        return self.path.open("rb")


def project_export(*, project: Project, fmt: str, params: Mapping[str, str]) -> ExportDownload:
    """The project as `fmt` (the contract's export table) in a temporary file; frames that are missing or
    stale are composed by the built-in renderer over the scenes' backgrounds (for this export only).
    400 for an unknown format or option, 409 without scenes, and 409 for an EDL of more scenes than a
    CMX 3600 list holds (render.exports' own rule; an EDL reads no frame, so nothing is fetched first)."""
    try:
        exports.export_format(fmt)
        options = exports.parse_export_options(fmt, dict(params))
    except exports.ExportError as exc:
        field = exc.field or "format"
        raise ExportInvalid(str(exc), errors={field: [str(exc)]}) from None
    (scenes, characters), _ = _project_sheet(project)
    if not scenes:
        raise ProjectNotSegmented()
    reads = exports.export_format(fmt).frames
    workdir = Path(tempfile.mkdtemp(prefix="animatic-export-"))
    try:
        composed: dict[int, Path] = {}
        if reads == "pixels":
            composed_folder = workdir / "composed"
            composed_folder.mkdir()
            composed = frames_compose_missing(scenes=scenes, characters=characters, folder=composed_folder)
        names: dict[Any, str | None] = {
            scene.pk: scene.frame.file.name for scene in scenes if scene.frame and scene.pk not in composed
        }
        if reads == "size":  # a timeline's format: the first frame's header is all it reads
            names = dict(list(names.items())[:1])
        elif reads == "none":
            names = {}
        names["video"] = project.video_path if fmt == "zip" else None
        with local_files(names) as paths:
            paths.update(composed)
            base = sheets.project_sheet(project, scenes, characters)
            sheet = type(base)(
                title=base.title,
                # Every frame of the app is composed by render.panels.draw_frame: its camera move is marked.
                scenes=[
                    _with(s, frame=paths.get(scene.pk), frame_shows_camera=True)
                    for scene, s in zip(scenes, base.scenes, strict=True)
                ],
                characters=base.characters,
            )
            if "video" in paths:
                options = _with(options, video=paths["video"])
            cache_dir = print_cache_dir() if reads == "pixels" else None
            if cache_dir is not None:
                options = _with(options, cache_dir=cache_dir)
            target = workdir / exports.export_filename(sheet, fmt)
            with target.open("wb") as out:
                exports.write_export(sheet, fmt, options, out)
        if cache_dir is not None:
            print_cache_prune(cache_dir)
    except EdlTooLong as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise ExportTooLong(str(exc)) from None
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return ExportDownload(
        path=target,
        filename=target.name,
        media_type=exports.export_format(fmt).media_type,
        close=lambda: shutil.rmtree(workdir, ignore_errors=True),
    )
