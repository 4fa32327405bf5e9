"""The real thing over HTTP: gunicorn, a Celery worker, MariaDB and Redis, driven like the browser client."""

from __future__ import annotations

import pytest

from harness.processes import Browser, Stack
from scenes.models import Scene
from tests.e2e.flows import create_project, sign_up_and_log_in, wait_for_status

pytestmark = [pytest.mark.mysql, pytest.mark.redis]


def test_writer_segments_a_story_edits_a_scene_and_logs_out(stack: Stack):
    browser = stack.browser()
    assert stack.ready().status == 200
    # The staff admin and its static files, served by whitenoise from gunicorn.
    assert browser.get("/django-admin/login/").status == 200
    assert browser.get("/static/admin/css/base.css").status == 200

    sign_up_and_log_in(browser)
    me = browser.get("/auth/me")
    assert me.status == 200, me.body
    project_id = create_project(browser)

    started = browser.post("/projects/segment", {"projectId": project_id, "options": {"scene_count": 3}})
    assert started.status == 202, started.body
    assert started.body["message"] == "Segmentation started"
    assert started.data["project_id"] == project_id
    assert started.data["status"] in {"segmenting", "segmented"}
    task_id = started.data["task_id"]

    detail = wait_for_status(browser, project_id, {"segmented", "failed"}, timeout=60)
    assert detail["status"] == "segmented", detail["segmentation"]
    assert detail["segmentation"]["task_id"] == task_id
    assert [scene["scene_index"] for scene in detail["scenes"]] == [0, 1, 2]
    assert sum(float(scene["duration_sec"]) for scene in detail["scenes"]) == pytest.approx(30)
    assert Scene.objects.filter(project_id=project_id).count() == 3

    scene_id = detail["scenes"][1]["id"]
    edited = browser.patch(f"/projects/{project_id}/scenes/{scene_id}", {"title": "The cheese falls"})
    assert edited.status == 200, edited.body
    assert Scene.objects.get(pk=scene_id).title == "The cheese falls"

    old_access = browser.cookie("access_token")
    refreshed = browser.get("/auth/refresh-token")
    assert refreshed.status == 200, refreshed.body
    assert browser.cookie("access_token") != old_access
    access_before_logout = browser.cookie("access_token")

    logged_out = browser.post("/auth/logout")
    assert logged_out.status == 200, logged_out.body

    # The old access cookie, replayed by hand after logout, is refused.
    answer = Browser(stack.base_url).get("/auth/me", headers={"Cookie": f"access_token={access_before_logout}"})
    assert answer.status == 401, answer.body
    assert answer.body["status_code"] == 401
