"""Faults injected into the running system, each bounded in time: a worker killed mid-job, Redis stopped,
MariaDB restarted. Projects and scenes are the same before and after each one.

Only private servers are stopped (a redis-server and a mariadbd started here on free ports);
the machine's shared MariaDB and Redis are never touched.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import story
from harness.processes import REPO, PrivateMariaDB, PrivateRedis, Stack, wait_until
from projects.models import Project
from scenes.models import Character, Scene
from scenes.segmentation import TIME_LIMIT_MESSAGE
from tests.e2e.conftest import database_env, running_stack, stack_env
from tests.e2e.flows import create_project, long_story, sign_up_and_log_in, wait_for_status

pytestmark = [pytest.mark.mysql, pytest.mark.redis]


def report(fault: str, **observed: object) -> None:
    """One line per observation, shown with -s and kept in the test's captured output."""
    print(f"FAULT {fault}: " + ", ".join(f"{key}={value}" for key, value in observed.items()))


def snapshot(*project_ids: int) -> dict:
    """Every stored field of these projects, their scenes and their characters."""
    return {
        "projects": list(Project.objects.filter(pk__in=project_ids).order_by("pk").values()),
        "scenes": list(Scene.objects.filter(project_id__in=project_ids).order_by("pk").values()),
        "characters": list(Character.objects.filter(project_id__in=project_ids).order_by("pk").values()),
    }


def segmented_project(browser, **kwargs) -> int:
    project_id = create_project(browser, **kwargs)
    assert browser.post(f"/projects/{project_id}/segment", {}).status == 202
    assert wait_for_status(browser, project_id, {"segmented", "failed"}, timeout=60)["status"] == "segmented"
    return project_id


def test_worker_killed_mid_segmentation_finishes_on_a_restarted_worker_once(stack: Stack):
    browser = stack.browser()
    sign_up_and_log_in(browser)
    bystander = segmented_project(browser, title="Bystander")
    bystander_before = snapshot(bystander)
    text = long_story()
    project_id = create_project(browser, title="A long novel", text=text, duration=600)

    started = browser.post(f"/projects/{project_id}/segment", {"scene_count": 200})
    assert started.status == 202, started.body
    task_id = started.data["task_id"]
    worker = stack.workers[0]
    marker = f"Segmentation started project={project_id} task={task_id}"
    wait_until(lambda: marker in worker.log(), timeout=30, interval=0.01, what="the worker to start the job")
    worker.kill9()
    killed_at = time.monotonic()

    # Killed in the middle: nothing written, the job still the project's.
    project = Project.objects.get(pk=project_id)
    assert (project.status, project.segmentation_task_id) == ("segmenting", task_id), "the job ended before the kill"
    assert not Scene.objects.filter(project_id=project_id).exists()

    restarted = stack.start_worker()
    detail = wait_for_status(browser, project_id, {"segmented", "failed"}, timeout=120)
    finished_after = time.monotonic() - killed_at

    assert detail["status"] == "segmented", detail["segmentation"]
    assert detail["segmentation"]["task_id"] == task_id
    assert marker in restarted.log()
    expected = story.segment(text, 600, story.SegmentOptions(scene_count=200))
    scenes = list(Scene.objects.filter(project_id=project_id).order_by("scene_index"))
    assert [(s.scene_index, s.start_char, s.end_char, s.title) for s in scenes] == [
        (e.index, e.start_char, e.end_char, e.title) for e in expected.scenes
    ]
    assert Character.objects.filter(project_id=project_id).count() == len(expected.characters)
    assert snapshot(bystander) == bystander_before
    report(
        "worker kill -9",
        job=task_id,
        redelivered_and_finished_after=f"{finished_after:.1f}s",
        scenes=len(scenes),
        scene_sets=1,
    )


