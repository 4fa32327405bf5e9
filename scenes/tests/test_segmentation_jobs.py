"""How segmentation jobs are run: task options, queues, the beat schedule and the staff commands."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from animatic_vision.celery import app
from projects.models import Project, ProjectStatus
from scenes.models import Scene
from scenes.tasks import reap_stuck_segmentations, segment_project

STORY = "Mara opened the door. The hallway was dark.\n\nShe found the letter on the table and read it twice."

pytestmark = pytest.mark.usefixtures("inline_tasks")


def queue_of(task_name: str) -> str:
    task = app.tasks.get(task_name)
    options = dict(task._get_exec_options()) if task is not None else {}
    return app.amqp.router.route(options, task_name, (), {})["queue"].name


def test_segmentation_runs_on_its_own_queue_and_emails_on_theirs():
    assert queue_of("scenes.tasks.segment_project") == "segmentation"
    assert queue_of("accounts.tasks.password_reset_email_send_task") == "emails"
    # Housekeeping never waits behind a novel.
    assert queue_of("scenes.tasks.reap_stuck_segmentations") == "default"


def test_make_worker_consumes_every_queue():
    assert set(settings.CELERY_WORKER_QUEUES.split(",")) == {"default", "emails", "segmentation", "render"}


def test_the_segmentation_task_survives_a_dying_worker_and_is_time_limited():
    assert segment_project.acks_late is True
    assert segment_project.reject_on_worker_lost is True
    assert 0 < segment_project.soft_time_limit < segment_project.time_limit
    # A job still unacknowledged is redelivered only after it could have finished ...
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > segment_project.time_limit
    # ... and the reaper waits for that redelivery before it gives up on a job.
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + segment_project.time_limit
    ) < settings.SEGMENTATION_STUCK_AFTER_SECONDS


def test_beat_schedules_the_reaper():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "scenes.tasks.reap_stuck_segmentations" in scheduled
    assert scheduled <= set(app.tasks.keys())  # every scheduled task exists


@pytest.fixture
def project(make_user) -> Project:
    return Project.objects.create(owner=make_user(), title="Letter", story_text=STORY, duration_sec=12)


def test_the_beat_reaper_task_fails_stuck_jobs(project):
    Project.objects.filter(pk=project.pk).update(
        status=ProjectStatus.SEGMENTING,
        segmentation_task_id="lost",
        segmentation_started_at=timezone.now() - timedelta(seconds=settings.SEGMENTATION_STUCK_AFTER_SECONDS + 1),
    )

    assert reap_stuck_segmentations.apply().get() == [project.pk]
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_segment_project_command_sync(project):
    out = StringIO()

    call_command("segment_project", str(project.pk), "--sync", "--scene-count", "2", stdout=out)

    project.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED
    assert Scene.objects.filter(project=project).count() == 2
    assert out.getvalue() == f"project {project.pk}: segmented (task {project.segmentation_task_id}), 2 scenes\n"


def test_segment_project_command_refuses_a_running_job(project):
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SEGMENTING, segmentation_task_id="running")

    with pytest.raises(CommandError, match="already segmenting \\(task running\\)"):
        call_command("segment_project", str(project.pk), "--sync")


def test_segment_project_command_unknown_project(db):
    with pytest.raises(CommandError, match="No project with id 999999"):
        call_command("segment_project", "999999")


def test_reap_stuck_jobs_command(project):
    Project.objects.filter(pk=project.pk).update(
        status=ProjectStatus.SEGMENTING, segmentation_task_id="t", segmentation_started_at=timezone.now()
    )
    out = StringIO()

    call_command("reap_stuck_jobs", stdout=out)
    assert out.getvalue() == "No stuck segmentation jobs.\n"

    call_command("reap_stuck_jobs", "--older-than", "0", stdout=out, no_color=True)
    assert f"project {project.pk}: segmentation failed (stuck)\n1 stuck job(s) failed.\n" in out.getvalue()
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_admin_action_segments_again(client, make_user, project):
    from django.urls import reverse

    staff = make_user(email="staff@example.com", role="admin")
    client.force_login(staff)
    running = Project.objects.create(owner=project.owner, title="Running", story_text=STORY, duration_sec=12)
    Project.objects.filter(pk=running.pk).update(status=ProjectStatus.SEGMENTING, segmentation_task_id="running")

    response = client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "segment_again", "_selected_action": [project.pk, running.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Segmentation started for 1 project. 1 already segmenting, left to finish." in response.content.decode()
    project.refresh_from_db()
    running.refresh_from_db()
    assert project.status == ProjectStatus.SEGMENTED
    assert Scene.objects.filter(project=project).exists()
    assert (running.status, running.segmentation_task_id) == (ProjectStatus.SEGMENTING, "running")
