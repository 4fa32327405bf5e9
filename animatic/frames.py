"""Storyboard images: backgrounds, character images and composed frames, drawn by a job or uploaded.

The frames job (kind `frames`, one per project at a time, animatic.jobs) draws every file it
makes into a folder of its own, `projects/<id>/images/<task id>/`, under fixed names, and
swaps them in with one gateway write when all are drawn: new Asset rows, the scenes' and
characters' relations pointed at them, the replaced rows deleted and their files removed
after the commit. A run delivered again (its worker died, or the task retried a database error)
keeps the images a remote generator already made for it, each beside a note of what it was asked
(`<file>.asked.json`), so no image is paid for twice; everything else in the folder is drawn again,
and whatever the finished run did not use is removed, so one job leaves one set of files. A run
that fails or is superseded removes its folder and leaves the old images in place.

Uploads (PUT) are decoded and re-encoded by animatic.uploads, then swapped in the same way,
the scene's frame composed again from the new background.

A composed frame shows the scene as it was when it was composed: its title, caption, camera
move, slate (number, timecode, duration), place, time and mood, its characters' looks and its
background. Each frame Asset records a fingerprint of all that (`meta["shows"]`); a frame whose
fingerprint no longer matches its scene is stale, whoever changed the scene (a PATCH, the admin,
a reorder that renumbers every slate). Stale frames are composed again, always by the built-in
compositor over the background the scene already has (no image is generated again):
`frames_follow` right after an edit through the API (a bounded number, the edited scene first, then
a frames job in mode `recompose` for the rest), and any left over by the next frames job, render or
export, like missing ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import InitVar, asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError
from PIL import Image

from animatic import sheets
from animatic.images import (
    BUILTIN,
    IMAGE_SIZE,
    Generator,
    ImageProviderError,
    Picture,
    character_seed,
    image_generator,
    image_provider_check,
)
from animatic.jobs import (
    FRAMES,
    JobOutcome,
    JobStarted,
    ProgressReporter,
    job_done_fields,
    job_fail,
    job_lease,
    job_mark_running,
    job_start,
)
from animatic.uploads import image_reencode, upload_decode
from animatic_vision.errors import (
    CharacterNotFound,
    InvalidInput,
    ProjectNotFound,
    ProjectNotSegmented,
    ProjectSegmenting,
    SceneNotFound,
)
from projects.gateway import (
    JobRef,
    JobSuperseded,
    files_delete_on_commit,
    project_touch,
    project_write,
    stored_file_delete,
)
from projects.models import Project
from projects.selectors import ID_MAX
from render import panels
from render.types import CharacterSheet, RenderInputError, SceneSheet
from scenes.models import Asset, AssetKind, Character, Scene

logger = logging.getLogger(__name__)

FRAME_SIZE = IMAGE_SIZE
UPLOAD = "upload"
MODE_ALL, MODE_BACKGROUND, MODE_CHARACTER = "all", "background", "character"
MODE_RECOMPOSE = "recompose"  # the stale frames only, over the backgrounds they have: nothing generated
NEW_BACKGROUND = 0
FAILURE_MESSAGE = "The images could not be drawn because of an internal error. Try again later."
TIME_LIMIT_MESSAGE = "Drawing the images took too long and was stopped. Try fewer scenes at a time."
# What a composed frame shows changes with the drawing itself: bump this when render.panels.draw_frame draws
# differently, and every frame composed before becomes stale.
FRAME_DRAWING_VERSION = 1
FRAME_SHOWS = "shows"  # the key of a frame Asset's meta holding its fingerprint
# At most this many stale frames are composed again within the request that made them stale (about 40 ms
# each over a photographic background); the rest wait for the next frames job, render or export.
FOLLOW_LIMIT = 24


@dataclass(frozen=True)
class FramesSpec:
    """What a frames job draws (the JSON its task receives)."""

    # all: what is missing (or everything with overwrite); background; character; recompose (stale frames)
    mode: str = MODE_ALL
    scene_ids: list[int] | None = None
    character_id: int | None = None
    provider: str | None = None
    overwrite: bool = False
    prompt: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> FramesSpec:
        return cls(**dict(data or {}))


# --- What a frame shows -----------------------------------------------------------------------


def character_looks(characters: Iterable[Character], *, new_portraits: Mapping[int, str | None] = {}) -> dict[str, str]:
    """What the compositor shows of each character (render.panels.draw_picture), by name: its looks and the
    file of its face (sheets.portrait_name; `new_portraits[character id]` for one a job has just made)."""
    return {
        character.name: json.dumps(
            [
                character.description,
                new_portraits[character.pk] if character.pk in new_portraits else sheets.portrait_name(character),
            ]
        )
        for character in characters
    }


def frame_fingerprint(scene: Scene, *, looks: Mapping[str, str], scene_count: int, background_name: str | None) -> str:
    """A digest of everything the scene's composed frame shows: equal digests, equal pixels.

    `background_name`: the stored background the frame is composed over (None: the drawn place).
    """
    sheet = sheets.scene_sheet(scene)
    shown = {
        "drawing": FRAME_DRAWING_VERSION,
        "size": FRAME_SIZE,
        "scene": asdict(sheet),
        "looks": {name: looks.get(name, "") for name in sheet.characters},
        "scene_count": scene_count,
        "background": background_name or None,
    }
    encoded = json.dumps(shown, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def _background_name(scene: Scene) -> str | None:
    return scene.background.file.name if scene.background is not None and scene.background.file.name else None


def frame_is_stale(scene: Scene, *, looks: Mapping[str, str], scene_count: int) -> bool:
    """Whether the scene has a frame that no longer shows it (a frame without a fingerprint counts as stale).

    Needs the scene's `frame` and `background` rows (select_related)."""
    if scene.frame is None:
        return False
    current = frame_fingerprint(scene, looks=looks, scene_count=scene_count, background_name=_background_name(scene))
    return (scene.frame.meta or {}).get(FRAME_SHOWS) != current


