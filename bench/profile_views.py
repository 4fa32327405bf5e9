"""Where a request's time goes, in one process: the real WSGI handler, no server, no network for the client.

    (run by `bench/run_all.py --profile`, with the benchmark stack's environment)
    .venv/bin/python bench/profile_views.py --cookie 'access_token=...' --detail-id 1 --out bench/results/profile.json

For each endpoint: CPU time and database queries per request through Django's WSGIHandler
(the same middleware, views, serializers and renderer as under gunicorn), the functions
with the most cumulative time under cProfile, and the same timing again under a few
candidate fixes applied in memory only (`EXPERIMENTS`), so each fix has a measured
before and after. Nothing here changes the code on disk.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "animatic_vision.settings")

ROUNDS = 700
WARMUP = 30
BATCHES = 7


def environ_for(path: str, cookie: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
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


def call(app: Callable, path: str, cookie: str) -> int:
    return fetch(app, path, cookie)[0]


def fetch(app: Callable, path: str, cookie: str) -> tuple[int, bytes]:
    status: list[str] = []
    body = app(environ_for(path, cookie), lambda s, h, exc_info=None: status.append(s))
    content = b"".join(body)
    body.close()
    return int(status[0].split()[0]), content


def timed(app: Callable, path: str, cookie: str, rounds: int) -> dict:
    """CPU and wall time per request over one batch of `rounds` requests, and the queries each made."""
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(rounds):
            call(app, path, cookie)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu_ms": cpu * 1000 / rounds, "wall_ms": wall * 1000 / rounds, "queries": queries / rounds}


def compare(app: Callable, path: str, cookie: str, rounds: int) -> dict:
    """The baseline and every experiment, in interleaved batches; the best batch of each is kept, since
    other processes on a shared machine only ever add time."""
    for _ in range(WARMUP):
        assert call(app, path, cookie) == 200, path
    variants = {"baseline": [], **EXPERIMENTS}
    expected = fetch(app, path, cookie)
    same_body: dict[str, bool] = {}
    for name, patches in EXPERIMENTS.items():
        with ExitStack() as stack:
            for patch in patches:
                stack.enter_context(patch())
            same_body[name] = fetch(app, path, cookie) == expected
    batches: dict[str, list[dict]] = {name: [] for name in variants}
    for _ in range(BATCHES):
        for name, patches in variants.items():
            with ExitStack() as stack:
                for patch in patches:
                    stack.enter_context(patch())
                batches[name].append(timed(app, path, cookie, max(rounds // BATCHES, 1)))
    result = {}
    for name, runs in batches.items():
        cpu = sorted(r["cpu_ms"] for r in runs)
        result[name] = {
            "cpu_ms_per_req_best": round(cpu[0], 3),
            "cpu_ms_per_req_median": round(cpu[len(cpu) // 2], 3),
            "queries_per_req": runs[0]["queries"],
            "same_response": same_body.get(name, True),
        }
    return result


def top_functions(app: Callable, path: str, cookie: str, rounds: int, limit: int = 25) -> list[str]:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        call(app, path, cookie)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(limit)
    lines = [ln.rstrip() for ln in out.getvalue().splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
    return lines[start : start + limit + 1]


# --- candidate fixes, applied in memory only -----------------------------------------------------


@contextmanager
def answer_cache_off():
    """GET /projects and GET /projects/{id} with both layers of their answer cache (this process's memory
    and Redis) always missing: every answer rendered from the database (what the first read after a
    write costs)."""
    from django.core.cache.backends.dummy import DummyCache

    from animatic_vision.api import responses

    original = responses.cache, responses.local_answers
    responses.cache, responses.local_answers = DummyCache("bench", {}), responses.LocalAnswers(max_bytes=0)
    try:
        yield
    finally:
        responses.cache, responses.local_answers = original


@contextmanager
def request_log_off():
    """The app's per-request log line (animatic_vision.requests) dropped, to price it."""
    import logging

    logger = logging.getLogger("animatic_vision.requests")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


EXPERIMENTS: dict[str, list] = {
    "answer_cache_off": [answer_cache_off],
    "request_log_off": [request_log_off],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cookie", required=True)
    parser.add_argument("--detail-id", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    import logging

    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    # The request log would go to this process's stderr; send it where gunicorn's goes: nowhere we read.
    for handler in logging.getLogger().handlers:
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115

    endpoints = {
        "floor": "/bench/floor",
        "drf": "/bench/drf",
        "drf_auth": "/bench/drf-auth",
        "me": "/auth/me",
        "list": "/projects",
        "detail": f"/projects/{args.detail_id}",
    }
    report: dict = {"rounds": args.rounds, "batches": BATCHES, "endpoints": {}}
    for key, path in endpoints.items():
        entry = {"path": path, **compare(app, path, args.cookie, args.rounds)}
        entry["cprofile_top"] = top_functions(app, path, args.cookie, max(args.rounds // 10, 20))
        report["endpoints"][key] = entry
        print(
            f"{key:7} {path:16} {entry['baseline']['queries_per_req']:.0f} queries, CPU ms/req (best batch): "
            + ", ".join(
                f"{name} {entry[name]['cpu_ms_per_req_best']:.2f} ({entry[name]['queries_per_req']:.0f} q)"
                + ("" if entry[name]["same_response"] else " (DIFFERENT)")
                for name in ("baseline", *EXPERIMENTS)
            ),
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
