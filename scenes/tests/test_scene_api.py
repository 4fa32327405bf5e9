"""The scene and character editing routes under /projects/{id}, through URLs with a logged-in client."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from projects.models import Project, ProjectStatus
from scenes.models import Asset, Character, Scene
from scenes.selectors import character_rows, scene_rows
from scenes.serializers import CharacterOutputSerializer, SceneOutputSerializer
from scenes.tests.factories import asset_make, characters_make, project_make, scenes_make

pytestmark = pytest.mark.django_db


def scene_out(scene: Scene) -> dict:
    """The scene as the API shows it, from the database."""
    (row,) = scene_rows(project_id=scene.project_id, scene_ids=[scene.pk])
    return SceneOutputSerializer(row).data


def character_out(character: Character) -> dict:
    (row,) = character_rows(project_id=character.project_id, character_ids=[character.pk])
    return CharacterOutputSerializer(row).data


def timeline(project: Project) -> list[tuple[int, int, Decimal, Decimal]]:
    """(id, scene_index, start_sec, duration_sec) of every stored scene, by index."""
    return list(
        Scene.objects.filter(project=project)
        .order_by("scene_index")
        .values_list("id", "scene_index", "start_sec", "duration_sec")
    )


def assert_consistent(project: Project) -> None:
    """Contiguous indexes from 0, cumulative starts, durations summing to the project's."""
    rows = timeline(project)
    assert [index for _, index, _, _ in rows] == list(range(len(rows)))
    start = Decimal(0)
    for _, _, start_sec, duration_sec in rows:
        assert start_sec == start
        start += duration_sec
    if rows:
        assert start == project.duration_sec


def d(*values: str) -> list[Decimal]:
    return [Decimal(value) for value in values]


@pytest.fixture
def project(user):
    return project_make(owner=user, duration_sec=20)


@pytest.fixture
def scenes(project):
    return scenes_make(project=project, durations=["5", "5", "10"], characters=[["Anna", "Ben"], ["Ben"], []])


# --- GET /projects/{id}/scenes -------------------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_list_scenes_is_an_envelope_of_the_scenes_in_order(user_client, project, scenes, slash):
    Scene.objects.filter(pk=scenes[0].pk).update(scene_index=7)

    response = user_client.get(f"/projects/{project.pk}/scenes{slash}")

    assert response.status_code == 200
    ordered = [scenes[1], scenes[2], Scene.objects.get(pk=scenes[0].pk)]
    assert response.json() == {
        "message": "Scenes retrieved successfully",
        "status_code": 200,
        "data": [scene_out(scene) for scene in ordered],
    }
    assert response.json()["data"][0]["duration_sec"] == 5.0


def test_list_of_200_scenes_takes_a_fixed_number_of_queries(user_client, user, django_assert_num_queries):
    big = project_make(owner=user, duration_sec=600)
    scenes_make(project=big, durations=["3"] * 200, characters=[["Anna", "Ben"]] * 200)
    user_client.get("/projects?limit=1")  # the user behind the token is in the session cache from now on

    # The project (is it the caller's?), its scenes with their images, its characters' images (the scenes'
    # character_paths).
    with django_assert_num_queries(3):
        response = user_client.get(f"/projects/{big.pk}/scenes")

    assert response.status_code == 200
    assert len(response.json()["data"]) == 200


def test_list_scenes_of_a_project_without_scenes_is_empty(user_client, project):
    response = user_client.get(f"/projects/{project.pk}/scenes")

    assert response.json() == {"message": "Scenes retrieved successfully", "status_code": 200, "data": []}


# --- PATCH /projects/{id}/scenes/{scene_id} ---------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_patch_scene_texts_and_prompts(user_client, project, scenes, slash):
    body = {
        "title": "  At the harbour ",
        "description": "",
        "background_prompt": "a grey harbour at dawn",
        "character_prompts": ["Anna in a red coat", "Ben with a cap"],
    }

    response = user_client.patch(f"/projects/{project.pk}/scenes/{scenes[0].pk}{slash}", body, format="json")

    assert response.status_code == 200, response.content
    scene = Scene.objects.get(pk=scenes[0].pk)
    assert response.json() == {
        "message": "Scene updated successfully",
        "status_code": 200,
        "data": scene_out(scene),
    }
    assert scene.title == "At the harbour"
    assert scene.description == ""
    assert scene.background_prompt == "a grey harbour at dawn"
    assert scene.character_prompts == ["Anna in a red coat", "Ben with a cap"]
    assert scene.characters == ["Anna", "Ben"]
    assert [row[3] for row in timeline(project)] == d("5", "5", "10")  # durations untouched