# --- Starting jobs ----------------------------------------------------------------------------


def frames_start(
    *,
    project: Project,
    scene_ids: Sequence[int] | None = None,
    provider: str | None = None,
    overwrite: bool = False,
    dispatch: bool = True,
) -> JobStarted:
    """Starts the project's frames job: backgrounds, character images and frames of every scene (or those named)
    that lack them (all of them with `overwrite`)."""
    provider = image_provider_check(provider)  # an unavailable provider is a 400 now, not a failed job later
    if scene_ids is not None:
        wanted = sorted(set(scene_ids))
        # A number past the database's integers is no scene (and would overflow the query's parameter).
        storable = [scene_id for scene_id in wanted if scene_id <= ID_MAX]
        found = set(Scene.objects.filter(project_id=project.pk, pk__in=storable).values_list("pk", flat=True))
        unknown = [scene_id for scene_id in wanted if scene_id not in found]
        if unknown:
            message = f"Not scenes of this project: {', '.join(map(str, unknown))}."
            raise InvalidInput(message, errors={"scene_ids": [message]})
        scene_ids = wanted
    spec = FramesSpec(
        scene_ids=list(scene_ids) if scene_ids is not None else None, provider=provider, overwrite=overwrite
    )
    return job_start(project_id=project.pk, kind=FRAMES, spec=spec.to_json(), dispatch=dispatch)


def scene_background_start(*, scene: Scene, provider: str | None = None, prompt: str | None = None) -> JobStarted:
    """Starts a frames job that draws this scene's background again (from `prompt` if given) and its frame."""
    provider = image_provider_check(provider)
    spec = FramesSpec(mode=MODE_BACKGROUND, scene_ids=[scene.pk], provider=provider, overwrite=True, prompt=prompt)
    return job_start(project_id=scene.project_id, kind=FRAMES, spec=spec.to_json())


def character_image_start(
    *, character: Character, provider: str | None = None, prompt: str | None = None
) -> JobStarted:
    """Starts a frames job that draws this character's image again (from `prompt` if given) and the frames
    of the scenes showing them."""
    provider = image_provider_check(provider)
    spec = FramesSpec(mode=MODE_CHARACTER, character_id=character.pk, provider=provider, overwrite=True, prompt=prompt)
    return job_start(project_id=character.project_id, kind=FRAMES, spec=spec.to_json())


# --- The job ----------------------------------------------------------------------------------


class Progress(Protocol):
    def step(self, count: int = 1) -> None: ...


@dataclass
class ImagesPlan:
    scenes: list[Scene]  # every scene of the project, in order
    characters: list[Character]
    backgrounds: list[Scene] = field(default_factory=list)
    portraits: list[Character] = field(default_factory=list)
    frames: list[Scene] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return len(self.backgrounds) + len(self.portraits) + len(self.frames)


@dataclass(frozen=True)
class ImageMeta:
    """How a stored image was made (its pixels are not kept: a job holds hundreds of files)."""

    provider: str
    prompt: str
    seed: int
    width: int
    height: int

    @classmethod
    def of(cls, picture: Picture) -> ImageMeta:
        return cls(picture.provider, picture.prompt, picture.seed, picture.image.width, picture.image.height)


@dataclass
class DrawnFile:
    """A file the job drew, waiting to be swapped in."""

    kind: str
    name: str
    picture: InitVar[Picture]
    scene_id: int | None = None
    character_id: int | None = None
    # For a frame: the background it was composed with: an existing Asset's id, NEW_BACKGROUND for the one
    # this job drew, None for none (the built-in drawing).
    background_asset_id: int | None = None
    # For a background or a character image: the Asset it replaces, as the job found it (None: none). Any other
    # image there at swap-in time was put there after the job was asked (an upload, a removal) and is kept.
    replaces_asset_id: int | None = None
    shows: str | None = None  # for a frame: its fingerprint (frame_fingerprint)
    meta: ImageMeta | None = field(init=False, default=None)

    def __post_init__(self, picture: Picture) -> None:
        self.meta = ImageMeta.of(picture)


