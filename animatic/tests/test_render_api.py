"""POST/GET /projects/{id}/render and GET /projects/{id}/export/{format}."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import av
import opentimelineio as otio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from animatic import jobs
from animatic.print_cache import print_cache_dir, print_cache_prune
from projects.models import JobStatus, Project, ProjectStatus
from render import video
from render.exports import pdfimages
from render.types import RenderInputError
from scenes.models import Asset, AssetKind, Scene
from scenes.tests.factories import characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(user) -> Project:
    project = project_make(owner=user, title="The Harbour", duration_sec=6)
    scenes_make(project=project, durations=["1.5", "2.5", "2"], characters=[["Anna"], ["Anna", "Ben"], []])
    characters_make(project=project, names=["Anna", "Ben"])
    Scene.objects.filter(project=project, scene_index=1).update(
        camera="push_in", dialogue=[{"character": "Ben", "text": "We sail at dawn."}]
    )
    return project


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def stored_files(media_root: Path) -> list[str]:
    return sorted(str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file())


def fetch(client, url: str) -> bytes:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def render(client, project: Project, run_on_commit, **options):
    return run_on_commit(
        lambda: client.post(f"/projects/{project.pk}/render", {"resolution": "480p", **options}, format="json")
    )


NO_JOB = {"status": "none", "progress": 0, "error": None, "task_id": None, "started_at": None, "finished_at": None}


def test_render_makes_an_mp4_whose_scenes_last_their_durations(
    user_client, project, media_root, run_on_commit, api_client
):
    response = render(user_client, project, run_on_commit, fps=25, captions="burn")

    project.refresh_from_db()
    assert response.status_code == 202
    assert response.json() == {
        "message": "Render started",
        "status_code": 202,
        "data": {"project_id": project.pk, "task_id": project.render_task_id, "status": "queued"},
    }
    assert project.render_status == JobStatus.DONE
    assert project.render_progress == 100
    assert project.status == ProjectStatus.COMPLETED
    (clip,) = Asset.objects.filter(project=project, kind=AssetKind.VIDEO)
    assert project.video_path == clip.file.name
    assert clip.meta["frames"] == 6 * 25
    # Missing images were drawn first, and kept.
    assert all(scene.background_id and scene.frame_id for scene in Scene.objects.filter(project=project))

    state = user_client.get(f"/projects/{project.pk}/render").json()
    assert state["data"]["render"]["status"] == "done"
    with av.open(io.BytesIO(fetch(api_client, state["data"]["video_path"])), mode="r") as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        assert stream.average_rate == 25
        decoded = len(list(container.decode(stream)))
    assert decoded == 150
    assert stored_files(media_root) == sorted(Asset.objects.filter(project=project).values_list("file", flat=True))


def test_a_second_render_replaces_the_video_and_its_file(user_client, project, media_root, run_on_commit):
    render(user_client, project, run_on_commit)
    first = Project.objects.get(pk=project.pk).video_path

    render(user_client, project, run_on_commit, camera="static")

    second = Project.objects.get(pk=project.pk).video_path
    assert second != first
    assert [name for name in stored_files(media_root) if name.endswith(".mp4")] == [second]
    assert Asset.objects.filter(project=project, kind=AssetKind.VIDEO).count() == 1


def test_a_failed_render_keeps_the_previous_video(user_client, project, media_root, run_on_commit, monkeypatch):
    render(user_client, project, run_on_commit)
    first = Project.objects.get(pk=project.pk).video_path

    def broken(*args, **kwargs):
        raise RenderInputError("the project's scenes last no time at all")

    monkeypatch.setattr(video, "render_video", broken)
    render(user_client, project, run_on_commit)

    project.refresh_from_db()
    assert project.render_status == JobStatus.FAILED
    assert project.render_error == "the project's scenes last no time at all"
    assert project.video_path == first
    assert [name for name in stored_files(media_root) if name.endswith(".mp4")] == [first]


def test_the_voice_track_without_espeak_ng_is_400_saying_what_to_install(user_client, project, monkeypatch):
    monkeypatch.setattr(video, "espeak_path", lambda: None)

    response = user_client.post(f"/projects/{project.pk}/render", {"voice": True}, format="json")

    assert response.status_code == 400
    message = (
        "The voice track needs espeak-ng, which is not installed on the server: install the Debian package "
        "espeak-ng (sudo apt-get install espeak-ng)."
    )
    assert response.json()["errors"] == {"voice": [message]}
    assert response.json()["detail"] == message
    assert Project.objects.get(pk=project.pk).render_status == JobStatus.NONE


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"resolution": "4k"}, "resolution"),
        ({"fps": 60}, "fps"),
        ({"captions": "yes"}, "captions"),
        ({"zoom": 2}, "zoom"),
    ],
)
def test_render_refuses_unknown_options_and_values(user_client, project, body, field):
    response = user_client.post(f"/projects/{project.pk}/render", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert Project.objects.get(pk=project.pk).render_status == JobStatus.NONE


def test_render_without_scenes_is_409_and_its_state_reads_none(user_client, user):
    project = project_make(owner=user, status=ProjectStatus.DRAFT)

    started = user_client.post(f"/projects/{project.pk}/render", {}, format="json")
    state = user_client.get(f"/projects/{project.pk}/render/")

    assert started.status_code == 409
    assert started.json()["detail"] == "The project has no segmented scenes yet: segment it first."
    assert state.json() == {
        "message": "Render retrieved successfully",
        "status_code": 200,
        "data": {"render": NO_JOB, "video_path": None},
    }


def test_on_the_embedded_setup_a_render_runs_in_a_process_of_its_own(
    user_client, project, run_on_commit, settings, monkeypatch
):
    settings.ANIMATIC_INLINE_JOBS = False
    started = []

    class FakePopen:
        def __init__(self, argv, **kwargs):
            started.append((argv, kwargs))

    monkeypatch.setattr(jobs.subprocess, "Popen", FakePopen)

    response = render(user_client, project, run_on_commit)

    project.refresh_from_db()
    assert response.status_code == 202
    assert response.json()["data"]["status"] == "queued"
    assert project.render_status == JobStatus.QUEUED  # the request did not render
    ((argv, kwargs),) = started
    assert argv[2:6] == ["animatic_job", "render", str(project.pk), project.render_task_id]
    assert kwargs["start_new_session"] is True


# --- Exports -----------------------------------------------------------------------------------


def test_an_export_of_a_title_in_another_script_is_saved_under_that_title(user_client, project):
    Project.objects.filter(pk=project.pk).update(title="אגדה")

    response = user_client.get(f"/projects/{project.pk}/export/srt")

    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%D7%90%D7%92%D7%93%D7%94.srt"


@pytest.mark.parametrize(("layout", "pages"), [("", 1), ("?layout=1x1", 3), ("?layout=3x1&paper=letter", 1)])
def test_the_pdf_export_is_a_download_with_one_page_per_sheet(user_client, project, layout, pages):
    response = user_client.get(f"/projects/{project.pk}/export/pdf{layout}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="the-harbour.pdf"'
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == pages
    assert "The Harbour" in reader.pages[0].extract_text()


def test_the_pdf_marks_each_camera_move_once_on_the_composed_frames(user_client, project):
    response = user_client.get(f"/projects/{project.pk}/export/pdf?layout=3x1")

    page = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0]
    content = page.get_contents()
    assert content is not None
    assert len(page.images) == 3  # every scene's frame, composed for the export (scene 2 pushes in)...
    assert "1 .78 0 RG" not in content.get_data().decode("latin-1")  # ...with its marks: none drawn again


def test_the_otio_export_reads_back_as_the_scenes(user_client, project):
    response = user_client.get(f"/projects/{project.pk}/export/otio/")

    timeline = otio.adapters.read_from_string(b"".join(response.streaming_content).decode(), "otio_json")
    clips = list(timeline.find_clips())
    assert [clip.name for clip in clips] == ["Scene 0", "Scene 1", "Scene 2"]
    assert [clip.duration().value for clip in clips] == [36, 60, 48]


@pytest.mark.parametrize(("fmt", "adapter"), [("fcpxml", "fcpx_xml"), ("fcp7xml", "fcp_xml")])
def test_a_scene_title_with_an_apostrophe_exports_to_every_editor(user_client, project, fmt, adapter):
    scene = Scene.objects.get(project=project, scene_index=1)
    patched = user_client.patch(f"/projects/{project.pk}/scenes/{scene.pk}", {"title": "Ben's boat"}, format="json")

    response = user_client.get(f"/projects/{project.pk}/export/{fmt}")
    everything = user_client.get(f"/projects/{project.pk}/export/zip")

    assert patched.status_code == 200
    assert response.status_code == 200
    timeline = otio.adapters.read_from_string(b"".join(response.streaming_content).decode(), adapter)
    assert [clip.name for clip in timeline.find_clips()] == ["Scene 0", "Ben's boat", "Scene 2"]
    assert everything.status_code == 200
    assert "the-harbour.fcpxml" in zipfile.ZipFile(io.BytesIO(b"".join(everything.streaming_content))).namelist()


def test_the_zip_export_holds_the_rendered_video(user_client, project, run_on_commit):
    render(user_client, project, run_on_commit)

    response = user_client.get(f"/projects/{project.pk}/export/zip")

    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert any(name.endswith(".mp4") for name in names)
    assert any(name.endswith(".pdf") for name in names)


@pytest.mark.parametrize(
    ("path", "field"),
    [("export/gif", "format"), ("export/pdf?layout=9x9", "layout"), ("export/srt?layout=3x2", "layout")],
)
def test_an_unknown_export_format_or_option_is_400(user_client, project, path, field):
    response = user_client.get(f"/projects/{project.pk}/{path}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert response.json()["status_code"] == 400


@pytest.mark.parametrize(
    ("fmt", "accept", "media_type"),
    [
        ("pdf", "application/pdf", "application/pdf"),
        ("zip", "application/zip", "application/zip"),
        ("vtt", "text/vtt", "text/vtt; charset=utf-8"),
        ("srt", "application/octet-stream", "application/x-subrip; charset=utf-8"),
        ("edl", "text/plain", "text/plain; charset=utf-8"),
    ],
)
def test_an_export_asked_for_by_its_own_media_type_is_the_file(user_client, project, fmt, accept, media_type):
    """`fetch(url, {headers: {Accept: "application/pdf"}})` or `curl -H 'Accept: application/zip'` gets the
    download, not a 406: the route answers one kind of file, named by its format."""
    response = user_client.get(f"/projects/{project.pk}/export/{fmt}", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert response["Content-Disposition"].startswith("attachment; ")


def test_an_export_error_asked_for_as_a_file_is_still_the_json_error(user_client, project):
    response = user_client.get(f"/projects/{project.pk}/export/gif", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "export_invalid"
    assert list(response.json()["errors"]) == ["format"]


@pytest.mark.parametrize("value", ["pdf", "json", "xyz"])
def test_a_format_query_on_an_export_is_an_unknown_option_400_not_404(user_client, project, value):
    """DRF's `?format=` renderer override would answer 404; the export's own options say what it takes."""
    response = user_client.get(f"/projects/{project.pk}/export/pdf?format={value}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["format"]


@pytest.mark.parametrize("fmt", ["pdf", "zip"])
def test_an_export_of_a_scene_titled_over_several_lines_is_the_file_not_a_500(user_client, project, fmt):
    """A title PATCHed with line breaks: the frames composed for the export draw it on one line."""
    scene = Scene.objects.get(project=project, scene_index=1)
    title = "Ben's boat\nat dawn\r\n\u2029\x1e (take 2)"
    patched = user_client.patch(f"/projects/{project.pk}/scenes/{scene.pk}", {"title": title}, format="json")

    response = user_client.get(f"/projects/{project.pk}/export/{fmt}")

    assert patched.status_code == 200
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")


def test_an_export_without_scenes_is_409(user_client, user):
    project = project_make(owner=user, status=ProjectStatus.DRAFT)

    response = user_client.get(f"/projects/{project.pk}/export/pdf")

    assert response.status_code == 409


@pytest.mark.parametrize(("scenes", "status"), [(999, 200), (1000, 409)])
def test_an_edl_export_of_more_than_999_scenes_is_a_409_naming_the_limit(user_client, user, scenes, status):
    project = project_make(owner=user, title="Long Cut", duration_sec=600, status=ProjectStatus.SEGMENTED)
    scenes_make(project=project, durations=["0.5"] * scenes)

    response = user_client.get(f"/projects/{project.pk}/export/edl")

    assert response.status_code == status
    if status == 200:
        text = b"".join(response.streaming_content).decode()
        assert [line[:4] for line in text.splitlines() if line[:3].isdigit()][-1] == "999 "
        return
    detail = (
        "A CMX 3600 EDL holds at most 999 events and this project has 1,000 scenes: export fcp7xml, fcpxml or "
        "otio instead, or the zip, whose EDL is split into lists of at most 999."
    )
    assert response.json() == {"detail": detail, "message": detail, "status_code": 409, "code": "export_too_long"}
    assert not Asset.objects.filter(project=project).exists()  # refused before anything was drawn


def test_the_export_routes_openapi_says_what_an_edl_holds(api_client):
    schema = api_client.get("/openapi.json").json()

    operation = schema["paths"]["/projects/{project_pk}/export/{fmt}"]["get"]
    assert "more than 999 scenes answers 409 `export_too_long`" in operation["description"]
    assert "fcp7xml" in operation["description"]
    assert "more than 999 scenes" in operation["responses"]["409"]["description"]
    assert "export_too_long" in schema["components"]["schemas"]["Error"]["properties"]["code"]["enum"]


def test_an_export_of_another_users_project_is_404(other_client, project):
    response = other_client.get(f"/projects/{project.pk}/export/pdf")

    assert response.status_code == 404


def noisy_png(size: tuple[int, int] = (1280, 720)) -> bytes:
    """A picture like a generated one: grain everywhere, so its PNG is large (several MB)."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


