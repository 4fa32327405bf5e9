"""POST /projects/{id}/frames, and the background and character image routes (POST, PUT, DELETE)."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from animatic import frames, images
from animatic.jobs import FRAMES
from animatic.tests.conftest import image_bytes
from projects.models import JobStatus, Project, ProjectStatus
from scenes.models import Asset, AssetKind, Character, Scene
from scenes.selectors import character_rows, scene_rows
from scenes.serializers import CharacterOutputSerializer, SceneOutputSerializer
from scenes.tests.factories import characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(user) -> Project:
    project = project_make(owner=user, duration_sec=20)
    scenes_make(project=project, durations=["5", "5", "10"], characters=[["Anna", "Ben"], ["Ben"], []])
    characters_make(project=project, names=["Anna", "Ben"])
    return project


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs the jobs queued by a request (after its commit), as the embedded setup does."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def must(asset: Asset | None) -> Asset:
    """The image a test expects to be there."""
    assert asset is not None
    return asset


def stored_files(media_root: Path) -> list[str]:
    return sorted(str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file())


def empty_folders(media_root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_dir() and not any(path.iterdir())
    )


def asset_files(project: Project) -> list[str]:
    return sorted(Asset.objects.filter(project=project).values_list("file", flat=True))


def scenes_of(project: Project) -> list[Scene]:
    return list(Scene.objects.filter(project=project).order_by("scene_index"))


def load_link(client, url: str) -> Image.Image:
    """The image behind a media link, fetched without cookies as a browser would."""
    parts = urlsplit(url)
    response = client.get(parts.path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    image.load()
    return image


def job_body(project: Project, message: str, status: str = "queued") -> dict:
    project.refresh_from_db()
    return {
        "message": message,
        "status_code": 202,
        "data": {"project_id": project.pk, "task_id": project.frames_task_id, "status": status},
    }


# --- POST /projects/{id}/frames ---------------------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_frames_draws_every_background_character_and_frame_and_their_links_load(
    user_client, project, media_root, run_on_commit, api_client, slash
):
    response = run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames{slash}", {}, format="json"))

    assert response.status_code == 202
    assert response.json() == job_body(project, "Frames started")
    assert project.frames_status == JobStatus.DONE
    assert project.frames_progress == 100
    assert project.frames_error is None
    assert project.frames_finished_at is not None
    scenes = scenes_of(project)
    assert all(scene.background_id and scene.frame_id for scene in scenes)
    assert all(c.image_id for c in Character.objects.filter(project=project))
    assert Asset.objects.filter(project=project).count() == 3 + 3 + 2
    assert set(Asset.objects.values_list("provider", "width", "height")) == {("builtin", 1280, 720)}
    assert asset_files(project) == stored_files(media_root)

    detail = user_client.get(f"/projects/{project.pk}").json()
    assert detail["frames"]["status"] == "done"
    for scene in detail["scenes"]:
        assert load_link(api_client, scene["background_path"]).size == (1280, 720)
        assert load_link(api_client, scene["frame_path"]).size == (1280, 720)
        assert len(scene["character_paths"]) == len(scene["characters"])
        for link in scene["character_paths"]:
            assert load_link(api_client, link).size == (1280, 720)
    assert [c["image_path"] is not None for c in detail["characters"]] == [True, True]


def test_frames_keeps_images_already_there_unless_overwrite(user_client, project, media_root, run_on_commit):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    first = asset_files(project)

    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    kept = asset_files(project)
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {"overwrite": True}, format="json"))
    replaced = asset_files(project)

    assert kept == first
    assert len(replaced) == len(first)
    assert not set(replaced) & set(first)
    assert stored_files(media_root) == replaced  # the old files went after the commit
    assert empty_folders(media_root) == []  # and so did the first job's folders


def test_frames_of_named_scenes_draws_only_those(user_client, project, run_on_commit):
    second = scenes_of(project)[1]

    response = run_on_commit(
        lambda: user_client.post(f"/projects/{project.pk}/frames", {"scene_ids": [second.pk]}, format="json")
    )

    assert response.status_code == 202
    assert [(s.background_id is not None, s.frame_id is not None) for s in scenes_of(project)] == [
        (False, False),
        (True, True),
        (False, False),
    ]
    assert list(Character.objects.filter(project=project, image__isnull=False).values_list("name", flat=True)) == [
        "Ben"
    ]


def test_a_second_request_while_a_job_runs_returns_the_running_task(user_client, project, run_on_commit):
    Project.objects.filter(pk=project.pk).update(
        frames_status=JobStatus.RUNNING, frames_task_id="task-running", frames_started_at=timezone.now()
    )

    response = run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))

    assert response.status_code == 202
    assert response.json()["data"] == {"project_id": project.pk, "task_id": "task-running", "status": "running"}
    assert Asset.objects.count() == 0


def test_a_job_stuck_past_the_limit_is_replaced_by_a_new_one(user_client, project, run_on_commit, settings):
    settings.ANIMATIC_JOB_STUCK_AFTER_SECONDS = 60
    Project.objects.filter(pk=project.pk).update(
        frames_status=JobStatus.RUNNING,
        frames_task_id="task-lost",
        frames_started_at=timezone.now() - timedelta(seconds=61),
    )

    response = run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))

    assert response.json()["data"]["task_id"] != "task-lost"
    project.refresh_from_db()
    assert project.frames_status == JobStatus.DONE


@pytest.mark.parametrize(
    ("status", "scenes", "detail"),
    [
        (
            ProjectStatus.SEGMENTING,
            True,
            "The project is being segmented and its scenes are about to be replaced; "
            "it can change again once segmentation has finished.",
        ),
        (ProjectStatus.DRAFT, False, "The project has no segmented scenes yet: segment it first."),
    ],
)
def test_frames_is_409_while_segmenting_or_without_scenes(user_client, user, status, scenes, detail):
    project = project_make(owner=user, status=status)
    if scenes:
        scenes_make(project=project, durations=["20"])

    response = user_client.post(f"/projects/{project.pk}/frames", {}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == detail
    assert response.json()["status_code"] == 409
    project.refresh_from_db()
    assert project.frames_status == JobStatus.NONE
    assert project.frames_task_id is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"overwirte": True}, "overwirte"),
        ({"provider": "dalle"}, "provider"),
        ({"scene_ids": []}, "scene_ids"),
        ({"scene_ids": [999999]}, "scene_ids"),
        ({"scene_ids": [2**63]}, "scene_ids"),  # past the database's integers: no scene, not an overflow
        ({"scene_ids": [10**30]}, "scene_ids"),
        ({"provider": "openai"}, "provider"),  # not available on this server
    ],
)
def test_frames_refuses_unknown_options_and_values(user_client, project, body, field):
    response = user_client.post(f"/projects/{project.pk}/frames", body, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}
    project.refresh_from_db()
    assert project.frames_status == JobStatus.NONE


def test_frames_of_another_users_project_is_404(other_client, project):
    response = other_client.post(f"/projects/{project.pk}/frames", {}, format="json")

    assert response.status_code == 404
    assert response.json()["detail"] == "Project not found."


# --- The job's rules ------------------------------------------------------------------------------


def test_a_failing_generator_fails_the_job_and_keeps_the_old_images(
    user_client, project, media_root, run_on_commit, monkeypatch
):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    before = asset_files(project)
    calls = []

    def refuse(self, scene, *, prompt, seed):
        calls.append(scene.index)
        if len(calls) == 2:
            raise images.ImageProviderError("The image service refused: quota exhausted.")
        return images.Picture(Image.new("RGB", (64, 36)), "builtin", prompt, seed)

    monkeypatch.setattr(images.Generator, "background", refuse)
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {"overwrite": True}, format="json"))

    project.refresh_from_db()
    assert project.frames_status == JobStatus.FAILED
    assert project.frames_error == "The image service refused: quota exhausted."
    assert asset_files(project) == before
    assert stored_files(media_root) == before  # what the failed run drew is gone


class WorkerDied(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


def test_a_job_run_again_after_its_worker_died_leaves_one_set_of_files(
    user_client, project, media_root, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        user_client.post(f"/projects/{project.pk}/frames", {}, format="json")
    project.refresh_from_db()
    original = images.Generator.background
    calls = []

    def dies_on_the_second(self, scene, *, prompt, seed):
        calls.append(scene.index)
        if len(calls) == 2:
            raise WorkerDied()
        return original(self, scene, prompt=prompt, seed=seed)

    monkeypatch.setattr(images.Generator, "background", dies_on_the_second)
    with pytest.raises(WorkerDied):
        frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json={})
    assert len(stored_files(media_root)) == 4  # two characters, a background and a frame before the "kill"
    monkeypatch.setattr(images.Generator, "background", original)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json={})

    assert outcome == "done"
    assert len(asset_files(project)) == 8
    assert stored_files(media_root) == asset_files(project)


def test_a_job_that_is_no_longer_current_writes_nothing(project, media_root):
    Project.objects.filter(pk=project.pk).update(frames_status=JobStatus.RUNNING, frames_task_id="the-new-one")

    outcome = frames.frames_run(project_id=project.pk, task_id="an-old-one", spec_json={})

    assert outcome == "stale"
    assert Asset.objects.count() == 0
    assert stored_files(media_root) == []


def test_segmenting_again_ends_a_running_job_and_removes_the_old_images(
    user_client, project, media_root, run_on_commit
):
    from scenes.segmentation import segmentation_start

    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    Project.objects.filter(pk=project.pk).update(render_status=JobStatus.RUNNING, render_task_id="render-1")

    run_on_commit(lambda: segmentation_start(project=project, options={"scene_count": 2}))

    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED
    assert project.render_status == JobStatus.FAILED
    assert project.render_error.startswith("The scenes were replaced by a new segmentation")
    assert Asset.objects.filter(project=project).count() == 0
    assert stored_files(media_root) == []


# --- POST .../background and .../image: draw one again ----------------------------------------------


def test_posting_a_background_redraws_it_and_its_frame_from_the_prompt(user_client, project, run_on_commit):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    first, second, _ = scenes_of(project)

    response = run_on_commit(
        lambda: user_client.post(
            f"/projects/{project.pk}/scenes/{first.pk}/background", {"prompt": "a stormy harbour"}, format="json"
        )
    )

    assert response.status_code == 202
    assert response.json() == job_body(project, "Background started")
    redrawn, untouched, _ = scenes_of(project)
    assert (redrawn.background_id, redrawn.frame_id) != (first.background_id, first.frame_id)
    assert (untouched.background_id, untouched.frame_id) == (second.background_id, second.frame_id)
    assert must(redrawn.background).prompt == "a stormy harbour"


def test_posting_a_character_image_redraws_it(user_client, project, run_on_commit):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    ben = Character.objects.get(project=project, name="Ben")

    response = run_on_commit(
        lambda: user_client.post(f"/projects/{project.pk}/characters/{ben.pk}/image/", {}, format="json")
    )

    assert response.status_code == 202
    assert response.json() == job_body(project, "Character image started")
    renewed = Character.objects.get(pk=ben.pk)
    assert renewed.image_id != ben.image_id
    assert must(renewed.image).seed == images.character_seed("Ben")


def arabic_indic(number: int) -> str:
    """The number in Arabic-Indic digits, which a regular expression's \\d and Python's int() both accept."""
    return "".join(chr(0x660 + int(digit)) for digit in str(number))


@pytest.mark.parametrize("method", ["post", "delete"])
def test_ids_in_other_digits_are_no_scene_or_character(user_client, project, method, run_on_commit):
    """Ids are ASCII digits on every route (as on the scene routes): another spelling names nothing."""
    scene = scenes_of(project)[0]
    ben = Character.objects.get(project=project, name="Ben")
    base = f"/projects/{project.pk}"

    scene_response = run_on_commit(
        lambda: getattr(user_client, method)(f"{base}/scenes/{arabic_indic(scene.pk)}/background", format="json")
    )
    character_response = run_on_commit(
        lambda: getattr(user_client, method)(f"{base}/characters/{arabic_indic(ben.pk)}/image", format="json")
    )
    project_response = user_client.post(f"/projects/{arabic_indic(project.pk)}/frames", {}, format="json")

    assert (scene_response.status_code, character_response.status_code) == (404, 404)
    assert project_response.status_code == 404
    project.refresh_from_db()
    assert project.frames_status == JobStatus.NONE
    assert Asset.objects.filter(project=project).count() == 0


def test_a_scene_of_another_project_is_404(user_client, user, project):
    other = project_make(owner=user, title="Other")
    (elsewhere,) = scenes_make(project=other, durations=["20"])

    response = user_client.post(f"/projects/{project.pk}/scenes/{elsewhere.pk}/background", {}, format="json")
    huge = user_client.post(f"/projects/{project.pk}/scenes/99999999999999999999999/background", {}, format="json")

    assert (response.status_code, response.json()["detail"]) == (404, "Scene not found.")
    assert (huge.status_code, huge.json()["detail"]) == (404, "Scene not found.")


# --- PUT: the user's own image -----------------------------------------------------------------------


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A valid PNG header announcing width x height pixels, with a few bytes of compressed rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width * 3 + 1) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("name", "fmt"), [("mine.png", "PNG"), ("mine.JPG", "JPEG"), ("mine.webp", "WEBP")])
def test_an_uploaded_background_replaces_the_old_and_the_frame_follows(
    user_client, project, media_root, run_on_commit, api_client, name, fmt
):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    scene = scenes_of(project)[0]
    old_files = [must(scene.background).file.name, must(scene.frame).file.name]

    response = run_on_commit(
        lambda: user_client.put(
            f"/projects/{project.pk}/scenes/{scene.pk}/background",
            {"file": upload(name, image_bytes(fmt, (640, 360), (200, 30, 30)))},
            format="multipart",
        )
    )

    assert response.status_code == 200, response.content
    (row,) = scene_rows(project_id=project.pk, scene_ids=[scene.pk])
    assert response.json() == {
        "message": "Background uploaded",
        "status_code": 200,
        "data": SceneOutputSerializer(row).data,
    }
    scene = scenes_of(project)[0]
    assert (must(scene.background).provider, must(scene.background).width, must(scene.background).height) == (
        "upload",
        640,
        360,
    )
    assert must(scene.frame).provider == "builtin"
    background = load_link(api_client, response.json()["data"]["background_path"])
    assert background.format == "PNG"  # re-encoded
    pixel = background.getpixel((320, 180))
    assert isinstance(pixel, tuple)
    assert all(abs(got - sent) <= 4 for got, sent in zip(pixel, (200, 30, 30), strict=True))
    assert not set(old_files) & set(stored_files(media_root))
    assert stored_files(media_root) == asset_files(project)


BAD_UPLOADS = [
    ("notes.png", b"Just some text, not an image at all.\n" * 10, 400),
    ("bomb.png", png_bomb(), 400),
    ("tall.png", png_bomb(9000, 20), 400),
    ("photo.png", image_bytes("JPEG"), 400),  # a JPEG named .png
    ("anim.gif", b"GIF89a" + b"\x00" * 64, 400),
]


@pytest.mark.parametrize(("name", "data", "status"), BAD_UPLOADS)
def test_a_bad_upload_is_refused_and_nothing_is_stored(user_client, project, media_root, name, data, status):
    scene = scenes_of(project)[0]

    response = user_client.put(
        f"/projects/{project.pk}/scenes/{scene.pk}/background", {"file": upload(name, data)}, format="multipart"
    )

    assert response.status_code == status, response.content
    assert list(response.json()["errors"]) == ["file"]
    assert Asset.objects.count() == 0
    assert stored_files(media_root) == []
    assert scenes_of(project)[0].background_id is None


def test_an_upload_over_the_size_limit_is_413_and_nothing_is_stored(user_client, project, media_root, settings):
    scene = scenes_of(project)[0]
    twelve_mb = b"\x89PNG\r\n\x1a\n" + b"\x00" * (12 * 2**20)
    just_over = image_bytes() + b"\x00" * (settings.IMAGE_UPLOAD_MAX_BYTES + 1 - len(image_bytes()))

    refused_at_the_door = user_client.put(
        f"/projects/{project.pk}/scenes/{scene.pk}/background",
        {"file": upload("big.png", twelve_mb)},
        format="multipart",
    )
    refused_by_the_check = user_client.put(
        f"/projects/{project.pk}/scenes/{scene.pk}/background",
        {"file": upload("big.png", just_over)},
        format="multipart",
    )

    assert refused_at_the_door.status_code == 413
    assert refused_by_the_check.status_code == 413
    assert refused_by_the_check.json()["errors"]["file"] == [
        f"The image is {len(just_over):,} bytes; at most 10,485,760 bytes (10 MB) are accepted."
    ]
    assert Asset.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_upload_without_a_file_is_400(user_client, project):
    scene = scenes_of(project)[0]

    response = user_client.put(f"/projects/{project.pk}/scenes/{scene.pk}/background", {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"]["file"][0].startswith("Send the image as the multipart field `file`")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"no boundary"),
        ("multipart/form-data; boundary=xx", b"--xx\r\nContent-Disposition: form-data; name=file\r\n" + b"a" * 70000),
    ],
)
def test_an_unreadable_multipart_upload_is_400_malformed_multipart(
    user_client, project, media_root, content_type, body
):
    """Not `malformed_json`: the body was never JSON, and a client branches on the code."""
    scene = scenes_of(project)[0]

    response = user_client.generic(
        "PUT", f"/projects/{project.pk}/scenes/{scene.pk}/background", body, content_type=content_type
    )

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_multipart"
    assert response.json()["detail"].startswith("Multipart form parse error")
    assert stored_files(media_root) == []


def test_an_upload_while_segmenting_is_409_and_nothing_is_stored(user_client, project, media_root):
    scene = scenes_of(project)[0]
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTING)

    response = user_client.put(
        f"/projects/{project.pk}/scenes/{scene.pk}/background",
        {"file": upload("mine.png", image_bytes())},
        format="multipart",
    )

    assert response.status_code == 409
    assert Asset.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("body", [{"overwrite": True}, {}])
@pytest.mark.parametrize("when", ["images_plan", "images_draw"])
def test_a_background_uploaded_while_a_frames_job_draws_is_kept(
    user_client, project, media_root, run_on_commit, monkeypatch, body, when
):
    """The upload is newer than the job's request (made before the job's worker looked at the scenes, or
    while it drew): the job's drawing must not replace it afterwards."""
    scene = scenes_of(project)[0]
    real = getattr(frames, when)

    def upload_around(*args, **kwargs):
        if when == "images_draw":
            result = real(*args, **kwargs)
        response = user_client.put(
            f"/projects/{project.pk}/scenes/{scene.pk}/background",
            {"file": upload("mine.png", image_bytes("PNG", (640, 360), (200, 30, 30)))},
            format="multipart",
        )
        assert response.status_code == 200, response.content
        return result if when == "images_draw" else real(*args, **kwargs)

    monkeypatch.setattr(frames, when, upload_around)
    response = run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", body, format="json"))

    assert response.status_code == 202
    project.refresh_from_db()
    assert project.frames_status == JobStatus.DONE
    scene = scenes_of(project)[0]
    assert (must(scene.background).provider, must(scene.background).width) == ("upload", 640)
    assert str(must(scene.frame).file.name).startswith(f"projects/{project.pk}/images/upload-")  # the upload's
    assert stored_files(media_root) == asset_files(project)


