"""The staff's commands that are not about one app: check_services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.usefixtures("inline_tasks")


def test_check_services_prints_one_line_per_service(db):
    out = StringIO()

    call_command("check_services", stdout=out, no_color=True)

    lines = out.getvalue().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["database", "cache", "broker"]
    assert all(line.split(":", 1)[1].startswith(" ok (") and line.endswith(" ms)") for line in lines)
    assert lines[0].startswith(f"database [{connection.vendor}]: ok")


def test_check_services_fails_naming_the_service_that_is_down(db):
    from animatic_vision.celery import app

    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    # A real broker connection to a port where nothing listens.
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    out = StringIO()
    try:
        with pytest.raises(CommandError, match="unavailable: broker") as raised:
            call_command("check_services", stdout=out, no_color=True)
    finally:
        app.conf.update(saved)

    assert raised.value.returncode == 1
    assert "broker [" in out.getvalue()
    assert "]: DOWN (" in out.getvalue()
    assert "127.0.0.1:1" in out.getvalue()
    assert "database [" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_idempotent_and_can_segment():
    from accounts.models import User
    from projects.models import Project

    out = StringIO()
    call_command("seed_demo", "--segment", stdout=out, no_color=True)
    call_command("seed_demo", stdout=out, no_color=True)

    user = User.objects.get(email="demo@example.com")
    assert user.check_password("Storyboard-Demo-2026")
    projects = Project.objects.filter(owner=user).order_by("pk")
    assert [p.title for p in projects] == ["The Hare and the Tortoise", "The Night Ferry", "The Last Delivery"]
    assert {p.status for p in projects} == {"segmented"}
    assert projects.get(title="The Last Delivery").segmentation_format == "screenplay"
    assert "User demo@example.com already exists" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Log in as demo@example.com / Storyboard-Demo-2026")


def test_seed_demo_needs_a_chosen_password_outside_development(db, settings):
    settings.IS_DEVELOPMENT = False

    with pytest.raises(CommandError, match="--password"):
        call_command("seed_demo")
