"""Checks of the services the server depends on: the database, the cache and the task broker."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

CHECK_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class ServiceCheck:
    name: str
    service: str
    ok: bool
    detail: str
    duration_ms: float


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("a value written to the cache could not be read back")
    cache.delete(key)
    return str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]


def check_broker() -> str:
    from animatic_vision.celery import app

    if app.conf.task_always_eager:
        return "inline (tasks run in the web process)"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=CHECK_TIMEOUT_SECONDS)
        return conn.transport_cls if isinstance(conn.transport_cls, str) else "broker"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def backing_service(name: str) -> str:
    """What answers each check, so an operator reads "redis" rather than only "cache"."""
    if name == "database":
        return connection.vendor
    if name == "cache":
        return "redis" if settings.REDIS_HOST else "file"
    return "inline" if settings.CELERY_TASK_ALWAYS_EAGER else "redis"


def run_check(name: str, check: Callable[[], str]) -> ServiceCheck:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # any failure means the service is not usable
        detail = f"{type(exc).__name__}: {exc}"[:300]
        ok = False
    return ServiceCheck(name, backing_service(name), ok, detail, round((time.perf_counter() - started) * 1000, 1))


def check_services() -> list[ServiceCheck]:
    """Asks each dependency once, with a short timeout; never raises."""
    return [run_check(name, check) for name, check in CHECKS.items()]