def job_folder(project_id: int, task_id: str) -> str:
    """Where a job's files go: one folder per job, so a second delivery of the job overwrites its own files."""
    return f"projects/{project_id}/images/{task_id}/"


def folder_empty(prefix: str) -> None:
    """Deletes every file under `prefix` in the default storage (leftovers of an earlier, killed run)."""
    try:
        folders, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for folder in folders:
        folder_empty(f"{prefix}{folder}/")
    for name in files:
        stored_file_delete(prefix + name)


def images_plan(project_id: int, spec: FramesSpec) -> ImagesPlan:
    scenes = list(
        Scene.objects.filter(project_id=project_id).select_related("background", "frame").order_by("scene_index")
    )
    characters = list(Character.objects.filter(project_id=project_id).select_related("image").order_by("id"))
    plan = ImagesPlan(scenes=scenes, characters=characters)
    by_name = {character.name.casefold(): character for character in characters}
    if spec.mode == MODE_RECOMPOSE:
        looks = character_looks(characters)
        plan.frames = [s for s in scenes if frame_is_stale(s, looks=looks, scene_count=len(scenes))]
        return plan
    if spec.mode == MODE_CHARACTER:
        character = next((c for c in characters if c.pk == spec.character_id), None)
        if character is not None:
            plan.portraits = [character]
            key = character.name.casefold()
            plan.frames = [s for s in scenes if key in {name.casefold() for name in s.characters or []}]
        return plan
    wanted = set(spec.scene_ids) if spec.scene_ids is not None else None
    targets = [scene for scene in scenes if wanted is None or scene.pk in wanted]
    if spec.mode == MODE_BACKGROUND:
        plan.backgrounds = targets
        plan.frames = targets
        return plan
    plan.backgrounds = [scene for scene in targets if spec.overwrite or scene.background_id is None]
    seen: set[int] = set()
    for scene in targets:
        for name in scene.characters or []:
            character = by_name.get(name.casefold())
            if character is None or character.pk in seen:
                continue
            seen.add(character.pk)
            if spec.overwrite or character.image_id is None:
                plan.portraits.append(character)
    redrawn = {scene.pk for scene in plan.backgrounds}
    looks = character_looks(characters)
    plan.frames = [
        s
        for s in targets
        if spec.overwrite
        or s.frame_id is None
        or s.pk in redrawn
        or frame_is_stale(s, looks=looks, scene_count=len(scenes))
    ]
    return plan


def folder_files(prefix: str) -> set[str]:
    """Every file's storage name under `prefix` in the default storage."""
    try:
        folders, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return set()
    found = {prefix + name for name in files}
    for folder in folders:
        found |= folder_files(f"{prefix}{folder}/")
    return found


def _save(name: str, picture: Picture) -> str:
    data, _, _ = image_reencode(picture.image)
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _asked_note(name: str) -> str:
    return name + ".asked.json"


def _generate_once(
    name: str, generator: Generator, subject: SceneSheet | CharacterSheet, *, prompt: str, seed: int
) -> Picture:
    """The picture stored under `name` by an earlier delivery of this job, when a remote generator made it
    for the same provider, prompt and seed; else the generator's new background (a scene) or character
    image, stored there with a note of what was asked (the built-in drawing costs nothing: drawn again)."""
    provider = generator.provider.name
    asked = {"provider": provider, "prompt": prompt, "seed": seed}
    if provider != BUILTIN:
        try:
            with default_storage.open(_asked_note(name), "rb") as handle:
                earlier = json.load(handle)
            if earlier == asked:
                return Picture(sheets.stored_image(name), provider, prompt, seed)
        except (OSError, ValueError, Image.DecompressionBombError):
            pass  # nothing made yet, or a note or file cut short by the kill: ask again
    if isinstance(subject, CharacterSheet):
        picture = generator.character(subject, prompt=prompt, seed=seed)
    else:
        picture = generator.background(subject, prompt=prompt, seed=seed)
    saved = _save(name, picture)
    if saved != name:  # the storage renamed it: another file holds the name, which the folder's own job owns
        raise RuntimeError(f"The job's file {name} was stored as {saved}")
    if provider != BUILTIN:
        note = _asked_note(name)
        if default_storage.exists(note):
            default_storage.delete(note)
        default_storage.save(note, ContentFile(json.dumps(asked).encode()))
    return picture


