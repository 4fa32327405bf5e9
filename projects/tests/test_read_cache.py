"""GET /projects and GET /projects/{id} answer from a cache keyed on the owner's projects version.

Each test reads the detail and the list (so both are cached), writes through one of the
paths that change them, and reads again: a stale cached answer would fail it.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django_redis.exceptions import ConnectionInterrupted
from kombu.exceptions import OperationalError

from animatic_vision.api import responses
from projects.models import Project, ProjectStatus
from scenes import segmentation
from scenes.models import Scene
from scenes.tasks import segment_project
from scenes.tests.factories import characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db

FABLE = (
    "A Crow sat on a branch with a piece of cheese in her beak. A Fox saw her from below.\n\n"
    '"What a fine bird," said the Fox. "Surely her voice is as fine as her feathers."\n\n'
    "The Crow opened her beak to sing, and the cheese fell. The Fox ate it and ran off into the woods."
)


class Reader:
    """Reads a project's detail and the owner's list, and checks each read against the database's truth."""

    def __init__(self, client, project: Project):
        self.client = client
        self.project_id = project.pk

    def detail(self) -> dict:
        response = self.client.get(f"/projects/{self.project_id}")
        assert response.status_code == 200, response.content
        return response.json()

    def listed(self) -> dict:
        response = self.client.get("/projects")
        assert response.status_code == 200, response.content
        return {item["id"]: item for item in response.json()} | {"total": int(response["X-Total-Count"])}

    def both(self) -> tuple[dict, dict]:
        return self.detail(), self.listed()


@pytest.fixture
def project(user) -> Project:
    project = project_make(owner=user, title="Harbour", status=ProjectStatus.SEGMENTED)
    scenes_make(project=project, durations=["8", "6", "6"], characters=[["Anna"], ["Anna", "Ben"], []])
    characters_make(project=project, names=["Anna", "Ben"])
    return project


@pytest.fixture
def reader(user_client, project) -> Reader:
    reader = Reader(user_client, project)
    reader.both()  # cached now
    return reader


def test_a_second_read_is_the_cached_bytes_with_the_same_headers(user_client, project, django_assert_num_queries):
    first_detail = user_client.get(f"/projects/{project.pk}")
    first_list = user_client.get("/projects")

    # No query: the user and their projects version come from the session cache, the answer from memory.
    with django_assert_num_queries(0):
        second_detail = user_client.get(f"/projects/{project.pk}")
        second_list = user_client.get("/projects")
    # Nor once this process has forgotten them: the shared cache still has them (another server process).
    responses.local_answers.clear()
    with django_assert_num_queries(0):
        third_detail = user_client.get(f"/projects/{project.pk}")
        third_list = user_client.get("/projects")

    assert second_detail.content == third_detail.content == first_detail.content
    assert second_list.content == third_list.content == first_list.content
    assert second_list["X-Total-Count"] == third_list["X-Total-Count"] == first_list["X-Total-Count"] == "1"
    for first, later in ((first_detail, second_detail), (first_list, second_list), (first_list, third_list)):
        assert later.status_code == first.status_code == 200
        assert later["Content-Type"] == first["Content-Type"] == "application/json"
    assert json.loads(second_detail.content)["scene_count"] == 3


def test_every_write_gives_the_owner_a_new_content_version_and_no_one_else(user, other_user, project, user_client):
    before, others_before = user.content_version, other_user.content_version

    response = user_client.patch(f"/projects/{project.pk}/status", {"status": "completed"}, format="json")

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    other_user.refresh_from_db()
    assert user.content_version != before
    assert len(user.content_version) == 32
    assert other_user.content_version == others_before


def test_a_write_that_fails_leaves_the_version_as_it_was(user, project, user_client):
    before = user.content_version
    scene = Scene.objects.get(project=project, scene_index=0)

    response = user_client.patch(f"/projects/{project.pk}/scenes/{scene.pk}", {"duration_sec": "99"}, format="json")

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.content_version == before


