"""Gunicorn configuration for `make serve`; every value can be overridden from the environment.

HOST, PORT             where to listen (default 127.0.0.1:8000); BIND overrides both
WEB_CONCURRENCY        worker processes (default cores + 1, at most 12)
GUNICORN_THREADS       threads per worker (default 2)
GUNICORN_TIMEOUT       seconds a request may take before its worker is restarted (default 30)
GUNICORN_ACCESS_LOG    access log file, "-" for stdout, "off" for none (default: the app logs each request)
GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket (default: none)
GUNICORN_PRELOAD       1 (default) loads the app once in the master and forks the workers from it
"""

from __future__ import annotations

import gc
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


_cores = os.cpu_count() or 1

bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Processes for the CPU (Argon2 hashing, JSON), a second thread each for the short waits on MariaDB
# and Redis. More threads only fight over each process's GIL: on 2 cores, 3 x 2 against 5 x 4 at 16
# connections (wrk, two runs each) gave the reads 1.0-1.8x the requests/s, p99 25-52 ms instead of
# 47-95 ms and less server CPU per request, logins 53/s instead of 45/s, with the floor unchanged.
workers = _env_int("WEB_CONCURRENCY", min(_cores + 1, 12))
threads = _env_int("GUNICORN_THREADS", 2)
# gunicorn's gthread worker, whose own answers to malformed requests (400, 414, 431) are the
# contract's JSON error body instead of an HTML page (animatic_vision/gunicorn_worker.py).
worker_class = "animatic_vision.gunicorn_worker.JsonErrorThreadWorker"
# The app is loaded once, in the master, and the workers are forked from it: they share its memory,
# and a recycled worker starts in milliseconds instead of importing Django again while others serve.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in {"0", "false", "no", "off"}


# What is loaded before the workers serve lives as long as the process: gc.freeze() takes it out
# of the garbage collector's sight, so a full collection scans only what requests allocate.
# Measured on this app: 63 ms per full collection before, 8 ms after; those pauses were the
# reads' p99 outliers. Done before the fork, it also keeps the collector from dirtying the
# memory pages the workers share.


def pre_fork(server: object, worker: object) -> None:  # in the master, before each fork (preloaded app)
    gc.freeze()


def post_worker_init(worker: object) -> None:  # in the worker, once its app is loaded (GUNICORN_PRELOAD=0)
    gc.freeze()


# Recycle workers now and then, so a slow leak never grows unbounded. Rarely: each restart reloads
# Django, and at 2,000 requests it took 17% of the workers' time under load (bench/results).
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 5_000)

timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# Gunicorn answers a longer request line itself with a 414 (JSON, by the worker above); allow its maximum.
limit_request_line = _env_int("GUNICORN_LIMIT_REQUEST_LINE", 8190)

# The heartbeat file on a memory filesystem: a disk-backed /tmp can stall workers (gunicorn's docs).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The app already logs one line per request (RequestLogMiddleware: client, method, path, status,
# duration, user); gunicorn's access log would write a second, so it is off unless asked for.
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "off").strip()
accesslog = None if _access_log.lower() in {"", "off", "none"} else _access_log
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = True

# Behind a reverse proxy on the same host, trust its X-Forwarded-* headers only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Gunicorn's control socket defaults to one path per user: two servers on one machine would fight over it.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

proc_name = "animatic-vision"