def images_draw(*, plan: ImagesPlan, spec: FramesSpec, folder: str, reporter: Progress, drawn: list[DrawnFile]) -> None:
    """Draws the plan's files into `folder`, appending each to `drawn` as soon as it is stored.

    Scene by scene, its frame straight after its background, so no more than one picture is held at once.
    """
    provider = image_generator(spec.provider) if plan.portraits or plan.backgrounds else None
    # The frames show the faces this job makes, not the ones they replace (None: a built-in card, no face).
    faces: dict[int, Image.Image | None] = {}
    face_names: dict[int, str | None] = {}
    for character in plan.portraits:
        sheet = sheets.character_sheet(character)
        prompt = spec.prompt if spec.mode == MODE_CHARACTER and spec.prompt else character.prompt
        assert provider is not None  # made when the plan has portraits or backgrounds
        seed = character_seed(character.name)
        name = f"{folder}character-{character.pk}.png"
        picture = _generate_once(name, provider, sheet, prompt=prompt, seed=seed)
        drawn.append(
            DrawnFile(
                AssetKind.CHARACTER, name, picture, character_id=character.pk, replaces_asset_id=character.image_id
            )
        )
        is_face = picture.provider != BUILTIN
        faces[character.pk] = panels.portrait_face(picture.image) if is_face else None
        face_names[character.pk] = name if is_face else None
        reporter.step()
    cast = [
        replace(sheets.character_sheet(c), portrait=faces[c.pk])
        if c.pk in faces
        else sheets.character_sheet(c, portrait=True)
        for c in plan.characters
    ]
    looks = character_looks(plan.characters, new_portraits=face_names)
    redraw = {scene.pk for scene in plan.backgrounds}
    compose = {scene.pk for scene in plan.frames}
    for scene in plan.scenes:
        background: Image.Image | None = None
        used: int | None = scene.background_id
        background_name = _background_name(scene)
        if scene.pk in redraw:
            scene_sheet = sheets.scene_sheet(scene)
            prompt = spec.prompt if spec.mode == MODE_BACKGROUND and spec.prompt else scene.background_prompt
            assert provider is not None
            seed = panels.scene_seed(scene_sheet)
            name = f"{folder}scene-{scene.pk}-background.png"
            picture = _generate_once(name, provider, scene_sheet, prompt=prompt, seed=seed)
            drawn.append(
                DrawnFile(AssetKind.BACKGROUND, name, picture, scene_id=scene.pk, replaces_asset_id=scene.background_id)
            )
            background, used, background_name = picture.image, NEW_BACKGROUND, name
            reporter.step()
        if scene.pk in compose:
            if background is None and background_name is not None:
                background = sheets.stored_image(background_name)
            picture = _compose(scene, cast=cast, background=background, scene_count=len(plan.scenes))
            shows = frame_fingerprint(scene, looks=looks, scene_count=len(plan.scenes), background_name=background_name)
            name = _save(f"{folder}scene-{scene.pk}-frame.png", picture)
            drawn.append(
                DrawnFile(AssetKind.FRAME, name, picture, scene_id=scene.pk, background_asset_id=used, shows=shows)
            )
            reporter.step()


def _compose(scene: Scene, *, cast: Sequence[Any], background: Image.Image | None, scene_count: int) -> Picture:
    sheet = sheets.scene_sheet(scene)
    seed = panels.scene_seed(sheet)
    image = panels.draw_frame(
        sheet, FRAME_SIZE, characters=cast, background=background, scene_count=scene_count, seed=seed
    )
    return Picture(image, BUILTIN, scene.background_prompt, seed)


def _compose_again(scene: Scene, *, cast: Sequence[Any], scene_count: int) -> Picture:
    """The scene's frame composed anew over the background it already has (nothing is generated)."""
    background_name = _background_name(scene)
    background = sheets.stored_image(background_name) if background_name else None
    return _compose(scene, cast=cast, background=background, scene_count=scene_count)


def _asset(project_id: int, item: DrawnFile) -> Asset:
    meta = item.meta
    assert meta is not None  # set from the picture when the file was drawn
    return Asset(
        project_id=project_id,
        scene_id=item.scene_id,
        character_id=item.character_id,
        kind=item.kind,
        file=item.name,
        provider=meta.provider,
        prompt=meta.prompt,
        seed=meta.seed,
        width=meta.width,
        height=meta.height,
        meta={FRAME_SHOWS: item.shows} if item.shows else {},
    )