def test_patch_duration_rescales_the_others_to_keep_the_total(user_client, project, scenes):
    response = user_client.patch(f"/projects/{project.pk}/scenes/{scenes[1].pk}", {"duration_sec": 10}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["duration_sec"] == 10.0
    assert response.json()["data"]["start_sec"] == 3.333
    # The other 10 s shared 5 : 10 -> 3.333 + 6.667 (largest remainder rounds the second up).
    assert [row[2:] for row in timeline(project)] == [
        (Decimal("0"), Decimal("3.333")),
        (Decimal("3.333"), Decimal("10")),
        (Decimal("13.333"), Decimal("6.667")),
    ]
    assert_consistent(project)


@pytest.mark.parametrize("sent", ["2.5", 2.5, "0.001", "19.998"])
def test_patch_duration_accepts_numbers_strings_and_millisecond_precision(user_client, project, scenes, sent):
    response = user_client.patch(f"/projects/{project.pk}/scenes/{scenes[2].pk}", {"duration_sec": sent}, format="json")

    assert response.status_code == 200, response.content
    assert Scene.objects.get(pk=scenes[2].pk).duration_sec == Decimal(str(sent))
    assert_consistent(project)


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (20, "duration_sec must be at most 19.998 so that the other 2 scene(s) keep some of the project's 20 seconds."),
        (
            "19.999",
            "duration_sec must be at most 19.998 so that the other 2 scene(s) keep some of the project's 20 seconds.",
        ),
        (0, "duration_sec must be more than 0."),
        (-1, "duration_sec must be more than 0."),
        ("abc", "duration_sec must be a number of seconds, such as 2.5."),
        ("1.0005", "duration_sec is kept to the millisecond: use at most 3 decimal places."),
        (None, "This field may not be null."),
    ],
)
def test_patch_duration_refuses_what_leaves_no_time_or_is_not_a_duration(user_client, project, scenes, sent, message):
    response = user_client.patch(
        f"/projects/{project.pk}/scenes/{scenes[0].pk}", {"duration_sec": sent, "title": "New"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"duration_sec": [message]}
    assert response.json()["detail"] in (message, f"duration_sec: {message}")
    assert [row[3] for row in timeline(project)] == d("5", "5", "10")
    assert Scene.objects.get(pk=scenes[0].pk).title == "Scene 0"  # nothing written


def test_the_only_scene_must_last_the_whole_animatic(user_client, project):
    (scene,) = scenes_make(project=project, durations=["20"])
    url = f"/projects/{project.pk}/scenes/{scene.pk}"

    refused = user_client.patch(url, {"duration_sec": 10}, format="json")
    accepted = user_client.patch(url, {"duration_sec": "20.000"}, format="json")

    message = "This is the project's only scene, so it lasts the whole animatic: duration_sec must be 20."
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"duration_sec": [message]}
    assert accepted.status_code == 200
    assert timeline(project) == [(scene.pk, 0, Decimal("0"), Decimal("20"))]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"character_prompts": ["only one"]},
            "character_prompts",
            "character_prompts must have one prompt per character of the scene: 2 (Anna, Ben), not 1.",
        ),
        ({"character_prompts": "Anna"}, "character_prompts", 'Expected a list of items but got type "str".'),
        ({"title": ""}, "title", "A scene needs a title."),
        ({"title": "x" * 301}, "title", "Ensure this field has no more than 300 characters."),
        (
            {},
            "non_field_errors",
            "Send at least one of: title, description, background_prompt, character_prompts, duration_sec, camera.",
        ),
        (
            {"text": "not editable"},
            "non_field_errors",
            "Send at least one of: title, description, background_prompt, character_prompts, duration_sec, camera.",
        ),
    ],
)
def test_patch_scene_refuses_bad_fields(user_client, project, scenes, body, field, message):
    response = user_client.patch(f"/projects/{project.pk}/scenes/{scenes[0].pk}", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    scene = Scene.objects.get(pk=scenes[0].pk)
    assert (scene.title, scene.character_prompts, scene.text) == (
        "Scene 0",
        ["Anna as drawn in scene 0", "Ben as drawn in scene 0"],
        "Text 0.",
    )


# --- DELETE /projects/{id}/scenes/{scene_id} ----------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_delete_scene_closes_the_indexes_and_shares_its_time(
    user_client, project, scenes, media_root, django_capture_on_commit_callbacks, slash
):
    asset = asset_make(project=project, scene=scenes[1])
    kept = asset_make(project=project, scene=scenes[0], name="kept.png")

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.delete(f"/projects/{project.pk}/scenes/{scenes[1].pk}{slash}")

    assert response.status_code == 204
    assert response.content == b""
    # The freed 5 s go 5 : 10 to the others: 5 -> 6.667, 10 -> 13.333.
    assert timeline(project) == [
        (scenes[0].pk, 0, Decimal("0"), Decimal("6.667")),
        (scenes[2].pk, 1, Decimal("6.667"), Decimal("13.333")),
    ]
    assert list(Asset.objects.all()) == [kept]
    assert not (media_root / asset.file.name).exists()
    assert (media_root / kept.file.name).exists()
    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED


def test_delete_the_first_scene_renumbers_all(user_client, project, user):
    many = scenes_make(project=project, durations=["4"] * 5)

    response = user_client.delete(f"/projects/{project.pk}/scenes/{many[0].pk}")

    assert response.status_code == 204
    assert [(row[0], row[1], row[3]) for row in timeline(project)] == [
        (scene.pk, index, Decimal("5")) for index, scene in enumerate(many[1:])
    ]
    assert_consistent(project)


def test_deleting_the_last_scene_returns_the_project_to_draft(user_client, project):
    (scene,) = scenes_make(project=project, durations=["20"])

    response = user_client.delete(f"/projects/{project.pk}/scenes/{scene.pk}")

    assert response.status_code == 204
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert not Scene.objects.exists()


# --- POST /projects/{id}/scenes/reorder --------------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_reorder_puts_the_scenes_in_the_new_order_and_recomputes_starts(user_client, project, scenes, slash):
    order = [scenes[2].pk, scenes[0].pk, scenes[1].pk]

    response = user_client.post(f"/projects/{project.pk}/scenes/reorder{slash}", {"order": order}, format="json")

    assert response.status_code == 200, response.content
    assert timeline(project) == [
        (scenes[2].pk, 0, Decimal("0"), Decimal("10")),
        (scenes[0].pk, 1, Decimal("10"), Decimal("5")),
        (scenes[1].pk, 2, Decimal("15"), Decimal("5")),
    ]
    assert response.json() == {
        "message": "Scenes reordered successfully",
        "status_code": 200,
        "data": [scene_out(Scene.objects.get(pk=pk)) for pk in order],
    }


def test_reorder_of_200_scenes_reverses_them(user_client, user):
    project = project_make(owner=user, duration_sec=600)
    many = scenes_make(project=project, durations=["3"] * 200)

    response = user_client.post(
        f"/projects/{project.pk}/scenes/reorder", {"order": [scene.pk for scene in reversed(many)]}, format="json"
    )

    assert response.status_code == 200
    assert [row[0] for row in timeline(project)] == [scene.pk for scene in reversed(many)]
    assert_consistent(project)