@pytest.mark.parametrize("route", ["frames", "image"])
@pytest.mark.parametrize("when", ["images_plan", "images_draw"])
def test_a_character_image_uploaded_while_a_job_draws_it_is_kept(
    user_client, project, media_root, run_on_commit, monkeypatch, route, when
):
    ben = Character.objects.get(project=project, name="Ben")
    real = getattr(frames, when)

    def upload_around(*args, **kwargs):
        if when == "images_draw":
            result = real(*args, **kwargs)
        response = user_client.put(
            f"/projects/{project.pk}/characters/{ben.pk}/image",
            {"file": upload("ben.webp", image_bytes("WEBP", (300, 400), (20, 20, 220)))},
            format="multipart",
        )
        assert response.status_code == 200, response.content
        return result if when == "images_draw" else real(*args, **kwargs)

    monkeypatch.setattr(frames, when, upload_around)
    url = f"/projects/{project.pk}/frames" if route == "frames" else f"/projects/{project.pk}/characters/{ben.pk}/image"
    response = run_on_commit(lambda: user_client.post(url, {}, format="json"))

    assert response.status_code == 202
    ben.refresh_from_db()
    assert (must(ben.image).provider, must(ben.image).width, must(ben.image).height) == ("upload", 300, 400)
    assert stored_files(media_root) == asset_files(project)


