"""The benchmark's own server stack: a database on the machine's MariaDB, a private Redis, gunicorn, a worker.

The processes are the end-to-end tests' (harness/processes.py: a private redis-server, and
gunicorn and a Celery worker started from the repo's own config), run here with production
settings. Everything is started by us and stopped by us (`BenchStack.stop`, always called
from a `finally`): the machine's shared MariaDB and Redis are never stopped or flushed; the
bench uses its own database (`animatic_bench`, dropped and created again on each run).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.processes import PrivateRedis, Process, Stack

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "logs.tmp"  # the servers' output, kept for reading after a run (ignored by git)

DB_NAME = os.environ.get("BENCH_DB_NAME", "animatic_bench")
DB_HOST = os.environ.get("BENCH_DB_HOST", "127.0.0.1")
DB_PORT = os.environ.get("BENCH_DB_PORT", "3306")
DB_USER = os.environ.get("BENCH_DB_USER", "root")
DB_PASSWORD = os.environ.get("BENCH_DB_PASSWORD", "")
UNLIMITED = "1000000/min"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class BenchStack:
    """Starts and stops the processes the benchmark needs; `env` is what every one of them reads."""

    gunicorn_workers: int | None = None
    keep_database: bool = False
    gunicorn_args: str = ""
    env: dict[str, str] = field(default_factory=dict)
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="animatic-bench-")))
    redis: PrivateRedis | None = None
    servers: Stack | None = None
    database_created: bool = False

    def settings(self, redis_port: int) -> dict[str, str]:
        """Production settings, minus what needs TLS: the bench speaks plain HTTP on loopback."""
        env = {
            "ENVIRONMENT": "production",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "AUTH_COOKIE_SECURE": "0",
            "ROOT_URLCONF": "bench.urls",
            "VAR_DIR": str(self.tmp / "var"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "DB_HOST": DB_HOST,
            "DB_PORT": DB_PORT,
            "DB_USER": DB_USER,
            "DB_PASSWORD": DB_PASSWORD,
            "DB_NAME": DB_NAME,
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_port),
            "REDIS_CACHE_DB": "1",
            "REDIS_BROKER_DB": "0",
            # The login throttles (20/min per client, 5/min per email) would turn a load test of
            # POST /auth/login into a test of the 429 path; the others would stop the seeding.
            "THROTTLE_LOGIN_IP": UNLIMITED,
            "THROTTLE_LOGIN_EMAIL": UNLIMITED,
            "THROTTLE_REGISTER": UNLIMITED,
            "THROTTLE_PASSWORD_RESET": UNLIMITED,
            "THROTTLE_SEGMENT": UNLIMITED,
            # The create benchmark makes thousands of projects for one writer.
            "THROTTLE_PROJECT_CREATE": UNLIMITED,
            "PROJECTS_PER_USER_MAX": "10000000",
            "STORY_CHARS_PER_USER_MAX": "100000000000",
        }
        if self.gunicorn_args:
            env["GUNICORN_CMD_ARGS"] = self.gunicorn_args
        if self.gunicorn_workers:
            env["WEB_CONCURRENCY"] = str(self.gunicorn_workers)
        return env

    def run(self, argv: list[str], timeout: float = 300) -> None:
        done = subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            output = done.stdout[-3000:] + done.stderr[-3000:]
            raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{output}")

    def mariadb(self, sql: str) -> None:
        argv = ["mariadb", f"-h{DB_HOST}", f"-P{DB_PORT}", f"-u{DB_USER}", "--connect-timeout=5", "-e", sql]
        if DB_PASSWORD:
            argv.insert(4, f"-p{DB_PASSWORD}")
        subprocess.run(argv, check=True, timeout=60, capture_output=True)

    def start(self) -> None:
        shutil.rmtree(LOGS, ignore_errors=True)
        LOGS.mkdir(parents=True)
        self.redis = PrivateRedis(LOGS).start()
        log(f"private redis-server on 127.0.0.1:{self.redis.port}")
        # The caller's own database, Redis and throttle settings stay out: the bench sets its own.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_", "THROTTLE_"))}
        servers = Stack(log_dir=LOGS, env=self.settings(self.redis.port), base_env=inherited, name="bench")
        self.env = servers.env

        log(f"database {DB_NAME} on {DB_HOST}:{DB_PORT} (dropped and created again)")
        self.mariadb(
            f"DROP DATABASE IF EXISTS `{DB_NAME}`; "
            f"CREATE DATABASE `{DB_NAME}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
        self.database_created = True
        log("migrate")
        self.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], timeout=300)

        self.servers = servers
        log(f"gunicorn -c gunicorn.conf.py on {servers.base_url}")
        servers.start_web()
        log("celery worker")
        servers.start_worker()
        log("stack up")

    @property
    def base_url(self) -> str:
        return self.servers.base_url

    @property
    def http_port(self) -> int:
        return self.servers.port

    @property
    def worker(self) -> Process:
        return self.servers.workers[0]

    def pid(self, name: str) -> int:
        """The pid of "gunicorn" (its master), "worker" (the Celery parent) or "redis"."""
        process = {"gunicorn": self.servers.web, "worker": self.worker, "redis": self.redis.process}[name]
        return process.popen.pid

    def pids(self, name: str) -> list[int]:
        """The pid of the named process and of its children (gunicorn's workers, Celery's pool)."""
        out = subprocess.run(["pgrep", "-g", str(self.pid(name))], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def stop(self) -> None:
        if self.servers is not None:
            self.servers.stop()
        if self.redis is not None:
            self.redis.stop()
        if self.database_created and not self.keep_database:
            try:
                self.mariadb(f"DROP DATABASE IF EXISTS `{DB_NAME}`")
            except Exception as exc:  # the report matters more than the cleanup
                log(f"could not drop {DB_NAME}: {exc}")
        shutil.rmtree(self.tmp, ignore_errors=True)
