"""Fixtures shared by every app's tests, and the gate for tests that need MySQL or Redis."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from rest_framework.test import APIClient

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def pytest_report_header(config: pytest.Config) -> list[str]:
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    broker = "inline" if settings.CELERY_TASK_ALWAYS_EAGER else "redis"
    return [
        f"animatic_vision: database={database} cache={cache} broker={broker} "
        f"require_services={'yes' if REQUIRE_SERVICES else 'no'}"
    ]


def service_missing(marker: str) -> str | None:
    if marker == "mysql" and not settings.DB_HOST:
        return "needs MySQL/MariaDB: set DB_HOST (and DB_USER, DB_PASSWORD, DB_NAME) to run it"
    if marker == "redis" and not settings.REDIS_HOST:
        return "needs Redis: set REDIS_HOST (and REDIS_PORT) to run it"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("mysql", "redis"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = service_missing(marker)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES is set but this test {reason}")
        pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _private_file_cache(tmp_path_factory):
    """A file cache of this test run's own: concurrent runs on one machine (or xdist workers) share
    user ids and the client address 127.0.0.1, so a shared one would mix up cached users and throttles."""
    from django.test import override_settings

    configured = settings.CACHES["default"]
    if not configured["BACKEND"].endswith("FileBasedCache"):
        yield
        return
    location = str(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES={"default": {**configured, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (throttles, revocations) and leaves none behind."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


DEFAULT_PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def make_user(db):
    """Creates a user through the model manager: `make_user(email=..., role="admin")`."""
    from accounts.models import User

    created = 0

    def make(
        *,
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        full_name: str = "Test User",
        role: str = "user",
    ) -> User:
        nonlocal created
        created += 1
        return User.objects.create_user(email or f"user{created}@example.com", password, full_name=full_name, role=role)

    return make


@pytest.fixture
def login_client():
    """Returns an APIClient logged in as `user` through the real cookie login (`POST /auth/login`)."""

    def login(user, password: str = DEFAULT_PASSWORD) -> APIClient:
        client = APIClient()
        response = client.post("/auth/login", {"email": user.email, "password": password}, format="json")
        assert response.status_code == 200, response.content
        assert "access_token" in response.cookies
        return client

    return login


@pytest.fixture
def user(make_user):
    return make_user(email="writer@example.com", full_name="Wendy Writer")


@pytest.fixture
def user_client(login_client, user) -> APIClient:
    return login_client(user)


@pytest.fixture
def admin_user(make_user):
    return make_user(email="admin@example.com", full_name="Ada Admin", role="admin")


@pytest.fixture
def admin_client(login_client, admin_user) -> APIClient:
    return login_client(admin_user)


@pytest.fixture
def other_user(make_user):
    return make_user(email="someone.else@example.com", full_name="Olga Other")


@pytest.fixture
def other_client(login_client, other_user):
    return login_client(other_user)


@pytest.fixture
def media_root(settings, tmp_path):
    """A temporary MEDIA_ROOT (and print cache), so asset files are real files that a test can see disappear."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRINT_CACHE_DIR = tmp_path / "print-cache"
    return settings.MEDIA_ROOT


@pytest.fixture
def inline_tasks(monkeypatch):
    """Segmentation tasks run in the test process, as in the embedded setup, even when REDIS_HOST names a broker."""
    from scenes import segmentation

    monkeypatch.setattr(segmentation, "_tasks_run_eagerly", lambda: True)