def test_a_background_cleared_while_a_job_redraws_it_stays_cleared(
    user_client, project, media_root, run_on_commit, monkeypatch
):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    scene = scenes_of(project)[0]
    real_draw = frames.images_draw

    def draw_then_clear(**kwargs):
        real_draw(**kwargs)
        assert user_client.delete(f"/projects/{project.pk}/scenes/{scene.pk}/background").status_code == 204

    monkeypatch.setattr(frames, "images_draw", draw_then_clear)
    response = run_on_commit(
        lambda: user_client.post(f"/projects/{project.pk}/scenes/{scene.pk}/background", {}, format="json")
    )

    assert response.status_code == 202
    assert scenes_of(project)[0].background_id is None
    assert stored_files(media_root) == asset_files(project)


def test_an_uploaded_character_image_replaces_the_old(user_client, project, media_root, run_on_commit):
    ben = Character.objects.get(project=project, name="Ben")

    response = run_on_commit(
        lambda: user_client.put(
            f"/projects/{project.pk}/characters/{ben.pk}/image",
            {"file": upload("ben.jpeg", image_bytes("JPEG", (300, 400)))},
            format="multipart",
        )
    )

    assert response.status_code == 200, response.content
    (row,) = character_rows(project_id=project.pk, character_ids=[ben.pk])
    assert response.json() == {
        "message": "Character image uploaded",
        "status_code": 200,
        "data": CharacterOutputSerializer(row).data,
    }
    ben.refresh_from_db()
    assert (must(ben.image).kind, must(ben.image).provider, must(ben.image).width, must(ben.image).height) == (
        AssetKind.CHARACTER,
        "upload",
        300,
        400,
    )
    scene_links = user_client.get(f"/projects/{project.pk}/scenes").json()["data"]
    assert scene_links[1]["character_paths"] == [response.json()["data"]["image_path"]]
    assert stored_files(media_root) == asset_files(project)


