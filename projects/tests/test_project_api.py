"""The /projects routes, through URLs with a client logged in by the real cookie login."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from projects.models import Project, ProjectStatus
from scenes.models import Asset, Character, Scene
from scenes.tests.factories import asset_make, characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def project_json(project: Project, scene_count: int = 0) -> dict:
    return {
        "id": project.pk,
        "title": project.title,
        "story_text": project.story_text,
        "duration_sec": project.duration_sec,
        "status": project.status,
        "video_path": project.video_path,
        "source_format": project.source_format,
        "scene_count": scene_count,
        "created_at": iso(project.created_at),
        "updated_at": iso(project.updated_at),
    }


# --- POST /projects ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/projects", "/projects/"])
def test_create_answers_201_with_the_draft_project(user_client, user, path):
    response = user_client.post(
        path, {"title": "  The Harbour  ", "story_text": " Anna sails.\n", "duration_sec": 30}, format="json"
    )

    assert response.status_code == 201, response.content
    project = Project.objects.get()
    assert response.json() == {
        "message": "Project created successfully",
        "status_code": 201,
        "data": project_json(project),
    }
    assert project.owner == user
    assert project.title == "The Harbour"  # trimmed
    assert project.story_text == " Anna sails.\n"  # kept exactly
    assert project.duration_sec == 30
    assert project.status == ProjectStatus.DRAFT
    created_at = parse_datetime(response.json()["data"]["created_at"])
    assert created_at is not None
    assert created_at.tzinfo is not None


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("20", 20), ("", 20), ("  ", 20), (None, 20), (5, 5), (600, 600), (" 45 ", 45), ("600", 600), (60.0, 60)],
)
def test_create_accepts_duration_as_number_numeric_string_empty_or_null(user_client, sent, stored):
    response = user_client.post("/projects", {"title": "T", "story_text": "S", "duration_sec": sent}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["duration_sec"] == stored
    assert Project.objects.get().duration_sec == stored


def test_create_without_duration_uses_the_default(user_client):
    response = user_client.post("/projects", {"title": "T", "story_text": "S"}, format="json")

    assert response.status_code == 201
    assert Project.objects.get().duration_sec == 20


DURATION_RULE = "duration_sec must be a whole number of seconds from 5 to 600."


@pytest.mark.parametrize(
    "sent", ["abc", 4, 601, 20.5, "20.5", "-5", True, [20], {"s": 20}, "9" * 2000, "\u0662\u0660", "\uff12\uff10"]
)
def test_create_refuses_a_bad_duration_with_a_clear_message(user_client, sent):
    response = user_client.post("/projects", {"title": "T", "story_text": "S", "duration_sec": sent}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"duration_sec: {DURATION_RULE}",
        "message": f"duration_sec: {DURATION_RULE}",
        "status_code": 400,
        "code": "validation_error",
        "errors": {"duration_sec": [DURATION_RULE]},
    }
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"story_text": "S"}, "title", "This field is required."),
        ({"title": "", "story_text": "S"}, "title", "Give the project a title."),
        ({"title": "   ", "story_text": "S"}, "title", "Give the project a title."),
        ({"title": "x" * 201, "story_text": "S"}, "title", "The title is too long: at most 200 characters."),
        ({"title": None, "story_text": "S"}, "title", "This field may not be null."),
        ({"title": "T"}, "story_text", "This field is required."),
        (
            {"title": "T", "story_text": ""},
            "story_text",
            "The story is empty: paste the story or screenplay to turn into scenes.",
        ),
        (
            {"title": "T", "story_text": " \n\t "},
            "story_text",
            "The story is empty: paste the story or screenplay to turn into scenes.",
        ),
        ({"title": "T", "story_text": "a\x00b"}, "story_text", "Null characters are not allowed."),
    ],
)
def test_create_refuses_bad_title_or_story(user_client, body, field, message):
    response = user_client.post("/projects", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"{field}: {message}",
        "message": f"{field}: {message}",
        "status_code": 400,
        "code": "validation_error",
        "errors": {field: [message]},
    }
    assert not Project.objects.exists()


def test_create_accepts_a_title_of_200_characters_counting_emoji_as_one(user_client):
    title = "🎬" * 200
    response = user_client.post("/projects", {"title": title, "story_text": "S"}, format="json")

    assert response.status_code == 201
    assert Project.objects.get().title == title


@pytest.mark.parametrize("char", ["a", "😀"])
def test_create_accepts_a_story_of_500000_characters_and_refuses_500001(user_client, char):
    accepted = user_client.post("/projects", {"title": "Long", "story_text": char * 500_000}, format="json")
    refused = user_client.post("/projects", {"title": "Longer", "story_text": char * 500_001}, format="json")

    assert accepted.status_code == 201, accepted.content[:300]
    assert Project.objects.get().story_text == char * 500_000
    message = "The story is too long: at most 500,000 characters are accepted."
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": f"story_text: {message}",
        "message": f"story_text: {message}",
        "status_code": 400,
        "code": "validation_error",
        "errors": {"story_text": [message]},
    }
    assert Project.objects.count() == 1


def test_create_refuses_a_body_that_is_not_an_object(user_client):
    response = user_client.post("/projects", ["title"], format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


# --- GET /projects ------------------------------------------------------------------


def test_list_is_a_bare_array_of_my_projects_newest_first_with_total(user_client, user, other_user):
    older = project_make(owner=user, title="Older")
    newer = project_make(owner=user, title="Newer")
    scenes_make(project=newer, durations=["10", "10"])
    project_make(owner=other_user, title="Not mine")

    response = user_client.get("/projects")

    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    assert response.json() == [project_json(newer, scene_count=2), project_json(older)]


def test_list_pages_with_limit_and_offset(user_client, user):
    projects = [project_make(owner=user, title=f"P{number}") for number in range(5)]

    response = user_client.get("/projects/?limit=2&offset=1")

    assert response.status_code == 200
    assert response["X-Total-Count"] == "5"
    assert [item["id"] for item in response.json()] == [projects[3].pk, projects[2].pk]


def test_list_of_someone_without_projects_is_empty(user_client, other_user):
    project_make(owner=other_user)

    response = user_client.get("/projects")

    assert response.status_code == 200
    assert response.json() == []
    assert response["X-Total-Count"] == "0"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=0", "limit", "Ensure this value is greater than or equal to 1."),
        ("limit=1001", "limit", "Ensure this value is less than or equal to 1000."),
        ("limit=abc", "limit", "A valid integer is required."),
        ("offset=-1", "offset", "Ensure this value is greater than or equal to 0."),
        ("offset=99999999999999999999999", "offset", "Ensure this value is less than or equal to 1000000000."),
    ],
)
def test_list_refuses_bad_paging(user_client, query, field, message):
    response = user_client.get(f"/projects?{query}")

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}


def test_list_of_250_projects_takes_a_fixed_number_of_queries(user_client, user, django_assert_num_queries):
    projects = Project.objects.bulk_create(
        [Project(owner=user, title=f"P{number}", story_text="S", duration_sec=20) for number in range(250)]
    )
    scenes_make(project=projects[-1], durations=["5", "15"])
    user_client.get("/projects?limit=1")  # the user behind the token is in the session cache from now on

    # The page and the total.
    with django_assert_num_queries(2):
        response = user_client.get("/projects")

    assert response.status_code == 200
    assert len(response.json()) == 200  # the default page: as many projects as one account may keep
    assert response["X-Total-Count"] == "250"
    assert sum(item["scene_count"] for item in response.json()) == 2


# --- GET /projects/{id} --------------------------------------------------------------


def test_detail_is_the_bare_project_with_scenes_in_order_characters_and_segmentation(user_client, user):
    project = project_make(owner=user)
    Project.objects.filter(pk=project.pk).update(segmentation_task_id="task-1", segmentation_format="prose")
    project.refresh_from_db()
    first, second = scenes_make(project=project, durations=["12.5", "7.5"], characters=[["Anna"], []])
    Scene.objects.filter(pk=first.pk).update(scene_index=5)  # stored out of order: the answer still is by index
    Scene.objects.filter(pk=second.pk).update(scene_index=0)
    (anna,) = characters_make(project=project, names=["Anna"])

    response = user_client.get(f"/projects/{project.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body == {
        **project_json(project, scene_count=2),
        "scenes": [body["scenes"][0], body["scenes"][1]],
        "characters": [
            {
                "id": anna.pk,
                "name": "Anna",
                "aliases": ["Ann"],
                "description": "Anna, tall",
                "prompt": "Anna",
                "image_path": None,
            }
        ],
        "segmentation": {
            "status": "segmented",
            "task_id": "task-1",
            "error": None,
            "format": "prose",
            "started_at": None,
            "finished_at": None,
            "enriched_fields": [],
            "warning": None,
            "text_model": None,
            "tokens_used": None,
            "enrich_seconds": None,
        },
        "frames": NO_JOB,
        "render": NO_JOB,
    }
    assert [scene["id"] for scene in body["scenes"]] == [second.pk, first.pk]
    assert body["scenes"][1] == {
        "id": first.pk,
        "scene_index": 5,
        "title": "Scene 0",
        "description": "What happens in scene 0.",
        "text": "Text 0.",
        "start_char": 0,
        "end_char": 8,
        "location": None,
        "time_of_day": None,
        "mood": None,
        "characters": ["Anna"],
        "start_sec": 0.0,
        "duration_sec": 12.5,
        "background_prompt": "background 0",
        "character_prompts": ["Anna as drawn in scene 0"],
        "camera": "static",
        "dialogue": [],
        "character_paths": [None],
        "background_path": None,
        "frame_path": None,
    }


NO_JOB = {"status": "none", "progress": 0, "error": None, "task_id": None, "started_at": None, "finished_at": None}


def test_detail_of_200_scenes_and_20_characters_takes_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries
):
    project = project_make(owner=user, duration_sec=600)
    scenes_make(project=project, durations=["3"] * 200)
    characters_make(project=project, names=[f"Person {number}" for number in range(20)])
    user_client.get("/projects?limit=1")  # the user behind the token is in the session cache from now on

    # The project with its segmentation record, the scenes, the characters (the scene count is theirs).
    with django_assert_num_queries(3):
        response = user_client.get(f"/projects/{project.pk}/")

    assert response.status_code == 200
    assert response.json()["scene_count"] == 200
    assert len(response.json()["scenes"]) == 200
    assert len(response.json()["characters"]) == 20


@pytest.mark.parametrize("project_id", ["999999", "99999999999999999999999999"])
def test_detail_of_a_missing_project_is_404(user_client, project_id):
    response = user_client.get(f"/projects/{project_id}")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Project not found.",
        "message": "Project not found.",
        "status_code": 404,
        "code": "project_not_found",
    }


# --- PATCH /projects/{id}/status -----------------------------------------------------


@pytest.mark.parametrize("path", ["/projects/{id}/status", "/projects/{id}/status/"])
def test_status_answers_the_bare_project(user_client, user, path):
    project = project_make(owner=user, status=ProjectStatus.SEGMENTED)
    scenes_make(project=project, durations=["20"])

    response = user_client.patch(path.format(id=project.pk), {"status": "completed"}, format="json")

    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert response.json() == project_json(project, scene_count=1)


@pytest.mark.parametrize("status", ["segmenting", "done", "", None])
def test_status_refuses_segmenting_and_unknown_values(user_client, user, status):
    project = project_make(owner=user, status=ProjectStatus.DRAFT)

    response = user_client.patch(f"/projects/{project.pk}/status", {"status": status}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_status_message_explains_that_segmenting_belongs_to_the_server(user_client, user):
    project = project_make(owner=user)

    response = user_client.patch(f"/projects/{project.pk}/status", {"status": "segmenting"}, format="json")

    message = (
        "'segmenting' is not a status you can set: choose draft, segmented, completed or failed "
        "('segmenting' is set by the server when segmentation starts)."
    )
    assert response.json()["errors"] == {"status": [message]}


def test_status_while_segmenting_is_409(user_client, user):
    project = project_make(owner=user, status=ProjectStatus.SEGMENTING)

    response = user_client.patch(f"/projects/{project.pk}/status", {"status": "draft"}, format="json")

    assert response.status_code == 409
    message = (
        "The project is being segmented and its scenes are about to be replaced; "
        "it can change again once segmentation has finished."
    )
    assert response.json() == {"detail": message, "message": message, "status_code": 409, "code": "project_segmenting"}
    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTING


# --- DELETE /projects/{id} -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/projects/{id}", "/projects/{id}/"])
def test_delete_removes_the_project_its_rows_and_after_commit_its_files(
    user_client, user, media_root, django_capture_on_commit_callbacks, path
):
    project = project_make(owner=user)
    (scene,) = scenes_make(project=project, durations=["20"])
    characters_make(project=project, names=["Anna"])
    project_asset = asset_make(project=project, name="video.mp4")
    scene_asset = asset_make(project=project, scene=scene, name="bg.png")
    kept = asset_make(project=project_make(owner=user, title="Kept"), name="kept.png")
    files = [media_root / project_asset.file.name, media_root / scene_asset.file.name]
    assert all(file.exists() for file in files)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = user_client.delete(path.format(id=project.pk))

    assert response.status_code == 204
    assert response.content == b""
    assert len(callbacks) == 2  # the files' removal, and the owner's cached row rewritten
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Scene.objects.filter(project_id=project.pk).exists()
    assert not Character.objects.filter(project_id=project.pk).exists()
    assert list(Asset.objects.all()) == [kept]
    assert not any(file.exists() for file in files)
    assert (media_root / kept.file.name).exists()


def test_delete_keeps_the_files_until_the_transaction_commits(user, media_root, django_capture_on_commit_callbacks):
    from projects.services import project_delete

    project = project_make(owner=user)
    asset = asset_make(project=project)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project_delete(project=project)

    assert (media_root / asset.file.name).exists()  # not yet: the transaction has not committed
    for callback in callbacks:
        callback()
    assert not (media_root / asset.file.name).exists()


def test_delete_survives_a_file_already_gone(user_client, user, media_root, django_capture_on_commit_callbacks):
    project = project_make(owner=user)
    asset = asset_make(project=project)
    (media_root / asset.file.name).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.delete(f"/projects/{project.pk}")

    assert response.status_code == 204
    assert not Project.objects.exists()


# --- Ownership, authentication and routing ----------------------------------------------

OWNED_ROUTES = [
    ("get", "/projects/{id}", None),
    ("patch", "/projects/{id}/status", {"status": "draft"}),
    ("delete", "/projects/{id}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), OWNED_ROUTES)
@pytest.mark.parametrize("slash", ["", "/"])
def test_another_users_project_is_404_on_every_route(other_client, user, method, path, body, slash):
    project = project_make(owner=user, status=ProjectStatus.SEGMENTED)

    response = getattr(other_client, method)(path.format(id=project.pk) + slash, body, format="json")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Project not found.",
        "message": "Project not found.",
        "status_code": 404,
        "code": "project_not_found",
    }
    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/projects"),
        ("post", "/projects/"),
        ("get", "/projects/1"),
        ("patch", "/projects/1/status"),
        ("delete", "/projects/1"),
    ],
)
def test_every_route_needs_a_login(method, path):
    response = getattr(APIClient(), method)(path, {}, format="json")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "message", "status_code", "code"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/projects/{id}"),
        ("patch", "/projects/{id}"),
        ("delete", "/projects"),
        ("post", "/projects/{id}/status"),
    ],
)
def test_methods_a_route_does_not_have_are_405(user_client, user, method, path):
    project = project_make(owner=user)

    response = getattr(user_client, method)(path.format(id=project.pk), {}, format="json")

    assert response.status_code == 405
    assert response.json()["status_code"] == 405


def test_openapi_describes_bare_and_enveloped_answers(user_client):
    schema = APIClient().get("/openapi.json").json()

    projects = schema["paths"]["/projects"]
    assert projects["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert "X-Total-Count" in projects["get"]["responses"]["200"]["headers"]
    created = projects["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][created.rsplit("/", 1)[1]]["properties"]) == {
        "message",
        "status_code",
        "data",
    }
    detail = schema["paths"]["/projects/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert detail["$ref"].endswith("/ProjectDetailOutput")
    for path in [
        "/projects/{id}/status",
        "/projects/{project_pk}/scenes",
        "/projects/{project_pk}/scenes/{id}",
        "/projects/{project_pk}/scenes/reorder",
        "/projects/{project_pk}/characters",
        "/projects/{project_pk}/characters/{id}",
    ]:
        assert path in schema["paths"]


@pytest.mark.mysql
def test_emoji_and_cjk_come_back_unchanged_through_mariadb(user_client, user):
    title = "東京物語 🎬 — café"
    story = "INT. 茶室 - 夜\n\n花子 👘 pours tea. 😀🇯🇵👨‍👩‍👧 «ça va?» 한국어 𠜎𠜱"

    created = user_client.post("/projects", {"title": title, "story_text": story, "duration_sec": "20"}, format="json")
    project_id = created.json()["data"]["id"]
    fetched = user_client.get(f"/projects/{project_id}").json()

    assert created.status_code == 201
    assert (fetched["title"], fetched["story_text"]) == (title, story)
    stored = Project.objects.get(pk=project_id)
    assert (stored.title, stored.story_text) == (title, story)
    assert Project.objects.filter(title=title).exists()


@pytest.mark.mysql
def test_a_200_emoji_title_and_a_500000_emoji_story_fit_mariadb(user_client):
    response = user_client.post("/projects", {"title": "😀" * 200, "story_text": "𠜎" * 500_000}, format="json")

    assert response.status_code == 201
    stored = Project.objects.get()
    assert stored.title == "😀" * 200
    assert stored.story_text == "𠜎" * 500_000
    assert stored.scenes.count() == 0
    assert Decimal(stored.duration_sec) == 20


@pytest.mark.parametrize("story", ["\u0092", "\u0301", "\u200d\u200d"])
def test_a_story_of_characters_a_collation_ignores_is_stored_not_a_500(user_client, story):
    # MariaDB's unicode collations compare these equal to '', which once broke a `<> ''` check.
    response = user_client.post("/projects", {"title": "Odd", "story_text": story}, format="json")

    assert response.status_code == 201
    assert Project.objects.get().story_text == story
