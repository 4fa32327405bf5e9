"""POST /projects/segment and POST /projects/{id}/segment through the test client (inline Celery tasks)."""

from __future__ import annotations

import pytest
from kombu.exceptions import OperationalError as BrokerOperationalError

import story
from projects.models import Project, ProjectStatus
from scenes import segmentation
from scenes.models import Scene
from scenes.tasks import segment_project
from scenes.throttles import SegmentThrottle

FABLE = (
    "A Crow sat on a branch with a piece of cheese in her beak. A Fox saw her from below.\n\n"
    '"What a fine bird," said the Fox. "Surely her voice is as fine as her feathers."\n\n'
    "The Crow opened her beak to sing, and the cheese fell. The Fox ate it and ran off into the woods."
)

pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def project(user) -> Project:
    return Project.objects.create(owner=user, title="Fox and Crow", story_text=FABLE, duration_sec=24)


@pytest.mark.django_db(transaction=True)
def test_segment_runs_inline_and_answers_with_the_scenes(user_client, project):
    response = user_client.post(
        "/projects/segment", {"projectId": project.pk, "options": {"scene_count": 3}}, format="json"
    )

    assert response.status_code == 202, response.content
    project.refresh_from_db()
    body = response.json()
    scenes = body["data"].pop("scenes")
    assert body == {
        "message": "Segmentation started",
        "status_code": 202,
        "data": {"project_id": project.pk, "status": "segmented", "task_id": project.segmentation_task_id},
    }
    assert [scene["scene_index"] for scene in scenes] == [0, 1, 2]
    assert [scene["id"] for scene in scenes] == list(
        Scene.objects.filter(project=project).order_by("scene_index").values_list("id", flat=True)
    )
    assert sum(scene["duration_sec"] for scene in scenes) == 24
    assert project.status == ProjectStatus.SEGMENTED


@pytest.mark.django_db(transaction=True)
def test_segment_by_id_takes_the_options_as_the_body(user_client, project):
    response = user_client.post(
        f"/projects/{project.pk}/segment/", {"max_scenes": 2, "style": "cinematic"}, format="json"
    )

    assert response.status_code == 202, response.content
    assert response.json()["data"]["status"] == "segmented"
    assert Scene.objects.filter(project=project).count() <= 2
    assert all("cinematic film still" in scene.background_prompt for scene in Scene.objects.filter(project=project))


@pytest.mark.django_db(transaction=True)
def test_segment_with_an_empty_body_uses_the_defaults(user_client, project):
    response = user_client.post(f"/projects/{project.pk}/segment", format="json")

    assert response.status_code == 202, response.content
    assert response.json()["data"]["status"] == "segmented"


def test_a_running_segmentation_is_shared_not_started_twice(user_client, project, monkeypatch):
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTING, segmentation_task_id="running")
    monkeypatch.setattr(segment_project, "apply", lambda *a, **k: pytest.fail("a second task ran"))
    monkeypatch.setattr(segment_project, "apply_async", lambda *a, **k: pytest.fail("a second task was queued"))

    response = user_client.post("/projects/segment", {"projectId": project.pk}, format="json")

    assert response.status_code == 202
    assert response.json()["data"] == {"project_id": project.pk, "status": "segmenting", "task_id": "running"}


@pytest.mark.django_db(transaction=True)
def test_an_engine_error_answers_failed_and_the_detail_says_why(user_client, project, monkeypatch):
    def refuse(*args, **kwargs):
        raise story.StoryInputError("The story text is empty: write or paste a story first.")

    monkeypatch.setattr(story, "segment", refuse)

    response = user_client.post(f"/projects/{project.pk}/segment", {}, format="json")

    assert response.status_code == 202
    assert response.json()["data"]["status"] == "failed"
    detail = user_client.get(f"/projects/{project.pk}").json()
    assert detail["status"] == "failed"
    assert detail["segmentation"]["error"] == "The story text is empty: write or paste a story first."


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"scene_count": 0}, "options.scene_count"),
        ({"scene_count": 201}, "options.scene_count"),
        ({"max_scenes": "many"}, "options.max_scenes"),
        ({"style": "baroque"}, "options.style"),
        ({"format": "poem"}, "options.format"),
    ],
)
def test_bad_options_answer_400_and_start_nothing(user_client, project, options, field):
    response = user_client.post("/projects/segment", {"projectId": project.pk, "options": options}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["status_code"] == 400
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert project.segmentation_task_id is None


def test_a_missing_project_id_is_a_validation_error(user_client):
    response = user_client.post("/projects/segment", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["projectId"]


def test_another_users_project_is_not_found(other_client, project):
    for response in (
        other_client.post("/projects/segment", {"projectId": project.pk}, format="json"),
        other_client.post(f"/projects/{project.pk}/segment", {}, format="json"),
    ):
        assert response.status_code == 404
        assert response.json()["status_code"] == 404
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_segmenting_needs_a_login(api_client, project):
    response = api_client.post(f"/projects/{project.pk}/segment", {}, format="json")

    assert response.status_code == 401


def test_segment_is_throttled_per_user(user_client, project, monkeypatch):
    monkeypatch.setattr(SegmentThrottle, "THROTTLE_RATES", {"segment": "2/min"})
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTING, segmentation_task_id="running")

    statuses = [user_client.post(f"/projects/{project.pk}/segment", {}, format="json") for _ in range(3)]

    assert [r.status_code for r in statuses] == [202, 202, 429]
    assert int(statuses[-1]["Retry-After"]) > 0
    assert statuses[-1].json()["status_code"] == 429


@pytest.mark.django_db(transaction=True)
def test_broker_down_answers_503_and_leaves_the_project_as_it_was(user_client, project, monkeypatch):
    def broker_down(*args, **kwargs):
        raise BrokerOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(segmentation, "_tasks_run_eagerly", lambda: False)
    monkeypatch.setattr(segment_project, "apply_async", broker_down)

    response = user_client.post(f"/projects/{project.pk}/segment", {}, format="json")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