# --- DELETE ------------------------------------------------------------------------------------------


def test_deleting_a_background_clears_it_and_draws_the_frame_without_it(
    user_client, project, media_root, run_on_commit
):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    scene = scenes_of(project)[0]
    old_background = must(scene.background).file.name

    response = run_on_commit(lambda: user_client.delete(f"/projects/{project.pk}/scenes/{scene.pk}/background"))

    assert response.status_code == 204
    assert response.content == b""
    cleared = scenes_of(project)[0]
    assert cleared.background_id is None
    assert cleared.frame_id not in (None, scene.frame_id)
    assert old_background not in stored_files(media_root)
    assert stored_files(media_root) == asset_files(project)


def test_deleting_a_character_image_clears_it(user_client, project, media_root, run_on_commit):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    anna = Character.objects.get(project=project, name="Anna")
    old_image = must(anna.image).file.name

    response = run_on_commit(lambda: user_client.delete(f"/projects/{project.pk}/characters/{anna.pk}/image/"))

    assert response.status_code == 204
    assert Character.objects.get(pk=anna.pk).image_id is None
    assert old_image not in stored_files(media_root)
    assert user_client.get(f"/projects/{project.pk}/scenes").json()["data"][0]["character_paths"][0] is None


# --- The project detail with images --------------------------------------------------------------


