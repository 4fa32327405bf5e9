"""The animatic end to end, through real gunicorn and a real Celery worker (its `render` queue): a story's
frames through their media links, an upload, an MP4 played back; and a worker killed mid-render."""

from __future__ import annotations

import io
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import av
import pytest
from PIL import Image

from harness.processes import Browser, PrivateRedis, Response, Stack, wait_until
from projects.models import Project
from scenes.models import Asset, AssetKind
from tests.e2e.conftest import database_env, running_stack, stack_env
from tests.e2e.flows import create_project, sign_up_and_log_in, wait_for_status

pytestmark = [pytest.mark.mysql, pytest.mark.redis]

STORY = (
    "INT. LIGHTHOUSE - NIGHT\n\nMARA climbs the stairs with a lantern.\n\n"
    "MARA\nThe light has gone out again.\n\n"
    "EXT. HARBOUR - DAWN\n\nTOMAS waits on the pier as the boats come in.\n\n"
    "TOMAS\nYou kept it burning all night?\n\n"
    "EXT. FOREST - DAY\n\nMara and Tomas walk under the tall pines towards the village.\n"
)


@pytest.fixture
def media_stack(transactional_db, private_redis: PrivateRedis, tmp_path: Path) -> Iterator[tuple[Stack, Path]]:
    """gunicorn and one worker on this test's database, sharing a MEDIA_ROOT of the test's own.

    A killed worker's job comes back after the visibility timeout, which must outlast the renders here
    (as production's 900 s outlasts ANIMATIC_JOB_TIME_LIMIT): 45 s.
    """
    media = tmp_path / "media"
    env = {**stack_env(private_redis, database_env()), "MEDIA_ROOT": str(media), "CELERY_VISIBILITY_TIMEOUT": "45"}
    with running_stack(tmp_path, env) as stack:
        yield stack, media


def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    """A media link loaded as a browser's <img> would: no cookies, no Origin."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def decoded_image(url: str) -> Image.Image:
    status, body, headers = fetch(url)
    assert status == 200, body[:200]
    assert headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def put_file(browser: Browser, path: str, name: str, data: bytes) -> Response:
    """A multipart PUT of one `file`, with the browser's cookies and Origin."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(browser.base_url + path, data=body, method="PUT")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Origin", "http://localhost:3000")
    try:
        with browser.opener.open(request, timeout=30) as answer:
            return Response(answer.status, json.loads(answer.read()), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, json.loads(error.read() or b"null"), dict(error.headers))


def wait_for_job(browser: Browser, project_id: int, kind: str, *, timeout: float) -> dict:
    def settled() -> dict | None:
        detail = browser.get(f"/projects/{project_id}").body
        return detail if detail[kind]["status"] in {"done", "failed"} else None

    return wait_until(settled, timeout=timeout, interval=0.25, what=f"the {kind} job of project {project_id}")


def segmented(browser: Browser, *, duration: int, text: str = STORY) -> int:
    project_id = create_project(browser, title="The Lighthouse", text=text, duration=duration)
    assert browser.post(f"/projects/{project_id}/segment", {}).status == 202
    assert wait_for_status(browser, project_id, {"segmented", "failed"}, timeout=60)["status"] == "segmented"
    return project_id