def test_a_pdf_keeps_large_frames_scaled_for_print_for_the_next_export(
    user_client, project, run_on_commit, settings, monkeypatch
):
    run_on_commit(lambda: user_client.post(f"/projects/{project.pk}/frames", {}, format="json"))
    scene = Scene.objects.get(project=project, scene_index=0)
    upload = SimpleUploadedFile("photo.png", noisy_png(), content_type="image/png")
    response = user_client.put(
        f"/projects/{project.pk}/scenes/{scene.pk}/background", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200

    first = user_client.get(f"/projects/{project.pk}/export/pdf?layout=3x1")
    kept = sorted(settings.PRINT_CACHE_DIR.iterdir())

    def no_scaling(*args, **kwargs):
        raise AssertionError("the frame was scaled again")

    monkeypatch.setattr(pdfimages, "_reencoded", no_scaling)
    second = user_client.get(f"/projects/{project.pk}/export/pdf?layout=3x1")

    assert first.status_code == second.status_code == 200
    assert len(kept) == 1  # the photographic frame; the drawn ones are small enough to embed as they are
    assert len(PdfReader(io.BytesIO(b"".join(second.streaming_content))).pages[0].images) == 3


def test_the_print_cache_keeps_to_its_size_the_oldest_going_first(tmp_path):
    for age, name in enumerate(["newest", "middle", "oldest"]):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 - age * 100, 1_000_000 - age * 100))

    removed = print_cache_prune(tmp_path, max_bytes=2000)

    assert removed == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["middle.jpg", "newest.jpg"]
    assert print_cache_prune(tmp_path / "missing", max_bytes=0) == 0


def test_on_object_storage_exports_keep_no_print_cache(monkeypatch):
    monkeypatch.setattr("animatic.print_cache.serves_files_itself", lambda: False)

    assert print_cache_dir() is None


def test_a_render_draws_missing_frames_where_a_frames_job_would_and_only_its_video_beside_the_video(
    user_client, project, run_on_commit, media_root
):
    response = render(user_client, project, run_on_commit, camera="static")

    project.refresh_from_db()
    task = project.render_task_id
    files = stored_files(media_root)
    assert response.status_code == 202
    assert project.render_status == JobStatus.DONE
    assert [name for name in files if f"/video/{task}/" in name] == [f"projects/{project.pk}/video/{task}/animatic.mp4"]
    assert len([name for name in files if f"/images/{task}/" in name]) == 3 + 3 + 2  # backgrounds, frames, cards