def images_swap_in(
    *, project: Project, drawn: Sequence[DrawnFile], keep_existing: bool, requested_at: datetime | None = None
) -> list[str]:
    """Points the scenes and characters at the new files (in the caller's gateway write); deletes the rows
    they replace, their files after the commit. Returns the drawn files that were not used (to delete).

    A background or character image changed since the job planned (uploaded, drawn or removed meanwhile), or
    made after the job was asked for (`requested_at`: an upload between the request and the worker's start),
    is kept, even by a job that redraws on purpose (`overwrite`, or the POST of one image): the later change
    wins. `keep_existing`: an image that appeared meanwhile (an upload) is kept, and a frame composed from a
    background that is no longer the scene's is not used. Nor is a frame that no longer shows its scene
    (edited while the job drew) when the scene's current frame does (recomposed after the edit).
    """
    scene_ids = {item.scene_id for item in drawn if item.scene_id}
    character_ids = {item.character_id for item in drawn if item.character_id}
    scenes = {
        scene.pk: scene
        for scene in Scene.objects.filter(project=project, pk__in=scene_ids).select_related("background", "frame")
    }
    characters = {
        c.pk: c for c in Character.objects.filter(project=project, pk__in=character_ids).select_related("image")
    }

    def newer_than_request(asset: Asset | None) -> bool:
        return requested_at is not None and asset is not None and asset.created_at > requested_at

    showing = _FrameCheck(project) if any(item.kind == AssetKind.FRAME for item in drawn) else None
    unused: list[str] = []
    replaced: list[int] = []
    used_background: dict[int, str] = {}  # scenes whose new background is swapped in: its file
    accepted: list[tuple[DrawnFile, Asset]] = []
    for item in drawn:
        if item.kind == AssetKind.CHARACTER:
            owner = characters.get(item.character_id or 0)
            if (
                owner is None
                or owner.image_id != item.replaces_asset_id
                or (keep_existing and owner.image_id)
                or newer_than_request(owner.image)
            ):
                unused.append(item.name)
                continue
        else:
            scene = scenes.get(item.scene_id or 0)
            if scene is None:
                unused.append(item.name)
                continue
            if item.kind == AssetKind.BACKGROUND and (
                scene.background_id != item.replaces_asset_id
                or (keep_existing and scene.background_id is not None)
                or newer_than_request(scene.background)
            ):
                unused.append(item.name)
                continue
            if item.kind == AssetKind.FRAME and not _frame_still_fits(item, scene, used_background):
                unused.append(item.name)
                continue
            if item.kind == AssetKind.FRAME and showing is not None:
                background_name = used_background.get(scene.pk) or _background_name(scene)
                if showing.current_is_fresher(item, scene, background_name):
                    unused.append(item.name)
                    continue
        asset = _asset(project.pk, item)
        accepted.append((item, asset))
        if item.kind == AssetKind.BACKGROUND:
            used_background[item.scene_id or 0] = item.name
    Asset.objects.bulk_create([asset for _, asset in accepted])
    changed_scenes: dict[int, Scene] = {}
    for item, asset in accepted:
        if item.kind == AssetKind.CHARACTER:
            character = characters[item.character_id or 0]
            if character.image_id:
                replaced.append(character.image_id)
            character.image_id = asset.pk
            character.save(update_fields=["image", "updated_at"])
            continue
        scene = scenes[item.scene_id or 0]
        attribute = "background_id" if item.kind == AssetKind.BACKGROUND else "frame_id"
        if getattr(scene, attribute):
            replaced.append(getattr(scene, attribute))
        setattr(scene, attribute, asset.pk)
        changed_scenes[scene.pk] = scene
    Scene.objects.bulk_update(list(changed_scenes.values()), ["background", "frame"])
    assets_delete(project=project, asset_ids=replaced)
    return unused


class _FrameCheck:
    """What a project's frames must show now (in the caller's gateway write): its characters' looks, its
    scene count (counted unless the caller has it)."""

    def __init__(self, project: Project, *, scene_count: int | None = None) -> None:
        self.looks = character_looks(Character.objects.filter(project=project).select_related("image"))
        self.scene_count = Scene.objects.filter(project=project).count() if scene_count is None else scene_count

    def shows_now(self, scene: Scene, background_name: str | None) -> str:
        """The fingerprint of the scene's frame as it must be now."""
        return frame_fingerprint(scene, looks=self.looks, scene_count=self.scene_count, background_name=background_name)

    def current_is_fresher(self, item: DrawnFile, scene: Scene, background_name: str | None) -> bool:
        """Whether the drawn frame shows an older state of the scene than the frame it has now."""
        now = self.shows_now(scene, background_name)
        current = (scene.frame.meta or {}).get(FRAME_SHOWS) if scene.frame is not None else None
        return item.shows != now and current == now


def _frame_still_fits(item: DrawnFile, scene: Scene, new_backgrounds: Collection[int]) -> bool:
    """Whether a drawn frame shows the background the scene will have (backgrounds are swapped in first)."""
    if item.background_asset_id == NEW_BACKGROUND:
        return scene.pk in new_backgrounds
    return scene.pk not in new_backgrounds and scene.background_id == item.background_asset_id