def stored(media: Path) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def test_a_story_becomes_frames_an_upload_and_a_played_back_video(media_stack):
    stack, media = media_stack
    browser = stack.browser()
    sign_up_and_log_in(browser)
    project_id = segmented(browser, duration=9)

    started = browser.post(f"/projects/{project_id}/frames", {})
    assert started.status == 202, started.body
    detail = wait_for_job(browser, project_id, "frames", timeout=120)
    assert detail["frames"]["status"] == "done", detail["frames"]
    assert detail["frames"]["task_id"] == started.data["task_id"]

    # Every scene's background, frame and character images load, without cookies, as images.
    scenes = detail["scenes"]
    assert scenes
    for scene in scenes:
        assert decoded_image(scene["background_path"]).size == (1280, 720)
        assert decoded_image(scene["frame_path"]).size == (1280, 720)
        assert len(scene["character_paths"]) == len(scene["characters"])
        for link in scene["character_paths"]:
            assert decoded_image(link).size == (1280, 720)
    assert any(scene["character_paths"] for scene in scenes)

    # A tampered link is a 404 with the contract's error body.
    link = scenes[0]["frame_path"]
    parts = urlsplit(link)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    status, body, _ = fetch(tampered)
    assert status == 404
    assert json.loads(body)["status_code"] == 404
    assert parts.netloc == urlsplit(stack.base_url).netloc

    # An upload replaces the first scene's background; its frame follows.
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (20, 90, 200)).save(buffer, "PNG")
    uploaded = put_file(
        browser, f"/projects/{project_id}/scenes/{scenes[0]['id']}/background", "sea.png", buffer.getvalue()
    )
    assert uploaded.status == 200, uploaded.body
    after = browser.get(f"/projects/{project_id}").body["scenes"][0]
    assert after["background_path"] != scenes[0]["background_path"]
    assert after["frame_path"] != scenes[0]["frame_path"]
    assert decoded_image(after["background_path"]).getpixel((400, 225)) == (20, 90, 200)
    assert fetch(scenes[0]["background_path"])[0] == 404  # the replaced file is gone

    # The render: an MP4 that plays back, every scene to the frame.
    rendered = browser.post(f"/projects/{project_id}/render", {"resolution": "480p", "fps": 24})
    assert rendered.status == 202, rendered.body
    detail = wait_for_job(browser, project_id, "render", timeout=180)
    assert detail["render"]["status"] == "done", detail["render"]
    assert detail["status"] == "completed"
    state = browser.get(f"/projects/{project_id}/render").data
    assert state["video_path"] == detail["video_path"]
    status, video, headers = fetch(detail["video_path"])
    assert status == 200
    assert headers["Content-Type"] == "video/mp4"
    with av.open(io.BytesIO(video), mode="r") as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        assert len(list(container.decode(stream))) == 9 * 24
    assert stored(media) == sorted(Asset.objects.filter(project_id=project_id).values_list("file", flat=True))


def test_a_worker_killed_mid_render_is_finished_by_another_with_one_complete_mp4(media_stack):
    stack, media = media_stack
    browser = stack.browser()
    sign_up_and_log_in(browser)
    project_id = segmented(browser, duration=30, text=STORY * 3)

    started = browser.post(f"/projects/{project_id}/render", {"resolution": "480p"})
    assert started.status == 202, started.body
    task_id = started.data["task_id"]
    worker = stack.workers[0]

    def encoding() -> bool:
        project = Project.objects.get(pk=project_id)
        return project.render_status == "running" and project.render_progress >= 30

    wait_until(encoding, timeout=120, interval=0.05, what="the render to be a third done")
    worker.kill9()
    killed_at = time.monotonic()
    project = Project.objects.get(pk=project_id)
    assert (project.render_status, project.render_task_id, project.video_path) == ("running", task_id, None)

    restarted = stack.start_worker()
    detail = wait_for_job(browser, project_id, "render", timeout=180)
    finished_after = time.monotonic() - killed_at

    assert detail["render"]["status"] == "done", detail["render"]
    assert detail["render"]["task_id"] == task_id
    assert f"Render started project={project_id} task={task_id}" in restarted.log()
    videos = [name for name in stored(media) if name.endswith(".mp4")]
    (clip,) = Asset.objects.filter(project_id=project_id, kind=AssetKind.VIDEO)
    assert videos == [clip.file.name]
    assert stored(media) == sorted(Asset.objects.filter(project_id=project_id).values_list("file", flat=True))
    with av.open(str(media / clip.file.name), mode="r") as container:
        assert len(list(container.decode(video=0))) == 30 * 24
    print(f"FAULT worker kill -9 mid-render: finished by a new worker {finished_after:.1f}s after the kill, one MP4")
