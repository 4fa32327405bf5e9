"""The process harness of the end-to-end tests and the benchmarks: real gunicorn, real Celery workers,
private Redis/MariaDB, a cookie-jar client.

Everything here is bounded in time and cleans up after itself: every process is
started in its own session and stopped (then killed) by the fixture that made it.
The machine's shared MariaDB (3306) and Redis (6379) are never stopped: faults
are injected into private servers started on free ports.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ORIGIN = "http://localhost:3000"  # the browser client's origin, trusted by CORS_ALLOWED_ORIGINS' default

T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], T | None], *, timeout: float, interval: float = 0.1, what: str = "condition") -> T:
    """Polls `check` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:
            last_error = exc
        time.sleep(interval)
    raise TimeoutError(
        f"timed out after {timeout:.0f}s waiting for {what}" + (f" (last error: {last_error})" if last_error else "")
    )


class Process:
    """A child process in its own session, with its output in a log file."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log_dir: Path, cwd: Path = REPO):
        self.name = name
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def signal_group(self, signum: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def kill9(self) -> None:
        """SIGKILL to the whole process group (a Celery worker's pool children included), no clean-up."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        # Pool children left behind by a killed parent go with their session.
        self.signal_group(signal.SIGKILL)


class PrivateRedis:
    """A throw-away redis-server on a free port: stopping it harms no one else."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.process = Process(
            "redis",
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            env=dict(os.environ),
            log_dir=log_dir,
        )

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def start(self) -> PrivateRedis:
        self.process.start()
        wait_until(self.ping, timeout=10, what="the private redis-server")
        return self

    def stop(self) -> None:
        self.process.stop()


class PrivateMariaDB:
    """A throw-away mariadbd with its own data directory and port, for restarting under load."""

    def __init__(self, base_dir: Path):
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.port = free_port()
        self.process = Process(
            "mariadbd",
            [
                shutil.which("mariadbd") or "/usr/sbin/mariadbd",
                "--no-defaults",
                f"--datadir={self.data_dir}",
                f"--port={self.port}",
                "--bind-address=127.0.0.1",
                f"--socket={base_dir / 'mariadbd.sock'}",
                f"--pid-file={base_dir / 'mariadbd.pid'}",
                "--user=root",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=64M",
            ],
            env=dict(os.environ),
            log_dir=base_dir,
        )

    def install(self) -> PrivateMariaDB:
        subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={self.data_dir}",
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return self

    def sql(self, statement: str) -> str:
        return subprocess.run(
            ["mariadb", "-h127.0.0.1", f"-P{self.port}", "-uroot", "-N", "-e", statement],
            check=True,
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout

    def ping(self) -> bool:
        result = subprocess.run(
            ["mariadb-admin", "-h127.0.0.1", f"-P{self.port}", "-uroot", "ping"], capture_output=True, timeout=5
        )
        return result.returncode == 0

    def start(self) -> PrivateMariaDB:
        self.process.start()
        wait_until(self.ping, timeout=60, interval=0.2, what="the private mariadbd")
        return self

    def stop(self) -> None:
        self.process.stop(timeout=30)


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def data(self) -> Any:
        return self.body.get("data") if isinstance(self.body, dict) else None


@dataclass
class Browser:
    """What the Next.js client does: JSON, cookies with credentials, and its Origin on every request."""

    base_url: str
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    timeout: float = 15

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None) -> Response:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Origin", ORIGIN)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                status, raw, answer_headers = answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), dict(error.headers)
        text = raw.decode() if raw else ""
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        return Response(status, parsed, answer_headers)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return self.request("PATCH", path, body, **kwargs)

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


class Stack:
    """gunicorn and Celery workers sharing one environment (database, private Redis, settings)."""

    def __init__(
        self, *, log_dir: Path, env: dict[str, str], base_env: Mapping[str, str] | None = None, name: str = "e2e"
    ):
        self.log_dir = log_dir
        self.name = name
        self.port = free_port()
        self.env = {
            **(os.environ if base_env is None else base_env),
            **env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self.env.pop("DB_TEST_NAME", None)
        self.web: Process | None = None
        self.workers: list[Process] = []
        self.base_url = f"http://127.0.0.1:{self.port}"

    def browser(self) -> Browser:
        return Browser(self.base_url)

    def start_web(self) -> Process:
        self.web = Process(
            "gunicorn",
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "animatic_vision.wsgi:application"],
            env=self.env,
            log_dir=self.log_dir,
        ).start()
        wait_until(self.live, timeout=30, what=f"gunicorn on port {self.port}")
        return self.web

    def start_worker(self) -> Process:
        number = len(self.workers) + 1
        worker = Process(
            f"worker{number}",
            [
                str(BIN / "celery"),
                "-A",
                "animatic_vision",
                "worker",
                "--loglevel=INFO",
                "-Q",
                "default,emails,segmentation,render",
                "--concurrency=2",
                "-n",
                f"{self.name}{self.port}-{number}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env,
            log_dir=self.log_dir,
        ).start()
        self.workers.append(worker)
        wait_until(lambda: " ready." in worker.log(), timeout=60, interval=0.2, what=f"Celery worker {number}")
        return worker

    def live(self) -> bool:
        return self.browser().get("/health/live").status == 200

    def ready(self) -> Response:
        return self.browser().get("/health/ready")

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.web is not None:
            self.web.stop()

    def logs(self) -> str:
        parts = [self.web, *self.workers]
        return "\n".join(f"----- {p.name} -----\n{p.log()[-4000:]}" for p in parts if p is not None)
