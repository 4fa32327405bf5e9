"""The segmentation services and task: one job per project, written once, failed readably, reaped when stuck."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

import story
from projects.models import Project, ProjectStatus
from scenes import segmentation, tasks
from scenes.models import Character, Scene
from scenes.segmentation import (
    ENGINE_FAILURE_MESSAGE,
    JOB_LOST_MESSAGE,
    TIME_LIMIT_MESSAGE,
    SegmentationOutcome,
    segmentation_reap_stuck,
    segmentation_run,
    segmentation_start,
)
from scenes.tasks import segment_project

STORY = (
    "Anna walked to the old mill at dawn. The wind was cold and the sky was grey.\n\n"
    "At noon Tom arrived with bread. Anna and Tom ate by the river and laughed.\n\n"
    "That night a storm broke over the valley. Tom ran home through the rain while Anna watched."
)

pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def project(make_user) -> Project:
    owner = make_user(email="owner@example.com")
    return Project.objects.create(owner=owner, title="The Mill", story_text=STORY, duration_sec=30)


def segmenting(project: Project, task_id: str = "task-1", started_ago: timedelta = timedelta(0)) -> Project:
    Project.objects.filter(pk=project.pk).update(
        status=ProjectStatus.SEGMENTING,
        segmentation_task_id=task_id,
        segmentation_started_at=timezone.now() - started_ago,
    )
    project.refresh_from_db()
    return project


@pytest.mark.django_db(transaction=True)
def test_the_style_the_scenes_were_made_with_is_remembered(project):
    result = segmentation_start(project=project, options={"style": "anime_shojo"})

    assert result.segmentation_style == "anime_shojo"
    assert all("shojo" in scene.background_prompt for scene in Scene.objects.filter(project=project))


@pytest.mark.django_db(transaction=True)
def test_start_runs_the_engine_inline_and_stores_scenes_and_characters(project):
    # Eager Celery (no REDIS_HOST): the task runs when the status update commits, before the answer.
    result = segmentation_start(project=project, options={"scene_count": 3})

    assert result.status == ProjectStatus.SEGMENTED
    assert result.segmentation_error is None
    assert result.segmentation_format == "prose"
    assert result.segmentation_style == "storyboard"
    assert result.segmentation_started_at is not None
    assert result.segmentation_finished_at is not None
    scenes = list(Scene.objects.filter(project=project).order_by("scene_index"))
    assert [scene.scene_index for scene in scenes] == [0, 1, 2]
    assert sum(scene.duration_sec for scene in scenes) == Decimal(30)
    assert scenes[0].start_sec == Decimal(0)
    assert all(scene.text == STORY[scene.start_char : scene.end_char] for scene in scenes)
    assert all(scene.background_id is None and scene.frame_id is None for scene in scenes)
    expected = story.segment(STORY, 30, story.SegmentOptions(scene_count=3))
    assert sorted(Character.objects.filter(project=project).values_list("name", flat=True)) == sorted(
        c.name for c in expected.characters
    )
    assert [(s.title, s.start_sec) for s in scenes] == [(e.title, Decimal(e.start_ms) / 1000) for e in expected.scenes]


def test_start_while_segmenting_shares_the_running_task(project, django_capture_on_commit_callbacks, monkeypatch):
    segmenting(project, "running-task")
    monkeypatch.setattr(segment_project, "apply_async", lambda *a, **k: pytest.fail("a second task was queued"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = segmentation_start(project=project)

    assert len(callbacks) == 1  # the owner's cached row rewritten; no dispatch (apply_async would fail the test)
    assert result.status == ProjectStatus.SEGMENTING
    assert result.segmentation_task_id == "running-task"


@pytest.fixture
def broker_mode(inline_tasks, monkeypatch):
    """Celery as with a real broker (not eager), whatever the test settings; overrides the module's inline_tasks."""
    monkeypatch.setattr(segmentation, "_tasks_run_eagerly", lambda: False)


@pytest.mark.usefixtures("broker_mode")
def test_start_queues_with_its_own_task_id_after_commit(project, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(segment_project, "apply_async", lambda args, task_id: queued.append((args, task_id)))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = segmentation_start(project=project, options={"style": "cinematic", "max_scenes": None})
        assert queued == []  # nothing is queued before the row update is committed
    for callback in callbacks:
        callback()

    assert result.status == ProjectStatus.SEGMENTING
    assert queued == [([project.pk, {"style": "cinematic"}], result.segmentation_task_id)]


@pytest.mark.usefixtures("broker_mode")
def test_start_with_the_broker_down_puts_the_project_back(project, django_capture_on_commit_callbacks, monkeypatch):
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTED, segmentation_task_id="old")

    def broker_down(*args, **kwargs):
        raise BrokerOperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(segment_project, "apply_async", broker_down)
    with pytest.raises(BrokerOperationalError), django_capture_on_commit_callbacks(execute=True):
        segmentation_start(project=project)

    project.refresh_from_db()
    assert (project.status, project.segmentation_task_id) == (ProjectStatus.SEGMENTED, "old")


