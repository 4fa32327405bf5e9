"""The one write path (projects.gateway): locks, the owner's version, the 409 while segmenting, jobs, files."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from accounts import sessions
from animatic_vision.errors import ProjectNotFound, ProjectSegmenting
from projects.admin import ProjectAdminForm
from projects.gateway import (
    SEGMENTATION,
    JobRef,
    JobSuperseded,
    job_kind_register,
    owner_write,
    project_files_prefix,
    project_write,
)
from projects.models import Project, ProjectStatus
from projects.services import project_delete, project_staff_save
from scenes.tests.factories import asset_make, project_make, scenes_make

pytestmark = pytest.mark.django_db

TASK = "7d3b7c1e-0000-4000-8000-000000000001"


@pytest.fixture
def segmenting(user) -> Project:
    project = project_make(owner=user, title="Harbour", status=ProjectStatus.SEGMENTING)
    Project.objects.filter(pk=project.pk).update(segmentation_task_id=TASK)
    project.refresh_from_db()
    return project


def test_a_write_renews_the_owners_version_and_drops_the_cached_row_until_commit(
    user, other_user, django_capture_on_commit_callbacks
):
    project = project_make(owner=user)
    before, others_before = user.content_version, other_user.content_version
    sessions.user_state_refresh(user.pk)

    with django_capture_on_commit_callbacks(execute=True), project_write(project_id=project.pk) as locked:
        assert locked.pk == project.pk
        assert cache.get(sessions.user_state_key(user.pk)) is None  # dropped before the commit
        locked.title = "Renamed"
        locked.save(update_fields=["title"])

    user.refresh_from_db()
    other_user.refresh_from_db()
    assert user.content_version != before
    assert other_user.content_version == others_before
    assert cache.get(sessions.user_state_key(user.pk))["content_version"] == user.content_version  # rewritten after
    assert Project.objects.get(pk=project.pk).title == "Renamed"


def test_a_block_that_raises_rolls_back_the_write_and_the_version(user):
    project = project_make(owner=user, title="Kept")
    before = user.content_version

    def write_that_fails() -> None:
        with project_write(project_id=project.pk) as locked:
            Project.objects.filter(pk=locked.pk).update(title="Lost")
            raise RuntimeError("the write fails half-way")

    with pytest.raises(RuntimeError):
        write_that_fails()

    user.refresh_from_db()
    assert (Project.objects.get(pk=project.pk).title, user.content_version) == ("Kept", before)


def test_a_gone_project_is_not_found_and_a_jobs_write_to_it_is_superseded(user):
    with pytest.raises(ProjectNotFound) as raised, project_write(project_id=987654):
        pass
    assert raised.value.message == "Project not found."
    with pytest.raises(JobSuperseded), project_write(project_id=987654, job=JobRef(SEGMENTATION, TASK)):
        pass


def test_while_segmenting_only_its_own_job_writes(segmenting):
    with pytest.raises(ProjectSegmenting), project_write(project_id=segmenting.pk):
        pass
    with pytest.raises(JobSuperseded), project_write(project_id=segmenting.pk, job=JobRef(SEGMENTATION, "another")):
        pass
    with project_write(project_id=segmenting.pk, job=JobRef(SEGMENTATION, TASK)) as locked:
        assert locked.status == ProjectStatus.SEGMENTING


def test_a_registered_job_kind_writes_while_current_and_never_while_segmenting(user):
    job_kind_register("test-drawing", is_current=lambda project, task_id: project.video_path == task_id)
    project = project_make(owner=user, status=ProjectStatus.SEGMENTED)
    Project.objects.filter(pk=project.pk).update(video_path="job-1")

    with project_write(project_id=project.pk, job=JobRef("test-drawing", "job-1")):
        pass
    with pytest.raises(JobSuperseded), project_write(project_id=project.pk, job=JobRef("test-drawing", "job-0")):
        pass
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTING)
    with pytest.raises(JobSuperseded), project_write(project_id=project.pk, job=JobRef("test-drawing", "job-1")):
        pass
    unknown = JobRef("nope", "x")
    with pytest.raises(ValueError, match="Unknown job kind"), project_write(project_id=project.pk, job=unknown):
        pass


def test_owner_write_renews_the_version_for_a_new_project(user):
    before = user.content_version

    with owner_write(owner_id=user.pk):
        Project.objects.create(owner=user, title="New", story_text="Once.", duration_sec=20)

    user.refresh_from_db()
    assert user.content_version != before


def test_deleting_a_project_removes_every_file_under_its_folder(user, media_root, django_capture_on_commit_callbacks):
    project = project_make(owner=user)
    asset = asset_make(project=project)
    stray = default_storage.save(f"{project_files_prefix(project.pk)}frames/panel.png", ContentFile(b"png"))
    neighbour = project_make(owner=user, title="Neighbour")
    kept = default_storage.save(f"{project_files_prefix(neighbour.pk)}frames/panel.png", ContentFile(b"png"))

    with django_capture_on_commit_callbacks(execute=True):
        project_delete(project=project)

    assert not (media_root / asset.file.name).exists()
    assert not (media_root / stray).exists()
    assert not (media_root / project_files_prefix(project.pk)).exists()
    assert (media_root / kept).exists()


def test_a_project_can_be_deleted_while_it_is_segmenting(segmenting):
    project_delete(project=segmenting)

    assert not Project.objects.filter(pk=segmenting.pk).exists()


# --- The Django admin goes through the gateway ---------------------------------------------------


@pytest.fixture
def staff_client(make_user) -> Client:
    client = Client()
    client.force_login(make_user(email="staff@example.com", role="admin"))
    return client


def change_form(project: Project, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "owner": project.owner_id,
        "title": project.title,
        "story_text": project.story_text,
        "duration_sec": project.duration_sec,
        "status": project.status,
        "video_path": "",
        "scenes-TOTAL_FORMS": 0,
        "scenes-INITIAL_FORMS": 0,
        "scenes-MIN_NUM_FORMS": 0,
        "scenes-MAX_NUM_FORMS": 1000,
        "characters-TOTAL_FORMS": 0,
        "characters-INITIAL_FORMS": 0,
        "characters-MIN_NUM_FORMS": 0,
        "characters-MAX_NUM_FORMS": 1000,
    }
    return {**form, **changes}


def test_staff_cannot_change_the_status_of_a_project_being_segmented(staff_client, segmenting, settings):
    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/{segmenting.pk}/change/"

    response = staff_client.post(url, change_form(segmenting, status="completed", title="Edited"))

    assert response.status_code == 200  # the form again, with the error
    assert ProjectSegmenting.default_message in response.content.decode()
    segmenting.refresh_from_db()
    assert (segmenting.status, segmenting.title) == (ProjectStatus.SEGMENTING, "Harbour")


def test_the_gateway_refuses_the_admin_even_when_its_form_let_the_edit_through(
    staff_client, segmenting, settings, monkeypatch
):
    # The project started segmenting after the form was checked: the rule holds under the row lock.
    monkeypatch.setattr(ProjectAdminForm, "clean", lambda form: form.cleaned_data)
    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/{segmenting.pk}/change/"

    response = staff_client.post(url, change_form(segmenting, status="completed"), follow=True)

    assert response.status_code == 200
    assert ProjectSegmenting.default_message in response.content.decode()
    segmenting.refresh_from_db()
    assert segmenting.status == ProjectStatus.SEGMENTING


def test_staff_cannot_set_segmenting_by_hand(staff_client, user, settings):
    project = project_make(owner=user, status=ProjectStatus.DRAFT)
    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/{project.pk}/change/"

    response = staff_client.post(url, change_form(project, status="segmenting"))

    assert response.status_code == 200
    assert "is set by the server" in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_the_staff_save_service_refuses_a_stale_edit_of_a_project_now_segmenting(user):
    project = project_make(owner=user, title="Before", status=ProjectStatus.DRAFT)
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTING)
    project.title = "Stale edit"

    with pytest.raises(ProjectSegmenting):
        project_staff_save(project=project)

    assert Project.objects.get(pk=project.pk).title == "Before"


def test_staff_cannot_change_the_duration_under_existing_scenes(staff_client, user, settings):
    project = project_make(owner=user, duration_sec=20)
    scenes_make(project=project, durations=["10", "10"])
    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/{project.pk}/change/"

    page = staff_client.get(url).content.decode()
    staff_client.post(url, change_form(project, duration_sec=30))

    assert 'name="duration_sec"' not in page
    assert Project.objects.get(pk=project.pk).duration_sec == 20


def test_staff_cannot_edit_an_asset_of_a_project_being_segmented(staff_client, segmenting, settings, media_root):
    asset = asset_make(project=segmenting)
    url = f"/{settings.DJANGO_ADMIN_URL}scenes/asset/{asset.pk}/delete/"

    response = staff_client.post(url, {"post": "yes"}, follow=True)

    assert ProjectSegmenting.default_message in response.content.decode()
    assert type(asset).objects.filter(pk=asset.pk).exists()
    assert (media_root / asset.file.name).exists()
