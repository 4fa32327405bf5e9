"""HTTP load with wrk over loopback: each endpoint at 16 and 64 connections, as a ratio to the bare floor view.

Each endpoint is measured right after the floor (`GET /bench/floor`, a constant JsonResponse
through the same middleware, bench/urls.py) at the same connection count, and its throughput
is divided by that floor run's. Each measured run is preceded by a short warm-up of the same
endpoint. The server's CPU time per request (bench/cpu.py) is recorded too: on a machine
shared with other work it is the steadier measure of what our code costs. wrk's `done()`
hook (written into a Lua script per endpoint, with the Cookie header and the JSON body)
prints the counts and the latency percentiles as one JSON line.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import story
from bench.cpu import CpuMeter
from bench.seed import Seed
from bench.stack import BenchStack, log

CONNECTIONS = (16, 64)
DURATION_S = 10
WARMUP_S = 2
WRK_THREADS = 2
WRK_TIMEOUT_S = 10
# Before each pair of runs, wait (at most this long) until other processes use under this share of the machine.
QUIET_THRESHOLD = 0.15
QUIET_MAX_WAIT_S = 30
# A closed-loop load keeps both cores busy. gunicorn's workers accept wrk's keep-alive connections in a
# race and keep each for the whole run, so the split is uneven (sampled with ss over 14 runs of 16
# connections: 15+1, 14+2, 12+3+1, ... and 8+8 at best). A worker serving even one connection keeps a
# core busy, but a run left at about half the machine had all of them on one worker (one core, under its
# GIL). Seen in about 1 run in 40, for the floor as much as for the endpoints; such a run is repeated.
UNSATURATED_BUSY_PCT = 85
UNSATURATED_RETRIES = 2

DONE_HOOK = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    method: str
    path: str
    cookie: str = ""
    body: str = ""
    read: bool = False  # an authenticated read: the ≥60% of floor and p99 < 50 ms targets apply


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for ASCII text


def script_for(endpoint: Endpoint) -> str:
    lines = [f"wrk.method = {lua_string(endpoint.method)}"]
    if endpoint.cookie:
        lines.append(f'wrk.headers["Cookie"] = {lua_string(endpoint.cookie)}')
    if endpoint.body:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append(f"wrk.body = {lua_string(endpoint.body)}")
    return "\n".join(lines) + "\n" + DONE_HOOK


def endpoints(seed: Seed) -> list[Endpoint]:
    reader = seed.reader.client.cookie_header
    writer = seed.writer.client.cookie_header
    return [
        Endpoint("floor", "GET /bench/floor (bare Django view)", "GET", "/bench/floor"),
        Endpoint("me", "GET /auth/me", "GET", "/auth/me", cookie=reader, read=True),
        Endpoint("list", f"GET /projects ({seed.list_count} projects)", "GET", "/projects", cookie=reader, read=True),
        Endpoint(
            "detail",
            f"GET /projects/{{id}} ({seed.detail_scene_count} scenes, {seed.detail_character_count} characters)",
            "GET",
            f"/projects/{seed.detail_project_id}",
            cookie=reader,
            read=True,
        ),
        Endpoint(
            "login",
            "POST /auth/login",
            "POST",
            "/auth/login",
            body=json.dumps({"email": seed.writer.email, "password": seed.writer.password}),
        ),
        Endpoint(
            "create",
            "POST /projects (300-word story)",
            "POST",
            "/projects",
            cookie=writer,
            body=json.dumps({"title": "Load test", "story_text": story(300), "duration_sec": 30}),
        ),
    ]


def wrk(stack: BenchStack, endpoint: Endpoint, connections: int, duration_s: int, script_dir: Path) -> dict:
    script = script_dir / f"{endpoint.key}.lua"
    script.write_text(script_for(endpoint))
    argv = [
        "wrk",
        "-t",
        str(WRK_THREADS),
        "-c",
        str(connections),
        "-d",
        f"{duration_s}s",
        "--timeout",
        f"{WRK_TIMEOUT_S}s",
        "-s",
        str(script),
        stack.base_url + endpoint.path,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration_s + WRK_TIMEOUT_S + 30)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if done.returncode or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    seconds = raw["duration_us"] / 1e6
    return {
        "endpoint": endpoint.key,
        "label": endpoint.label,
        "connections": connections,
        "duration_s": round(seconds, 3),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": round(raw["mean_us"] / 1000, 3),
        "errors": errors,
        "errors_by_kind": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
        "bytes_per_response": round(raw["bytes"] / max(raw["requests"], 1)),
    }


def check_once(seed: Seed, endpoint: Endpoint) -> None:
    """One request by hand first: a benchmark of an error page would be worthless."""
    client = seed.writer.client if endpoint.key in {"login", "create"} else seed.reader.client
    expect = (201,) if endpoint.key == "create" else (200,)
    if endpoint.method == "GET":
        client.request("GET", endpoint.path, expect=expect)
    else:
        client.request("POST", endpoint.path, json.loads(endpoint.body), expect=expect)


def measure(
    stack: BenchStack, meter: CpuMeter, endpoint: Endpoint, conns: int, duration_s: int, script_dir: Path
) -> dict:
    unsaturated: list[dict] = []
    while True:
        wrk(stack, endpoint, conns, WARMUP_S, script_dir)
        before = meter.snapshot()
        result = wrk(stack, endpoint, conns, duration_s, script_dir)
        result.update(meter.between(before, meter.snapshot(), result["requests"]))
        log(
            f"{conns:>3} conns  {endpoint.label:<58} {result['rps']:>8.1f} rps  p50 {result['p50_ms']:7.2f} ms  "
            f"p99 {result['p99_ms']:7.2f} ms  errors {result['errors']}  server {result['server_cpu_ms_per_req']:.2f} "
            f"ms CPU/req  others {result['foreign_cpu_pct']:.0f}%  busy {result['machine_busy_pct']:.0f}%"
        )
        if result["machine_busy_pct"] >= UNSATURATED_BUSY_PCT or len(unsaturated) == UNSATURATED_RETRIES:
            break
        log(f"    the machine was only {result['machine_busy_pct']:.0f}% busy (connections spread unevenly): again")
        unsaturated.append({k: result[k] for k in ("rps", "p99_ms", "machine_busy_pct", "server_cpu_ms_per_req")})
    result["unsaturated_runs_repeated"] = unsaturated
    return result


def run(
    stack: BenchStack,
    seed: Seed,
    only: set[str] | None = None,
    connections: tuple[int, ...] = CONNECTIONS,
    duration_s: int = DURATION_S,
) -> dict:
    """Each endpoint right after its own floor run, at each connection count: ratios between neighbours."""
    script_dir = stack.tmp / "wrk"
    script_dir.mkdir(exist_ok=True)
    floor, *others = endpoints(seed)
    selected = [e for e in others if only is None or e.key in only]
    for endpoint in [floor, *selected]:
        check_once(seed, endpoint)
    meter = CpuMeter(stack.pid("gunicorn"), stack.pid("redis"))
    runs: list[dict] = []
    for conns in connections:
        for endpoint in selected:
            quiet = meter.wait_for_quiet(QUIET_THRESHOLD, QUIET_MAX_WAIT_S)
            base = measure(stack, meter, floor, conns, duration_s, script_dir)
            result = measure(stack, meter, endpoint, conns, duration_s, script_dir)
            result["read"] = endpoint.read
            result["others_before_pct"] = round(quiet * 100, 1)
            result["floor"] = {
                k: base[k] for k in ("rps", "p50_ms", "p99_ms", "errors", "server_cpu_ms_per_req", "foreign_cpu_pct")
            }
            result["ratio_to_floor"] = round(result["rps"] / base["rps"], 3)
            result["cpu_ratio_to_floor"] = round(
                base["server_cpu_ms_per_req"] / max(result["server_cpu_ms_per_req"], 1e-9), 3
            )
            runs.append(result)
            runs.append(
                {**base, "read": False, "paired_with": endpoint.key, "ratio_to_floor": 1.0, "cpu_ratio_to_floor": 1.0}
            )
    return {
        "tool": "wrk",
        "wrk_threads": WRK_THREADS,
        "duration_s": duration_s,
        "warmup_s": WARMUP_S,
        "timeout_s": WRK_TIMEOUT_S,
        "seed": {
            "detail_project_id": seed.detail_project_id,
            "detail_scenes": seed.detail_scene_count,
            "detail_characters": seed.detail_character_count,
            "list_projects": seed.list_count,
            "scenes_seeded_via": seed.scenes_seeded_via,
        },
        "runs": runs,
    }
