"""Cookie attributes per environment, and concurrent registrations on a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from conftest import DEFAULT_PASSWORD

REPO = Path(__file__).resolve().parents[2]


def settings_in(environment: dict[str, str]) -> dict:
    """The auth cookie settings as a fresh process computes them from these variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ENVIRONMENT", "ENVIROMENT", "AUTH_COOKIE_SECURE", "AUTH_COOKIE_SAMESITE"}
    }
    env.update(environment)
    code = (
        "from django.conf import settings;import json;"
        "print(json.dumps([settings.AUTH_COOKIE_SECURE, settings.AUTH_COOKIE_SAMESITE]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django;django.setup();" + code],
        env={**env, "DJANGO_SETTINGS_MODULE": "animatic_vision.settings", "PYTHONPATH": str(REPO)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    secure, samesite = json.loads(result.stdout.strip().splitlines()[-1])
    return {"secure": secure, "samesite": samesite}


PRODUCTION = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "api.example.com"}


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"ENVIRONMENT": "development"}, {"secure": False, "samesite": "Lax"}),
        ({"ENVIROMENT": "development"}, {"secure": False, "samesite": "Lax"}),
        ({"ENVIRONMENT": "production", **PRODUCTION}, {"secure": True, "samesite": "None"}),
        ({"ENVIROMENT": "production", **PRODUCTION}, {"secure": True, "samesite": "None"}),
        (
            {"ENVIRONMENT": "production", "AUTH_COOKIE_SAMESITE": "Strict", **PRODUCTION},
            {"secure": True, "samesite": "Strict"},
        ),
    ],
)
def test_cookie_settings_per_environment(environment, expected):
    assert settings_in(environment) == expected


@pytest.mark.django_db
def test_development_cookies_are_lax_and_not_secure(api_client, user, settings):
    settings.AUTH_COOKIE_SECURE, settings.AUTH_COOKIE_SAMESITE = False, "Lax"

    response = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")

    for name in ("access_token", "refresh_token"):
        cookie = response.cookies[name]
        assert cookie["samesite"] == "Lax"
        assert not cookie["secure"]
        assert cookie["httponly"]


@pytest.mark.django_db
def test_production_cookies_are_samesite_none_and_secure(api_client, user, settings):
    settings.AUTH_COOKIE_SECURE, settings.AUTH_COOKIE_SAMESITE = True, "None"

    login = api_client.post("/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")
    logout = api_client.post("/auth/logout")

    for response in (login, logout):
        for name in ("access_token", "refresh_token"):
            cookie = response.cookies[name]
            assert cookie["samesite"] == "None"
            assert cookie["secure"]
            assert cookie["httponly"] or response is logout


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_with_one_email_make_one_user(throttle_rates):
    throttle_rates(register="1000/min")
    start = threading.Barrier(20)
    statuses: list[int] = []
    bodies: list[dict] = []
    lock = threading.Lock()

    def register(n: int) -> None:
        try:
            client = APIClient()
            start.wait()
            response = client.post(
                "/auth/register",
                {
                    "fullName": f"Racer {n}",
                    "email": "Race@Example.com" if n % 2 else "race@example.com",
                    "password": DEFAULT_PASSWORD,
                },
                format="json",
            )
            with lock:
                statuses.append(response.status_code)
                bodies.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] + [400] * 19, statuses
    for body in bodies:
        if body["status_code"] == 400:
            assert body["detail"] == "User with email 'race@example.com' already exists."
    assert User.objects.filter(email="race@example.com").count() == 1