def test_the_detail_of_200_scenes_with_images_takes_the_same_queries(
    user_client, user, django_assert_num_queries, media_root
):
    project = project_make(owner=user, duration_sec=600)
    scenes = scenes_make(project=project, durations=["3"] * 200, characters=[["Anna"]] * 200)
    (anna,) = characters_make(project=project, names=["Anna"])
    portrait = Asset.objects.create(project=project, character=anna, kind=AssetKind.CHARACTER, file="p/anna.png")
    Character.objects.filter(pk=anna.pk).update(image=portrait)
    for scene in scenes:
        scene.background = Asset.objects.create(
            project=project, scene=scene, kind="background", file=f"p/{scene.pk}.png"
        )
        scene.frame = Asset.objects.create(project=project, scene=scene, kind="frame", file=f"p/{scene.pk}f.png")
    Scene.objects.bulk_update(scenes, ["background", "frame"])

    user_client.get("/projects?limit=1")  # the user behind the token is in the session cache from now on

    # As without images (projects/tests/test_project_api.py): the project, the characters with their images
    # (joined), the scenes with theirs (joined).
    with django_assert_num_queries(3):
        response = user_client.get(f"/projects/{project.pk}")

    body = response.json()
    assert all(scene["background_path"] and scene["frame_path"] for scene in body["scenes"])
    assert {scene["character_paths"][0] for scene in body["scenes"]} == {body["characters"][0]["image_path"]}