def test_status_patch_is_seen(reader, user_client):
    response = user_client.patch(f"/projects/{reader.project_id}/status", {"status": "completed"}, format="json")
    assert response.status_code == 200, response.content

    detail, listed = reader.both()
    assert detail["status"] == listed[reader.project_id]["status"] == "completed"


def test_scene_patch_is_seen(reader, user_client):
    scene = Scene.objects.get(project_id=reader.project_id, scene_index=1)
    response = user_client.patch(
        f"/projects/{reader.project_id}/scenes/{scene.pk}", {"title": "Renamed", "duration_sec": "10"}, format="json"
    )
    assert response.status_code == 200, response.content

    detail, listed = reader.both()
    assert [s["title"] for s in detail["scenes"]] == ["Scene 0", "Renamed", "Scene 2"]
    assert detail["scenes"][1]["duration_sec"] == 10.0
    assert listed[reader.project_id]["updated_at"] == detail["updated_at"]


def test_scene_delete_is_seen(reader, user_client):
    scene = Scene.objects.get(project_id=reader.project_id, scene_index=0)
    assert user_client.delete(f"/projects/{reader.project_id}/scenes/{scene.pk}").status_code == 204

    detail, listed = reader.both()
    assert [s["title"] for s in detail["scenes"]] == ["Scene 1", "Scene 2"]
    assert detail["scene_count"] == listed[reader.project_id]["scene_count"] == 2


def test_deleting_the_last_scene_is_seen(user_client, user):
    project = project_make(owner=user)
    (scene,) = scenes_make(project=project, durations=["20"])
    reader = Reader(user_client, project)
    reader.both()

    assert user_client.delete(f"/projects/{project.pk}/scenes/{scene.pk}").status_code == 204

    detail, listed = reader.both()
    assert (detail["status"], detail["scenes"], listed[project.pk]["scene_count"]) == ("draft", [], 0)


def test_scene_reorder_is_seen(reader, user_client):
    ids = list(Scene.objects.filter(project_id=reader.project_id).order_by("scene_index").values_list("pk", flat=True))
    response = user_client.post(f"/projects/{reader.project_id}/scenes/reorder", {"order": ids[::-1]}, format="json")
    assert response.status_code == 200, response.content

    assert [s["id"] for s in reader.detail()["scenes"]] == ids[::-1]


def test_character_patch_is_seen_with_the_scene_prompts_that_follow(reader, user_client):
    anna = reader.detail()["characters"][0]
    response = user_client.patch(
        f"/projects/{reader.project_id}/characters/{anna['id']}", {"prompt": "Anna in a red coat"}, format="json"
    )
    assert response.status_code == 200, response.content

    detail = reader.detail()
    assert detail["characters"][0]["prompt"] == "Anna in a red coat"
    assert detail["scenes"][0]["character_prompts"] == ["Anna in a red coat"]


def test_project_create_and_delete_are_seen_in_the_list(reader, user_client):
    created = user_client.post("/projects", {"title": "Second", "story_text": FABLE}, format="json").json()["data"]

    listed = reader.listed()
    assert listed["total"] == 2
    assert created["id"] in listed

    assert user_client.delete(f"/projects/{reader.project_id}").status_code == 204

    listed = reader.listed()
    assert listed["total"] == 1
    assert reader.project_id not in listed
    assert user_client.get(f"/projects/{reader.project_id}").status_code == 404


def test_a_page_of_the_list_is_refreshed_when_a_project_on_it_changes(user_client, user):
    projects = [project_make(owner=user, title=f"P{number}") for number in range(4)]
    page = "/projects?limit=2&offset=1"
    assert [item["title"] for item in user_client.get(page).json()] == ["P2", "P1"]

    response = user_client.patch(f"/projects/{projects[1].pk}/status", {"status": "failed"}, format="json")
    assert response.status_code == 200, response.content

    assert [item["status"] for item in user_client.get(page).json()] == ["segmented", "failed"]


