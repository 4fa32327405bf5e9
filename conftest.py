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
