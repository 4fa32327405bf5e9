"""CPU per session check (the revocation and user lookup every authenticated request makes) and per
GET /auth/me, in one process, against whatever cache the environment configures.

    SQLITE_PATH=/tmp/session-check.sqlite3 REDIS_HOST=127.0.0.1 REDIS_CACHE_DB=2 \\
        .venv/bin/python bench/session_check.py

Use a scratch database: it migrates it and creates (or replaces) the user bench-session@example.com.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "animatic_vision.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

from accounts.authentication import CookieJWTAuthentication  # noqa: E402
from accounts.models import User  # noqa: E402

EMAIL = "bench-session@example.com"
PASSWORD = "Bench-Session-Password-1234"
BATCHES = 5


def per_request(fn: Callable[[], None], rounds: int) -> tuple[float, float]:
    """Median CPU and wall microseconds per call over BATCHES batches, after a warm-up."""
    for _ in range(200):
        fn()
    cpu, wall = [], []
    for _ in range(BATCHES):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        for _ in range(rounds):
            fn()
        cpu.append((time.process_time() - started_cpu) / rounds * 1e6)
        wall.append((time.perf_counter() - started_wall) / rounds * 1e6)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    call_command("migrate", verbosity=0)
    cache.clear()
    User.objects.filter(email=EMAIL).delete()
    User.objects.create_user(EMAIL, PASSWORD, full_name="Bench Session")
    login = Client(HTTP_HOST="127.0.0.1").post(
        "/auth/login", {"email": EMAIL, "password": PASSWORD}, content_type="application/json"
    )
    access = login.cookies["access_token"].value
    authentication = CookieJWTAuthentication()
    request = APIRequestFactory().get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {access}")
    app = WSGIHandler()

    def session_check() -> None:
        result = authentication.authenticate(Request(request))
        assert result is not None
        assert result[0].email == EMAIL

    def me() -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/auth/me",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": f"access_token={access}",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        statuses: list[str] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], Any]:
            statuses.append(status)
            return lambda data: None

        body = app(environ, start_response)
        b"".join(body)
        body.close()  # type: ignore[attr-defined]
        assert statuses[0].startswith("200"), statuses

    for name, fn, rounds in (("session check", session_check, 3000), ("GET /auth/me", me, 1500)):
        cpu, wall = per_request(fn, rounds)
        print(f"{name}: {cpu:.0f} us CPU, {wall:.0f} us wall per request")


if __name__ == "__main__":
    main()
