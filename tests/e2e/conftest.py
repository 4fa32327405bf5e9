"""Fixtures of the end-to-end harness: a private Redis, then gunicorn and a Celery worker on the test database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from harness.processes import PrivateRedis, Stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(tmp_path).start()
    yield redis
    redis.stop()


def database_env() -> dict[str, str]:
    """The database pytest-django created for this test, for the server and the worker."""
    settings = connection.settings_dict
    return {
        "DB_HOST": settings["HOST"],
        "DB_PORT": str(settings["PORT"] or 3306),
        "DB_USER": settings["USER"],
        "DB_PASSWORD": settings["PASSWORD"],
        "DB_NAME": settings["NAME"],
    }


def stack_env(redis: PrivateRedis, database: dict[str, str]) -> dict[str, str]:
    return {
        **database,
        "ENVIRONMENT": "test",
        "DEBUG": "0",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis.port),
        "REDIS_CACHE_DB": "1",
        "REDIS_BROKER_DB": "0",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        # A killed worker's job comes back after this many seconds (production: 900).
        "CELERY_VISIBILITY_TIMEOUT": "10",
        "CELERY_RESTORE_INTERVAL": "1",
        "LOG_LEVEL": "INFO",
        # Generous rates: the fuzzer and the flows log in and register far more than a person would.
        "THROTTLE_LOGIN_IP": "10000/min",
        "THROTTLE_LOGIN_EMAIL": "10000/min",
        "THROTTLE_REGISTER": "10000/min",
        "THROTTLE_PASSWORD_RESET": "10000/min",
        "THROTTLE_SEGMENT": "10000/min",
        "THROTTLE_PROJECT_CREATE": "10000/min",
    }


@contextmanager
def running_stack(log_dir: Path, env: dict[str, str]) -> Iterator[Stack]:
    """gunicorn and one Celery worker with this environment; stopped (and killed if need be) afterwards,
    their logs printed into the test's captured output."""
    running = Stack(log_dir=log_dir, env=env)
    try:
        running.start_web()
        running.start_worker()
        yield running
    finally:
        running.stop()
        print(running.logs())


@pytest.fixture
def stack(transactional_db, private_redis: PrivateRedis, tmp_path: Path) -> Iterator[Stack]:
    """gunicorn and one Celery worker on this test's database."""
    with running_stack(tmp_path, stack_env(private_redis, database_env())) as running:
        yield running