def assets_delete(*, project: Project, asset_ids: Iterable[int]) -> None:
    """Deletes these assets of the project (in the caller's gateway write); their files go after the commit."""
    ids = [asset_id for asset_id in asset_ids if asset_id]
    if not ids:
        return
    assets = Asset.objects.filter(project=project, pk__in=ids)
    names = list(assets.values_list("file", flat=True))
    assets.delete()
    files_delete_on_commit(names=names)


def stored_files_delete(names: Iterable[str]) -> None:
    for name in names:
        try:
            stored_file_delete(name)
        except Exception:  # a leftover file must not hide the job's own outcome
            logger.exception("Could not delete the file %s", name)


def frames_run(*, project_id: int, task_id: str, spec_json: dict[str, Any] | None) -> str:
    """Runs the project's current frames job: draws, then swaps the new files in with one write.

    Database errors propagate (the task retries them, the drawn files are drawn again under the
    same names); anything else ends the job as `failed`, its drawn files removed, the old kept.
    """
    with job_lease(task_id=task_id) as leased:
        if not leased:
            return JobOutcome.DUPLICATE
        return _frames_run(project_id=project_id, task_id=task_id, spec_json=spec_json)


def _frames_run(*, project_id: int, task_id: str, spec_json: dict[str, Any] | None) -> str:
    spec = FramesSpec.from_json(spec_json)
    if not job_mark_running(kind=FRAMES, project_id=project_id, task_id=task_id):
        return JobOutcome.STALE
    logger.info("Frames job started project=%s task=%s spec=%s", project_id, task_id, spec.to_json())
    folder = job_folder(project_id, task_id)
    drawn: list[DrawnFile] = []
    try:
        plan = images_plan(project_id, spec)
        reporter = ProgressReporter(kind=FRAMES, project_id=project_id, task_id=task_id, total_steps=plan.steps)
        images_draw(plan=plan, spec=spec, folder=folder, reporter=reporter, drawn=drawn)
        with project_write(project_id=project_id, job=JobRef(kind=FRAMES, task_id=task_id)) as project:
            unused = images_swap_in(
                project=project,
                drawn=drawn,
                keep_existing=spec.mode == MODE_ALL and not spec.overwrite,
                requested_at=project.frames_started_at,  # set when the job was queued
            )
            project_touch(project=project, **job_done_fields(FRAMES))
    except JobSuperseded:
        folder_empty(folder)
        logger.info("Frames job stopped project=%s task=%s: no longer the project's job", project_id, task_id)
        return JobOutcome.STALE
    except (OperationalError, InterfaceError):
        raise  # the task retries: what was generated stays in the folder for the next run
    except SoftTimeLimitExceeded:
        folder_empty(folder)
        return job_fail(kind=FRAMES, project_id=project_id, task_id=task_id, error=TIME_LIMIT_MESSAGE)
    except (ImageProviderError, RenderInputError, InvalidInput) as exc:
        folder_empty(folder)
        return job_fail(kind=FRAMES, project_id=project_id, task_id=task_id, error=str(exc))
    except Exception:
        logger.exception("Frames job crashed project=%s task=%s", project_id, task_id)
        folder_empty(folder)
        return job_fail(kind=FRAMES, project_id=project_id, task_id=task_id, error=FAILURE_MESSAGE)
    used = {item.name for item in drawn} - set(unused)
    stored_files_delete(sorted(folder_files(folder) - used))  # unused drawings, notes, an earlier run's leftovers
    logger.info(
        "Frames job done project=%s task=%s backgrounds=%s characters=%s frames=%s",
        project_id,
        task_id,
        len(plan.backgrounds),
        len(plan.portraits),
        len(plan.frames),
    )
    return JobOutcome.DONE


# --- Uploads and clearing ---------------------------------------------------------------------


def _upload_folder(project_id: int) -> str:
    return f"projects/{project_id}/images/upload-{uuid.uuid4().hex}/"


@dataclass(frozen=True)
class ComposedFrame:
    """A frame composed outside the project's lock, and the fingerprint of what it shows."""

    picture: Picture
    looks: dict[str, str]
    scene_count: int

    def shows(self, scene: Scene, background_name: str | None) -> str:
        return frame_fingerprint(scene, looks=self.looks, scene_count=self.scene_count, background_name=background_name)


def _scene_frame_picture(scene: Scene, background: Image.Image | None) -> ComposedFrame:
    characters = list(Character.objects.filter(project_id=scene.project_id).select_related("image").order_by("id"))
    scene_count = Scene.objects.filter(project_id=scene.project_id).count()
    picture = _compose(
        scene,
        cast=[sheets.character_sheet(c, portrait=True) for c in characters],
        background=background,
        scene_count=scene_count,
    )
    return ComposedFrame(picture, character_looks(characters), scene_count)


