"""What one account may keep: a creation rate, a number of projects and of story characters, and the
list's default page, which covers them all."""

from __future__ import annotations

import pytest

from projects.models import Project
from projects.throttles import ProjectCreateThrottle
from scenes.tests.factories import project_make

pytestmark = pytest.mark.django_db


def create(client, story_text: str = "Once upon a time.", title: str = "A story"):
    return client.post("/projects", {"title": title, "story_text": story_text}, format="json")


def test_creating_projects_is_throttled_per_user(user_client, other_client, monkeypatch):
    monkeypatch.setattr(ProjectCreateThrottle, "THROTTLE_RATES", {"project_create": "2/hour"})

    statuses = [create(user_client).status_code for _ in range(3)]
    others = create(other_client)

    assert statuses == [201, 201, 429]
    assert int(create(user_client)["Retry-After"]) > 0
    assert others.status_code == 201
    assert Project.objects.count() == 3


def test_reading_and_editing_are_not_counted_by_the_creation_throttle(user_client, user, monkeypatch):
    monkeypatch.setattr(ProjectCreateThrottle, "THROTTLE_RATES", {"project_create": "1/hour"})
    project = project_make(owner=user)

    for _ in range(3):
        assert user_client.get("/projects").status_code == 200
        assert (
            user_client.patch(f"/projects/{project.pk}/status", {"status": "completed"}, format="json").status_code
            == 200
        )
    assert create(user_client).status_code == 201


def test_an_account_keeps_at_most_the_configured_number_of_projects(user_client, user, settings):
    settings.PROJECTS_PER_USER_MAX = 2
    project_make(owner=user)
    assert create(user_client).status_code == 201

    refused = create(user_client)

    assert refused.status_code == 413
    assert refused.json()["detail"] == "You have 2 projects, the most one account may keep. Delete one to make room."
    assert Project.objects.filter(owner=user).count() == 2


def test_an_accounts_stories_hold_at_most_the_configured_characters(user_client, user, settings):
    settings.STORY_CHARS_PER_USER_MAX = 100
    project_make(owner=user, story_text="x" * 60)
    assert create(user_client, story_text="y" * 40).status_code == 201

    refused = create(user_client, story_text="z")

    assert refused.status_code == 413
    assert refused.json()["detail"] == (
        "Your projects' stories may hold 100 characters in all; 0 are left and this story has 1. "
        "Delete a project to make room."
    )
    assert Project.objects.filter(owner=user).count() == 2


def test_a_deleted_project_makes_room_again(user_client, user, settings):
    settings.PROJECTS_PER_USER_MAX = 1
    project = project_make(owner=user)
    assert create(user_client).status_code == 413

    assert user_client.delete(f"/projects/{project.pk}").status_code == 204

    assert create(user_client).status_code == 201


def test_the_unpaged_list_answers_the_default_page_which_covers_every_project_an_account_may_keep(
    user_client, user, settings
):
    settings.PROJECTS_PER_USER_MAX = settings.PROJECTS_LIST_DEFAULT_LIMIT = 3
    for number in range(4):  # one more than an account may now create, made before the limit was lowered
        project_make(owner=user, title=f"P{number}")

    listed = user_client.get("/projects")
    offset_only = user_client.get("/projects?offset=1")

    assert [item["title"] for item in listed.json()] == ["P3", "P2", "P1"]
    assert listed["X-Total-Count"] == "4"
    assert [item["title"] for item in offset_only.json()] == ["P2", "P1", "P0"]


def test_the_default_page_is_as_large_as_the_project_limit():
    from django.conf import settings

    assert settings.PROJECTS_LIST_DEFAULT_LIMIT == settings.PROJECTS_PER_USER_MAX == 200