@pytest.mark.parametrize(
    ("order", "problem"),
    [
        ("{0},{1}", "missing: {2}"),
        ("{0},{1},{2},{2}", "repeated: {2}"),
        ("{0},{1},{2},999999", "not scenes of this project: 999999"),
        ("{0},{0},{1}", "repeated: {0}; missing: {2}"),
        ("", "missing: {0}, {1}, {2}"),
    ],
)
def test_reorder_must_name_every_scene_exactly_once(user_client, project, scenes, order, problem):
    ids = {str(number): scene.pk for number, scene in enumerate(scenes)}
    sent = [int(part.format(*ids.values())) for part in order.split(",")] if order else []

    response = user_client.post(f"/projects/{project.pk}/scenes/reorder", {"order": sent}, format="json")

    message = f"order must name every scene of the project exactly once ({problem.format(*ids.values())})."
    assert response.status_code == 400
    assert response.json() == {
        "detail": message,
        "message": message,
        "status_code": 400,
        "code": "validation_error",
        "errors": {"order": [message]},
    }
    assert [row[0] for row in timeline(project)] == [scene.pk for scene in scenes]


def test_reorder_refuses_a_scene_of_another_project(user_client, user, project, scenes):
    elsewhere = scenes_make(project=project_make(owner=user), durations=["20"])[0]
    order = [scenes[0].pk, scenes[1].pk, elsewhere.pk]

    response = user_client.post(f"/projects/{project.pk}/scenes/reorder", {"order": order}, format="json")

    assert response.status_code == 400
    assert f"not scenes of this project: {elsewhere.pk}; missing: {scenes[2].pk}" in response.json()["detail"]


@pytest.mark.parametrize("body", [{}, {"order": "1,2"}, {"order": ["a"]}, {"order": [0]}])
def test_reorder_refuses_a_malformed_order(user_client, project, scenes, body):
    response = user_client.post(f"/projects/{project.pk}/scenes/reorder", body, format="json")

    assert response.status_code == 400
    assert all(field.startswith("order") for field in response.json()["errors"])


# --- Characters -----------------------------------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_list_characters_is_an_envelope(user_client, project, slash):
    characters = characters_make(project=project, names=["Anna", "Ben"])

    response = user_client.get(f"/projects/{project.pk}/characters{slash}")

    assert response.status_code == 200
    assert response.json() == {
        "message": "Characters retrieved successfully",
        "status_code": 200,
        "data": [
            {
                "id": characters[0].pk,
                "name": "Anna",
                "aliases": ["Ann"],
                "description": "Anna, tall",
                "prompt": "Anna",
                "image_path": None,
            },
            {
                "id": characters[1].pk,
                "name": "Ben",
                "aliases": ["Ben"],
                "description": "Ben, tall",
                "prompt": "Ben",
                "image_path": None,
            },
        ],
    }


def test_list_of_100_characters_takes_a_fixed_number_of_queries(user_client, user, django_assert_num_queries):
    big = project_make(owner=user)
    characters_make(project=big, names=[f"Person {number}" for number in range(100)])
    user_client.get("/projects?limit=1")  # the user behind the token is in the session cache from now on

    # The project (is it the caller's?), then its characters.
    with django_assert_num_queries(2):
        response = user_client.get(f"/projects/{big.pk}/characters")

    assert response.status_code == 200
    assert len(response.json()["data"]) == 100


@pytest.mark.parametrize("slash", ["", "/"])
def test_patch_character_and_every_scene_prompt_follows(user_client, project, scenes, slash):
    anna, ben = characters_make(project=project, names=["Anna", "Ben"])

    response = user_client.patch(
        f"/projects/{project.pk}/characters/{ben.pk}{slash}",
        {"description": "Ben, a fisherman", "prompt": "Ben, weathered fisherman, yellow cap"},
        format="json",
    )

    assert response.status_code == 200, response.content
    ben.refresh_from_db()
    assert response.json() == {
        "message": "Character updated successfully",
        "status_code": 200,
        "data": character_out(ben),
    }
    assert (ben.description, ben.prompt) == ("Ben, a fisherman", "Ben, weathered fisherman, yellow cap")
    prompts = [Scene.objects.get(pk=scene.pk).character_prompts for scene in scenes]
    assert prompts == [
        ["Anna as drawn in scene 0", "Ben, weathered fisherman, yellow cap"],
        ["Ben, weathered fisherman, yellow cap"],
        [],
    ]
    anna.refresh_from_db()
    assert anna.prompt == "Anna"


