"""One owner's writes at the same moment, on MariaDB: each takes the owner's row lock first, so none deadlocks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from projects.models import Project
from scenes.models import Scene
from scenes.tests.factories import project_make, scenes_make

THREADS = 12
REQUESTS_EACH = 4


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_creates_and_edits_by_one_owner_at_once_all_succeed_and_are_all_listed(user, user_client):
    edited = project_make(owner=user, title="Edited")
    scene_ids = [scene.pk for scene in scenes_make(project=edited, durations=["10", "10"])]
    cookies = {name: morsel.value for name, morsel in user_client.cookies.items()}
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        try:
            client = APIClient()
            for name, value in cookies.items():
                client.cookies[name] = value
            start.wait()
            for i in range(REQUESTS_EACH):
                if n % 3 == 0:
                    response = client.patch(
                        f"/projects/{edited.pk}/scenes/{scene_ids[i % 2]}", {"title": f"T{n}-{i}"}, format="json"
                    )
                elif n % 3 == 1:
                    response = client.patch(f"/projects/{edited.pk}/status", {"status": "completed"}, format="json")
                else:
                    response = client.post("/projects", {"title": f"P{n}-{i}", "story_text": "Once."}, format="json")
                with lock:
                    statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    creates = sum(1 for n in range(THREADS) if n % 3 == 2) * REQUESTS_EACH
    assert sorted(set(statuses)) == [200, 201], statuses
    assert statuses.count(201) == creates
    assert Project.objects.filter(owner=user).count() == creates + 1
    listed = user_client.get("/projects")
    assert listed["X-Total-Count"] == str(creates + 1)
    assert {item["title"] for item in listed.json()} == set(Project.objects.values_list("title", flat=True))
    detail = user_client.get(f"/projects/{edited.pk}").json()
    assert detail["status"] == "completed"
    assert [scene["title"] for scene in detail["scenes"]] == list(
        Scene.objects.filter(project=edited).order_by("scene_index").values_list("title", flat=True)
    )