def test_the_frames_job_kind_is_registered_with_the_gateway(project):
    from projects.gateway import JobRef, JobSuperseded, project_write

    Project.objects.filter(pk=project.pk).update(frames_status=JobStatus.DONE, frames_task_id="finished")

    with pytest.raises(JobSuperseded), project_write(project_id=project.pk, job=JobRef(FRAMES, "finished")):
        pass


# --- A remote generator (an OpenAI-compatible images API on 127.0.0.1) ------------------------------


@pytest.fixture
def images_api(settings):
    from providers.tests.servers import FakeService, Reply, images_answer, png_bytes, running

    service = FakeService()
    service.on("POST", "/v1/images/generations", lambda request: Reply(200, images_answer(png_bytes(64, 36))))
    with running(service):
        settings.IMAGE_API_BASE_URL = f"{service.url}/v1"
        settings.IMAGE_MODEL = "local-diffusion"
        settings.IMAGE_API_KEY = "test-key"
        yield service


def test_frames_by_a_remote_generator_send_the_prompts_and_one_seed_per_character(
    user_client, project, images_api, run_on_commit, media_root
):
    response = run_on_commit(
        lambda: user_client.post(f"/projects/{project.pk}/frames", {"provider": "openai"}, format="json")
    )

    assert response.status_code == 202
    project.refresh_from_db()
    assert project.frames_status == JobStatus.DONE
    sent = [request.json() for request in images_api.requests_to("/v1/images/generations")]
    assert [body["prompt"] for body in sent] == ["Anna", "Ben", "background 0", "background 1", "background 2"]
    by_kind = {
        kind: sorted(Asset.objects.filter(project=project, kind=kind).values_list("provider", flat=True))
        for kind in (AssetKind.BACKGROUND, AssetKind.CHARACTER, AssetKind.FRAME)
    }
    assert by_kind == {"background": ["openai"] * 3, "character": ["openai"] * 2, "frame": ["builtin"] * 3}
    ben = Character.objects.get(project=project, name="Ben")
    assert must(ben.image).seed == images.character_seed("Ben")
    assert (must(ben.image).width, must(ben.image).height) == (1280, 720)  # the answer fitted to the size asked for