@pytest.mark.parametrize(("style", "style_words"), [(None, "storyboard sketch"), ("watercolor", "watercolor")])
def test_a_new_description_alone_rebuilds_the_prompt_in_the_projects_style(
    user_client, project, scenes, style, style_words
):
    Project.objects.filter(pk=project.pk).update(segmentation_style=style)
    _, ben = characters_make(project=project, names=["Anna", "Ben"])

    response = user_client.patch(
        f"/projects/{project.pk}/characters/{ben.pk}", {"description": "a weathered fisherman"}, format="json"
    )

    assert response.status_code == 200, response.content
    ben.refresh_from_db()
    assert ben.description == "a weathered fisherman"
    assert ben.prompt.startswith("Ben, a weathered fisherman, full-body character design")
    assert style_words in ben.prompt
    assert response.json()["data"]["prompt"] == ben.prompt
    assert Scene.objects.get(pk=scenes[1].pk).character_prompts == [ben.prompt]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "non_field_errors", "Send at least one of: description, prompt."),
        ({"name": "Renamed"}, "non_field_errors", "Send at least one of: description, prompt."),
        ({"prompt": None}, "prompt", "This field may not be null."),
        ({"prompt": "x" * 10_001}, "prompt", "Ensure this field has no more than 10000 characters."),
    ],
)
def test_patch_character_refuses_bad_fields(user_client, project, scenes, body, field, message):
    (anna,) = characters_make(project=project, names=["Anna"])

    response = user_client.patch(f"/projects/{project.pk}/characters/{anna.pk}", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    anna.refresh_from_db()
    assert (anna.name, anna.prompt) == ("Anna", "Anna")


# --- Segmenting, ownership, login, routing --------------------------------------------------------


def editing_requests(project, scenes, character):
    return [
        ("patch", f"/projects/{project.pk}/scenes/{scenes[0].pk}", {"title": "Nope"}),
        ("delete", f"/projects/{project.pk}/scenes/{scenes[0].pk}", None),
        ("post", f"/projects/{project.pk}/scenes/reorder", {"order": [s.pk for s in reversed(scenes)]}),
        ("patch", f"/projects/{project.pk}/characters/{character.pk}", {"prompt": "Nope"}),
    ]


def test_editing_while_segmenting_is_409(user_client, project, scenes):
    (anna,) = characters_make(project=project, names=["Anna"])
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTING)
    before = timeline(project)

    for method, path, body in editing_requests(project, scenes, anna):
        response = getattr(user_client, method)(path, body, format="json")
        assert response.status_code == 409, (method, path)
        assert response.json()["detail"] == (
            "The project is being segmented and its scenes are about to be replaced; "
            "it can change again once segmentation has finished."
        )

    assert timeline(project) == before
    assert Scene.objects.get(pk=scenes[0].pk).title == "Scene 0"
    anna.refresh_from_db()
    assert anna.prompt == "Anna"


def all_requests(project, scenes, character):
    return [
        ("get", f"/projects/{project.pk}/scenes", None),
        ("get", f"/projects/{project.pk}/characters", None),
        *editing_requests(project, scenes, character),
    ]


@pytest.mark.parametrize("slash", ["", "/"])
def test_another_users_project_is_404_on_every_route(other_client, project, scenes, slash):
    (anna,) = characters_make(project=project, names=["Anna"])
    before = timeline(project)

    for method, path, body in all_requests(project, scenes, anna):
        response = getattr(other_client, method)(path + slash, body, format="json")
        assert response.status_code == 404, (method, path)
        assert response.json() == {
            "detail": "Project not found.",
            "message": "Project not found.",
            "status_code": 404,
            "code": "project_not_found",
        }

    assert timeline(project) == before
    assert Scene.objects.get(pk=scenes[0].pk).title == "Scene 0"


