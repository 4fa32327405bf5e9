"""`make bench`: HTTP load, job latency, the engine and Argon2, on this machine; results in bench/results/.

    .venv/bin/python bench/run_all.py [--only me,list] [--duration 10] [--jobs 50] [--skip-engine] ...

Starts its own stack (bench/stack.py: a fresh `animatic_bench` database on the machine's
MariaDB, a private redis-server, `gunicorn -c gunicorn.conf.py`, a Celery worker), seeds it
through the API (bench/seed.py), runs wrk (bench/http_bench.py) and the job benchmark
(bench/job_bench.py), then the engine's own benchmark (bench/engine_bench.py), the render engine's
(bench/render_bench.py) and the Argon2 timing (bench/argon2_bench.py). Writes http.json,
jobs.json, engine.json, render.json, argon2.json, machine.json and summary.md to bench/results/,
prints the summary, and stops everything it started, whatever happens. Server logs go to bench/results/logs.tmp/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import http_bench, job_bench, report  # noqa: E402
from bench.seed import seed as seed_data  # noqa: E402
from bench.stack import RESULTS, BenchStack, log  # noqa: E402


def command_output(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=20, cwd=ROOT).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def gunicorn_threads(env: dict[str, str]) -> int:
    """Threads per worker as gunicorn.conf.py computes them under the server's environment."""
    code = "import runpy; print(runpy.run_path('gunicorn.conf.py')['threads'])"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    return int(done.stdout.strip())


def machine_facts(stack: BenchStack | None) -> dict:
    import django

    cpu_model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    mem_kib = next(
        (int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")), 0
    )
    facts = {
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "nproc": int(command_output(["nproc"]) or 0),
        "cpu_model": cpu_model,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "git_commit": command_output(["git", "rev-parse", "--short", "HEAD"]),
        "git_worktree_dirty": bool(command_output(["git", "status", "--porcelain", "--untracked-files=no"])),
        "wrk": command_output(["wrk", "--version"]).splitlines()[0:1],
        "mariadb": command_output(["mariadb", "--version"]),
        "redis": command_output(["redis-server", "--version"]),
    }
    if stack is not None:
        pids = stack.pids("gunicorn")
        facts["gunicorn_workers"] = max(len(pids) - 1, 0)
        facts["gunicorn_threads"] = gunicorn_threads(stack.env)
        facts["celery_worker_processes"] = max(len(stack.pids("worker")) - 1, 0)
    return facts


def write_json(name: str, data: dict) -> None:
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=1) + "\n")
    log(f"wrote {path.relative_to(ROOT)}")


def run_argon2(stack: BenchStack) -> dict:
    done = subprocess.run(
        [sys.executable, "bench/argon2_bench.py"],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_engine() -> None:
    log("engine: bench/engine_bench.py")
    subprocess.run(
        [sys.executable, "bench/engine_bench.py", "--out", str(RESULTS / "engine.json")],
        cwd=ROOT,
        check=True,
        timeout=900,
        stdout=subprocess.DEVNULL,
    )


def run_render(quick: bool) -> None:
    log("render: bench/render_bench.py")
    argv = [sys.executable, "bench/render_bench.py", "--out", str(RESULTS / "render.json")]
    subprocess.run(
        argv + (["--quick"] if quick else []),
        cwd=ROOT,
        check=True,
        timeout=1800,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated endpoint keys: me,list,detail,login,create")
    parser.add_argument("--connections", default=",".join(map(str, http_bench.CONNECTIONS)))
    parser.add_argument("--duration", type=int, default=http_bench.DURATION_S, help="seconds per wrk run")
    parser.add_argument("--jobs", type=int, default=job_bench.JOBS)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--gunicorn-args", default="", help="extra gunicorn flags (GUNICORN_CMD_ARGS), to try a change")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-engine", action="store_true")
    parser.add_argument("--skip-render", action="store_true", help="skip the MP4 and panel benchmark")
    parser.add_argument("--render-quick", action="store_true", help="skip the ten-minute MP4 render")
    parser.add_argument("--keep-db", action="store_true", help="leave the animatic_bench database behind")
    parser.add_argument(
        "--no-profile", dest="profile", action="store_false", help="skip bench/profile_views.py (in-process costs)"
    )
    parser.add_argument("--hold", type=int, default=0, help="keep the stack up this many seconds (to profile)")
    args = parser.parse_args()

    started = time.monotonic()
    failures = 0
    stack = BenchStack(gunicorn_workers=args.workers, keep_database=args.keep_db, gunicorn_args=args.gunicorn_args)
    try:
        stack.start()
        seeded = seed_data(stack)
        facts = machine_facts(stack)
        write_json("machine.json", facts)
        write_json("argon2.json", run_argon2(stack))
        if not args.skip_http:
            only = set(args.only.split(",")) if args.only else None
            conns = tuple(int(c) for c in args.connections.split(","))
            http = http_bench.run(stack, seeded, only=only, connections=conns, duration_s=args.duration)
            http["server"] = {
                "command": "gunicorn -c gunicorn.conf.py animatic_vision.wsgi:application",
                "environment": "production (SECURE_SSL_REDIRECT=0: plain HTTP on loopback)",
                "extra_gunicorn_args": args.gunicorn_args,
                "workers": facts["gunicorn_workers"],
                "threads": facts["gunicorn_threads"],
                "throttles": "THROTTLE_LOGIN_IP, THROTTLE_LOGIN_EMAIL (and register, segment) set to 1000000/min",
                "logs": "the app's request log and gunicorn's own in bench/results/logs.tmp/gunicorn.log",
            }
            write_json("http.json", http)
        if not args.skip_jobs:
            try:
                write_json("jobs.json", job_bench.run(stack, seeded, jobs=args.jobs))
            except Exception as exc:  # a failed phase is reported, and the others still run
                log(f"jobs failed: {exc!r}")
                write_json("jobs.json", {"error": repr(exc)})
                failures += 1
        if args.profile:
            log("profile: bench/profile_views.py")
            subprocess.run(
                [sys.executable, "-W", "ignore", "bench/profile_views.py", "--cookie",
                 seeded.reader.client.cookie_header, "--detail-id", str(seeded.detail_project_id),
                 "--out", str(RESULTS / "profile.json")],
                cwd=ROOT, env=stack.env, check=True, timeout=900,
            )  # fmt: skip
        if args.hold:
            log(f"holding the stack for {args.hold} s at {stack.base_url}")
            time.sleep(args.hold)
    finally:
        log("stopping everything this run started")
        stack.stop()
    if not args.skip_engine:
        run_engine()
    if not args.skip_render:
        run_render(args.render_quick)
    summary = report.render(RESULTS)
    (RESULTS / "summary.md").write_text(summary)
    print(summary)
    log(f"done in {time.monotonic() - started:.0f} s; bench/results/summary.md")
    return 1 if failures else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
