"""Ops: `manage.py render_project` and the Django admin's images and job actions."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from projects.models import JobStatus, ProjectStatus
from scenes.models import Asset, AssetKind, Scene
from scenes.tests.factories import characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(user):
    project = project_make(owner=user, title="Harbour", duration_sec=5)
    scenes_make(project=project, durations=["2", "3"], characters=[["Anna"], []])
    characters_make(project=project, names=["Anna"])
    return project


@pytest.fixture
def staff(make_user) -> Client:
    client = Client()
    client.force_login(make_user(email="staff@example.com", role="admin"))
    return client


def test_render_project_sync_renders_here_and_says_where(project, capsys):
    call_command("render_project", str(project.pk), "--sync", "--resolution", "480p", "--camera", "static")

    project.refresh_from_db()
    assert project.render_status == JobStatus.DONE
    assert project.status == ProjectStatus.COMPLETED
    assert Asset.objects.filter(project=project, kind=AssetKind.VIDEO).get().file.name == project.video_path
    assert capsys.readouterr().out.strip() == f"Rendered project {project.pk}: {project.video_path}"


def test_render_project_queues_by_default(project, capsys, django_capture_on_commit_callbacks, monkeypatch):
    from animatic import jobs

    sent = []
    monkeypatch.setattr(jobs, "_dispatch", lambda **job: sent.append(job))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("render_project", str(project.pk))

    project.refresh_from_db()
    assert project.render_status == JobStatus.QUEUED
    assert [(job["kind"], job["task_id"]) for job in sent] == [("render", project.render_task_id)]
    assert capsys.readouterr().out.strip() == f"Render of project {project.pk} queued: task {project.render_task_id}."


def test_render_project_of_a_missing_or_unsegmented_project_says_why(user):
    draft = project_make(owner=user, status=ProjectStatus.DRAFT)

    with pytest.raises(CommandError, match="No project with id 999999"):
        call_command("render_project", "999999", "--sync")
    with pytest.raises(CommandError, match="segment it first"):
        call_command("render_project", str(draft.pk), "--sync")


def test_the_admin_draws_frames_and_shows_the_images(staff, project, settings, django_capture_on_commit_callbacks):
    base = f"/{settings.DJANGO_ADMIN_URL}projects/project/"

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(base, {"action": "draw_frames", "_selected_action": [project.pk]}, follow=True)
    page = staff.get(f"{base}{project.pk}/change/").content.decode()
    scene_page = staff.get(
        f"/{settings.DJANGO_ADMIN_URL}scenes/scene/{Scene.objects.get(project=project, scene_index=0).pk}/change/"
    ).content.decode()

    assert "Frames started for 1 project; 0 already running." in answer.content.decode()
    project.refresh_from_db()
    assert project.frames_status == JobStatus.DONE
    assert page.count('<img src="http://testserver/files/') == 2 + 2 + 1  # backgrounds, frames, Anna
    assert scene_page.count('<img src="http://testserver/files/') == 2


def test_the_admin_render_action_goes_through_the_service(staff, user, settings):
    draft = project_make(owner=user, title="Unsegmented", status=ProjectStatus.DRAFT)

    answer = staff.post(
        f"/{settings.DJANGO_ADMIN_URL}projects/project/",
        {"action": "render", "_selected_action": [draft.pk]},
        follow=True,
    )

    page = answer.content.decode()
    assert "Render started for 0 projects; 0 already running." in page
    assert "Unsegmented: The project has no segmented scenes yet: segment it first." in page


def test_check_image_provider_calls_the_configured_service(settings, capsys):
    from providers.tests.servers import FakeService, Reply, images_answer, png_bytes, running

    service = FakeService().on("POST", "/v1/images/generations", Reply(200, images_answer(png_bytes(512, 288))))
    with running(service):
        settings.IMAGE_PROVIDER = "openai"
        settings.IMAGE_API_BASE_URL = f"{service.url}/v1"
        settings.IMAGE_MODEL = "local-diffusion"
        call_command("check_image_provider")
        (request,) = service.requests_to("/v1/images/generations")

    assert capsys.readouterr().out.startswith("openai: a PNG of 512x288 (")
    assert request.json()["prompt"] == "a lighthouse on a rocky coast at night, storyboard sketch"


def test_check_image_provider_says_why_it_failed(settings):
    settings.IMAGE_API_BASE_URL = ""

    with pytest.raises(CommandError, match=r"The openai image provider failed: .*IMAGE_API_BASE_URL"):
        call_command("check_image_provider", "--provider", "openai")


def test_check_image_provider_draws_with_the_builtin_one(capsys):
    call_command("check_image_provider", "--provider", "builtin", "--width", "320", "--height", "180")

    assert capsys.readouterr().out.startswith("builtin: a PNG of 320x180 (")


def test_check_image_provider_runs_the_comfyui_flow(settings, capsys):
    from providers.tests.servers import FakeService, comfyui_routes, png_bytes, running

    with running(FakeService()) as service:
        comfyui_routes(service, image=png_bytes(32, 18), pending_polls=0)
        settings.COMFYUI_URL = service.url
        call_command("check_image_provider", "--provider", "comfyui", "--width", "320", "--height", "180")
    assert capsys.readouterr().out.startswith("comfyui: a PNG of 320x180 (")
    assert [r.path for r in service.received] == ["/prompt", "/history/p-1", "/view"]


def test_deleting_a_scene_in_the_admin_composes_the_renumbered_frames_again(
    project, staff, django_capture_on_commit_callbacks
):
    from animatic import frames

    with django_capture_on_commit_callbacks(execute=True):
        call_command("render_project", str(project.pk), "--sync", "--resolution", "480p", "--camera", "static")
    first, second = Scene.objects.filter(project=project).select_related("frame").order_by("scene_index")
    frame_before = second.frame_id

    response = staff.post(f"/django-admin/scenes/scene/{first.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.frame_id != frame_before  # "SC 2/2" became "SC 1/1"
    scenes = list(Scene.objects.filter(project=project).select_related("frame", "background"))
    looks = frames.character_looks(project.characters.select_related("image"))
    assert [frames.frame_is_stale(scene, looks=looks, scene_count=len(scenes)) for scene in scenes] == [False]