def test_a_scene_or_character_of_another_project_is_404_under_mine(user_client, user, other_user, scenes):
    mine = project_make(owner=user, title="Mine")
    theirs = project_make(owner=other_user, title="Theirs")
    (their_scene,) = scenes_make(project=theirs, durations=["20"])
    (their_character,) = characters_make(project=theirs, names=["Zed"])

    scene = user_client.patch(f"/projects/{mine.pk}/scenes/{their_scene.pk}", {"title": "x"}, format="json")
    deleted = user_client.delete(f"/projects/{mine.pk}/scenes/{scenes[0].pk}")  # my scene, wrong project
    character = user_client.patch(
        f"/projects/{mine.pk}/characters/{their_character.pk}", {"prompt": "x"}, format="json"
    )

    assert (scene.status_code, scene.json()["detail"]) == (404, "Scene not found.")
    assert (deleted.status_code, deleted.json()["detail"]) == (404, "Scene not found.")
    assert (character.status_code, character.json()["detail"]) == (404, "Character not found.")
    assert Scene.objects.count() == 4
    their_character.refresh_from_db()
    assert their_character.prompt == "Zed"


def test_every_route_needs_a_login(project, scenes):
    (anna,) = characters_make(project=project, names=["Anna"])
    client = APIClient()

    for method, path, body in all_requests(project, scenes, anna):
        response = getattr(client, method)(path, body, format="json")
        assert response.status_code == 401, (method, path)


def test_methods_the_routes_do_not_have_are_405(user_client, project, scenes):
    (anna,) = characters_make(project=project, names=["Anna"])

    for method, path in [
        ("put", f"/projects/{project.pk}/scenes/{scenes[0].pk}"),
        ("get", f"/projects/{project.pk}/scenes/{scenes[0].pk}"),
        ("post", f"/projects/{project.pk}/scenes"),
        ("get", f"/projects/{project.pk}/scenes/reorder"),
        ("delete", f"/projects/{project.pk}/characters/{anna.pk}"),
        ("put", f"/projects/{project.pk}/characters/{anna.pk}"),
    ]:
        response = getattr(user_client, method)(path, {}, format="json")
        assert response.status_code == 405, (method, path)
        assert response.json()["status_code"] == 405

    assert Character.objects.filter(pk=anna.pk).exists()


@pytest.mark.parametrize("big", ["99999999999999999999999999", "9223372036854775808"])
def test_ids_beyond_the_database_range_are_404_not_500(user_client, project, scenes, big):
    for method, path in [
        ("get", f"/projects/{big}/scenes"),
        ("patch", f"/projects/{project.pk}/scenes/{big}"),
        ("delete", f"/projects/{big}/scenes/{big}"),
        ("patch", f"/projects/{project.pk}/characters/{big}"),
    ]:
        response = getattr(user_client, method)(path, {"title": "x", "prompt": "x"}, format="json")
        assert response.status_code == 404, (method, path, response.content)


def test_a_lone_surrogate_in_text_is_refused_not_a_500(user_client, project, scenes):
    response = user_client.generic(
        "PATCH",
        f"/projects/{project.pk}/scenes/{scenes[0].pk}",
        b'{"title": "bad \\ud800 text"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["title"]


def patch_queries(client: APIClient, user, scene_count: int, body: dict) -> int:
    """How many queries a PATCH of one scene makes in a project of `scene_count` scenes."""
    project = project_make(owner=user, duration_sec=600)
    scenes = scenes_make(
        project=project, durations=[str(600 / scene_count)] * scene_count, characters=[["Anna", "Ben"]] * scene_count
    )
    client.get("/projects?limit=1")  # the caller's row is in the session cache from now on
    with CaptureQueriesContext(connection) as captured:
        response = client.patch(f"/projects/{project.pk}/scenes/{scenes[1].pk}", body, format="json")
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_a_scene_patch_makes_as_many_queries_in_200_scenes_as_in_5(user_client, user):
    assert patch_queries(user_client, user, 200, {"title": "New"}) == patch_queries(
        user_client, user, 5, {"title": "N"}
    )


def test_a_duration_patch_rescales_200_scenes_in_batched_updates_not_one_per_scene(user_client, user):
    few = patch_queries(user_client, user, 5, {"duration_sec": 2})
    many = patch_queries(user_client, user, 200, {"duration_sec": 2})

    assert many <= few + 1  # SQLite caps a statement's parameters, so 200 rows may take a second UPDATE