def test_a_job_retried_after_a_database_error_pays_for_no_image_twice(
    user_client, project, images_api, media_root, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import OperationalError

    with django_capture_on_commit_callbacks(execute=False):
        user_client.post(f"/projects/{project.pk}/frames", {"provider": "openai"}, format="json")
    project.refresh_from_db()
    spec = {"provider": "openai"}
    real_swap_in = frames.images_swap_in

    def database_gone(**kwargs):
        raise OperationalError(2013, "Lost connection to server during query")

    monkeypatch.setattr(frames, "images_swap_in", database_gone)
    with pytest.raises(OperationalError):
        frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json=spec)
    asked_first = len(images_api.requests_to("/v1/images/generations"))
    monkeypatch.setattr(frames, "images_swap_in", real_swap_in)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json=spec)

    assert outcome == "done"
    assert asked_first == 5  # two characters and three backgrounds
    assert len(images_api.requests_to("/v1/images/generations")) == 5  # the retry asked for none again
    assert (
        sorted(Asset.objects.filter(project=project).values_list("provider", flat=True))
        == ["builtin"] * 3 + ["openai"] * 5
    )
    assert stored_files(media_root) == asset_files(project)  # one set of files, no notes left behind


def test_a_job_run_again_after_its_worker_died_asks_only_for_the_images_it_lacks(
    user_client, project, images_api, media_root, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        user_client.post(f"/projects/{project.pk}/frames", {"provider": "openai"}, format="json")
    project.refresh_from_db()
    spec = {"provider": "openai"}
    original = images.Generator.background

    def dies_on_the_second(self, scene, *, prompt, seed):
        if scene.index == 1:
            raise WorkerDied()
        return original(self, scene, prompt=prompt, seed=seed)

    monkeypatch.setattr(images.Generator, "background", dies_on_the_second)
    with pytest.raises(WorkerDied):
        frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json=spec)
    monkeypatch.setattr(images.Generator, "background", original)
    Character.objects.filter(project=project, name="Ben").update(prompt="Ben, in a yellow raincoat")

    with django_capture_on_commit_callbacks(execute=True):
        outcome = frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json=spec)

    assert outcome == "done"
    prompts = [request.json()["prompt"] for request in images_api.requests_to("/v1/images/generations")]
    # Before the kill: Anna, Ben, background 0. After: Ben again (his prompt changed), backgrounds 1 and 2.
    assert prompts == ["Anna", "Ben", "background 0", "Ben, in a yellow raincoat", "background 1", "background 2"]
    ben = Character.objects.get(project=project, name="Ben")
    assert must(ben.image).prompt == "Ben, in a yellow raincoat"
    assert stored_files(media_root) == asset_files(project)