def test_segmenting_again_replaces_the_scenes(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        segmentation_start(project=project, options={"scene_count": 3})
    first_ids = set(Scene.objects.filter(project=project).values_list("id", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        result = segmentation_start(project=project, options={"scene_count": 2})
    result.refresh_from_db()

    assert result.status == ProjectStatus.SEGMENTED
    scenes = Scene.objects.filter(project=project)
    assert scenes.count() == 2
    assert first_ids.isdisjoint(scenes.values_list("id", flat=True))


def test_a_redelivered_job_replaces_what_it_wrote(project):
    segmenting(project, "task-1")
    assert segmentation_run(project_id=project.pk, task_id="task-1") == SegmentationOutcome.SEGMENTED
    count = Scene.objects.filter(project=project).count()
    characters = Character.objects.filter(project=project).count()
    # The worker died after the commit but before the acknowledgement: the job runs again.
    segmenting(project, "task-1")

    assert segmentation_run(project_id=project.pk, task_id="task-1") == SegmentationOutcome.SEGMENTED

    assert Scene.objects.filter(project=project).count() == count
    assert Character.objects.filter(project=project).count() == characters


def test_a_finished_job_delivered_again_does_nothing(project):
    segmenting(project, "task-1")
    segmentation_run(project_id=project.pk, task_id="task-1")
    ids = list(Scene.objects.filter(project=project).values_list("id", flat=True))

    assert segmentation_run(project_id=project.pk, task_id="task-1") == SegmentationOutcome.STALE
    assert list(Scene.objects.filter(project=project).values_list("id", flat=True)) == ids


def test_a_superseded_job_writes_nothing(project):
    segmenting(project, "new-task")

    assert segmentation_run(project_id=project.pk, task_id="old-task") == SegmentationOutcome.STALE

    project.refresh_from_db()
    assert (project.status, project.segmentation_task_id) == (ProjectStatus.SEGMENTING, "new-task")
    assert not Scene.objects.filter(project=project).exists()


def test_a_job_reaped_while_the_engine_runs_writes_nothing(project, monkeypatch):
    segmenting(project, "task-1")
    real_segment = story.segment

    def segment_while_reaped(*args, **kwargs):
        segmentation_reap_stuck(older_than=timedelta(0))
        return real_segment(*args, **kwargs)

    monkeypatch.setattr(story, "segment", segment_while_reaped)

    assert segmentation_run(project_id=project.pk, task_id="task-1") == SegmentationOutcome.STALE
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    assert not Scene.objects.filter(project=project).exists()


def test_unusable_input_fails_with_the_engines_message(project, monkeypatch):
    segmenting(project)
    Scene.objects.create(
        project=project, scene_index=0, title="Kept", text="x", start_char=0, end_char=1, start_sec=0, duration_sec=30
    )

    def refuse(*args, **kwargs):
        raise story.StoryInputError("The story has no sentences to segment.")

    monkeypatch.setattr(story, "segment", refuse)

    assert segmentation_run(project_id=project.pk, task_id="task-1") == SegmentationOutcome.FAILED
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    assert project.segmentation_error == "The story has no sentences to segment."
    assert project.segmentation_finished_at is not None
    assert list(Scene.objects.filter(project=project).values_list("title", flat=True)) == ["Kept"]


def test_options_the_engine_refuses_fail_readably(project):
    segmenting(project)

    segmentation_run(project_id=project.pk, task_id="task-1", options={"scene_count": 0})

    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    assert project.segmentation_error
    assert "scene" in project.segmentation_error.lower()


def test_unknown_options_fail_readably(project):
    segmenting(project)

    segmentation_run(project_id=project.pk, task_id="task-1", options={"colour": "red"})

    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    assert project.segmentation_error.startswith("Unknown segmentation options")


def test_an_engine_crash_fails_with_a_generic_message_and_a_logged_trace(project, monkeypatch, caplog):
    segmenting(project)

    def crash(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(story, "segment", crash)
    with caplog.at_level(logging.ERROR, logger="scenes.segmentation"):
        assert segmentation_run(project_id=project.pk, task_id="task-1") == SegmentationOutcome.FAILED

    project.refresh_from_db()
    assert (project.status, project.segmentation_error) == (ProjectStatus.FAILED, ENGINE_FAILURE_MESSAGE)
    assert any(record.exc_info for record in caplog.records)


def test_the_soft_time_limit_fails_the_job(project, monkeypatch):
    segmenting(project)

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(story, "segment", too_slow)

    assert segmentation_run(project_id=project.pk, task_id="task-1") == SegmentationOutcome.FAILED
    project.refresh_from_db()
    assert project.segmentation_error == TIME_LIMIT_MESSAGE


def test_the_hard_time_limit_fails_the_job_from_the_workers_main_process(project):
    segmenting(project, "task-1")

    # What Celery's worker calls after killing the pool process at the hard time limit.
    segment_project.on_failure(TimeLimitExceeded(270), "task-1", (project.pk, {}), {}, None)

    project.refresh_from_db()
    assert (project.status, project.segmentation_error) == (ProjectStatus.FAILED, TIME_LIMIT_MESSAGE)
    assert project.segmentation_finished_at is not None


@pytest.mark.parametrize("exc", [RuntimeError("a bug"), OperationalError(2006, "MySQL server has gone away")])
def test_any_final_failure_of_the_task_ends_the_job_at_once(project, exc):
    segmenting(project, "task-1")

    # What Celery calls once the task has failed for good (retries used up, no redelivery).
    segment_project.on_failure(exc, "task-1", (), {"project_id": project.pk}, None)

    project.refresh_from_db()
    assert (project.status, project.segmentation_error) == (ProjectStatus.FAILED, JOB_LOST_MESSAGE)


def test_a_failure_of_another_job_is_left_alone(project):
    segmenting(project, "task-1")

    segment_project.on_failure(TimeLimitExceeded(270), "an-older-task", (), {"project_id": project.pk}, None)

    project.refresh_from_db()
    assert (project.status, project.segmentation_task_id) == (ProjectStatus.SEGMENTING, "task-1")


def test_a_failure_that_cannot_be_recorded_leaves_the_job_to_be_taken_over(project, monkeypatch):
    segmenting(project, "task-1")

    def database_away(**kwargs):
        raise OperationalError(2006, "MySQL server has gone away")

    monkeypatch.setattr(tasks, "segmentation_fail", database_away)
    segment_project.on_failure(RuntimeError("a bug"), "task-1", (project.pk, {}), {}, None)  # no exception

    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTING


def test_a_new_request_takes_over_a_job_older_than_the_hard_time_limit(
    project, settings, django_capture_on_commit_callbacks
):
    segmenting(project, "dead-task", started_ago=timedelta(seconds=settings.SEGMENTATION_TIME_LIMIT + 1))

    with django_capture_on_commit_callbacks(execute=True):
        result = segmentation_start(project=project, options={"scene_count": 2})

    result.refresh_from_db()
    assert result.segmentation_task_id != "dead-task"
    assert result.status == ProjectStatus.SEGMENTED
    assert Scene.objects.filter(project=project).count() == 2
    # The old task, should it be delivered again, is no longer the project's job and writes nothing.
    assert segmentation_run(project_id=project.pk, task_id="dead-task") == SegmentationOutcome.STALE
    assert Scene.objects.filter(project=project).count() == 2


def test_a_job_within_the_hard_time_limit_is_not_taken_over(project, settings, django_capture_on_commit_callbacks):
    segmenting(project, "live-task", started_ago=timedelta(seconds=settings.SEGMENTATION_TIME_LIMIT - 5))

    with django_capture_on_commit_callbacks(execute=True):
        result = segmentation_start(project=project)

    assert (result.status, result.segmentation_task_id) == (ProjectStatus.SEGMENTING, "live-task")


def test_the_api_answers_the_new_task_of_a_job_taken_over(
    user_client, user, settings, django_capture_on_commit_callbacks
):
    project = Project.objects.create(owner=user, title="Mill", story_text=STORY, duration_sec=30)
    segmenting(project, "dead-task", started_ago=timedelta(seconds=settings.SEGMENTATION_TIME_LIMIT + 60))

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/projects/{project.pk}/segment", {"scene_count": 2}, format="json")

    assert response.status_code == 202
    data = response.json()["data"]
    assert data["status"] == "segmenting"
    assert data["task_id"] not in {"dead-task", None}
    project.refresh_from_db()
    assert (project.status, project.segmentation_task_id) == (ProjectStatus.SEGMENTED, data["task_id"])


def test_the_task_retries_database_errors(project, monkeypatch):
    segmenting(project)
    calls = []
    real_replace = segmentation.scenes_replace

    def flaky_replace(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError(2006, "MySQL server has gone away")
        return real_replace(**kwargs)

    monkeypatch.setattr(segmentation, "scenes_replace", flaky_replace)

    result = segment_project.apply(args=[project.pk, {}], task_id="task-1", throw=False)

    assert result.get() == SegmentationOutcome.SEGMENTED
    assert len(calls) == 2
    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED


def test_the_reaper_fails_only_jobs_past_the_limit(project, make_user, settings):
    settings.SEGMENTATION_STUCK_AFTER_SECONDS = 600
    segmenting(project, "stuck", started_ago=timedelta(seconds=601))
    fresh = Project.objects.create(owner=project.owner, title="Fresh", story_text=STORY, duration_sec=20)
    segmenting(fresh, "fresh", started_ago=timedelta(seconds=30))
    done = Project.objects.create(owner=project.owner, title="Done", story_text=STORY, duration_sec=20)

    assert segmentation_reap_stuck() == [project.pk]

    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    assert project.segmentation_error == "The segmentation did not finish within 10 minutes and was stopped. Try again."
    fresh.refresh_from_db()
    done.refresh_from_db()
    assert (fresh.status, done.status) == (ProjectStatus.SEGMENTING, ProjectStatus.DRAFT)
    # The reaped job, delivered late, writes nothing.
    assert segmentation_run(project_id=project.pk, task_id="stuck") == SegmentationOutcome.STALE
    assert not Scene.objects.filter(project=project).exists()