def test_redis_stopped_answers_503_then_recovers_by_itself(stack: Stack, private_redis: PrivateRedis):
    browser = stack.browser()
    sign_up_and_log_in(browser)
    project_id = segmented_project(browser)
    before = snapshot(project_id)

    private_redis.stop()
    stopped_at = time.monotonic()

    projects = browser.get("/projects")
    assert projects.status == 503, projects.body
    assert projects.body["status_code"] == 503
    assert projects.headers.get("Retry-After") == "5"
    segment = browser.post(f"/projects/{project_id}/segment", {})
    assert segment.status == 503, segment.body
    ready = stack.ready()
    assert ready.status == 503
    checks = ready.body["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "down"
    assert checks["broker"]["status"] == "down"
    assert checks["cache"]["service"] == checks["broker"]["service"] == "redis"
    assert f":{private_redis.port}" in checks["cache"]["detail"]
    down_answers_within = time.monotonic() - stopped_at
    assert stack.live()

    private_redis.start()
    restarted_at = time.monotonic()
    wait_until(lambda: stack.ready().status == 200, timeout=30, interval=0.25, what="readiness after Redis is back")
    ready_after = time.monotonic() - restarted_at
    assert browser.get("/projects").status == 200
    assert snapshot(project_id) == before
    # The worker reconnected by itself: a new job is queued and done.
    second = segmented_project(browser, title="After the outage")
    recovered_after = time.monotonic() - restarted_at
    assert Scene.objects.filter(project_id=second).exists()
    report(
        "redis stopped",
        answers_503_for="GET /projects, POST segment, /health/ready (cache+broker down)",
        checks_took=f"{down_answers_within:.1f}s",
        ready_after_restart=f"{ready_after:.1f}s",
        new_segmentation_done_after=f"{recovered_after:.1f}s",
    )


@pytest.fixture
def private_mariadb(tmp_path: Path):
    database = PrivateMariaDB(tmp_path / "mariadb").install().start()
    try:
        database.sql("CREATE DATABASE e2e CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        yield database
    finally:
        database.stop()


def test_mariadb_restarted_between_requests_the_next_ones_succeed(
    private_mariadb: PrivateMariaDB, private_redis: PrivateRedis, tmp_path: Path
):
    database = {
        "DB_HOST": "127.0.0.1",
        "DB_PORT": str(private_mariadb.port),
        "DB_USER": "root",
        "DB_PASSWORD": "",
        "DB_NAME": "e2e",
    }
    stack = Stack(log_dir=tmp_path, env=stack_env(private_redis, database))
    migrate = subprocess.run(
        [str(Path(sys.executable)), "manage.py", "migrate", "--noinput"],
        cwd=REPO,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    try:
        stack.start_web()
        stack.start_worker()
        browser = stack.browser()
        sign_up_and_log_in(browser)
        project_id = segmented_project(browser)
        before = browser.get(f"/projects/{project_id}").body
        listed_before = browser.get("/projects").body

        restart_started = time.monotonic()
        private_mariadb.stop()
        private_mariadb.start()
        downtime = time.monotonic() - restart_started

        first = browser.get(f"/projects/{project_id}")
        assert first.status == 200, first.body
        assert first.body == before
        assert browser.get("/projects").body == listed_before
        assert browser.get("/auth/me").status == 200
        # The worker's connection died too; the next job still completes.
        second = segmented_project(browser, title="After the restart")
        assert browser.get(f"/projects/{second}").body["scenes"]
        report(
            "mariadb restart",
            downtime=f"{downtime:.1f}s",
            first_request_after="200, project identical",
            segmentation_after_restart="segmented",
        )
    finally:
        stack.stop()
        print(stack.logs())


def test_a_job_past_the_hard_time_limit_is_failed_at_once_not_left_for_the_reaper(
    transactional_db, private_redis: PrivateRedis, tmp_path: Path
):
    # A hard limit far below what a novel-sized story takes, and no soft one to come first.
    env = {
        **stack_env(private_redis, database_env()),
        "SEGMENTATION_TIME_LIMIT": "0.2",
        "SEGMENTATION_SOFT_TIME_LIMIT": "0",
        "CELERY_TASK_SOFT_TIME_LIMIT": "0",
    }
    with running_stack(tmp_path, env) as limited:
        browser = limited.browser()
        sign_up_and_log_in(browser)
        project_id = create_project(browser, title="Too long", text=long_story(), duration=600)

        started = browser.post(f"/projects/{project_id}/segment", {"scene_count": 200})
        assert started.status == 202, started.body
        detail = wait_for_status(browser, project_id, {"segmented", "failed"}, timeout=30)

        assert detail["status"] == "failed"
        assert detail["segmentation"]["error"] == TIME_LIMIT_MESSAGE
        assert "Hard time limit (0.2s) exceeded" in limited.workers[0].log()
        assert not Scene.objects.filter(project_id=project_id).exists()
        report("hard time limit", project=project_id, status=detail["status"])