def scene_background_upload(*, scene: Scene, upload: UploadedFile) -> Scene:
    """Makes the user's image the scene's background (decoded, checked, re-encoded) and composes its frame
    again; the old background and frame go once this commits. Nothing is stored when the image is refused."""
    decoded = upload_decode(upload)
    background = Picture(decoded.image.convert("RGB"), UPLOAD, "", 0)
    frame = _scene_frame_picture(scene, background.image)
    folder = _upload_folder(scene.project_id)
    names: list[str] = []
    try:
        names.append(_save(f"{folder}background.png", background))
        names.append(_save(f"{folder}frame.png", frame.picture))
        with project_write(project_id=scene.project_id) as project:
            current = Scene.objects.filter(project=project, pk=scene.pk).first()
            if current is None:
                raise SceneNotFound()
            new_background = _asset(
                project.pk, DrawnFile(AssetKind.BACKGROUND, names[0], background, scene_id=scene.pk)
            )
            shows = frame.shows(scene, names[0])
            new_frame = _asset(
                project.pk, DrawnFile(AssetKind.FRAME, names[1], frame.picture, scene_id=scene.pk, shows=shows)
            )
            new_background.save()
            new_frame.save()
            replaced = [current.background_id, current.frame_id]
            Scene.objects.filter(pk=current.pk).update(background=new_background, frame=new_frame)
            assets_delete(project=project, asset_ids=[asset_id for asset_id in replaced if asset_id])
            project_touch(project=project)
    except BaseException:
        stored_files_delete(names)
        raise
    return current


def character_image_upload(*, character: Character, upload: UploadedFile) -> Character:
    """Makes the user's image the character's reference image (decoded, checked, re-encoded); the old one
    goes once this commits. Nothing is stored when the image is refused."""
    decoded = upload_decode(upload)
    picture = Picture(decoded.image, UPLOAD, "", 0)
    name = _save(f"{_upload_folder(character.project_id)}character.png", picture)
    try:
        with project_write(project_id=character.project_id) as project:
            current = Character.objects.filter(project=project, pk=character.pk).first()
            if current is None:
                raise CharacterNotFound()
            asset = _asset(project.pk, DrawnFile(AssetKind.CHARACTER, name, picture, character_id=character.pk))
            asset.save()
            replaced = current.image_id
            current.image = asset
            current.save(update_fields=["image", "updated_at"])
            assets_delete(project=project, asset_ids=[replaced] if replaced else [])
            project_touch(project=project)
    except BaseException:
        stored_files_delete([name])
        raise
    return current


def scene_background_clear(*, scene: Scene) -> None:
    """Removes the scene's background; its frame is composed again with the built-in drawing."""
    frame = _scene_frame_picture(scene, None)
    name = _save(f"{_upload_folder(scene.project_id)}frame.png", frame.picture)
    try:
        with project_write(project_id=scene.project_id) as project:
            current = Scene.objects.filter(project=project, pk=scene.pk).first()
            if current is None:
                raise SceneNotFound()
            shows = frame.shows(scene, None)
            new_frame = _asset(
                project.pk, DrawnFile(AssetKind.FRAME, name, frame.picture, scene_id=scene.pk, shows=shows)
            )
            new_frame.save()
            replaced = [current.background_id, current.frame_id]
            Scene.objects.filter(pk=current.pk).update(background=None, frame=new_frame)
            assets_delete(project=project, asset_ids=[asset_id for asset_id in replaced if asset_id])
            project_touch(project=project)
    except BaseException:
        stored_files_delete([name])
        raise


def character_image_clear(*, character: Character) -> None:
    """Removes the character's reference image."""
    with project_write(project_id=character.project_id) as project:
        current = Character.objects.filter(project=project, pk=character.pk).first()
        if current is None:
            raise CharacterNotFound()
        replaced = current.image_id
        if replaced:
            Character.objects.filter(pk=current.pk).update(image=None)
            assets_delete(project=project, asset_ids=[replaced])
            project_touch(project=project)


# --- Frames following their scenes ----------------------------------------------------------------


def frames_follow_edit(sender: object, *, project_id: int, first: Sequence[int] = (), **kwargs: Any) -> None:
    """scenes.signals.scenes_edited's receiver: the frames the edit made stale are composed again."""
    frames_follow(project_id=project_id, first=first)


