"""The benchmark's own server stack: a database on the machine's MariaDB, a private Redis, gunicorn, a worker.

Everything here is started by us and stopped by us (`BenchStack.stop`, always called from a
`finally`): the machine's shared MariaDB and Redis are never stopped or flushed; the bench
uses its own database (`animatic_bench`, dropped and created again on each run) and a
private redis-server on a free port, without persistence.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent

DB_NAME = os.environ.get("BENCH_DB_NAME", "animatic_bench")
DB_HOST = os.environ.get("BENCH_DB_HOST", "127.0.0.1")
DB_PORT = os.environ.get("BENCH_DB_PORT", "3306")
DB_USER = os.environ.get("BENCH_DB_USER", "root")
DB_PASSWORD = os.environ.get("BENCH_DB_PASSWORD", "")
UNLIMITED = "1000000/min"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path


@dataclass
class BenchStack:
    """Starts and stops the processes the benchmark needs; `env` is what every one of them reads."""

    gunicorn_workers: int | None = None
    keep_database: bool = False
    gunicorn_args: str = ""
    processes: list[Process] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    http_port: int = 0
    redis_port: int = 0
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="animatic-bench-")))
    database_created: bool = False

    # --- environment ---------------------------------------------------------------
    def build_env(self) -> dict[str, str]:
        self.http_port = free_port()
        self.redis_port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_", "THROTTLE_"))}
        env.update(
            {
                # Production settings, minus what needs TLS: the bench speaks plain HTTP on loopback.
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
                "REDIS_PORT": str(self.redis_port),
                "REDIS_CACHE_DB": "1",
                "REDIS_BROKER_DB": "0",
                # The login throttles (20/min per client, 5/min per email) would turn a load test of
                # POST /auth/login into a test of the 429 path; the others would stop the seeding.
                "THROTTLE_LOGIN_IP": UNLIMITED,
                "THROTTLE_LOGIN_EMAIL": UNLIMITED,
                "THROTTLE_REGISTER": UNLIMITED,
                "THROTTLE_PASSWORD_RESET": UNLIMITED,
                "THROTTLE_SEGMENT": UNLIMITED,
                "HOST": "127.0.0.1",
                "PORT": str(self.http_port),
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        if self.gunicorn_args:
            env["GUNICORN_CMD_ARGS"] = self.gunicorn_args
        if self.gunicorn_workers:
            env["WEB_CONCURRENCY"] = str(self.gunicorn_workers)
        self.env = env
        return env

    # --- processes -----------------------------------------------------------------
    def spawn(self, name: str, argv: list[str]) -> Process:
        log_path = RESULTS / f"{name}.log.tmp"
        log_file = open(log_path, "wb")  # noqa: SIM115 - the child owns it; closed when we stop it
        popen = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so we stop it and its children, nothing else
        )
        log_file.close()
        process = Process(name, popen, log_path)
        self.processes.append(process)
        return process

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
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.build_env()
        log(f"private redis-server on 127.0.0.1:{self.redis_port}")
        redis = self.spawn(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
        )
        wait_for(lambda: redis_ping(self.redis_port), 20, "redis-server", redis)

        log(f"database {DB_NAME} on {DB_HOST}:{DB_PORT} (dropped and created again)")
        self.mariadb(
            f"DROP DATABASE IF EXISTS `{DB_NAME}`; "
            f"CREATE DATABASE `{DB_NAME}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
        self.database_created = True
        log("migrate")
        self.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], timeout=300)

        log(f"gunicorn -c gunicorn.conf.py on 127.0.0.1:{self.http_port}")
        gunicorn = self.spawn(
            "gunicorn", [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "animatic_vision.wsgi:application"]
        )
        wait_for(lambda: http_ok(f"{self.base_url}/health/ready"), 60, "gunicorn", gunicorn)

        log("celery worker")
        worker = self.spawn(
            "worker",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "animatic_vision",
                "worker",
                "--loglevel=INFO",
                "-Q",
                "default,emails,segmentation",
                "-n",
                f"bench-{os.getpid()}@%h",
            ],
        )
        wait_for(lambda: b" ready." in worker.log_path.read_bytes(), 90, "celery worker", worker)
        log("stack up")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def pid(self, name: str) -> int:
        return next(p.popen.pid for p in self.processes if p.name == name)

    def pids(self, name: str) -> list[int]:
        """The pid of the named process and of its children (gunicorn's workers)."""
        for process in self.processes:
            if process.name == name:
                out = subprocess.run(["pgrep", "-g", str(process.popen.pid)], capture_output=True, text=True)
                return [int(p) for p in out.stdout.split()]
        return []

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop_group(process.popen)
        self.processes.clear()
        if self.database_created and not self.keep_database:
            try:
                self.mariadb(f"DROP DATABASE IF EXISTS `{DB_NAME}`")
            except Exception as exc:  # the report matters more than the cleanup
                log(f"could not drop {DB_NAME}: {exc}")
        shutil.rmtree(self.tmp, ignore_errors=True)


def stop_group(popen: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM the process group we started, SIGKILL it if it has not gone after `grace` seconds."""
    if popen.poll() is not None:
        return
    try:
        os.killpg(popen.pid, signal.SIGTERM)
        popen.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(popen.pid, signal.SIGKILL)
        popen.wait(10)
    except ProcessLookupError:
        pass


def wait_for(check, timeout: float, what: str, process: Process) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(
                f"{what} exited ({process.popen.returncode}); see {process.log_path}:\n"
                + process.log_path.read_text(errors="replace")[-3000:]
            )
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s; see {process.log_path}")


def redis_ping(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(64).startswith(b"+PONG")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200