@pytest.fixture
def queued(monkeypatch) -> list[str]:
    """Segmentation queued as on a real broker, but not run: the test runs the task itself."""
    sent: list[str] = []
    monkeypatch.setattr(segmentation, "_tasks_run_eagerly", lambda: False)
    monkeypatch.setattr(segment_project, "apply_async", lambda args, task_id: sent.append(task_id))
    return sent


@pytest.fixture
def draft(user_client, user) -> Reader:
    project = Project.objects.create(owner=user, title="Fox and Crow", story_text=FABLE, duration_sec=24)
    reader = Reader(user_client, project)
    reader.both()
    return reader


def _start(reader: Reader, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.client.post(f"/projects/{reader.project_id}/segment", {"scene_count": 2}, format="json")
    assert response.status_code == 202, response.content


def test_segmentation_start_and_finish_are_seen(draft, queued, django_capture_on_commit_callbacks):
    _start(draft, django_capture_on_commit_callbacks)

    detail, listed = draft.both()
    assert detail["status"] == listed[draft.project_id]["status"] == "segmenting"
    assert detail["segmentation"]["task_id"] == queued[0]

    assert segmentation.segmentation_run(project_id=draft.project_id, task_id=queued[0]) == "segmented"

    detail, listed = draft.both()
    assert detail["status"] == "segmented"
    assert len(detail["scenes"]) == 2
    assert listed[draft.project_id]["scene_count"] == 2


def test_segmentation_failure_is_seen(draft, queued, django_capture_on_commit_callbacks):
    _start(draft, django_capture_on_commit_callbacks)
    draft.both()

    segmentation.segmentation_fail(project_id=draft.project_id, task_id=queued[0], error="The engine gave up.")

    detail, listed = draft.both()
    assert (detail["status"], detail["segmentation"]["error"]) == ("failed", "The engine gave up.")
    assert listed[draft.project_id]["status"] == "failed"


def test_the_reaper_is_seen(draft, queued, django_capture_on_commit_callbacks):
    _start(draft, django_capture_on_commit_callbacks)
    draft.both()

    assert segmentation.segmentation_reap_stuck(older_than=timedelta(0)) == [draft.project_id]

    detail, listed = draft.both()
    assert detail["status"] == listed[draft.project_id]["status"] == "failed"


def test_a_start_the_broker_refused_is_seen_put_back(draft, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(args, task_id):
        raise OperationalError("broker down")

    monkeypatch.setattr(segmentation, "_tasks_run_eagerly", lambda: False)
    monkeypatch.setattr(segment_project, "apply_async", refuse)
    with django_capture_on_commit_callbacks() as after_commit:
        response = draft.client.post(f"/projects/{draft.project_id}/segment", {"scene_count": 2}, format="json")
    assert response.status_code == 202, response.content
    assert draft.detail()["status"] == draft.listed()[draft.project_id]["status"] == "segmenting"  # cached

    *cache_refreshes, dispatch = after_commit
    for refresh in cache_refreshes:
        refresh()
    with pytest.raises(OperationalError):
        dispatch()  # the broker refuses, and the project is put back

    detail, listed = draft.both()
    assert detail["status"] == listed[draft.project_id]["status"] == "draft"


def test_inline_segmentation_is_seen(draft, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(segmentation, "_tasks_run_eagerly", lambda: True)
    _start(draft, django_capture_on_commit_callbacks)

    detail, listed = draft.both()
    assert detail["status"] == "segmented"
    assert listed[draft.project_id]["scene_count"] == len(detail["scenes"]) == 2


# --- the Django admin ----------------------------------------------------------------------------


@pytest.fixture
def staff_client(make_user):
    from django.test import Client

    client = Client()
    client.force_login(make_user(email="staff@example.com", role="admin"))
    return client


def admin_change_form(project: Project, **changes) -> dict:
    """What the Django admin's change page of `project` posts, with `changes` to its fields."""
    form = {
        "owner": project.owner_id,
        "title": project.title,
        "story_text": project.story_text,
        "duration_sec": project.duration_sec,
        "status": project.status,
        "video_path": "",
        "scenes-TOTAL_FORMS": 3,
        "scenes-INITIAL_FORMS": 3,
        "scenes-MIN_NUM_FORMS": 0,
        "scenes-MAX_NUM_FORMS": 1000,
        "characters-TOTAL_FORMS": 2,
        "characters-INITIAL_FORMS": 2,
        "characters-MIN_NUM_FORMS": 0,
        "characters-MAX_NUM_FORMS": 1000,
        **changes,
    }
    for prefix, model_ids in (
        ("scenes", Scene.objects.filter(project=project).order_by("scene_index").values_list("pk", flat=True)),
        ("characters", project.characters.order_by("id").values_list("pk", flat=True)),
    ):
        for position, pk in enumerate(model_ids):
            form[f"{prefix}-{position}-id"] = pk
            form[f"{prefix}-{position}-project"] = project.pk
    return form


def test_an_admin_edit_is_seen(reader, project, staff_client, settings):
    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/{project.pk}/change/"
    response = staff_client.post(url, admin_change_form(project, title="Edited by staff"))
    assert response.status_code == 302, response.content.decode()[:2000]

    detail, listed = reader.both()
    assert detail["title"] == listed[project.pk]["title"] == "Edited by staff"


def test_an_admin_move_to_another_owner_is_seen_by_both(
    reader, project, other_client, other_user, staff_client, settings
):
    assert other_client.get("/projects").json() == []  # cached, empty

    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/{project.pk}/change/"
    response = staff_client.post(url, admin_change_form(project, owner=other_user.pk))
    assert response.status_code == 302, response.content.decode()[:2000]

    assert reader.client.get(f"/projects/{project.pk}").status_code == 404
    assert reader.listed() == {"total": 0}
    assert [item["id"] for item in other_client.get("/projects").json()] == [project.pk]
    assert other_client.get(f"/projects/{project.pk}").json()["title"] == "Harbour"


def test_an_admin_delete_is_seen(reader, project, staff_client, settings):
    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/{project.pk}/delete/"
    assert staff_client.post(url, {"post": "yes"}).status_code == 302

    assert reader.client.get(f"/projects/{project.pk}").status_code == 404
    assert reader.listed() == {"total": 0}


def test_the_admin_segment_again_action_is_seen(draft, staff_client, settings, monkeypatch):
    monkeypatch.setattr(segmentation, "_tasks_run_eagerly", lambda: True)
    url = f"/{settings.DJANGO_ADMIN_URL}projects/project/"
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff_client.post(url, {"action": "segment_again", "_selected_action": [draft.project_id]})
    assert response.status_code == 302

    detail, listed = draft.both()
    assert detail["status"] == "segmented"
    assert listed[draft.project_id]["scene_count"] == len(detail["scenes"])


# --- when the cache is not there, or not asked for ------------------------------------------------


class BrokenCache:
    def get(self, *args, **kwargs):
        raise ConnectionInterrupted(connection=None)

    set = get


def test_an_unreachable_answer_cache_falls_back_to_the_database(reader, user_client, monkeypatch):
    expected_detail, expected_list = user_client.get(f"/projects/{reader.project_id}"), user_client.get("/projects")
    monkeypatch.setattr(responses, "cache", BrokenCache())

    detail, listed = user_client.get(f"/projects/{reader.project_id}"), user_client.get("/projects")

    assert (detail.status_code, listed.status_code) == (200, 200)
    assert detail.content == expected_detail.content
    assert listed.content == expected_list.content
    assert listed["X-Total-Count"] == "1"


def test_an_indented_answer_is_rendered_as_asked_not_from_the_cache(reader, user_client):
    compact = user_client.get(f"/projects/{reader.project_id}").content

    indented = user_client.get(f"/projects/{reader.project_id}", HTTP_ACCEPT="application/json; indent=2")

    assert indented.status_code == 200
    assert indented.content != compact
    assert json.loads(indented.content) == json.loads(compact)


def test_another_users_read_of_a_cached_project_is_still_404(reader, other_client):
    assert other_client.get(f"/projects/{reader.project_id}").status_code == 404
    assert other_client.get("/projects").json() == []