def frames_follow(*, project_id: int, first: Sequence[int] = (), limit: int | None = None) -> int:
    """Composes the project's stale frames again over the backgrounds they already have (no image is
    generated) and swaps them in with one gateway write; returns how many were swapped in.

    At most `limit` (default FOLLOW_LIMIT) frames, the scenes named in `first` before the others in scene
    order; when more are stale, a frames job (mode recompose) composes the rest in the background, unless
    one is running already. A frame whose scene changed again meanwhile is not used. Called after an edit
    has committed: a project being segmented or deleted meanwhile, a background that cannot be read or a
    broker that is down leaves the frames stale (the next frames job, render or export composes them) and
    does not fail the edit.
    """
    scenes = list(
        Scene.objects.filter(project_id=project_id).select_related("background", "frame").order_by("scene_index")
    )
    characters = list(Character.objects.filter(project_id=project_id).select_related("image").order_by("id"))
    looks = character_looks(characters)
    stale = [scene for scene in scenes if frame_is_stale(scene, looks=looks, scene_count=len(scenes))]
    if not stale:
        return 0
    priority = {scene_id: position for position, scene_id in enumerate(first)}
    stale.sort(key=lambda scene: (priority.get(scene.pk, len(priority)), scene.scene_index))
    limit = FOLLOW_LIMIT if limit is None else limit
    cast = [sheets.character_sheet(character, portrait=True) for character in characters]
    folder = f"projects/{project_id}/images/follow-{uuid.uuid4().hex}/"
    drawn: list[DrawnFile] = []
    try:
        for scene in stale[:limit]:
            picture = _compose_again(scene, cast=cast, scene_count=len(scenes))
            shows = frame_fingerprint(
                scene, looks=looks, scene_count=len(scenes), background_name=_background_name(scene)
            )
            name = _save(f"{folder}scene-{scene.pk}-frame.png", picture)
            drawn.append(DrawnFile(AssetKind.FRAME, name, picture, scene_id=scene.pk, shows=shows))
    except Exception:  # the edit is done; its frames stay stale for the next job or export
        logger.exception("Could not compose the frames of project %s again", project_id)
        stored_files_delete(item.name for item in drawn)
        return 0
    try:
        with project_write(project_id=project_id) as project:
            used, unused = _fresh_frames_swap_in(project=project, drawn=drawn)
            if used:
                project_touch(project=project)
    except (ProjectNotFound, ProjectSegmenting):
        stored_files_delete(item.name for item in drawn)
        return 0
    except BaseException:
        stored_files_delete(item.name for item in drawn)
        raise
    stored_files_delete(unused)
    if len(stale) > limit:
        _recompose_start(project_id)
    return used


def _recompose_start(project_id: int) -> None:
    """Starts a frames job that composes the project's stale frames again (or leaves the running one)."""
    from kombu.exceptions import OperationalError as BrokerOperationalError

    try:
        job_start(project_id=project_id, kind=FRAMES, spec=FramesSpec(mode=MODE_RECOMPOSE).to_json())
    except (ProjectNotFound, ProjectSegmenting, ProjectNotSegmented):
        pass
    except (BrokerOperationalError, ConnectionError, TimeoutError):  # the job is marked failed; the edit stands
        logger.warning("Could not queue the recomposition of project %s's frames", project_id)


def _fresh_frames_swap_in(*, project: Project, drawn: Sequence[DrawnFile]) -> tuple[int, list[str]]:
    """Points the scenes at the recomposed frames that still show them (in the caller's gateway write);
    returns how many, and the files not used."""
    scenes = {scene.pk: scene for scene in Scene.objects.filter(project=project).select_related("background", "frame")}
    showing = _FrameCheck(project, scene_count=len(scenes))
    accepted: list[tuple[Scene, Asset]] = []
    unused: list[str] = []
    for item in drawn:
        scene = scenes.get(item.scene_id or 0)
        if scene is None or scene.frame_id is None or showing.shows_now(scene, _background_name(scene)) != item.shows:
            unused.append(item.name)
            continue
        accepted.append((scene, _asset(project.pk, item)))
    Asset.objects.bulk_create([asset for _, asset in accepted])
    replaced = []
    for scene, asset in accepted:
        replaced.append(scene.frame_id)
        scene.frame_id = asset.pk
    Scene.objects.bulk_update([scene for scene, _ in accepted], ["frame"])
    assets_delete(project=project, asset_ids=[asset_id for asset_id in replaced if asset_id])
    return len(accepted), unused


def frames_compose_missing(
    *, scenes: Sequence[Scene], characters: Sequence[Character], folder: Path
) -> dict[int, Path]:
    """Composes into `folder` (a temporary one: nothing is stored) the frames the scenes lack or that are
    stale, over the backgrounds they have; returns their files by scene id. For exports, which must show
    every scene as it is now. Needs the scenes' `background` and `frame` rows (select_related)."""
    looks = character_looks(characters)
    cast = [sheets.character_sheet(character, portrait=True) for character in characters]
    made: dict[int, Path] = {}
    for scene in scenes:
        if scene.frame is not None and not frame_is_stale(scene, looks=looks, scene_count=len(scenes)):
            continue
        picture = _compose_again(scene, cast=cast, scene_count=len(scenes))
        path = folder / f"scene-{scene.pk}-frame.png"
        path.write_bytes(panels.png_bytes(picture.image))
        made[scene.pk] = path
    return made