def test_a_remote_generator_that_refuses_fails_the_job_and_changes_no_scene(
    user_client, project, images_api, run_on_commit, media_root
):
    from providers.tests.servers import Reply, images_answer, png_bytes

    images_api.on(
        "POST",
        "/v1/images/generations",
        Reply(200, images_answer(png_bytes(64, 36))),
        Reply(400, {"error": {"message": "Your prompt was rejected by the safety system."}}),
    )

    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {"provider": "openai"}, format="json"))

    project.refresh_from_db()
    assert project.frames_status == JobStatus.FAILED
    assert "safety system" in project.frames_error
    assert Asset.objects.count() == 0
    assert all(scene.background_id is None for scene in scenes_of(project))
    assert stored_files(media_root) == []


def test_a_second_delivery_while_the_first_run_lives_stops_and_writes_nothing(
    user_client, project, media_root, django_capture_on_commit_callbacks
):
    from animatic.jobs import job_lease

    with django_capture_on_commit_callbacks(execute=False):
        user_client.post(f"/projects/{project.pk}/frames", {}, format="json")
    project.refresh_from_db()

    with job_lease(task_id=project.frames_task_id) as first_run_holds_it:
        outcome = frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json={})
    with django_capture_on_commit_callbacks(execute=True):
        after_the_first_ended = frames.frames_run(project_id=project.pk, task_id=project.frames_task_id, spec_json={})

    assert first_run_holds_it is True
    assert outcome == "duplicate"
    assert after_the_first_ended == "done"
    assert stored_files(media_root) == asset_files(project)
